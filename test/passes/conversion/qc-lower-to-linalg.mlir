// RUN: quantc-opt --qc-lower-to-linalg --split-input-file --verify-diagnostics %s | FileCheck %s

// Broadcasting is an indexing map: the bias is read along the last dim only.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_bias
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]]
// CHECK: arith.addf
func.func @add_bias(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = qc.Add %x, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Gemm with transB reads B transposed through its map: no transposed copy.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[BT:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @gemm_trans_b
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[BT]], {{.*}}], iterator_types = ["parallel", "parallel", "reduction"]}
func.func @gemm_trans_b(%a: tensor<2x4xf32>, %b: tensor<3x4xf32>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = qc.Gemm %a, %b, %c {transB = 1 : i64} : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A padded 2-D convolution: tensor.pad, then the named op on the bias.
// CHECK-LABEL: func.func @conv
// CHECK: tensor.pad
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @conv(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4x4xf32> {
  %y = qc.Conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Depthwise convolutions use the depthwise named op.
// CHECK-LABEL: func.func @depthwise
// CHECK: linalg.depthwise_conv_2d_nchw_chw
func.func @depthwise(%x: tensor<1x4x6x6xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32> {
  %y = qc.Conv %x, %w {group = 4 : i64} : (tensor<1x4x6x6xf32>, tensor<4x1x3x3xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// Reshapes are a collapse and an expand: views after bufferization.
// CHECK-LABEL: func.func @flatten
// CHECK: tensor.collapse_shape
// CHECK: tensor.expand_shape
func.func @flatten(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  %y = qc.Flatten %x {axis = 2 : i64} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}

// -----

// An op whose lowering does not handle run-time dims says so.
func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'Hardmax' has a tensor of run-time dims ('tensor<?x4xf32>'), which 'Hardmax' does not support yet; fix the model's inputs' sizes with quantc compile --shape or --dim}}
  %y = qc.Hardmax %x {axis = 1 : i64} : (tensor<?x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// No pattern computes in bf16: qc-widen-bf16 (in the graph pipeline) must
// have moved it to f32 first.
func.func @bf16_not_widened(%x: tensor<4xbf16>) -> tensor<4xbf16> {
  // expected-error @+1 {{element type 'bf16' is supported by Cast, CastLike, QuantizeLinear, DequantizeLinear and data movement ops}}
  %y = qc.Add %x, %x : (tensor<4xbf16>, tensor<4xbf16>) -> tensor<4xbf16>
  return %y : tensor<4xbf16>
}
