// RUN: quantc-opt --qc-linalg-to-cpu-kernels --split-input-file %s | FileCheck %s

// --quantize=w4 after bufferization: two MatMuls whose 4-bit weights are
// dequantized in turn into one buffer (bytes [K=64, N/2=16, 1], scales and
// zero points [4 groups of 16 rows, 16, 2], split by shifts of 0 and 4),
// then read through its [64, 32] view. Each MatMul becomes one call of the
// w4 GEMM on the constants, viewed [K, N/2] and [groups, N]; the
// dequantizations and their buffer go.
// CHECK-LABEL: func.func @two_weights
// CHECK-DAG: %[[B0:.*]] = memref.get_global @bytes0
// CHECK-DAG: %[[S0:.*]] = memref.get_global @scales0
// CHECK-DAG: %[[Z0:.*]] = memref.get_global @zeros0
// CHECK-DAG: %[[G:.*]] = arith.constant 16 : i64
// CHECK-DAG: %[[BV:.*]] = memref.collapse_shape %[[B0]] {{\[\[}}0], [1, 2]] : memref<64x16x1xi8> into memref<64x16xi8>
// CHECK-DAG: %[[SV:.*]] = memref.collapse_shape %[[S0]] {{\[\[}}0], [1, 2]] : memref<4x16x2xf32> into memref<4x32xf32>
// CHECK-DAG: %[[ZV:.*]] = memref.collapse_shape %[[Z0]] {{\[\[}}0], [1, 2]] : memref<4x16x2xi8> into memref<4x32xi8>
// CHECK-DAG: %[[BC:.*]] = memref.cast %[[BV]]
// CHECK-DAG: %[[SC:.*]] = memref.cast %[[SV]]
// CHECK-DAG: %[[ZC:.*]] = memref.cast %[[ZV]]
// CHECK: call @qc_kernel_matmul_w4_f32(%{{.*}}, %[[BC]], %[[SC]], %[[ZC]], %{{.*}}, %[[G]], %c0_i64)
// CHECK: call @qc_kernel_matmul_w4_f32
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.alloc() {{.*}} : memref<64x16x2xf32>
// CHECK: return
#bytes = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#shift = affine_map<(d0, d1, d2) -> (d2)>
#group = affine_map<(d0, d1, d2) -> (d0 floordiv 16, d1, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
memref.global "private" constant @shifts : memref<2xi8> = dense<[0, 4]>
memref.global "private" constant @bytes0 : memref<64x16x1xi8> = dense<17>
memref.global "private" constant @scales0 : memref<4x16x2xf32> = dense<0.5>
memref.global "private" constant @zeros0 : memref<4x16x2xi8> = dense<8>
memref.global "private" constant @bytes1 : memref<64x16x1xi8> = dense<33>
memref.global "private" constant @scales1 : memref<4x16x2xf32> = dense<0.25>
memref.global "private" constant @zeros1 : memref<4x16x2xi8> = dense<7>
func.func @two_weights(%x: memref<8x64xf32>, %y0: memref<8x32xf32>, %y1: memref<8x32xf32>) {
  %c8 = arith.constant 8 : i8
  %c0 = arith.constant 0 : i8
  %c15 = arith.constant 15 : i8
  %shifts = memref.get_global @shifts : memref<2xi8>
  %b0 = memref.get_global @bytes0 : memref<64x16x1xi8>
  %s0 = memref.get_global @scales0 : memref<4x16x2xf32>
  %z0 = memref.get_global @zeros0 : memref<4x16x2xi8>
  %b1 = memref.get_global @bytes1 : memref<64x16x1xi8>
  %s1 = memref.get_global @scales1 : memref<4x16x2xf32>
  %z1 = memref.get_global @zeros1 : memref<4x16x2xi8>
  %w = memref.alloc() {alignment = 64 : i64} : memref<64x16x2xf32>
  %view = memref.collapse_shape %w [[0], [1, 2]] : memref<64x16x2xf32> into memref<64x32xf32>
  linalg.generic {indexing_maps = [#bytes, #shift, #group, #group, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b0, %shifts, %s0, %z0 : memref<64x16x1xi8>, memref<2xi8>, memref<4x16x2xf32>, memref<4x16x2xi8>) outs(%w : memref<64x16x2xf32>) {
  ^bb0(%in: i8, %sh: i8, %sc: f32, %zp: i8, %out: f32):
    %big = arith.cmpi uge, %sh, %c8 : i8
    %amount = arith.select %big, %c0, %sh : i8
    %shifted = arith.shrui %in, %amount : i8
    %guarded = arith.select %big, %c0, %shifted : i8
    %q = arith.andi %guarded, %c15 : i8
    %qf = arith.uitofp %q : i8 to f32
    %zf = arith.uitofp %zp : i8 to f32
    %d = arith.subf %qf, %zf : f32
    %v = arith.mulf %d, %sc : f32
    linalg.yield %v : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %view : memref<8x64xf32>, memref<64x32xf32>) outs(%y0 : memref<8x32xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %m = arith.mulf %in, %in_1 : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#bytes, #shift, #group, #group, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b1, %shifts, %s1, %z1 : memref<64x16x1xi8>, memref<2xi8>, memref<4x16x2xf32>, memref<4x16x2xi8>) outs(%w : memref<64x16x2xf32>) {
  ^bb0(%in: i8, %sh: i8, %sc: f32, %zp: i8, %out: f32):
    %big = arith.cmpi uge, %sh, %c8 : i8
    %amount = arith.select %big, %c0, %sh : i8
    %shifted = arith.shrui %in, %amount : i8
    %guarded = arith.select %big, %c0, %shifted : i8
    %q = arith.andi %guarded, %c15 : i8
    %qf = arith.uitofp %q : i8 to f32
    %zf = arith.uitofp %zp : i8 to f32
    %d = arith.subf %qf, %zf : f32
    %v = arith.mulf %d, %sc : f32
    linalg.yield %v : f32
  }
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %view : memref<8x64xf32>, memref<64x32xf32>) outs(%y1 : memref<8x32xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %m = arith.mulf %in, %in_1 : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  }
  memref.dealloc %w : memref<64x16x2xf32>
  return
}

// -----

// The dequantized weights are read again after the MatMul (copied out):
// the call still takes the constants, but the dequantization stays.
// CHECK-LABEL: func.func @weights_read_again
// CHECK: linalg.generic
// CHECK: call @qc_kernel_matmul_w4_f32
// CHECK: memref.copy
#bytes = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#shift = affine_map<(d0, d1, d2) -> (d2)>
#group = affine_map<(d0, d1, d2) -> (d0 floordiv 16, d1, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
memref.global "private" constant @shifts : memref<2xi8> = dense<[0, 4]>
memref.global "private" constant @bytes0 : memref<64x16x1xi8> = dense<17>
memref.global "private" constant @scales0 : memref<4x16x2xf32> = dense<0.5>
memref.global "private" constant @zeros0 : memref<4x16x2xi8> = dense<8>
func.func @weights_read_again(%x: memref<8x64xf32>, %y0: memref<8x32xf32>, %copy: memref<64x32xf32>) {
  %c15 = arith.constant 15 : i8
  %shifts = memref.get_global @shifts : memref<2xi8>
  %b0 = memref.get_global @bytes0 : memref<64x16x1xi8>
  %s0 = memref.get_global @scales0 : memref<4x16x2xf32>
  %z0 = memref.get_global @zeros0 : memref<4x16x2xi8>
  %w = memref.alloc() {alignment = 64 : i64} : memref<64x16x2xf32>
  linalg.generic {indexing_maps = [#bytes, #shift, #group, #group, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b0, %shifts, %s0, %z0 : memref<64x16x1xi8>, memref<2xi8>, memref<4x16x2xf32>, memref<4x16x2xi8>) outs(%w : memref<64x16x2xf32>) {
  ^bb0(%in: i8, %sh: i8, %sc: f32, %zp: i8, %out: f32):
    %shifted = arith.shrui %in, %sh : i8
    %q = arith.andi %shifted, %c15 : i8
    %qf = arith.uitofp %q : i8 to f32
    %zf = arith.uitofp %zp : i8 to f32
    %d = arith.subf %qf, %zf : f32
    %v = arith.mulf %sc, %d : f32
    linalg.yield %v : f32
  }
  %view = memref.collapse_shape %w [[0], [1, 2]] : memref<64x16x2xf32> into memref<64x32xf32>
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %view : memref<8x64xf32>, memref<64x32xf32>) outs(%y0 : memref<8x32xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %m = arith.mulf %in, %in_1 : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  }
  memref.copy %view, %copy : memref<64x32xf32> to memref<64x32xf32>
  return
}

// -----

// Shifts of 4 and 0 put the halves the other way round from the layout the
// kernel reads: a plain float GEMM on the dequantized buffer.
// CHECK-LABEL: func.func @other_halves
// CHECK: linalg.generic
// CHECK: call @qc_kernel_matmul_f32
// CHECK-NOT: qc_kernel_matmul_w4_f32
#bytes = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#shift = affine_map<(d0, d1, d2) -> (d2)>
#group = affine_map<(d0, d1, d2) -> (d0 floordiv 16, d1, d2)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
memref.global "private" constant @shifts : memref<2xi8> = dense<[4, 0]>
memref.global "private" constant @bytes0 : memref<64x16x1xi8> = dense<17>
memref.global "private" constant @scales0 : memref<4x16x2xf32> = dense<0.5>
memref.global "private" constant @zeros0 : memref<4x16x2xi8> = dense<8>
func.func @other_halves(%x: memref<8x64xf32>, %y0: memref<8x32xf32>) {
  %c15 = arith.constant 15 : i8
  %shifts = memref.get_global @shifts : memref<2xi8>
  %b0 = memref.get_global @bytes0 : memref<64x16x1xi8>
  %s0 = memref.get_global @scales0 : memref<4x16x2xf32>
  %z0 = memref.get_global @zeros0 : memref<4x16x2xi8>
  %w = memref.alloc() {alignment = 64 : i64} : memref<64x16x2xf32>
  linalg.generic {indexing_maps = [#bytes, #shift, #group, #group, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%b0, %shifts, %s0, %z0 : memref<64x16x1xi8>, memref<2xi8>, memref<4x16x2xf32>, memref<4x16x2xi8>) outs(%w : memref<64x16x2xf32>) {
  ^bb0(%in: i8, %sh: i8, %sc: f32, %zp: i8, %out: f32):
    %shifted = arith.shrui %in, %sh : i8
    %q = arith.andi %shifted, %c15 : i8
    %qf = arith.uitofp %q : i8 to f32
    %zf = arith.uitofp %zp : i8 to f32
    %d = arith.subf %qf, %zf : f32
    %v = arith.mulf %d, %sc : f32
    linalg.yield %v : f32
  }
  %view = memref.collapse_shape %w [[0], [1, 2]] : memref<64x16x2xf32> into memref<64x32xf32>
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %view : memref<8x64xf32>, memref<64x32xf32>) outs(%y0 : memref<8x32xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %m = arith.mulf %in, %in_1 : f32
    %s = arith.addf %out, %m : f32
    linalg.yield %s : f32
  }
  return
}
