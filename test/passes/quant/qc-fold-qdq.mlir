// RUN: quantc-opt --qc-fold-qdq --split-input-file %s | FileCheck %s

// A QDQ convolution: Q(Conv(DQ(x), DQ(w), DQ(b))) becomes QLinearConv on the
// integers. The int32 bias is b / (x_scale * w_scale) per filter: the bias
// DQ gives b = (q - zp) * s = (200 - 0) * 0.001 = 0.2 and (-40 - 10) * 0.002
// = -0.1; x_scale * w_scale = 0.5 * 0.01 and 0.5 * 0.02: B = 40 and -10.
// CHECK-LABEL: func.func @conv
// CHECK: %[[B:.*]] = qc.Constant {value = dense<[40, -10]> : tensor<2xi32>}
// CHECK: %[[Y:.*]] = qc.QLinearConv %arg0, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[B]] {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : {{.*}} -> tensor<1x2x4x4xui8>
// CHECK: return %[[Y]]
// CHECK-NOT: qc.Conv
func.func @conv(%xq: tensor<1x3x8x8xui8>) -> tensor<1x2x4x4xui8> {
  %xs = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %xz = qc.Constant {value = dense<128> : tensor<ui8>} : tensor<ui8>
  %wq = qc.Constant {value = dense<1> : tensor<2x3x3x3xi8>} : tensor<2x3x3x3xi8>
  %ws = qc.Constant {value = dense<[0.01, 0.02]> : tensor<2xf32>} : tensor<2xf32>
  %wz = qc.Constant {value = dense<0> : tensor<2xi8>} : tensor<2xi8>
  %bq = qc.Constant {value = dense<[200, -40]> : tensor<2xi32>} : tensor<2xi32>
  %bs = qc.Constant {value = dense<[0.001, 0.002]> : tensor<2xf32>} : tensor<2xf32>
  %bz = qc.Constant {value = dense<[0, 10]> : tensor<2xi32>} : tensor<2xi32>
  %ys = qc.Constant {value = dense<0.1> : tensor<f32>} : tensor<f32>
  %yz = qc.Constant {value = dense<3> : tensor<ui8>} : tensor<ui8>
  %x = qc.DequantizeLinear %xq, %xs, %xz : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x8x8xf32>
  %w = qc.DequantizeLinear %wq, %ws, %wz {axis = 0 : i64} : (tensor<2x3x3x3xi8>, tensor<2xf32>, tensor<2xi8>) -> tensor<2x3x3x3xf32>
  %b = qc.DequantizeLinear %bq, %bs, %bz {axis = 0 : i64} : (tensor<2xi32>, tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  %c = qc.Conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x8x8xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y = qc.QuantizeLinear %c, %ys, %yz : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x2x4x4xui8>
  return %y : tensor<1x2x4x4xui8>
}

// -----

// A Conv whose float result is also read elsewhere stays in float.
// CHECK-LABEL: func.func @conv_two_users
// CHECK: qc.Conv
// CHECK-NOT: qc.QLinearConv
func.func @conv_two_users(%xq: tensor<1x1x4x4xui8>) -> (tensor<1x1x4x4xui8>, tensor<1x1x4x4xf32>) {
  %s = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %z = qc.Constant {value = dense<0> : tensor<ui8>} : tensor<ui8>
  %wq = qc.Constant {value = dense<1> : tensor<1x1x1x1xi8>} : tensor<1x1x1x1xi8>
  %x = qc.DequantizeLinear %xq, %s, %z : (tensor<1x1x4x4xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xf32>
  %w = qc.DequantizeLinear %wq, %s : (tensor<1x1x1x1xi8>, tensor<f32>) -> tensor<1x1x1x1xf32>
  %c = qc.Conv %x, %w : (tensor<1x1x4x4xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x4x4xf32>
  %y = qc.QuantizeLinear %c, %s, %z : (tensor<1x1x4x4xf32>, tensor<f32>, tensor<ui8>) -> tensor<1x1x4x4xui8>
  return %y, %c : tensor<1x1x4x4xui8>, tensor<1x1x4x4xf32>
}

// -----

// A Gemm of DQ(x) and DQ(w) (transB, w per output row): MatMulInteger on
// the integers with w transposed to [K, N] here ([[1, 2, 3], [4, 5, 6]] ->
// [[1, 4], [2, 5], [3, 6]]), scaled back by x_scale * w_scale * alpha
// (0.5 * [0.1, 0.2] * 4), plus C.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[W:.*]] = qc.Constant {value = dense<{{\[\[}}1, 4], [2, 5], [3, 6]]> : tensor<3x2xi8>}
// CHECK: %[[ACC:.*]] = qc.MatMulInteger %arg0, %[[W]], %{{.*}}, %{{.*}} {{.*}} -> tensor<4x2xi32>
// CHECK: %[[S:.*]] = qc.Constant {value = dense<[2.000000e-01, 4.000000e-01]> : tensor<2xf32>}
// CHECK: %[[F:.*]] = qc.Cast %[[ACC]] {to = 1 : i64}
// CHECK: %[[Y:.*]] = qc.Mul %[[F]], %[[S]]
// CHECK: qc.Add %[[Y]], %arg1
// CHECK-NOT: qc.Gemm
func.func @gemm(%xq: tensor<4x3xui8>, %c: tensor<2xf32>) -> tensor<4x2xf32> {
  %xs = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %xz = qc.Constant {value = dense<7> : tensor<ui8>} : tensor<ui8>
  %wq = qc.Constant {value = dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi8>} : tensor<2x3xi8>
  %ws = qc.Constant {value = dense<[0.1, 0.2]> : tensor<2xf32>} : tensor<2xf32>
  %x = qc.DequantizeLinear %xq, %xs, %xz : (tensor<4x3xui8>, tensor<f32>, tensor<ui8>) -> tensor<4x3xf32>
  %w = qc.DequantizeLinear %wq, %ws {axis = 0 : i64} : (tensor<2x3xi8>, tensor<2xf32>) -> tensor<2x3xf32>
  %y = qc.Gemm %x, %w, %c {alpha = 4.0 : f32, transB = 1 : i64} : (tensor<4x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// A Conv of DQ inputs whose result stays float (static int8 makes these):
// ConvInteger, then x_scale * w_scale per channel (0.5 * [0.01, 0.02]) and
// the float bias, both as [F, 1, 1] against NCHW.
// CHECK-LABEL: func.func @conv_float_result
// CHECK: %[[ACC:.*]] = qc.ConvInteger %arg0, %{{.*}}, %{{.*}}, %{{.*}} {{{.*}}pads = array<i64: 1, 1, 1, 1>{{.*}}} : {{.*}} -> tensor<1x2x8x8xi32>
// CHECK-DAG: %[[F:.*]] = qc.Cast %[[ACC]] {to = 1 : i64}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<{{\[\[\[}}5.000000e-03]], {{\[\[}}0.00999999977]]]> : tensor<2x1x1xf32>}
// CHECK: %[[Y:.*]] = qc.Mul %[[F]], %[[S]]
// CHECK: %[[B:.*]] = qc.Constant {value = dense<{{\[\[\[}}2.500000e-01]], {{\[\[}}-1.000000e+00]]]> : tensor<2x1x1xf32>}
// CHECK: %[[R:.*]] = qc.Add %[[Y]], %[[B]]
// CHECK: return %[[R]]
func.func @conv_float_result(%xq: tensor<1x3x8x8xui8>) -> tensor<1x2x8x8xf32> {
  %xs = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %xz = qc.Constant {value = dense<128> : tensor<ui8>} : tensor<ui8>
  %wq = qc.Constant {value = dense<1> : tensor<2x3x3x3xi8>} : tensor<2x3x3x3xi8>
  %ws = qc.Constant {value = dense<[0.01, 0.02]> : tensor<2xf32>} : tensor<2xf32>
  %b = qc.Constant {value = dense<[0.25, -1.0]> : tensor<2xf32>} : tensor<2xf32>
  %x = qc.DequantizeLinear %xq, %xs, %xz : (tensor<1x3x8x8xui8>, tensor<f32>, tensor<ui8>) -> tensor<1x3x8x8xf32>
  %w = qc.DequantizeLinear %wq, %ws {axis = 0 : i64} : (tensor<2x3x3x3xi8>, tensor<2xf32>) -> tensor<2x3x3x3xf32>
  %c = qc.Conv %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  return %c : tensor<1x2x8x8xf32>
}
