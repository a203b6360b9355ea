// RUN: quantc-opt --qc-depthwise-implicit-padding --split-input-file %s | FileCheck %s

// As qc-linalg-to-cpu-kernels leaves a convolution that stores into the
// interior of the next (depthwise) convolution's padded input: fills of
// the border, the interior written by the first kernel. The padded buffer
// becomes a dense one the first kernel writes and the depthwise kernel
// reads, with the padding (1 above, 1 left) as its last two operands; the
// fills go.
// CHECK-LABEL: func.func @padded_by_fills
// CHECK: %[[D:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x8x4x4xf32>
// CHECK-NOT: linalg.fill
// CHECK-NOT: memref.subview
// CHECK: %[[DC:.*]] = memref.cast %[[D]] : memref<1x8x4x4xf32> to memref<?x?x?x?xf32
// CHECK: call @qc_kernel_conv2d_nchw_f32(%{{.*}}, %{{.*}}, %[[DC]],
// CHECK: %[[XC:.*]] = memref.cast %[[D]] : memref<1x8x4x4xf32> to memref<?x?x?x?xf32
// CHECK: %[[TOP:.*]] = arith.constant 1 : i64
// CHECK: %[[LEFT:.*]] = arith.constant 1 : i64
// CHECK: call @qc_kernel_depthwise_conv2d_nchw_f32(%[[XC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[TOP]], %[[LEFT]])
// CHECK: memref.dealloc %[[D]] : memref<1x8x4x4xf32>
func.func private @qc_kernel_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64)
func.func private @qc_kernel_depthwise_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64)
func.func @padded_by_fills(%x: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>,
                           %w: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>,
                           %wd: memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
                           %y: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>,
                           %none: memref<?xf32, strided<[?], offset: ?>>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %p = memref.alloc() {alignment = 64 : i64} : memref<1x8x6x6xf32>
  %top = memref.subview %p[0, 0, 0, 0] [1, 8, 1, 6] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x1x6xf32, strided<[288, 36, 6, 1]>>
  linalg.fill ins(%zero : f32) outs(%top : memref<1x8x1x6xf32, strided<[288, 36, 6, 1]>>)
  %bottom = memref.subview %p[0, 0, 5, 0] [1, 8, 1, 6] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x1x6xf32, strided<[288, 36, 6, 1], offset: 30>>
  linalg.fill ins(%zero : f32) outs(%bottom : memref<1x8x1x6xf32, strided<[288, 36, 6, 1], offset: 30>>)
  %left = memref.subview %p[0, 0, 1, 0] [1, 8, 4, 1] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x1xf32, strided<[288, 36, 6, 1], offset: 6>>
  linalg.fill ins(%zero : f32) outs(%left : memref<1x8x4x1xf32, strided<[288, 36, 6, 1], offset: 6>>)
  %right = memref.subview %p[0, 0, 1, 5] [1, 8, 4, 1] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x1xf32, strided<[288, 36, 6, 1], offset: 11>>
  linalg.fill ins(%zero : f32) outs(%right : memref<1x8x4x1xf32, strided<[288, 36, 6, 1], offset: 11>>)
  %in = memref.subview %p[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  %inc = memref.cast %in : memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_conv2d_nchw_f32(%x, %w, %inc, %none, %none, %c1, %c1, %c1, %c1) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64) -> ()
  %pc = memref.cast %p : memref<1x8x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_depthwise_conv2d_nchw_f32(%pc, %wd, %y, %none, %none, %c1, %c1, %c1, %c1, %c0, %c0) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
  memref.dealloc %p : memref<1x8x6x6xf32>
  return
}

// -----

// One zero fill of the whole buffer, then a copy into an interior with
// no padding above it and two columns left of it: the copy writes the
// dense buffer instead, and the call reads (0, 2).
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @padded_by_one_fill
// CHECK: %[[D:.*]] = memref.alloc() : memref<1x8x4x4xf32>
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
// CHECK-SAME: outs(%[[D]] : memref<1x8x4x4xf32>)
// CHECK: %[[XC:.*]] = memref.cast %[[D]]
// CHECK: %[[TOP:.*]] = arith.constant 0 : i64
// CHECK: %[[LEFT:.*]] = arith.constant 2 : i64
// CHECK: call @qc_kernel_depthwise_conv2d_nchw_f32(%[[XC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[TOP]], %[[LEFT]])
// CHECK: memref.dealloc %[[D]]
func.func private @qc_kernel_depthwise_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64)
func.func @padded_by_one_fill(%src: memref<1x8x4x4xf32>,
                              %wd: memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
                              %y: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>,
                              %none: memref<?xf32, strided<[?], offset: ?>>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %p = memref.alloc() : memref<1x8x5x7xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x8x5x7xf32>)
  %in = memref.subview %p[0, 0, 0, 2] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x5x7xf32> to memref<1x8x4x4xf32, strided<[280, 35, 7, 1], offset: 2>>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%src : memref<1x8x4x4xf32>) outs(%in : memref<1x8x4x4xf32, strided<[280, 35, 7, 1], offset: 2>>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  }
  %pc = memref.cast %p : memref<1x8x5x7xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_depthwise_conv2d_nchw_f32(%pc, %wd, %y, %none, %none, %c1, %c1, %c1, %c1, %c0, %c0) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
  memref.dealloc %p : memref<1x8x5x7xf32>
  return
}

// -----

// Left alone: the padded buffer read by something else too (a copy of all
// of it, border included); a fill after the interior is written (it zeroes
// the interior too); a pad of another value than zero.
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
// CHECK-LABEL: func.func @left_alone
// CHECK-COUNT-3: memref.alloc() : memref<1x8x6x6xf32>
// CHECK-COUNT-3: call @qc_kernel_depthwise_conv2d_nchw_f32({{.*}}, %c0_i64, %c0_i64)
func.func private @qc_kernel_depthwise_conv2d_nchw_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64)
func.func @left_alone(%src: memref<1x8x4x4xf32>, %copy: memref<1x8x6x6xf32>,
                      %wd: memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>,
                      %y: memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>,
                      %none: memref<?xf32, strided<[?], offset: ?>>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %p = memref.alloc() : memref<1x8x6x6xf32>
  %q = memref.alloc() : memref<1x8x6x6xf32>
  %r = memref.alloc() : memref<1x8x6x6xf32>
  linalg.fill ins(%zero : f32) outs(%p : memref<1x8x6x6xf32>)
  %pin = memref.subview %p[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  memref.copy %src, %pin : memref<1x8x4x4xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  memref.copy %p, %copy : memref<1x8x6x6xf32> to memref<1x8x6x6xf32>
  %qin = memref.subview %q[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  memref.copy %src, %qin : memref<1x8x4x4xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  linalg.fill ins(%zero : f32) outs(%q : memref<1x8x6x6xf32>)
  linalg.fill ins(%one : f32) outs(%r : memref<1x8x6x6xf32>)
  %rin = memref.subview %r[0, 0, 1, 1] [1, 8, 4, 4] [1, 1, 1, 1] : memref<1x8x6x6xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  memref.copy %src, %rin : memref<1x8x4x4xf32> to memref<1x8x4x4xf32, strided<[288, 36, 6, 1], offset: 7>>
  %pc = memref.cast %p : memref<1x8x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_depthwise_conv2d_nchw_f32(%pc, %wd, %y, %none, %none, %c1, %c1, %c1, %c1, %c0, %c0) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
  %qc = memref.cast %q : memref<1x8x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_depthwise_conv2d_nchw_f32(%qc, %wd, %y, %none, %none, %c1, %c1, %c1, %c1, %c0, %c0) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
  %rc = memref.cast %r : memref<1x8x6x6xf32> to memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
  call @qc_kernel_depthwise_conv2d_nchw_f32(%rc, %wd, %y, %none, %none, %c1, %c1, %c1, %c1, %c0, %c0) : (memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?xf32, strided<[?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64) -> ()
  memref.dealloc %p : memref<1x8x6x6xf32>
  memref.dealloc %q : memref<1x8x6x6xf32>
  memref.dealloc %r : memref<1x8x6x6xf32>
  return
}
