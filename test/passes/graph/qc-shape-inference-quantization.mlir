// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// QuantizeLinear writes the zero point's type, else output_dtype, else
// uint8; DequantizeLinear the scale's type, else output_dtype. A scalar
// scale goes with a 1-element zero point.
// CHECK-LABEL: func.func @quantize_types
// CHECK: qc.QuantizeLinear {{.*}} -> tensor<2x3xi8>
// CHECK: qc.QuantizeLinear {{.*}} -> tensor<2x3xui8>
// CHECK: qc.QuantizeLinear {{.*}} -> tensor<2x3xi4>
// CHECK: qc.DequantizeLinear {{.*}} -> tensor<2x3xf16>
// CHECK: qc.DequantizeLinear {{.*}} -> tensor<2x3xf32>
func.func @quantize_types(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<1xi8>, %s16: tensor<3xf16>) -> (tensor<*xi8>, tensor<*xui8>, tensor<*xi4>, tensor<*xf16>, tensor<*xf32>) {
  %0 = qc.QuantizeLinear %x, %s, %zp : (tensor<2x3xf32>, tensor<f32>, tensor<1xi8>) -> tensor<*xi8>
  %1 = qc.QuantizeLinear %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<*xui8>
  %2 = qc.QuantizeLinear %x, %s {output_dtype = 22 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<*xi4>
  %3 = qc.DequantizeLinear %0, %s16 : (tensor<*xi8>, tensor<3xf16>) -> tensor<*xf16>
  %4 = qc.DequantizeLinear %0, %s16 {output_dtype = 1 : i64} : (tensor<*xi8>, tensor<3xf16>) -> tensor<*xf32>
  return %0, %1, %2, %3, %4 : tensor<*xi8>, tensor<*xui8>, tensor<*xi4>, tensor<*xf16>, tensor<*xf32>
}

// -----

// Blocked: the axis dim divided by block_size, rounded up.
// CHECK-LABEL: func.func @blocked
// CHECK: qc.QuantizeLinear {{.*}} -> tensor<4x5xui8>
func.func @blocked(%x: tensor<4x5xf32>, %s: tensor<4x3xf32>) -> tensor<*xui8> {
  %0 = qc.QuantizeLinear %x, %s {axis = 1 : i64, block_size = 2 : i64} : (tensor<4x5xf32>, tensor<4x3xf32>) -> tensor<*xui8>
  return %0 : tensor<*xui8>
}

// -----

func.func @bad_block(%x: tensor<4x5xf32>, %s: tensor<4x2xf32>) -> tensor<*xui8> {
  // expected-error @+1 {{y_scale 'tensor<4x2xf32>' does not block 'tensor<4x5xf32>' by 2 along axis 1}}
  %0 = qc.QuantizeLinear %x, %s {axis = 1 : i64, block_size = 2 : i64} : (tensor<4x5xf32>, tensor<4x2xf32>) -> tensor<*xui8>
  return %0 : tensor<*xui8>
}

// -----

func.func @bad_axis_scale(%x: tensor<2x3xf32>, %s: tensor<2xf32>) -> tensor<*xui8> {
  // expected-error @+1 {{y_scale 'tensor<2xf32>' is neither one value nor one per index of axis 1 of 'tensor<2x3xf32>'}}
  %0 = qc.QuantizeLinear %x, %s : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<*xui8>
  return %0 : tensor<*xui8>
}

// -----

func.func @type_mismatch(%x: tensor<2x3xf32>, %s: tensor<f32>, %zp: tensor<i8>) -> tensor<*xi8> {
  // expected-error @+1 {{output_dtype 2 differs from y_zero_point's type 'i8'}}
  %0 = qc.QuantizeLinear %x, %s, %zp {output_dtype = 2 : i64} : (tensor<2x3xf32>, tensor<f32>, tensor<i8>) -> tensor<*xi8>
  return %0 : tensor<*xi8>
}

// -----

func.func @precision(%x: tensor<2x3xf32>, %s: tensor<f32>) -> tensor<*xui8> {
  // expected-error @+1 {{precision 10 is not supported (the division is in float32)}}
  %0 = qc.QuantizeLinear %x, %s {precision = 10 : i64} : (tensor<2x3xf32>, tensor<f32>) -> tensor<*xui8>
  return %0 : tensor<*xui8>
}

// -----

// The integer contractions give int32 with MatMul's and Conv's shapes; the
// QLinear ones y_zero_point's type.
// CHECK-LABEL: func.func @contractions
// CHECK: qc.DynamicQuantizeLinear {{.*}} -> (tensor<4x8xui8>, tensor<f32>, tensor<ui8>)
// CHECK: qc.MatMulInteger {{.*}} -> tensor<4x16xi32>
// CHECK: qc.QLinearMatMul {{.*}} -> tensor<4x16xi8>
// CHECK: qc.ConvInteger {{.*}} -> tensor<1x4x3x3xi32>
// CHECK: qc.QLinearConv {{.*}} -> tensor<1x4x3x3xui8>
func.func @contractions(%x: tensor<4x8xf32>, %w: tensor<8x16xi8>, %wzp: tensor<16xi8>, %s: tensor<f32>, %yzp: tensor<i8>,
                        %img: tensor<1x2x5x5xui8>, %k: tensor<4x2x3x3xi8>, %ws: tensor<4xf32>, %izp: tensor<ui8>, %bias: tensor<4xi32>)
    -> (tensor<*xi32>, tensor<*xi8>, tensor<*xi32>, tensor<*xui8>) {
  %q:3 = qc.DynamicQuantizeLinear %x : (tensor<4x8xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  %0 = qc.MatMulInteger %q#0, %w, %q#2, %wzp {operandSegmentSizes = array<i32: 1, 1, 1, 1>} : (tensor<*xui8>, tensor<8x16xi8>, tensor<*xui8>, tensor<16xi8>) -> tensor<*xi32>
  %1 = qc.QLinearMatMul %q#0, %q#1, %q#2, %w, %s, %wzp, %s, %yzp : (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>, tensor<8x16xi8>, tensor<f32>, tensor<16xi8>, tensor<f32>, tensor<i8>) -> tensor<*xi8>
  %2 = qc.ConvInteger %img, %k, %izp {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<1x2x5x5xui8>, tensor<4x2x3x3xi8>, tensor<ui8>) -> tensor<*xi32>
  %3 = qc.QLinearConv %img, %s, %izp, %k, %ws, %yzp, %s, %izp, %bias : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<4xf32>, tensor<i8>, tensor<f32>, tensor<ui8>, tensor<4xi32>) -> tensor<*xui8>
  return %0, %1, %2, %3 : tensor<*xi32>, tensor<*xi8>, tensor<*xi32>, tensor<*xui8>
}

// -----

func.func @bad_row_zero_point(%a: tensor<4x8xui8>, %b: tensor<8x16xi8>, %zp: tensor<3xui8>) -> tensor<*xi32> {
  // expected-error @+1 {{a_zero_point 'tensor<3xui8>' is neither per tensor nor one per row of 'tensor<4x8xui8>'}}
  %0 = qc.MatMulInteger %a, %b, %zp {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<4x8xui8>, tensor<8x16xi8>, tensor<3xui8>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}

// -----

func.func @float_matmul_integer(%a: tensor<4x8xf32>, %b: tensor<8x16xi8>) -> tensor<*xi32> {
  // expected-error @+1 {{A and B must be int8 or uint8, got 'tensor<4x8xf32>' and 'tensor<8x16xi8>'}}
  %0 = qc.MatMulInteger %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<4x8xf32>, tensor<8x16xi8>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}

// -----

func.func @bad_bias(%x: tensor<1x2x5x5xui8>, %s: tensor<f32>, %zp: tensor<ui8>, %w: tensor<4x2x3x3xi8>, %wzp: tensor<i8>, %b: tensor<4xf32>) -> tensor<*xui8> {
  // expected-error @+1 {{B must be int32 of size 4, got 'tensor<4xf32>'}}
  %0 = qc.QLinearConv %x, %s, %zp, %w, %s, %wzp, %s, %zp, %b : (tensor<1x2x5x5xui8>, tensor<f32>, tensor<ui8>, tensor<4x2x3x3xi8>, tensor<f32>, tensor<i8>, tensor<f32>, tensor<ui8>, tensor<4xf32>) -> tensor<*xui8>
  return %0 : tensor<*xui8>
}

// -----

// DynamicQuantizeRows (quantc's own op): a scale and zero point per row,
// in x's shape with the last dim 1, run-time dims kept.
// CHECK-LABEL: func.func @dynamic_quantize_rows
// CHECK: qc.DynamicQuantizeRows %arg0 : (tensor<?x4x8xf32>) -> (tensor<?x4x8xui8>, tensor<?x4x1xf32>, tensor<?x4x1xui8>)
func.func @dynamic_quantize_rows(%x: tensor<?x4x8xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>) {
  %y, %s, %z = qc.DynamicQuantizeRows %x : (tensor<?x4x8xf32>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  return %y, %s, %z : tensor<*xui8>, tensor<*xf32>, tensor<*xui8>
}

// -----

func.func @dynamic_quantize_rows_f16(%x: tensor<4x8xf16>) -> tensor<*xui8> {
  // expected-error @below {{x must be a float tensor of rank 1 or more, got 'tensor<4x8xf16>'}}
  %y, %s, %z = qc.DynamicQuantizeRows %x : (tensor<4x8xf16>) -> (tensor<*xui8>, tensor<*xf32>, tensor<*xui8>)
  return %y : tensor<*xui8>
}

// -----

// MatMulInteger takes a zero point per row of A in A's shape with K = 1.
// CHECK-LABEL: func.func @matmul_integer_row_zero_points
// CHECK: qc.MatMulInteger {{.*}} -> tensor<?x4x16xi32>
func.func @matmul_integer_row_zero_points(%a: tensor<?x4x8xui8>, %b: tensor<8x16xi8>, %z: tensor<?x4x1xui8>) -> tensor<*xi32> {
  %0 = qc.MatMulInteger %a, %b, %z {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<?x4x8xui8>, tensor<8x16xi8>, tensor<?x4x1xui8>) -> tensor<*xi32>
  return %0 : tensor<*xi32>
}
