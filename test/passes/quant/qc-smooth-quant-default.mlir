// RUN: quantc-opt --qc-smooth-quant --split-input-file %s | FileCheck %s

// Without an alpha (no --smoothquant) only depthwise Convs' inputs are
// evened out, where it costs the weights nothing: a MatMul's is left with
// its channel ranges, which qc-quantize-static drops.
// CHECK-LABEL: func.func @qc_main
// CHECK-NOT: qc.Mul
// CHECK: qc.MatMul %arg0, %{{.*}} {qc.calibration = array<f32: -4.000000e+00, 2.000000e+00>, qc.channel_max
func.func @qc_main(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<[[1.0, 0.5], [2.0, 4.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.calibration = array<f32: -4.0, 2.0>, qc.channel_min = array<f32: -4.0, 0.0>, qc.channel_max = array<f32: 2.0, 1.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A depthwise Conv's is evened out fully: s = max |X_j| = [4, 1]; the
// channel means, which qc-quantize-static reads, become X / s's.
// CHECK-LABEL: func.func @qc_main
// CHECK: dense<{{\[\[\[}}2.500000e-01]], {{\[\[}}1.000000e+00]]]> : tensor<2x1x1xf32>
// CHECK: qc.Conv {{.*}} {group = 2 : i64, qc.calibration = array<f32: -1.000000e+00, 1.000000e+00>, qc.channel_mean = array<f32: -2.500000e-01, 5.000000e-01>}
func.func @qc_main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = qc.Constant {value = dense<[[[[2.0]]], [[[0.5]]]]> : tensor<2x1x1x1xf32>} : tensor<2x1x1x1xf32>
  %0 = qc.Conv %x, %w {group = 2 : i64, qc.calibration = array<f32: -4.0, 2.0>, qc.channel_min = array<f32: -4.0, 0.0>, qc.channel_max = array<f32: 2.0, 1.0>, qc.channel_mean = array<f32: -1.0, 0.5>} : (tensor<1x2x3x3xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}
