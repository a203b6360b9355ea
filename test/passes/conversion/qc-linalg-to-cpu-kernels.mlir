// RUN: quantc-opt --qc-linalg-to-cpu-kernels --split-input-file %s | FileCheck %s

// A batched contraction: one call of the batched kernel, with [batch, M,
// K], [batch, K, N] and [batch, M, N] views; the declaration takes fully
// dynamic strided memrefs through the C interface, and an i64 flag: 0,
// C is added to (nothing here says what it held).
#mk = affine_map<(b, m, n, k) -> (b, m, k)>
#kn = affine_map<(b, m, n, k) -> (b, k, n)>
#mn = affine_map<(b, m, n, k) -> (b, m, n)>
// CHECK: func.func private @qc_kernel_batch_matmul_f32(memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @batch_matmul
// CHECK-NOT: scf.for
// CHECK: call @qc_kernel_batch_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c0_i64)
// CHECK-NOT: linalg.generic
func.func @batch_matmul(%a: memref<2x8x16xf32>, %b: memref<2x16x4xf32>, %c: memref<2x8x4xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x8x16xf32>, memref<2x16x4xf32>) outs(%c : memref<2x8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Attention's scores, Q [1, H, S, D] x K [1, H, S, D] as (b, h, s, t, d):
// the heads are the batched call's batch (K transposed to [H, D, T] by a
// view), the outer batch dim a loop.
#q = affine_map<(b, h, s, t, d) -> (b, h, s, d)>
#k = affine_map<(b, h, s, t, d) -> (b, h, t, d)>
#o = affine_map<(b, h, s, t, d) -> (b, h, s, t)>
// CHECK-LABEL: func.func @attention_scores
// CHECK: scf.for %[[B:.*]] =
// CHECK:   memref.subview %arg0[%[[B]], 0, 0, 0] [1, 3, 5, 4]
// CHECK:   %[[KS:.*]] = memref.subview %arg1[%[[B]], 0, 0, 0] [1, 3, 6, 4]
// CHECK:   memref.transpose %[[KS]] (d0, d1, d2) -> (d0, d2, d1)
// CHECK:   call @qc_kernel_batch_matmul_f32
func.func @attention_scores(%q: memref<1x3x5x4xf32>, %k: memref<1x3x6x4xf32>, %o: memref<1x3x5x6xf32>) {
  linalg.generic {indexing_maps = [#q, #k, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<1x3x5x4xf32>, memref<1x3x6x4xf32>) outs(%o : memref<1x3x5x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A MatMul of [S, 1, K] by a matrix (ViT's attention input, sequence first):
// of the two M dims, S is the GEMM's M, and the unit one a loop of one
// iteration, not S GEMMs of one row each.
#a3 = affine_map<(s, b, n, k) -> (s, b, k)>
#w2 = affine_map<(s, b, n, k) -> (k, n)>
#c3 = affine_map<(s, b, n, k) -> (s, b, n)>
// CHECK-LABEL: func.func @sequence_first
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[C1]]
// CHECK:   memref.subview %arg0[0, %[[I]], 0] [7, 1, 16] [1, 1, 1] : memref<7x1x16xf32> to memref<7x16xf32, strided<[16, 1]{{.*}}>>
// CHECK:   memref.subview %arg2[0, %[[I]], 0] [7, 1, 4] [1, 1, 1] : memref<7x1x4xf32> to memref<7x4xf32, strided<[4, 1]{{.*}}>>
// CHECK:   call @qc_kernel_matmul_f32
func.func @sequence_first(%a: memref<7x1x16xf32>, %w: memref<16x4xf32>, %c: memref<7x1x4xf32>) {
  linalg.generic {indexing_maps = [#a3, #w2, #c3], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %w : memref<7x1x16xf32>, memref<16x4xf32>) outs(%c : memref<7x1x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Gemm with transB (B indexed (n, k)): B is passed as a transposed view, no
// copy. A 2-D contraction needs no loop.
#mk = affine_map<(m, n, k) -> (m, k)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK-NOT: scf.for
// CHECK: %[[T:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<4x16xf32> to memref<16x4xf32, strided<[1, 16]>>
// CHECK: %[[BT:.*]] = memref.cast %[[T]]
// CHECK: call @qc_kernel_matmul_f32(%{{.*}}, %[[BT]], %{{.*}})
func.func @gemm_trans_b(%a: memref<8x16xf32>, %b: memref<4x16xf32>, %c: memref<8x4xf32>) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x16xf32>, memref<4x16xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A weight shared by the batch (MatMul [1,128,384] x [384,384]): the batch
// dim is an M dim to the contraction analysis; the innermost M dim is the
// GEMM's, the outer one a loop. Run-time sizes come from memref.dim.
#mk = affine_map<(b, m, n, k) -> (b, m, k)>
#kn = affine_map<(b, m, n, k) -> (k, n)>
#mn = affine_map<(b, m, n, k) -> (b, m, n)>
// CHECK-LABEL: func.func @shared_weight
// CHECK: %[[D:.*]] = memref.dim %arg2, %c0
// CHECK: scf.for %[[B:.*]] = %{{.*}} to %[[D]]
// CHECK:   memref.subview %arg0[%[[B]], 0, 0] [1, %{{.*}}, 384]
// CHECK-NOT: memref.subview %arg1
// CHECK:   call @qc_kernel_matmul_f32
func.func @shared_weight(%a: memref<?x?x384xf32>, %b: memref<384x384xf32>, %c: memref<?x?x384xf32>) {
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<?x?x384xf32>, memref<384x384xf32>) outs(%c : memref<?x?x384xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// The output's innermost dim comes from the first input (a ConvTranspose
// tap, Y[m, p] = sum_c X[c, p] * W[c, m]): the operands are swapped, so that
// the GEMM's A is W transposed and C = Y keeps its contiguous rows.
#cp = affine_map<(m, p, c) -> (c, p)>
#cm = affine_map<(m, p, c) -> (c, m)>
#mp = affine_map<(m, p, c) -> (m, p)>
// CHECK-LABEL: func.func @swapped_operands
// CHECK: %[[WT:.*]] = memref.transpose %arg1 (d0, d1) -> (d1, d0) : memref<4x3xf32> to memref<3x4xf32, strided<[1, 3]>>
// CHECK: %[[A:.*]] = memref.cast %[[WT]]
// CHECK: %[[B:.*]] = memref.cast %arg0
// CHECK: %[[C:.*]] = memref.cast %arg2
// CHECK: call @qc_kernel_matmul_f32(%[[A]], %[[B]], %[[C]], %c0_i64)
func.func @swapped_operands(%x: memref<4x30xf32>, %w: memref<4x3xf32>, %y: memref<3x30xf32>) {
  linalg.generic {indexing_maps = [#cp, #cm, #mp], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%x, %w : memref<4x30xf32>, memref<4x3xf32>) outs(%y : memref<3x30xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// An output only filled with zeros before: the kernel writes it from zeros
// (flag 1) and the fill goes. One filled with another value is added to.
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @zeroed_output
// CHECK-NOT: linalg.fill
// CHECK: call @qc_kernel_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c1_i64)
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg3
// CHECK: call @qc_kernel_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c0_i64)
func.func @zeroed_output(%a: memref<8x16xf32>, %b: memref<16x4xf32>, %c: memref<8x4xf32>, %d: memref<8x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<8x4xf32>)
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>) outs(%c : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.fill ins(%one : f32) outs(%d : memref<8x4xf32>)
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<8x16xf32>, memref<16x4xf32>) outs(%d : memref<8x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// One zero tensor shared by two attention products, as bufferization
// leaves it: filled once, copied into the first product's output, then
// written in place by the second. Both calls write from zeros, and the
// copy and then the fill go.
#q = affine_map<(h, s, t, d) -> (h, s, d)>
#k = affine_map<(h, s, t, d) -> (h, t, d)>
#o = affine_map<(h, s, t, d) -> (h, s, t)>
// CHECK-LABEL: func.func @shared_zeros
// CHECK-NOT: linalg.fill
// CHECK-NOT: memref.copy
// CHECK: call @qc_kernel_batch_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c1_i64)
// CHECK: call @qc_kernel_batch_matmul_f32(%{{.*}}, %{{.*}}, %{{.*}}, %c1_i64)
func.func @shared_zeros(%q: memref<3x5x4xf32>, %k: memref<3x6x4xf32>) -> (memref<3x5x6xf32>, memref<3x5x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %zeros = memref.alloc() : memref<3x5x6xf32>
  linalg.fill ins(%zero : f32) outs(%zeros : memref<3x5x6xf32>)
  %first = memref.alloc() : memref<3x5x6xf32>
  memref.copy %zeros, %first : memref<3x5x6xf32> to memref<3x5x6xf32>
  linalg.generic {indexing_maps = [#q, #k, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<3x5x4xf32>, memref<3x6x4xf32>) outs(%first : memref<3x5x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#q, #k, #o], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%q, %k : memref<3x5x4xf32>, memref<3x6x4xf32>) outs(%zeros : memref<3x5x6xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return %first, %zeros : memref<3x5x6xf32>, memref<3x5x6xf32>
}

// -----

// Left alone: integer contractions, matrix-vector products (no N dim) and
// broadcast batch indices (a constant in a map).
// CHECK-LABEL: func.func @left_alone
// CHECK-NOT: call
// CHECK: linalg.matmul
// CHECK: linalg.matvec
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @left_alone(%ai: memref<4x4xi32>, %ci: memref<4x4xi32>, %a: memref<4x4xf32>,
                      %v: memref<4xf32>, %w: memref<4xf32>, %a3: memref<2x4x4xf32>,
                      %b3: memref<1x4x4xf32>, %c3: memref<2x4x4xf32>) {
  linalg.matmul ins(%ai, %ai : memref<4x4xi32>, memref<4x4xi32>) outs(%ci : memref<4x4xi32>)
  linalg.matvec ins(%a, %v : memref<4x4xf32>, memref<4xf32>) outs(%w : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (0, k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a3, %b3 : memref<2x4x4xf32>, memref<1x4x4xf32>) outs(%c3 : memref<2x4x4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// Convolutions: one call with strides then dilations; grouped, one call per
// group on NCHW / FCHW views of the group. Without a bias broadcast before
// it, the bias argument is empty (the kernel adds to the output's init),
// and so is the clamp argument.
// CHECK: func.func private @qc_kernel_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : i64
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[NB:.*]], %[[NC:.*]], %[[C2]], %[[C2]], %[[C1]], %[[C1]])
func.func @conv(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  return
}

// CHECK-LABEL: func.func @grouped_conv
// CHECK: %[[G:.*]] = arith.constant 2 : index
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %[[G]]
// CHECK:   memref.subview %arg0[0, %[[I]], 0, 0, 0] [1, 1, 3, 9, 9]
// CHECK:   memref.subview %arg1[%[[I]], 0, 0, 0, 0] [1, 4, 3, 3, 3]
// CHECK:   memref.subview %arg2[0, %[[I]], 0, 0, 0] [1, 1, 4, 7, 7]
// CHECK:   call @qc_kernel_conv2d_nchw_f32
func.func @grouped_conv(%x: memref<1x2x3x9x9xf32>, %w: memref<2x4x3x3x3xf32>, %y: memref<1x2x4x7x7xf32>) {
  linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x2x3x9x9xf32>, memref<2x4x3x3x3xf32>) outs(%y : memref<1x2x4x7x7xf32>)
  return
}

// -----

// The bias broadcast that initializes a convolution's output (what
// bufferization makes of Conv's bias) goes into the call, which writes the
// output itself: the broadcast is gone. Constants and views between the two
// do not stop it; an op that touches memory does (the second conv keeps its
// broadcast and gets an empty bias).
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_bias
// CHECK-NOT: linalg.generic
// CHECK: %[[B:.*]] = memref.cast %arg2 : memref<8xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %[[B]],
// CHECK: linalg.generic
// CHECK: memref.copy
// CHECK: memref.alloca() : memref<0xf32>
// CHECK: call @qc_kernel_conv2d_nchw_f32
func.func @conv_bias(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                     %y: memref<1x8x4x4xf32>, %z: memref<1x8x4x4xf32>, %other: memref<1x8x4x4xf32>) {
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  %c0 = arith.constant 0 : index
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  memref.copy %z, %other : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%z : memref<1x8x4x4xf32>)
  return
}

// -----

// A Relu6 right after a biased convolution, from its output (a buffer
// nothing else reads) into a row-major one: the kernel writes the clamped
// values there; the Clip, the convolution's own buffer and its dealloc are
// gone. The bounds are a constant global, one per pair of bounds.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK: memref.global "private" constant @[[CL:__qc_clamp.*]] : memref<2xf32> = dense<[0.000000e+00, 6.000000e+00]>
// CHECK-LABEL: func.func @conv_relu6
// CHECK-NOT: memref.alloc()
// CHECK: %[[B:.*]] = memref.get_global @[[CL]]
// CHECK: %[[BC:.*]] = memref.cast %[[B]]
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BC]],
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @conv_relu6(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>, %z: memref<1x8x4x4xf32>) {
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.maximumf %in, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  }
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// A Relu written in place of the convolution's output (bufferization reuses
// the buffer): the kernel clamps its final values, with or without a bias
// (here the output's init is a zero fill it adds to).
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_relu_in_place
// CHECK: linalg.fill
// CHECK: %[[B:.*]] = memref.get_global @__qc_clamp
// CHECK: %[[BC:.*]] = memref.cast %[[B]]
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[BC]],
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @conv_relu_in_place(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %y: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Not fused: a Relu after a convolution without a bias (the kernel adds to
// the init in its own buffer), and one whose input is read again later.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_relu_left
// CHECK: call @qc_kernel_conv2d_nchw_f32
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: call @qc_kernel_conv2d_nchw_f32
// CHECK: linalg.generic
// CHECK: arith.maximumf
// CHECK: memref.copy
func.func @conv_relu_left(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                          %z: memref<1x8x4x4xf32>, %other: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x4x4xf32>)
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  %y2 = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y2 : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y2 : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y2 : memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  }
  memref.copy %y2, %other : memref<1x8x4x4xf32> to memref<1x8x4x4xf32>
  return
}

// -----

// A Relu6 that writes the interior of the next convolution's padded input,
// with that buffer's zero fill between: the kernel stores the clamped
// values into the interior itself, after the fill, which now zeroes only
// the border (the rows above and below, the columns left and right). The
// convolution's own buffer is given to a later convolution by
// bufferization (its bias broadcast overwrites it first), so it and its
// dealloc stay.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_relu6_into_padding
// CHECK: %[[Y:.*]] = memref.alloc() : memref<1x8x4x4xf32>
// CHECK: %[[P:.*]] = memref.alloc() : memref<1x8x6x6xf32>
// CHECK-NOT: linalg.fill ins(%{{.*}} : f32) outs(%[[P]] :
// CHECK: %[[TOP:.*]] = memref.subview %[[P]][0, 0, 0, 0] [1, 8, 1, 6] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]]
// CHECK: %[[BOTTOM:.*]] = memref.subview %[[P]][0, 0, 5, 0] [1, 8, 1, 6] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[BOTTOM]]
// CHECK: %[[LEFT:.*]] = memref.subview %[[P]][0, 0, 1, 0] [1, 8, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[LEFT]]
// CHECK: %[[RIGHT:.*]] = memref.subview %[[P]][0, 0, 1, 5] [1, 8, 4, 1] [1, 1, 1, 1]
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%[[RIGHT]]
// CHECK-NOT: linalg.fill
// CHECK: %[[IN:.*]] = memref.subview %[[P]][0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1]
// CHECK: %[[INC:.*]] = memref.cast %[[IN]]
// CHECK: %[[B:.*]] = memref.get_global @__qc_clamp
// CHECK: %[[BC:.*]] = memref.cast %[[B]]
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[INC]], %{{.*}}, %[[BC]],
// CHECK-NOT: arith.maximumf
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}},
// CHECK: memref.dealloc %[[Y]]
func.func @conv_relu6_into_padding(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                                   %w2: memref<8x8x3x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  %p = memref.alloc() : memref<1x8x6x6xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x8x6x6xf32>)
  %interior = memref.subview %p[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1]
      : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%interior : memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>) {
  ^bb0(%in: f32, %out: f32):
    %lo = arith.maximumf %in, %zero : f32
    %hi = arith.minimumf %lo, %six : f32
    linalg.yield %hi : f32
  }
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%p, %w2 : memref<1x8x6x6xf32>, memref<8x8x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  memref.dealloc %p : memref<1x8x6x6xf32>
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// Not fused into the padded interior: the convolution's output is read
// again after the copy (by the add), so the kernel must write it.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_copy_into_padding_left
// CHECK: call @qc_kernel_conv2d_nchw_f32
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK: linalg.yield %in
// CHECK: arith.addf
func.func @conv_copy_into_padding_left(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                                       %sum: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  %p = memref.alloc() : memref<1x8x6x6xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x8x6x6xf32>)
  %interior = memref.subview %p[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1]
      : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%interior : memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x8x4x4xf32>) outs(%sum : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  memref.dealloc %p : memref<1x8x6x6xf32>
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// A residual add (and the Relu after it) after a convolution with a bias:
// one call of the conv-and-add kernel that writes the sum into the add's
// buffer, reading the addend %r (either operand order); the convolution's
// own buffer and the add are gone.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK: func.func private @qc_kernel_conv2d_nchw_add_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @conv_add_relu
// CHECK-SAME: (%[[X:.*]]: memref<1x3x9x9xf32>, %[[W:.*]]: memref<8x3x3x3xf32>, %[[B:.*]]: memref<8xf32>, %[[R:.*]]: memref<1x8x4x4xf32>, %[[Z:.*]]: memref<1x8x4x4xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: linalg.generic
// CHECK-DAG: %[[ZC:.*]] = memref.cast %[[Z]]
// CHECK-DAG: %[[RC:.*]] = memref.cast %[[R]]
// CHECK-DAG: %[[BC:.*]] = memref.cast %[[B]]
// CHECK-DAG: %[[CLAMP:.*]] = memref.get_global @__qc_clamp
// CHECK-DAG: %[[CC:.*]] = memref.cast %[[CLAMP]]
// CHECK: call @qc_kernel_conv2d_nchw_add_f32(%{{.*}}, %{{.*}}, %[[ZC]], %[[RC]], %[[BC]], %[[CC]],
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @conv_add_relu(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                         %r: memref<1x8x4x4xf32>, %z: memref<1x8x4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%r, %y : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in, %in_1 : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  }
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// The add written into the addend's own buffer (bufferization's in-place
// choice): the kernel reads each addend value before it writes the sum
// there. No clamp.
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_add_into_addend
// CHECK-SAME: %[[R:[a-z0-9]+]]: memref<1x8x4x4xf32>)
// CHECK-NOT: linalg.generic
// CHECK: %[[OUT:.*]] = memref.cast %[[R]]
// CHECK: %[[ADD:.*]] = memref.cast %[[R]]
// CHECK: %[[NONE:.*]] = memref.alloca() : memref<0xf32>
// CHECK: %[[NC:.*]] = memref.cast %[[NONE]]
// CHECK: call @qc_kernel_conv2d_nchw_add_f32(%{{.*}}, %{{.*}}, %[[OUT]], %[[ADD]], %{{.*}}, %[[NC]],
// CHECK-NOT: linalg.generic
func.func @conv_add_into_addend(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                                %r: memref<1x8x4x4xf32>) {
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %r : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%r : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in, %in_1 : f32
    linalg.yield %s : f32
  }
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// Left as they are: an addend laid out unlike the sum (a view into a
// wider buffer: one offset would not find an element in both), and a
// depthwise convolution (its kernel adds no residual).
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @conv_add_left
// CHECK: call @qc_kernel_conv2d_nchw_f32(
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: call @qc_kernel_depthwise_conv2d_nchw_f32(
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK-NOT: qc_kernel_conv2d_nchw_add_f32
func.func @conv_add_left(%x: memref<1x3x9x9xf32>, %w: memref<8x3x3x3xf32>, %b: memref<8xf32>,
                         %wide: memref<1x8x6x6xf32>, %z: memref<1x8x4x4xf32>,
                         %xd: memref<1x8x6x6xf32>, %wd: memref<8x3x3xf32>) {
  %r = memref.subview %wide[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1]
      : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  %y = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : memref<1x3x9x9xf32>, memref<8x3x3x3xf32>) outs(%y : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %r : memref<1x8x4x4xf32>, memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>)
      outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in, %in_1 : f32
    linalg.yield %s : f32
  }
  %yd = memref.alloc() : memref<1x8x4x4xf32>
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%yd : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xd, %wd : memref<1x8x6x6xf32>, memref<8x3x3xf32>) outs(%yd : memref<1x8x4x4xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%yd, %z : memref<1x8x4x4xf32>, memref<1x8x4x4xf32>) outs(%z : memref<1x8x4x4xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %s = arith.addf %in, %in_1 : f32
    linalg.yield %s : f32
  }
  memref.dealloc %yd : memref<1x8x4x4xf32>
  memref.dealloc %y : memref<1x8x4x4xf32>
  return
}

// -----

// Depthwise: its own direct kernel, weights [C, KH, KW], and the bias and
// clamp arguments too; after the strides and dilations, the padding above
// and left of x that the kernel reads implicitly: none, x holds it.
// CHECK: func.func private @qc_kernel_depthwise_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: call @qc_kernel_depthwise_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]], %[[ZERO]])
// CHECK-NOT: linalg.depthwise
#bias = affine_map<(n, c, h, w) -> (c)>
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @depthwise(%x: memref<1x8x9x9xf32>, %w: memref<8x3x3xf32>, %b: memref<8xf32>, %y: memref<1x8x7x7xf32>) {
  linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<8xf32>) outs(%y : memref<1x8x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : memref<1x8x9x9xf32>, memref<8x3x3xf32>) outs(%y : memref<1x8x7x7xf32>)
  return
}

// -----

// The int8 contraction of MatMulInteger (uint8 A with one zero point, int8
// B with one per column): one call of the int8 GEMM, the 0-d zero point
// copied into a 1-element buffer, the signedness as two flags (1: A
// unsigned, 0: B signed), then overwrite 0: C holds what the caller gave.
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#za = affine_map<(m, n, k) -> ()>
#zb = affine_map<(m, n, k) -> (n)>
#c8 = affine_map<(m, n, k) -> (m, n)>
// CHECK: func.func private @qc_kernel_matmul_i8_i32(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?x?xi32, strided<[?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, i64, i64, i64)
// CHECK-LABEL: func.func @int8_matmul
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: %[[ZA:.*]] = memref.alloca() : memref<1xi8>
// CHECK: memref.load %arg2[]
// CHECK: memref.store {{.*}}, %[[ZA]]
// CHECK: call @qc_kernel_matmul_i8_i32({{.*}}, %[[ONE]], %[[ZERO]], %[[ZERO]])
// CHECK-NOT: linalg.generic
func.func @int8_matmul(%a: memref<4x8xi8>, %b: memref<8x16xi8>, %azp: memref<i8>, %bzp: memref<16xi8>, %c: memref<4x16xi32>) {
  linalg.generic {indexing_maps = [#a8, #b8, #za, #zb, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %azp, %bzp : memref<4x8xi8>, memref<8x16xi8>, memref<i8>, memref<16xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %zx: i8, %zy: i8, %acc: i32):
    %x32 = arith.extui %x : i8 to i32
    %zx32 = arith.extui %zx : i8 to i32
    %xd = arith.subi %x32, %zx32 : i32
    %y32 = arith.extsi %y : i8 to i32
    %zy32 = arith.extsi %zy : i8 to i32
    %yd = arith.subi %y32, %zy32 : i32
    %p = arith.muli %xd, %yd : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// A constant zero point, which the canonicalizer moves into the body (an
// i32 constant subtracted): stored into a one-byte buffer for the kernel,
// 200 as the byte -56. One out of its operand's range stays in the loops.
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#c8 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @int8_constant_zero_point
// CHECK: %[[V:.*]] = arith.constant -56 : i8
// CHECK: %[[ZA:.*]] = memref.alloca() : memref<1xi8>
// CHECK: memref.store %[[V]], %[[ZA]]
// CHECK: %[[ZAC:.*]] = memref.cast %[[ZA]]
// CHECK: call @qc_kernel_matmul_i8_i32(%{{.*}}, %{{.*}}, %{{.*}}, %[[ZAC]],
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @int8_constant_zero_point(%a: memref<4x8xi8>, %b: memref<8x16xi8>, %c: memref<4x16xi32>) {
  linalg.generic {indexing_maps = [#a8, #b8, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xi8>, memref<8x16xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %zx = arith.constant 200 : i32
    %x32 = arith.extui %x : i8 to i32
    %xd = arith.subi %x32, %zx : i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %xd, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#a8, #b8, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xi8>, memref<8x16xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %zx = arith.constant 300 : i32
    %x32 = arith.extui %x : i8 to i32
    %xd = arith.subi %x32, %zx : i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %xd, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// Not the int8 form: a zero point extended with the other signedness than
// its operand; left for the loops.
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#za = affine_map<(m, n, k) -> ()>
#c8 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @int8_mixed_zero_point
// CHECK-NOT: call
// CHECK: linalg.generic
func.func @int8_mixed_zero_point(%a: memref<4x8xi8>, %b: memref<8x16xi8>, %azp: memref<i8>, %c: memref<4x16xi32>) {
  linalg.generic {indexing_maps = [#a8, #b8, #za, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %azp : memref<4x8xi8>, memref<8x16xi8>, memref<i8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %zx: i8, %acc: i32):
    %x32 = arith.extui %x : i8 to i32
    %zx32 = arith.extsi %zx : i8 to i32
    %xd = arith.subi %x32, %zx32 : i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %xd, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// The windowed int8 convolution of ConvInteger (uint8 x with one zero
// point, int8 w with one per filter, stride 2 and dilation 1 read from the
// window map): one call of the int8 convolution. The zero fill before it is
// dropped: the kernel writes y itself (overwrite 1) from zeros (an empty
// bias).
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#one8 = affine_map<(n, f, oh, ow, c, kh, kw) -> ()>
#perf8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
// CHECK: func.func private @qc_kernel_conv2d_nchw_i8_i32(memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xi32, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @int8_conv
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : i64
// CHECK: %[[NOBIAS:.*]] = memref.cast %{{.*}} : memref<0xi32> to memref<?xi32, strided<[?], offset: ?>>
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(%{{.*}}, %{{.*}}, %{{.*}}, %[[NOBIAS]], %{{.*}}, %{{.*}}, %[[ONE]], %[[ZERO]], %[[ONE]], %[[TWO]], %[[TWO]], %[[ONE]], %[[ONE]])
// CHECK-NOT: linalg.generic
func.func @int8_conv(%x: memref<2x3x9x9xi8>, %w: memref<4x3x3x3xi8>, %xzp: memref<i8>, %wzp: memref<4xi8>, %y: memref<2x4x4x4xi32>) {
  %c0 = arith.constant 0 : i32
  linalg.fill ins(%c0 : i32) outs(%y : memref<2x4x4x4xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #one8, #perf8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w, %xzp, %wzp : memref<2x3x9x9xi8>, memref<4x3x3x3xi8>, memref<i8>, memref<4xi8>) outs(%y : memref<2x4x4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %za: i8, %zb: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %za32 = arith.extui %za : i8 to i32
    %ad = arith.subi %a32, %za32 : i32
    %b32 = arith.extsi %b : i8 to i32
    %zb32 = arith.extsi %zb : i8 to i32
    %bd = arith.subi %b32, %zb32 : i32
    %p = arith.muli %ad, %bd : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// QLinearConv's int32 bias broadcast along the filters: taken into the
// call (the kernel starts each filter's sums from it; overwrite 1) and the
// broadcast dropped; stride 1, dilation 3 (kh * 3).
#bias8 = affine_map<(n, f, h, w) -> (f)>
#id8 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#xd8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh * 3, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
// CHECK-LABEL: func.func @int8_conv_bias
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i64
// CHECK: %[[BIAS:.*]] = memref.cast %arg2 : memref<4xi32> to memref<?xi32, strided<[?], offset: ?>>
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(%{{.*}}, %{{.*}}, %{{.*}}, %[[BIAS]], %{{.*}}, %{{.*}}, %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[ONE]], %[[THREE]], %[[ONE]])
// CHECK-NOT: linalg.generic
func.func @int8_conv_bias(%x: memref<1x2x9x5xi8>, %w: memref<4x2x3x3xi8>, %b: memref<4xi32>, %y: memref<1x4x3x3xi32>) {
  linalg.generic {indexing_maps = [#bias8, #id8], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%b : memref<4xi32>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%in: i32, %out: i32):
    linalg.yield %in : i32
  }
  linalg.generic {indexing_maps = [#xd8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x9x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extui %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// y holds something else before (a copy from an argument): the kernel adds
// to it (overwrite 0). A transposed filter (not its bytes in a row, as the
// kernel reads them) is left to the loops.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
// CHECK-LABEL: func.func @int8_conv_accumulates
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: memref.copy
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ZERO]],
// CHECK: linalg.generic
// CHECK-NOT: call
func.func @int8_conv_accumulates(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %wt: memref<4x2x3x3xi8, strided<[1, 4, 24, 8]>>, %init: memref<1x4x3x3xi32>, %y: memref<1x4x3x3xi32>) {
  memref.copy %init, %y : memref<1x4x3x3xi32> to memref<1x4x3x3xi32>
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %wt : memref<1x2x5x5xi8>, memref<4x2x3x3xi8, strided<[1, 4, 24, 8]>>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// y copied from a buffer that nothing but one fill of 0 writes (the zeros
// bufferization shares among convolutions): the copy is dropped and the
// kernel writes y (overwrite 1); the shared zeros stay for their other
// reader.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
// CHECK-LABEL: func.func @int8_conv_copied_zeros
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: linalg.fill
// CHECK-NEXT: memref.copy %{{.*}}, %arg3
// CHECK-NOT: memref.copy
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]],
func.func @int8_conv_copied_zeros(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %y: memref<1x4x3x3xi32>, %other: memref<1x4x3x3xi32>) {
  %c0 = arith.constant 0 : i32
  %zeros = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%zeros : memref<1x4x3x3xi32>)
  memref.copy %zeros, %other : memref<1x4x3x3xi32> to memref<1x4x3x3xi32>
  memref.copy %zeros, %y : memref<1x4x3x3xi32> to memref<1x4x3x3xi32>
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  memref.dealloc %zeros : memref<1x4x3x3xi32>
  return
}

// -----

// The requantization static int8 puts after a convolution (y's only
// reader: times the per-filter scale, plus the per-filter bias, a Relu,
// then QuantizeLinear into the interior of the next convolution's padded
// input, made after the convolution) is fused into the call: the kernel
// writes the bytes at the requantization's place, with the scale and bias
// as 1-D views and (lo, hi, out scale, out zero point, q min, q max) in a
// stack buffer, and no residual or float output (empty 4-D memrefs); y is
// never stored, so its buffer goes. The padded input's fill (its zero
// point, 7) now writes only the border around the interior.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#chan = affine_map<(n, f, h, w) -> (f, 0, 0)>
// CHECK: func.func private @qc_kernel_conv2d_nchw_i8_epilogue(memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?xi32, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @int8_conv_requantized
// CHECK-NOT: memref.alloc() {{.*}}xi32>
// CHECK: %[[PADDED:.*]] = memref.alloc() : memref<1x4x5x5xi8>
// CHECK-COUNT-4: linalg.fill ins(%c7_i8 : i8) outs(%{{.*}} : memref<1x4x{{1x5|3x1}}xi8
// CHECK-NOT: linalg.fill
// CHECK: %[[INNER:.*]] = memref.subview %[[PADDED]][0, 0, 1, 1] [1, 4, 3, 3] [1, 1, 1, 1]
// CHECK-DAG: %[[Z:.*]] = memref.cast %[[INNER]]
// CHECK-DAG: %[[S:.*]] = memref.collapse_shape %arg2 {{\[\[}}0, 1, 2]] : memref<4x1x1xf32> into memref<4xf32>
// CHECK-DAG: %[[B:.*]] = memref.collapse_shape %arg3 {{\[\[}}0, 1, 2]] : memref<4x1x1xf32> into memref<4xf32>
// CHECK-DAG: %[[PARAMS:.*]] = memref.alloca() : memref<6xf32>
// CHECK-DAG: memref.store %{{.*}}, %[[PARAMS]][%{{.*}}] : memref<6xf32>
// CHECK: %[[NONE1:.*]] = memref.alloca() : memref<0x0x0x0xf32>
// CHECK: %[[NONE1_ANY:.*]] = memref.cast %[[NONE1]]
// CHECK: %[[NONE2:.*]] = memref.alloca() : memref<0x0x0x0xf32>
// CHECK: %[[NONE2_ANY:.*]] = memref.cast %[[NONE2]]
// CHECK: call @qc_kernel_conv2d_nchw_i8_epilogue(%{{.*}}, %{{.*}}, %[[Z]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[NONE1_ANY]], %[[NONE2_ANY]],
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @int8_conv_requantized(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %s: memref<4x1x1xf32>, %b: memref<4x1x1xf32>) -> memref<1x4x5x5xi8> {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %pad = arith.constant 7 : i8
  %zero = arith.constant 0.0 : f32
  %ys = arith.constant 0.05 : f32
  %zp = arith.constant 7.0 : f32
  %qmax = arith.constant 255.0 : f32
  %padded = memref.alloc() : memref<1x4x5x5xi8>
  linalg.fill ins(%pad : i8) outs(%padded : memref<1x4x5x5xi8>)
  %inner = memref.subview %padded[0, 0, 1, 1] [1, 4, 3, 3] [1, 1, 1, 1] : memref<1x4x5x5xi8> to memref<1x4x3x3xi8, strided<[100, 25, 5, 1], offset: 6>>
  linalg.generic {indexing_maps = [#id4, #chan, #chan, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %s, %b : memref<1x4x3x3xi32>, memref<4x1x1xf32>, memref<4x1x1xf32>) outs(%inner : memref<1x4x3x3xi8, strided<[100, 25, 5, 1], offset: 6>>) {
  ^bb0(%in: i32, %scale: f32, %bias: f32, %out: i8):
    %f = arith.sitofp %in : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %v = arith.addf %m, %bias : f32
    %relu = arith.maximumf %v, %zero : f32
    %d = arith.divf %relu, %ys : f32
    %rounded = math.roundeven %d : f32
    %shifted = arith.addf %rounded, %zp : f32
    %lo = arith.maxnumf %shifted, %zero : f32
    %hi = arith.minnumf %lo, %qmax : f32
    %i = arith.fptosi %hi : f32 to i32
    %byte = arith.trunci %i : i32 to i8
    linalg.yield %byte : i8
  }
  memref.dealloc %y : memref<1x4x3x3xi32>
  return %padded : memref<1x4x5x5xi8>
}

// -----

// y read by something else too (here returned): the sums must be stored,
// and the requantization stays a loop.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
// CHECK-LABEL: func.func @int8_conv_sums_read_elsewhere
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(
// CHECK: linalg.generic
func.func @int8_conv_sums_read_elsewhere(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %z: memref<1x4x3x3xi8>) -> memref<1x4x3x3xi32> {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %ys = arith.constant 0.05 : f32
  %zero = arith.constant 0.0 : f32
  %qmax = arith.constant 255.0 : f32
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x4x3x3xi32>) outs(%z : memref<1x4x3x3xi8>) {
  ^bb0(%in: i32, %out: i8):
    %f = arith.sitofp %in : i32 to f32
    %d = arith.divf %f, %ys : f32
    %rounded = math.roundeven %d : f32
    %shifted = arith.addf %rounded, %zero : f32
    %lo = arith.maxnumf %shifted, %zero : f32
    %hi = arith.minnumf %lo, %qmax : f32
    %i = arith.fptosi %hi : f32 to i32
    %byte = arith.trunci %i : i32 to i8
    linalg.yield %byte : i8
  }
  return %y : memref<1x4x3x3xi32>
}

// -----

// A residual block's end, as static int8 leaves ResNet's: the sums
// dequantized (scale, bias), plus the float residual, a Relu, stored in
// place over the residual (kept in float for the next block), then all of
// it quantized by the next generic for the next convolution. The two
// generics fuse into the call as its epilogue: the residual and the float
// output are both %res, the bytes the quantization's buffer; y goes.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#chan = affine_map<(n, f, h, w) -> (f, 0, 0)>
#id1 = affine_map<(i) -> (i)>
// CHECK-LABEL: func.func @int8_conv_residual_then_quantized
// CHECK-NOT: memref.alloc() {{.*}}xi32>
// CHECK: %[[BYTES:.*]] = memref.alloc() : memref<1x4x3x3xi8>
// CHECK: %[[Z:.*]] = memref.cast %[[BYTES]]
// CHECK: %[[RES:.*]] = memref.cast %arg4 : memref<1x4x3x3xf32> to memref<?x?x?x?xf32
// CHECK: %[[OUT:.*]] = memref.cast %arg4 : memref<1x4x3x3xf32> to memref<?x?x?x?xf32
// CHECK: call @qc_kernel_conv2d_nchw_i8_epilogue(%{{.*}}, %{{.*}}, %[[Z]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[RES]], %[[OUT]],
// CHECK-NOT: linalg.generic
// CHECK: return %[[BYTES]]
func.func @int8_conv_residual_then_quantized(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %s: memref<4x1x1xf32>, %b: memref<4x1x1xf32>, %res: memref<1x4x3x3xf32>) -> memref<1x4x3x3xi8> {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id4, #chan, #chan, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %s, %b, %res : memref<1x4x3x3xi32>, memref<4x1x1xf32>, memref<4x1x1xf32>, memref<1x4x3x3xf32>) outs(%res : memref<1x4x3x3xf32>) {
  ^bb0(%in: i32, %scale: f32, %bias: f32, %skip: f32, %out: f32):
    %f = arith.sitofp %in : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %v = arith.addf %m, %bias : f32
    %sum = arith.addf %v, %skip : f32
    %relu = arith.maximumf %sum, %zero : f32
    linalg.yield %relu : f32
  }
  %ys = arith.constant 0.05 : f32
  %qmax = arith.constant 255.0 : f32
  %flat = memref.collapse_shape %res [[0, 1, 2, 3]] : memref<1x4x3x3xf32> into memref<36xf32>
  %bytes = memref.alloc() : memref<1x4x3x3xi8>
  %flatBytes = memref.collapse_shape %bytes [[0, 1, 2, 3]] : memref<1x4x3x3xi8> into memref<36xi8>
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%flat : memref<36xf32>) outs(%flatBytes : memref<36xi8>) {
  ^bb0(%in: f32, %out: i8):
    %d = arith.divf %in, %ys : f32
    %rounded = math.roundeven %d : f32
    %shifted = arith.addf %rounded, %zero : f32
    %lo = arith.maxnumf %shifted, %zero : f32
    %hi = arith.minnumf %lo, %qmax : f32
    %i = arith.fptosi %hi : f32 to i32
    %byte = arith.trunci %i : i32 to i8
    linalg.yield %byte : i8
  }
  memref.dealloc %y : memref<1x4x3x3xi32>
  return %bytes : memref<1x4x3x3xi8>
}

// -----

// Zeros shared by copies, as bufferization leaves one zero tensor that
// several ops start from: y was filled with 0 earlier and since only
// copied from, so at the convolution it still holds zeros and the kernel
// writes it (here through the epilogue). The fill and the copy stay: the
// copy reads the zeros.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
// CHECK-LABEL: func.func @int8_conv_from_shared_zeros
// CHECK: %[[Y:.*]] = memref.alloc() : memref<1x4x3x3xi32>
// CHECK: linalg.fill ins(%{{.*}} : i32) outs(%[[Y]]
// CHECK: memref.copy %[[Y]], %arg2
// CHECK: call @qc_kernel_conv2d_nchw_i8_epilogue(
// CHECK-NOT: linalg.generic
// CHECK: memref.dealloc %[[Y]]
func.func @int8_conv_from_shared_zeros(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %other: memref<1x4x3x3xi32>, %z: memref<1x4x3x3xi8>) {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  memref.copy %y, %other : memref<1x4x3x3xi32> to memref<1x4x3x3xi32>
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %ys = arith.constant 0.05 : f32
  %zero = arith.constant 0.0 : f32
  %qmax = arith.constant 255.0 : f32
  linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y : memref<1x4x3x3xi32>) outs(%z : memref<1x4x3x3xi8>) {
  ^bb0(%in: i32, %out: i8):
    %f = arith.sitofp %in : i32 to f32
    %d = arith.divf %f, %ys : f32
    %rounded = math.roundeven %d : f32
    %shifted = arith.addf %rounded, %zero : f32
    %lo = arith.maxnumf %shifted, %zero : f32
    %hi = arith.minnumf %lo, %qmax : f32
    %i = arith.fptosi %hi : f32 to i32
    %byte = arith.trunci %i : i32 to i8
    linalg.yield %byte : i8
  }
  memref.dealloc %y : memref<1x4x3x3xi32>
  return
}

// -----

// The same block's end with the quantization not right after (a copy
// stands between): the epilogue stores the floats only (empty bytes), and
// the quantizing generic stays.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#chan = affine_map<(n, f, h, w) -> (f, 0, 0)>
#id1 = affine_map<(i) -> (i)>
// CHECK-LABEL: func.func @int8_conv_residual_float_only
// CHECK: %[[NOBYTES:.*]] = memref.alloca() : memref<0x0x0x0xi8>
// CHECK: %[[Z:.*]] = memref.cast %[[NOBYTES]]
// CHECK: %[[RES:.*]] = memref.cast %arg4 : memref<1x4x3x3xf32> to memref<?x?x?x?xf32
// CHECK: %[[OUT:.*]] = memref.cast %arg4 : memref<1x4x3x3xf32> to memref<?x?x?x?xf32
// CHECK: call @qc_kernel_conv2d_nchw_i8_epilogue(%{{.*}}, %{{.*}}, %[[Z]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[RES]], %[[OUT]],
// CHECK: memref.copy
// CHECK: linalg.generic
// CHECK-NOT: linalg.generic
func.func @int8_conv_residual_float_only(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %s: memref<4x1x1xf32>, %b: memref<4x1x1xf32>, %res: memref<1x4x3x3xf32>, %other: memref<1x4x3x3xf32>) -> memref<1x4x3x3xi8> {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id4, #chan, #chan, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %s, %b, %res : memref<1x4x3x3xi32>, memref<4x1x1xf32>, memref<4x1x1xf32>, memref<1x4x3x3xf32>) outs(%res : memref<1x4x3x3xf32>) {
  ^bb0(%in: i32, %scale: f32, %bias: f32, %skip: f32, %out: f32):
    %f = arith.sitofp %in : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %v = arith.addf %m, %bias : f32
    %sum = arith.addf %v, %skip : f32
    %relu = arith.maximumf %sum, %zero : f32
    linalg.yield %relu : f32
  }
  memref.copy %res, %other : memref<1x4x3x3xf32> to memref<1x4x3x3xf32>
  %ys = arith.constant 0.05 : f32
  %qmax = arith.constant 255.0 : f32
  %flat = memref.collapse_shape %res [[0, 1, 2, 3]] : memref<1x4x3x3xf32> into memref<36xf32>
  %bytes = memref.alloc() : memref<1x4x3x3xi8>
  %flatBytes = memref.collapse_shape %bytes [[0, 1, 2, 3]] : memref<1x4x3x3xi8> into memref<36xi8>
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
      ins(%flat : memref<36xf32>) outs(%flatBytes : memref<36xi8>) {
  ^bb0(%in: f32, %out: i8):
    %d = arith.divf %in, %ys : f32
    %rounded = math.roundeven %d : f32
    %shifted = arith.addf %rounded, %zero : f32
    %lo = arith.maxnumf %shifted, %zero : f32
    %hi = arith.minnumf %lo, %qmax : f32
    %i = arith.fptosi %hi : f32 to i32
    %byte = arith.trunci %i : i32 to i8
    linalg.yield %byte : i8
  }
  return %bytes : memref<1x4x3x3xi8>
}

// -----

// A residual whose pixels are not dense (the interior of a padded
// buffer): the epilogue reads each filter's pixels in a row, so the sums
// are stored and the generic stays.
#x8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>
#w8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>
#y8 = affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>
#id4 = affine_map<(n, f, h, w) -> (n, f, h, w)>
#chan = affine_map<(n, f, h, w) -> (f, 0, 0)>
#id1 = affine_map<(i) -> (i)>
// CHECK-LABEL: func.func @int8_conv_residual_not_dense
// CHECK: call @qc_kernel_conv2d_nchw_i8_i32(
// CHECK: linalg.generic
func.func @int8_conv_residual_not_dense(%x: memref<1x2x5x5xi8>, %w: memref<4x2x3x3xi8>, %s: memref<4x1x1xf32>, %b: memref<4x1x1xf32>, %padded: memref<1x4x5x5xf32>, %out: memref<1x4x3x3xf32>) {
  %c0 = arith.constant 0 : i32
  %y = memref.alloc() : memref<1x4x3x3xi32>
  linalg.fill ins(%c0 : i32) outs(%y : memref<1x4x3x3xi32>)
  linalg.generic {indexing_maps = [#x8, #w8, #y8], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : memref<1x2x5x5xi8>, memref<4x2x3x3xi8>) outs(%y : memref<1x4x3x3xi32>) {
  ^bb0(%a: i8, %c: i8, %acc: i32):
    %a32 = arith.extui %a : i8 to i32
    %c32 = arith.extsi %c : i8 to i32
    %p = arith.muli %a32, %c32 : i32
    %r = arith.addi %acc, %p : i32
    linalg.yield %r : i32
  }
  %res = memref.subview %padded[0, 0, 1, 1] [1, 4, 3, 3] [1, 1, 1, 1] : memref<1x4x5x5xf32> to memref<1x4x3x3xf32, strided<[100, 25, 5, 1], offset: 6>>
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id4, #chan, #chan, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%y, %s, %b, %res : memref<1x4x3x3xi32>, memref<4x1x1xf32>, memref<4x1x1xf32>, memref<1x4x3x3xf32, strided<[100, 25, 5, 1], offset: 6>>) outs(%out : memref<1x4x3x3xf32>) {
  ^bb0(%in: i32, %scale: f32, %bias: f32, %skip: f32, %o: f32):
    %f = arith.sitofp %in : i32 to f32
    %m = arith.mulf %f, %scale : f32
    %v = arith.addf %m, %bias : f32
    %sum = arith.addf %v, %skip : f32
    %relu = arith.maximumf %sum, %zero : f32
    linalg.yield %relu : f32
  }
  return
}

// -----

// C only zeroed before the contraction: the fill goes and the kernel
// writes C (overwrite 1).
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#c8 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func.func @int8_matmul_from_zeros
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK: call @qc_kernel_matmul_i8_i32({{.*}}, %[[ZERO]], %[[ZERO]], %[[ONE]])
func.func @int8_matmul_from_zeros(%a: memref<4x8xi8>, %b: memref<8x16xi8>, %c: memref<4x16xi32>) {
  %zero = arith.constant 0 : i32
  linalg.fill ins(%zero : i32) outs(%c : memref<4x16xi32>)
  linalg.generic {indexing_maps = [#a8, #b8, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xi8>, memref<8x16xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %x32 = arith.extsi %x : i8 to i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %x32, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// A dynamically quantized MatMul's dequantization, as int8-dynamic leaves
// it (3-D, C seen through a view adding a unit dim): float(c) times the
// row's scale, times the weights' per column, plus their bias, plus the
// residual. One call: the epilogue MatMul writes the floats, each operand
// as the kernel reads it (the scales and bias 1-D, the residual and the
// output as 2-D views); the int32 C, its fill and its view are gone.
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#za = affine_map<(m, n, k) -> (m)>
#c8 = affine_map<(m, n, k) -> (m, n)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row3 = affine_map<(d0, d1, d2) -> (d0, d1, 0)>
#col3 = affine_map<(d0, d1, d2) -> (d2)>
// CHECK: func.func private @qc_kernel_matmul_i8_epilogue(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>, i64, i64)
// CHECK-LABEL: func.func @int8_matmul_epilogue
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0 : i64
// CHECK-NOT: memref.alloc()
// CHECK-NOT: linalg.fill
// CHECK-DAG: %[[RES:.*]] = memref.collapse_shape %arg6 {{\[}}[0, 1], [2]] : memref<1x4x16xf32> into memref<4x16xf32>
// CHECK-DAG: %[[OUT:.*]] = memref.collapse_shape %arg7 {{\[}}[0, 1], [2]] : memref<1x4x16xf32> into memref<4x16xf32>
// CHECK-DAG: %[[RS:.*]] = memref.collapse_shape %arg3 {{\[}}[0, 1, 2]] : memref<1x4x1xf32> into memref<4xf32>
// CHECK-DAG: %[[RSA:.*]] = memref.cast %[[RS]]
// CHECK-DAG: %[[CSA:.*]] = memref.cast %arg4
// CHECK-DAG: %[[CBA:.*]] = memref.cast %arg5
// CHECK-DAG: %[[NONE:.*]] = memref.cast %{{.*}} : memref<0xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: call @qc_kernel_matmul_i8_epilogue(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[RSA]], %[[CSA]], %[[NONE]], %[[CBA]], %{{.*}}, %{{.*}}, %[[ONE]], %[[ZERO]])
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref.dealloc
func.func @int8_matmul_epilogue(%a: memref<4x8xi8>, %b: memref<8x16xi8>, %azp: memref<4xi8>,
    %rowScale: memref<1x4x1xf32>, %colScale: memref<16xf32>, %bias: memref<16xf32>,
    %skip: memref<1x4x16xf32>, %out: memref<1x4x16xf32>) {
  %zero = arith.constant 0 : i32
  %c = memref.alloc() : memref<4x16xi32>
  linalg.fill ins(%zero : i32) outs(%c : memref<4x16xi32>)
  linalg.generic {indexing_maps = [#a8, #b8, #za, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b, %azp : memref<4x8xi8>, memref<8x16xi8>, memref<4xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %zx: i8, %acc: i32):
    %x32 = arith.extui %x : i8 to i32
    %zx32 = arith.extui %zx : i8 to i32
    %xd = arith.subi %x32, %zx32 : i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %xd, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  %c3 = memref.expand_shape %c [[0, 1], [2]] output_shape [1, 4, 16] : memref<4x16xi32> into memref<1x4x16xi32>
  linalg.generic {indexing_maps = [#col3, #id3, #row3, #col3, #id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%bias, %c3, %rowScale, %colScale, %skip : memref<16xf32>, memref<1x4x16xi32>, memref<1x4x1xf32>, memref<16xf32>, memref<1x4x16xf32>)
      outs(%out : memref<1x4x16xf32>) {
  ^bb0(%bi: f32, %s: i32, %rs: f32, %cs: f32, %r: f32, %o: f32):
    %f = arith.sitofp %s : i32 to f32
    %m1 = arith.mulf %f, %rs : f32
    %m2 = arith.mulf %m1, %cs : f32
    %v = arith.addf %bi, %m2 : f32
    %w = arith.addf %v, %r : f32
    linalg.yield %w : f32
  }
  memref.dealloc %c : memref<4x16xi32>
  return
}

// -----

// The column's scale before the row's: the kernel multiplies the other way
// round (another rounding), so the dequantization stays a loop and the
// sums go to C.
#a8 = affine_map<(m, n, k) -> (m, k)>
#b8 = affine_map<(m, n, k) -> (k, n)>
#c8 = affine_map<(m, n, k) -> (m, n)>
#row = affine_map<(m, n) -> (m)>
#col = affine_map<(m, n) -> (n)>
#id = affine_map<(m, n) -> (m, n)>
// CHECK-LABEL: func.func @int8_matmul_epilogue_order
// CHECK: call @qc_kernel_matmul_i8_i32(
// CHECK: linalg.generic
func.func @int8_matmul_epilogue_order(%a: memref<4x8xi8>, %b: memref<8x16xi8>,
    %rowScale: memref<4xf32>, %colScale: memref<16xf32>, %out: memref<4x16xf32>) {
  %zero = arith.constant 0 : i32
  %c = memref.alloc() : memref<4x16xi32>
  linalg.fill ins(%zero : i32) outs(%c : memref<4x16xi32>)
  linalg.generic {indexing_maps = [#a8, #b8, #c8], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<4x8xi8>, memref<8x16xi8>) outs(%c : memref<4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %x32 = arith.extsi %x : i8 to i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %x32, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id, #col, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c, %colScale, %rowScale : memref<4x16xi32>, memref<16xf32>, memref<4xf32>)
      outs(%out : memref<4x16xf32>) {
  ^bb0(%s: i32, %cs: f32, %rs: f32, %o: f32):
    %f = arith.sitofp %s : i32 to f32
    %m1 = arith.mulf %f, %cs : f32
    %m2 = arith.mulf %m1, %rs : f32
    linalg.yield %m2 : f32
  }
  memref.dealloc %c : memref<4x16xi32>
  return
}

// -----

// A batched int8 contraction (attention's scores, both operands quantized
// per row / column at run time) and its dequantization over [1, 3, 4, 16]:
// one loop over the 3 batches, each calling the epilogue GEMM on that
// batch's views. The scales read per batch are sliced; the mask, the same
// for every batch, is not. C's zeros were filled through a reshape of their
// buffer (unit dims folded): the kernel writes them, and C is never stored.
#ba = affine_map<(b, m, n, k) -> (b, m, k)>
#bb = affine_map<(b, m, n, k) -> (b, k, n)>
#bza = affine_map<(b, m, n, k) -> (b, m)>
#bzb = affine_map<(b, m, n, k) -> (b, n)>
#bc = affine_map<(b, m, n, k) -> (b, m, n)>
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#row4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, 0)>
#col4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, d3)>
#mask4 = affine_map<(d0, d1, d2, d3) -> (0, 0, 0, d3)>
// CHECK-LABEL: func.func @int8_batched_matmul_epilogue
// CHECK-NOT: linalg.fill
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK-DAG: memref.subview %arg0[%[[I]], 0, 0] [1, 4, 8] [1, 1, 1] : memref<3x4x8xi8> to memref<4x8xi8, strided<[8, 1], offset: ?>>
// CHECK-DAG: memref.subview %arg1[%[[I]], 0, 0] [1, 8, 16] [1, 1, 1] : memref<3x8x16xi8> to memref<8x16xi8, strided<[16, 1], offset: ?>>
// CHECK-DAG: memref.subview %arg2[%[[I]], 0] [1, 4] [1, 1] : memref<3x4xi8> to memref<4xi8, strided<[1], offset: ?>>
// CHECK-DAG: memref.subview %arg3[%[[I]], 0] [1, 16] [1, 1] : memref<3x16xi8> to memref<16xi8, strided<[1], offset: ?>>
// CHECK-DAG: memref.subview %arg7[%{{.*}}, %[[I]], 0, 0] [1, 1, 4, 16] [1, 1, 1, 1] : memref<1x3x4x16xf32> to memref<4x16xf32, strided<[16, 1], offset: ?>>
// CHECK-DAG: %[[RS:.*]] = memref.subview %arg4[%{{.*}}, %[[I]], 0, 0] [1, 1, 4, 1] [1, 1, 1, 1] : memref<1x3x4x1xf32> to memref<4x1xf32, strided<[1, 1], offset: ?>>
// CHECK-DAG: memref.collapse_shape %[[RS]]
// CHECK-DAG: %[[CS:.*]] = memref.subview %arg5[%{{.*}}, %[[I]], 0, 0] [1, 1, 1, 16] [1, 1, 1, 1] : memref<1x3x1x16xf32> to memref<1x16xf32, strided<[48, 1], offset: ?>>
// CHECK-DAG: memref.collapse_shape %[[CS]]
// CHECK-DAG: memref.collapse_shape %arg6 {{\[}}[0, 1, 2, 3]] : memref<1x1x1x16xf32> into memref<16xf32>
// CHECK: call @qc_kernel_matmul_i8_epilogue(
// CHECK: }
// CHECK-NOT: linalg.generic
func.func @int8_batched_matmul_epilogue(%a: memref<3x4x8xi8>, %b: memref<3x8x16xi8>,
    %azp: memref<3x4xi8>, %bzp: memref<3x16xi8>, %rowScale: memref<1x3x4x1xf32>,
    %colScale: memref<1x3x1x16xf32>, %mask: memref<1x1x1x16xf32>, %out: memref<1x3x4x16xf32>) {
  %zero = arith.constant 0 : i32
  %buffer = memref.alloc() : memref<1x3x4x16xi32>
  %c = memref.collapse_shape %buffer [[0, 1], [2], [3]] : memref<1x3x4x16xi32> into memref<3x4x16xi32>
  linalg.fill ins(%zero : i32) outs(%c : memref<3x4x16xi32>)
  linalg.generic {indexing_maps = [#ba, #bb, #bza, #bzb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b, %azp, %bzp : memref<3x4x8xi8>, memref<3x8x16xi8>, memref<3x4xi8>, memref<3x16xi8>) outs(%c : memref<3x4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %zx: i8, %zy: i8, %acc: i32):
    %x32 = arith.extui %x : i8 to i32
    %zx32 = arith.extui %zx : i8 to i32
    %xd = arith.subi %x32, %zx32 : i32
    %y32 = arith.extui %y : i8 to i32
    %zy32 = arith.extui %zy : i8 to i32
    %yd = arith.subi %y32, %zy32 : i32
    %p = arith.muli %xd, %yd : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  %c4 = memref.expand_shape %c [[0, 1], [2], [3]] output_shape [1, 3, 4, 16] : memref<3x4x16xi32> into memref<1x3x4x16xi32>
  linalg.generic {indexing_maps = [#id4, #row4, #col4, #mask4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%c4, %rowScale, %colScale, %mask : memref<1x3x4x16xi32>, memref<1x3x4x1xf32>, memref<1x3x1x16xf32>, memref<1x1x1x16xf32>)
      outs(%out : memref<1x3x4x16xf32>) {
  ^bb0(%s: i32, %rs: f32, %cs: f32, %m: f32, %o: f32):
    %f = arith.sitofp %s : i32 to f32
    %m1 = arith.mulf %f, %rs : f32
    %m2 = arith.mulf %m1, %cs : f32
    %v = arith.addf %m2, %m : f32
    linalg.yield %v : f32
  }
  memref.dealloc %buffer : memref<1x3x4x16xi32>
  return
}

// -----

// The same contraction when what follows is not an epilogue (an exp): one
// call per batch writing that batch of C, from zeros.
#ba = affine_map<(b, m, n, k) -> (b, m, k)>
#bb = affine_map<(b, m, n, k) -> (b, k, n)>
#bc = affine_map<(b, m, n, k) -> (b, m, n)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @int8_batched_matmul
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[C:.*]] = memref.subview %{{.*}}[%[[I]], 0, 0] [1, 4, 16] [1, 1, 1] : memref<3x4x16xi32> to memref<4x16xi32, strided<[16, 1], offset: ?>>
// CHECK: %[[CA:.*]] = memref.cast %[[C]]
// CHECK: call @qc_kernel_matmul_i8_i32(%{{.*}}, %{{.*}}, %[[CA]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[ONE]])
// CHECK: }
// CHECK: linalg.generic
// CHECK: math.exp
func.func @int8_batched_matmul(%a: memref<3x4x8xi8>, %b: memref<3x8x16xi8>, %out: memref<3x4x16xf32>) {
  %zero = arith.constant 0 : i32
  %c = memref.alloc() : memref<3x4x16xi32>
  linalg.fill ins(%zero : i32) outs(%c : memref<3x4x16xi32>)
  linalg.generic {indexing_maps = [#ba, #bb, #bc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<3x4x8xi8>, memref<3x8x16xi8>) outs(%c : memref<3x4x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %x32 = arith.extsi %x : i8 to i32
    %y32 = arith.extsi %y : i8 to i32
    %p = arith.muli %x32, %y32 : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%c : memref<3x4x16xi32>) outs(%out : memref<3x4x16xf32>) {
  ^bb0(%s: i32, %o: f32):
    %f = arith.sitofp %s : i32 to f32
    %e = math.exp %f : f32
    linalg.yield %e : f32
  }
  memref.dealloc %c : memref<3x4x16xi32>
  return
}
