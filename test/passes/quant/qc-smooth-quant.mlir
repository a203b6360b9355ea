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
