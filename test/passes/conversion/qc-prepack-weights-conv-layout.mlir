// RUN: quantc-opt %s --qc-prepack-weights --split-input-file | FileCheck %s
// RUN: quantc-opt %s --qc-prepack-weights=print-decisions --split-input-file -o /dev/null 2>&1 | FileCheck %s --check-prefix=DECISION

// How a constant filter is packed depends on the output's pixel count: on
// a 7x7 map, vectors of 16 pixels are 49/64 full and vectors of 16 filters
// full, so 160 filters go as the transposed product's B ([C*KH*KW, F] in
// 16-column panels: 2 x 160 floats, the filter layout argument 1); on a
// 14x14 map (196 of 208 lanes) they stay A (layout 0), as do 64 filters on
// 7x7 (under the 128 the cost model asks for), and an output whose size is
// only known at run time, about which nothing is decided.
// DECISION: convolution layout decisions (analytical cost model
// DECISION-NEXT: conv-vectors: yes {{.*}}: 160 filters x 49 pixels: vectors 100% full over filters, 77% over pixels (roofline
// DECISION: conv-vectors: no  {{.*}}: 160 filters x 196 pixels: vectors 100% full over filters, 94% over pixels (roofline
// DECISION: conv-vectors: no  {{.*}}: 64 filters x 49 pixels: vectors 100% full over filters, 77% over pixels; under 128 filters (roofline
// DECISION-NOT: conv-vectors

!any4 = memref<?x?x?x?xf32, strided<[?, ?, ?, ?], offset: ?>>
!any1 = memref<?xf32, strided<[?], offset: ?>>
// CHECK-DAG: memref.global "private" constant @[[BT:filter_packed_bt]] : memref<320xf32>
// CHECK-DAG: memref.global "private" constant @[[A:filter_packed_a]] : memref<336xf32>
// CHECK-DAG: memref.global "private" constant @[[SMALL:small_packed_a]] : memref<144xf32>
memref.global "private" constant @filter : memref<160x2x1x1xf32> = dense<0.5>
memref.global "private" constant @small : memref<64x2x1x1xf32> = dense<0.25>
func.func private @qc_kernel_conv2d_nchw_f32(!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) attributes {llvm.emit_c_interface}

// CHECK-LABEL: func.func @map7x7
// CHECK: %[[P:.*]] = memref.get_global @[[BT]]
// CHECK: %[[KH:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[KW:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[L:.*]] = arith.constant 1 : i64
// CHECK-NEXT: call @qc_kernel_conv2d_nchw_packed_f32({{.*}}, %[[KH]], %[[KW]], %[[L]])
func.func @map7x7(%x: memref<1x2x7x7xf32>, %y: memref<1x160x7x7xf32>, %b: memref<160xf32>) {
  %w = memref.get_global @filter : memref<160x2x1x1xf32>
  %0 = memref.cast %x : memref<1x2x7x7xf32> to !any4
  %1 = memref.cast %w : memref<160x2x1x1xf32> to !any4
  %2 = memref.cast %y : memref<1x160x7x7xf32> to !any4
  %3 = memref.cast %b : memref<160xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_f32(%0, %1, %2, %3, %3, %one, %one, %one, %one) : (!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}

// CHECK-LABEL: func.func @map14x14
// CHECK: %[[P:.*]] = memref.get_global @[[A]]
// CHECK: %[[KH:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[KW:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[L:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_kernel_conv2d_nchw_packed_f32({{.*}}, %[[KH]], %[[KW]], %[[L]])
func.func @map14x14(%x: memref<1x2x14x14xf32>, %y: memref<1x160x14x14xf32>, %b: memref<160xf32>) {
  %w = memref.get_global @filter : memref<160x2x1x1xf32>
  %0 = memref.cast %x : memref<1x2x14x14xf32> to !any4
  %1 = memref.cast %w : memref<160x2x1x1xf32> to !any4
  %2 = memref.cast %y : memref<1x160x14x14xf32> to !any4
  %3 = memref.cast %b : memref<160xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_f32(%0, %1, %2, %3, %3, %one, %one, %one, %one) : (!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}

// CHECK-LABEL: func.func @few_filters
// CHECK: %[[P:.*]] = memref.get_global @[[SMALL]]
// CHECK: %[[KH:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[KW:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[L:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_kernel_conv2d_nchw_packed_f32({{.*}}, %[[KH]], %[[KW]], %[[L]])
func.func @few_filters(%x: memref<1x2x7x7xf32>, %y: memref<1x64x7x7xf32>, %b: memref<64xf32>) {
  %w = memref.get_global @small : memref<64x2x1x1xf32>
  %0 = memref.cast %x : memref<1x2x7x7xf32> to !any4
  %1 = memref.cast %w : memref<64x2x1x1xf32> to !any4
  %2 = memref.cast %y : memref<1x64x7x7xf32> to !any4
  %3 = memref.cast %b : memref<64xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_f32(%0, %1, %2, %3, %3, %one, %one, %one, %one) : (!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}

// CHECK-LABEL: func.func @dynamic_map
// CHECK: memref.get_global @[[A]]
// CHECK: %[[KH:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[KW:.*]] = arith.constant 1 : i64
// CHECK-NEXT: %[[L:.*]] = arith.constant 0 : i64
// CHECK-NEXT: call @qc_kernel_conv2d_nchw_packed_f32({{.*}}, %[[KH]], %[[KW]], %[[L]])
func.func @dynamic_map(%x: memref<1x2x?x?xf32>, %y: memref<1x160x?x?xf32>, %b: memref<160xf32>) {
  %w = memref.get_global @filter : memref<160x2x1x1xf32>
  %0 = memref.cast %x : memref<1x2x?x?xf32> to !any4
  %1 = memref.cast %w : memref<160x2x1x1xf32> to !any4
  %2 = memref.cast %y : memref<1x160x?x?xf32> to !any4
  %3 = memref.cast %b : memref<160xf32> to !any1
  %one = arith.constant 1 : i64
  func.call @qc_kernel_conv2d_nchw_f32(%0, %1, %2, %3, %3, %one, %one, %one, %one) : (!any4, !any4, !any4, !any1, !any1, i64, i64, i64, i64) -> ()
  return
}
