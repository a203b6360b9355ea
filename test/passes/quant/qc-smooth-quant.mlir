// RUN: quantc-opt --qc-smooth-quant=alpha=0.5 --split-input-file %s | FileCheck %s

// X's channels span [-4, 2] and [0, 1] (max |X_j| = 4, 1); W's rows
// [[1, 0.5], [2, 4]] have max |W_j| = 1, 4. With alpha 0.5,
// s = sqrt(4 / 1), sqrt(1 / 4) = 2, 0.5: X is multiplied by 1 / s =
// [0.5, 2], W's rows by s ([[2, 1], [1, 2]]), and the calibrated range
// becomes that of X / s: [-4 / 2, max(2 / 2, 1 / 0.5)] = [-2, 2].
// CHECK-LABEL: func.func @qc_main
// CHECK: %[[D:.*]] = qc.Constant {value = dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf32>}
// CHECK: %[[X:.*]] = qc.Mul %arg0, %[[D]]
// CHECK: %[[W:.*]] = qc.Constant {value = dense<{{\[\[}}2.000000e+00, 1.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>}
// CHECK: qc.MatMul %[[X]], %[[W]] {qc.calibration = array<f32: -2.000000e+00, 2.000000e+00>}
// CHECK-NOT: qc.channel_
func.func @qc_main(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<[[1.0, 0.5], [2.0, 4.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.calibration = array<f32: -4.0, 2.0>, qc.channel_min = array<f32: -4.0, 0.0>, qc.channel_max = array<f32: 2.0, 1.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Two readers of one X share one s, from the larger weight row of each
// channel; a Gemm's transposed weight is scaled by columns. W1 is the
// identity and W2 = [[1, 0], [0.5, 1]] (op(B) = W2^T = [[1, 0.5], [0, 1]]):
// max |W_j| = 1, 1; max |X_j| = 4, 1; s = 2, 1; W2 becomes [[2, 0], [1, 1]].
// CHECK-LABEL: func.func @qc_main
// CHECK: dense<[5.000000e-01, 1.000000e+00]>
// CHECK: %[[X:.*]] = qc.Mul %arg0
// CHECK: qc.MatMul %[[X]], %{{.*}} {qc.calibration = array<f32: -2.000000e+00, 1.000000e+00>}
// CHECK: %[[W2:.*]] = qc.Constant {value = dense<{{\[\[}}2.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>}
// CHECK: qc.Gemm %[[X]], %[[W2]]
func.func @qc_main(%x: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %w1 = qc.Constant {value = dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %w2 = qc.Constant {value = dense<[[1.0, 0.0], [0.5, 1.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w1 {qc.calibration = array<f32: -4.0, 1.0>, qc.channel_min = array<f32: -4.0, -1.0>, qc.channel_max = array<f32: 0.0, 1.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = qc.Gemm %x, %w2 {transB = 1 : i64, qc.calibration = array<f32: -4.0, 1.0>, qc.channel_min = array<f32: -4.0, -1.0>, qc.channel_max = array<f32: 0.0, 1.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<3x2xf32>
}

// -----

// A Conv's channels are along dim 1. Two input channels, a 1x1 filter per
// output channel and two groups (each output reads one channel): channel
// 0 spans [-4, 2] and channel 1 [0, 1], so that with alpha 0.5 s =
// sqrt(4 / 2), sqrt(1 / 0.5) = [1.414, 1.414]: but a depthwise Conv's
// weights take s whole, so alpha is 1 and s = max |X_j| = [4, 1]. X is
// multiplied by [0.25, 1] shaped [2, 1, 1] to broadcast along dim 1, filter
// j by s_j ([8, 0.5]), and the range becomes [-1, 1].
// CHECK-LABEL: func.func @qc_main
// CHECK: %[[D:.*]] = qc.Constant {value = dense<{{\[\[\[}}2.500000e-01]], {{\[\[}}1.000000e+00]]]> : tensor<2x1x1xf32>}
// CHECK: %[[X:.*]] = qc.Mul %arg0, %[[D]]
// CHECK: %[[W:.*]] = qc.Constant {value = dense<{{\[\[\[\[}}8.000000e+00]]], {{\[\[\[}}5.000000e-01]]]]> : tensor<2x1x1x1xf32>}
// CHECK: qc.Conv %[[X]], %[[W]] {group = 2 : i64, qc.calibration = array<f32: -1.000000e+00, 1.000000e+00>}
func.func @qc_main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qc.Constant {value = dense<[[[[2.0]]], [[[0.5]]]]> : tensor<2x1x1x1xf32>} : tensor<2x1x1x1xf32>
  %0 = qc.Conv %x, %w {group = 2 : i64, qc.calibration = array<f32: -4.0, 2.0>, qc.channel_min = array<f32: -4.0, 0.0>, qc.channel_max = array<f32: 2.0, 1.0>} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// A Conv that is not depthwise follows alpha: one group, output channels
// 0 and 1 over input channels 0 and 1.
// W = [[1, 0.5], [2, 4]] (output x input): max |W_j| over outputs = 2, 4;
// max |X_j| = 8, 1; s = sqrt(8 / 2), sqrt(1 / 4) = 2, 0.5. Input channel j's
// column is multiplied by s_j: [[2, 0.25], [4, 2]].
// CHECK-LABEL: func.func @qc_main
// CHECK: dense<{{\[\[\[}}5.000000e-01]], {{\[\[}}2.000000e+00]]]> : tensor<2x1x1xf32>
// CHECK: qc.Constant {value = dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}2.500000e-01]]], {{\[\[\[}}4.000000e+00]], {{\[\[}}2.000000e+00]]]]> : tensor<2x2x1x1xf32>}
// CHECK: qc.Conv {{.*}} {qc.calibration = array<f32: -4.000000e+00, 2.000000e+00>}
func.func @qc_main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qc.Constant {value = dense<[[[[1.0]], [[0.5]]], [[[2.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>} : tensor<2x2x1x1xf32>
  %0 = qc.Conv %x, %w {qc.calibration = array<f32: -8.0, 1.0>, qc.channel_min = array<f32: -8.0, 0.0>, qc.channel_max = array<f32: 0.0, 1.0>} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
