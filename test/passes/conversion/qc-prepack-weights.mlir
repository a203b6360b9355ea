// RUN: quantc-opt %s --qc-prepack-weights --split-input-file | FileCheck %s

// B of a matmul, a constant seen whole and transposed: packed in 16-column
// panels (K rows of 16, the panel count rounded up to even), zeros past N.
// [[1, 2], [3, 4], [5, 6]] as B [3, 2] is rows (1 2 0...), (3 4 0...),
// (5 6 0...); transposed, as B [2, 3], rows (1 3 5 0...), (2 4 6 0...). The
// plain weight and the unpacked kernel's declaration go.
!any2 = memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK-NOT: @w :
// CHECK-NOT: func.func private @qc_kernel_matmul_f32
// CHECK: func.func private @qc_kernel_matmul_packed_b_f32(memref<?x?xf32, strided<[?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>) attributes {llvm.emit_c_interface}
// CHECK: memref.global "private" constant @[[W:w_packed_b]] : memref<96xf32> = dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00, 0.000000e+00,
// CHECK-SAME: {alignment = 64 : i64}
// CHECK: memref.global "private" constant @[[WT:w_packed_b_0]] : memref<64xf32> = dense<[1.000000e+00, 3.000000e+00, 5.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00, 0.000000e+00,
// CHECK-LABEL: func.func @matmul_b
// CHECK: %[[P:.*]] = memref.get_global @[[W]] : memref<96xf32>
// CHECK: %[[PC:.*]] = memref.cast %[[P]] : memref<96xf32> to memref<?xf32, strided<[?], offset: ?>>
// CHECK: call @qc_kernel_matmul_packed_b_f32(%{{.*}}, %[[PC]], %{{.*}})
// CHECK: %[[PT:.*]] = memref.get_global @[[WT]] : memref<64xf32>
// CHECK: memref.cast %[[PT]]
// CHECK: call @qc_kernel_matmul_packed_b_f32
// CHECK-NOT: memref.transpose
// CHECK: return
memref.global "private" constant @w : memref<3x2xf32> = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]>
func.func private @qc_kernel_matmul_f32(!any2, !any2, !any2) attributes {llvm.emit_c_interface}
func.func @matmul_b(%a: memref<4x3xf32>, %c: memref<4x2xf32>, %a2: memref<4x2xf32>, %c2: memref<4x3xf32>) {
  %w = memref.get_global @w : memref<3x2xf32>
  %0 = memref.cast %a : memref<4x3xf32> to !any2
  %1 = memref.cast %w : memref<3x2xf32> to !any2
  %2 = memref.cast %c : memref<4x2xf32> to !any2
  func.call @qc_kernel_matmul_f32(%0, %1, %2) : (!any2, !any2, !any2) -> ()
  %t = memref.transpose %w (d0, d1) -> (d1, d0) : memref<3x2xf32> to memref<2x3xf32, strided<[1, 2]>>
  %3 = memref.cast %a2 : memref<4x2xf32> to !any2
  %4 = memref.cast %t : memref<2x3xf32, strided<[1, 2]>> to !any2
  %5 = memref.cast %c2 : memref<4x3xf32> to !any2
  func.call @qc_kernel_matmul_f32(%3, %4, %5) : (!any2, !any2, !any2) -> ()
  return
}

// -----

// A constant A (a slice of a larger weight, at a static offset) is packed
// in 12-row panels: element (r, c) at c * 12 + r, once for the two calls
// that read it. A slice whose offset moves with a loop, and an operand that
// is no constant, stay as they are; so does the weight they read.
!any2 = memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: memref.global "private" constant @[[A:taps_packed_a]] : memref<24xf32> = dense<[5.000000e+00, 7.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 6.000000e+00, 8.000000e+00, 0.000000e+00,
// CHECK-NOT: taps_packed_a_0
// CHECK: memref.global "private" constant @taps : memref<2x2x2xf32>
// CHECK-LABEL: func.func @matmul_a
// CHECK: memref.get_global @[[A]]
// CHECK: call @qc_kernel_matmul_packed_a_f32
// CHECK: memref.get_global @[[A]]
// CHECK: call @qc_kernel_matmul_packed_a_f32
// CHECK: scf.for
// CHECK: memref.subview
// CHECK: call @qc_kernel_matmul_f32
memref.global "private" constant @taps : memref<2x2x2xf32> = dense<[[[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]]>
func.func private @qc_kernel_matmul_f32(!any2, !any2, !any2) attributes {llvm.emit_c_interface}
func.func @matmul_a(%b: memref<2x5xf32>, %c: memref<2x5xf32>) {
  %w = memref.get_global @taps : memref<2x2x2xf32>
  %tap = memref.subview %w[1, 0, 0] [1, 2, 2] [1, 1, 1] : memref<2x2x2xf32> to memref<2x2xf32, strided<[2, 1], offset: 4>>
  %0 = memref.cast %tap : memref<2x2xf32, strided<[2, 1], offset: 4>> to !any2
  %1 = memref.cast %b : memref<2x5xf32> to !any2
  %2 = memref.cast %c : memref<2x5xf32> to !any2
  func.call @qc_kernel_matmul_f32(%0, %1, %2) : (!any2, !any2, !any2) -> ()
  func.call @qc_kernel_matmul_f32(%0, %1, %2) : (!any2, !any2, !any2) -> ()
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    %moving = memref.subview %w[%i, 0, 0] [1, 2, 2] [1, 1, 1] : memref<2x2x2xf32> to memref<2x2xf32, strided<[2, 1], offset: ?>>
    %3 = memref.cast %moving : memref<2x2xf32, strided<[2, 1], offset: ?>> to !any2
    func.call @qc_kernel_matmul_f32(%3, %1, %2) : (!any2, !any2, !any2) -> ()
  }
  return
}

// -----

// A convolution's filter [F, C, KH, KW] is the implicit GEMM's A,
// [F, C * KH * KW], packed in 12-row panels; the call passes the kernel's
// height and width after the strides and dilations, then the filter
// layout (0: as A; qc-prepack-weights-conv-layout.mlir has the other).
!any4 = memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
// CHECK: memref.global "private" constant @[[F:filter_packed_a]] : memref<24xf32> = dense<[1.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 2.000000e+00, 4.000000e+00, 0.000000e+00,
// CHECK-LABEL: func.func @conv
// CHECK: %[[P:.*]] = memref.get_global @[[F]]
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK: %[[KH:.*]] = arith.constant 1 : i64
// CHECK: %[[KW:.*]] = arith.constant 2 : i64
// CHECK: %[[L:.*]] = arith.constant 0 : i64
// CHECK: call @qc_kernel_conv2d_nchw_packed_f32(%{{.*}}, %[[PC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[KH]], %[[KW]], %[[L]])
memref.global "private" constant @filter : memref<2x1x1x2xf32> = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]>
!any1 = memref<?xf32, strided<[?], offset: ?>>
func.func private @qc_kernel_conv2d_nchw_f32(!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @conv(%x: memref<1x1x4x4xf32>, %y: memref<1x2x4x3xf32>, %b: memref<2xf32>, %c: memref<2xf32>) {
  %w = memref.get_global @filter : memref<2x1x1x2xf32>
  %0 = memref.cast %x : memref<1x1x4x4xf32> to !any4
  %1 = memref.cast %w : memref<2x1x1x2xf32> to !any4
  %2 = memref.cast %y : memref<1x2x4x3xf32> to !any4
  %3 = memref.cast %b : memref<2xf32> to !any1
  %4 = memref.cast %c : memref<2xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_f32(%0, %1, %2, %3, %4, %one, %one, %one, %one) : (!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}

// -----

// The same for the convolution with a residual add: its packed form keeps
// the addend argument in place, and the plain declaration goes.
!any4 = memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
!any1 = memref<?xf32, strided<[?], offset: ?>>
// CHECK-NOT: func.func private @qc_kernel_conv2d_nchw_add_f32(
// CHECK: func.func private @qc_kernel_conv2d_nchw_packed_add_f32(memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, memref<?xf32, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64)
// CHECK-LABEL: func.func @conv_add
// CHECK: %[[P:.*]] = memref.get_global @filter_packed_a
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK: call @qc_kernel_conv2d_nchw_packed_add_f32(%[[X:.*]], %[[PC]], %[[Y:.*]], %[[R:.*]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
memref.global "private" constant @filter : memref<2x1x1x2xf32> = dense<[[[[1.0, 2.0]]], [[[3.0, 4.0]]]]>
func.func private @qc_kernel_conv2d_nchw_add_f32(!any4, !any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @conv_add(%x: memref<1x1x4x4xf32>, %y: memref<1x2x4x3xf32>, %r: memref<1x2x4x3xf32>, %b: memref<2xf32>, %c: memref<2xf32>) {
  %w = memref.get_global @filter : memref<2x1x1x2xf32>
  %0 = memref.cast %x : memref<1x1x4x4xf32> to !any4
  %1 = memref.cast %w : memref<2x1x1x2xf32> to !any4
  %2 = memref.cast %y : memref<1x2x4x3xf32> to !any4
  %r4 = memref.cast %r : memref<1x2x4x3xf32> to !any4
  %3 = memref.cast %b : memref<2xf32> to !any1
  %4 = memref.cast %c : memref<2xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_add_f32(%0, %1, %2, %r4, %3, %4, %one, %one, %one, %one) : (!any4, !any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}

// -----

// B of the int8 GEMM, a constant: packed once into Int8PanelLayout.h's
// layout, 16-column panels of 4 consecutive k per column (k 0-3 of column 0:
// 1 3 5 7, of column 1: 2 4 6 8; k 4: 9 and 10 in the next 64-byte line),
// 32 columns padded, then the column sums as int32 (25 and 30).
!i8any2 = memref<?x?xi8, strided<[?, ?], offset: ?>>
!i32any2 = memref<?x?xi32, strided<[?, ?], offset: ?>>
!i8any1 = memref<?xi8, strided<[?], offset: ?>>
// CHECK-NOT: func.func private @qc_kernel_matmul_i8_i32
// CHECK: func.func private @qc_kernel_matmul_packed_b_i8_i32(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?x?xi32, strided<[?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, i64, i64, i64)
// CHECK: memref.global "private" constant @wq_packed_i8 : memref<384xi8> = dense<"0x0103050702040608000000
// CHECK-SAME: 00090000000A000000000000
// CHECK-SAME: 00190000001E000000000000
// CHECK-SAME: {alignment = 64 : i64}
// CHECK-LABEL: func.func @int8_matmul_b
// CHECK: %[[P:.*]] = memref.get_global @wq_packed_i8 : memref<384xi8>
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK: call @qc_kernel_matmul_packed_b_i8_i32(%{{.*}}, %[[PC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
memref.global "private" constant @wq : memref<5x2xi8> = dense<[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]>
func.func private @qc_kernel_matmul_i8_i32(!i8any2, !i8any2, !i32any2, !i8any1, !i8any1, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @int8_matmul_b(%a: memref<4x5xi8>, %c: memref<4x2xi32>, %za: memref<1xi8>, %zb: memref<0xi8>) {
  %w = memref.get_global @wq : memref<5x2xi8>
  %0 = memref.cast %a : memref<4x5xi8> to !i8any2
  %1 = memref.cast %w : memref<5x2xi8> to !i8any2
  %2 = memref.cast %c : memref<4x2xi32> to !i32any2
  %3 = memref.cast %za : memref<1xi8> to !i8any1
  %4 = memref.cast %zb : memref<0xi8> to !i8any1
  %u = arith.constant 1 : i64
  %s = arith.constant 0 : i64
  func.call @qc_kernel_matmul_i8_i32(%0, %1, %2, %3, %4, %u, %s, %s) : (!i8any2, !i8any2, !i32any2, !i8any1, !i8any1, i64, i64, i64) -> ()
  return
}

// -----

// The same B of the int8 GEMM with a fused epilogue: packed the same way
// (B signed, operand 12), the call now the packed epilogue's.
!i8any2 = memref<?x?xi8, strided<[?, ?], offset: ?>>
!f32any2 = memref<?x?xf32, strided<[?, ?], offset: ?>>
!i8any1 = memref<?xi8, strided<[?], offset: ?>>
!f32any1 = memref<?xf32, strided<[?], offset: ?>>
// CHECK-NOT: func.func private @qc_kernel_matmul_i8_epilogue
// CHECK: func.func private @qc_kernel_matmul_packed_b_i8_epilogue(memref<?x?xi8, strided<[?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: memref.global "private" constant @wq_packed_i8 : memref<384xi8> = dense<"0x0103050702040608000000
// CHECK-LABEL: func.func @int8_matmul_epilogue_b
// CHECK: %[[P:.*]] = memref.get_global @wq_packed_i8 : memref<384xi8>
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK: call @qc_kernel_matmul_packed_b_i8_epilogue(%{{.*}}, %[[PC]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
memref.global "private" constant @wq : memref<5x2xi8> = dense<[[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]>
func.func private @qc_kernel_matmul_i8_epilogue(!i8any2, !i8any2, !f32any2, !i8any1, !i8any1, !f32any1, !f32any1, !f32any1, !f32any1, !f32any1, !f32any2, i64, i64) attributes {llvm.emit_c_interface}
func.func @int8_matmul_epilogue_b(%a: memref<4x5xi8>, %out: memref<4x2xf32>, %za: memref<4xi8>, %zb: memref<0xi8>, %rs: memref<4xf32>, %cs: memref<2xf32>, %none: memref<0xf32>, %params: memref<6xf32>, %nores: memref<0x2xf32>) {
  %w = memref.get_global @wq : memref<5x2xi8>
  %0 = memref.cast %a : memref<4x5xi8> to !i8any2
  %1 = memref.cast %w : memref<5x2xi8> to !i8any2
  %2 = memref.cast %out : memref<4x2xf32> to !f32any2
  %3 = memref.cast %za : memref<4xi8> to !i8any1
  %4 = memref.cast %zb : memref<0xi8> to !i8any1
  %5 = memref.cast %rs : memref<4xf32> to !f32any1
  %6 = memref.cast %cs : memref<2xf32> to !f32any1
  %7 = memref.cast %none : memref<0xf32> to !f32any1
  %8 = memref.cast %params : memref<6xf32> to !f32any1
  %9 = memref.cast %nores : memref<0x2xf32> to !f32any2
  %u = arith.constant 1 : i64
  %s = arith.constant 0 : i64
  func.call @qc_kernel_matmul_i8_epilogue(%0, %1, %2, %3, %4, %5, %6, %7, %7, %8, %9, %u, %s) : (!i8any2, !i8any2, !f32any2, !i8any1, !i8any1, !f32any1, !f32any1, !f32any1, !f32any1, !f32any1, !f32any2, i64, i64) -> ()
  return
}

// -----

// The int8 convolution's filters, a constant: packed once as the implicit
// GEMM's A (Int8PanelLayout.h): each filter's C * KH * KW bytes in a row,
// padded to 4, the top bit flipped (signed w: w + 128), rows padded to 64
// bytes, then the row sums as int32 (129 + 130 + 131 = 0x186, 127 + 128 +
// 133 = 0x184); the kernel's extent (1, 3) follows the other scalars.
!i8any4 = memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>
!i32any4 = memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>
!i32any1 = memref<?xi32, strided<[?], offset: ?>>
!i8any1 = memref<?xi8, strided<[?], offset: ?>>
// CHECK-NOT: func.func private @qc_kernel_conv2d_nchw_i8_i32
// CHECK: func.func private @qc_kernel_conv2d_nchw_packed_i8_i32(memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?x?x?x?xi32, strided<[?, ?, ?, ?], offset: ?>>, memref<?xi32, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, memref<?xi8, strided<[?], offset: ?>>, i64, i64, i64, i64, i64, i64, i64, i64, i64)
// CHECK: memref.global "private" constant @wc_packed_a_i8 : memref<72xi8> = dense<[-127, -126, -125, 0, 127, -128, -123, 0, 0,
// CHECK-SAME: 0, -122, 1, 0, 0, -124, 1, 0, 0]> {alignment = 64 : i64}
// CHECK-LABEL: func.func @int8_conv_w
// CHECK: %[[P:.*]] = memref.get_global @wc_packed_a_i8 : memref<72xi8>
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i64
// CHECK: call @qc_kernel_conv2d_nchw_packed_i8_i32(%{{.*}}, %[[PC]], {{.*}}, %[[ONE]], %[[THREE]])
memref.global "private" constant @wc : memref<2x1x1x3xi8> = dense<[[[[1, 2, 3]]], [[[-1, 0, 5]]]]>
func.func private @qc_kernel_conv2d_nchw_i8_i32(!i8any4, !i8any4, !i32any4, !i32any1, !i8any1, !i8any1, i64, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @int8_conv_w(%x: memref<1x1x4x4xi8>, %y: memref<1x2x4x2xi32>, %b: memref<0xi32>, %z: memref<0xi8>) {
  %w = memref.get_global @wc : memref<2x1x1x3xi8>
  %0 = memref.cast %x : memref<1x1x4x4xi8> to !i8any4
  %1 = memref.cast %w : memref<2x1x1x3xi8> to !i8any4
  %2 = memref.cast %y : memref<1x2x4x2xi32> to !i32any4
  %3 = memref.cast %b : memref<0xi32> to !i32any1
  %4 = memref.cast %z : memref<0xi8> to !i8any1
  %u = arith.constant 1 : i64
  %s = arith.constant 0 : i64
  func.call @qc_kernel_conv2d_nchw_i8_i32(%0, %1, %2, %3, %4, %4, %u, %s, %u, %u, %u, %u, %u) : (!i8any4, !i8any4, !i32any4, !i32any1, !i8any1, !i8any1, i64, i64, i64, i64, i64, i64, i64) -> ()
  return
}

// -----

// The int8 convolution with an epilogue likewise (its w-unsigned flag is
// the second scalar, after the eight memrefs of the epilogue).
!i8any4 = memref<?x?x?x?xi8, strided<[?, ?, ?, ?], offset: ?>>
!f32any4 = memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
!i32any1 = memref<?xi32, strided<[?], offset: ?>>
!i8any1 = memref<?xi8, strided<[?], offset: ?>>
!f32any1 = memref<?xf32, strided<[?], offset: ?>>
// CHECK-NOT: func.func private @qc_kernel_conv2d_nchw_i8_epilogue(
// CHECK: memref.global "private" constant @wr_packed_a_i8 : memref<72xi8> = dense<[-127, -126, -125, 0, 127, -128, -123, 0, 0,
// CHECK-LABEL: func.func @int8_conv_epilogue_w
// CHECK: %[[P:.*]] = memref.get_global @wr_packed_a_i8 : memref<72xi8>
// CHECK: %[[PC:.*]] = memref.cast %[[P]]
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG: %[[THREE:.*]] = arith.constant 3 : i64
// CHECK: call @qc_kernel_conv2d_nchw_packed_i8_epilogue(%{{.*}}, %[[PC]], {{.*}}, %[[ONE]], %[[THREE]])
memref.global "private" constant @wr : memref<2x1x1x3xi8> = dense<[[[[1, 2, 3]]], [[[-1, 0, 5]]]]>
func.func private @qc_kernel_conv2d_nchw_i8_epilogue(!i8any4, !i8any4, !i8any4, !i32any1, !i8any1, !i8any1, !f32any1, !f32any1, !f32any1, !f32any4, !f32any4, i64, i64, i64, i64, i64, i64) attributes {llvm.emit_c_interface}
func.func @int8_conv_epilogue_w(%x: memref<1x1x4x4xi8>, %z: memref<1x2x4x2xi8>, %b: memref<0xi32>, %zp: memref<0xi8>, %f: memref<0xf32>, %params: memref<6xf32>, %none: memref<0x0x0x0xf32>) {
  %w = memref.get_global @wr : memref<2x1x1x3xi8>
  %0 = memref.cast %x : memref<1x1x4x4xi8> to !i8any4
  %1 = memref.cast %w : memref<2x1x1x3xi8> to !i8any4
  %2 = memref.cast %z : memref<1x2x4x2xi8> to !i8any4
  %3 = memref.cast %b : memref<0xi32> to !i32any1
  %4 = memref.cast %zp : memref<0xi8> to !i8any1
  %5 = memref.cast %f : memref<0xf32> to !f32any1
  %6 = memref.cast %params : memref<6xf32> to !f32any1
  %7 = memref.cast %none : memref<0x0x0x0xf32> to !f32any4
  %u = arith.constant 1 : i64
  %s = arith.constant 0 : i64
  func.call @qc_kernel_conv2d_nchw_i8_epilogue(%0, %1, %2, %3, %4, %4, %5, %5, %6, %7, %7, %u, %s, %u, %u, %u, %u) : (!i8any4, !i8any4, !i8any4, !i32any1, !i8any1, !i8any1, !f32any1, !f32any1, !f32any1, !f32any4, !f32any4, i64, i64, i64, i64, i64, i64) -> ()
  return
}
