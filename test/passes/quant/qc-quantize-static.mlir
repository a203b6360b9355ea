// RUN: quantc-opt --qc-quantize-static --split-input-file --verify-diagnostics %s | FileCheck %s

// A calibrated Conv: its input quantized to uint8 with the scale and zero
// point of [-1, 3] (4 / 255, round(1 / scale) = 64), its filters int8 per
// output channel (filter 0: max 2, scale 2/127; filter 1: max 0.5, 0.5/127).
// CHECK-LABEL: func.func @qc_main
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<0.0156862754> : tensor<f32>}
// CHECK-DAG: %[[Z:.*]] = qc.Constant {value = dense<64> : tensor<ui8>}
// CHECK: %[[Q:.*]] = qc.QuantizeLinear %arg0, %[[S]], %[[Z]] : {{.*}} -> tensor<1x2x4x4xui8>
// CHECK: %[[X:.*]] = qc.DequantizeLinear %[[Q]], %[[S]], %[[Z]]
// CHECK-DAG: %[[WQ:.*]] = qc.Constant {value = dense<{{\[\[\[\[}}127]], {{\[\[}}-64]]], {{\[\[\[}}127]], {{\[\[}}0]]]]> : tensor<2x2x1x1xi8>}
// CHECK-DAG: %[[WS:.*]] = qc.Constant {value = dense<[0.0157480314, 0.00393700786]> : tensor<2xf32>}
// CHECK: %[[W:.*]] = qc.DequantizeLinear %[[WQ]], %[[WS]] {axis = 0 : i64}
// CHECK: qc.Conv %[[X]], %[[W]]
// CHECK-NOT: qc.calibration
func.func @qc_main(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = qc.Constant {value = dense<[[[[2.0]], [[-1.0]]], [[[0.5]], [[0.0]]]]> : tensor<2x2x1x1xf32>} : tensor<2x2x1x1xf32>
  %0 = qc.Conv %x, %w {qc.calibration = array<f32: -1.0, 3.0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// A MatMul's weight per output column (axis 1); a range that excludes 0
// is widened to include it ([2, 5] -> [0, 5], zero point 0).
// CHECK-LABEL: func.func @qc_main
// CHECK-DAG: %[[Z:.*]] = qc.Constant {value = dense<0> : tensor<ui8>}
// CHECK-DAG: %[[WS:.*]] = qc.Constant {value = dense<[0.00787401571, 0.0236220472]> : tensor<2xf32>}
// CHECK: qc.DequantizeLinear %{{.*}}, %[[WS]] : (tensor<2x2xi8>, tensor<2xf32>)
func.func @qc_main(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<[[1.0, -3.0], [0.5, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.calibration = array<f32: 2.0, 5.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A candidate calibration found too lossy in int8 stays as it is.
// CHECK-LABEL: func.func @qc_main
// CHECK-NOT: qc.QuantizeLinear
// CHECK: qc.MatMul %arg0, %{{.*}} : (tensor<3x2xf32>, tensor<2x2xf32>)
// CHECK-NOT: qc.keep_float
func.func @qc_main(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.keep_float = "its input loses 5% in uint8"} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @qc_main(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<1.0> : tensor<2x2xf32>} : tensor<2x2xf32>
  // expected-error @below {{has no calibrated range (qc.calibration)}}
  %0 = qc.MatMul %x, %w : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Bias correction: with the channel means from calibration, a Conv's bias
// loses the shift its int8 filters cause on average. Filter 0 is [0.3, 1]
// over channels 0 and 1: scale 1/127, 0.3 rounds to 38/127 = 0.2992126, an
// error of -0.000787; with channel 0's mean 100 the output moves by -0.0787
// on average, so the bias 1 becomes 1.0787. Filter 1 rounds exactly where
// the mean is not 0. A Conv without a bias gets one.
// CHECK-LABEL: func.func @qc_main
// CHECK: %[[B:.*]] = qc.Constant {value = dense<[1.07874072, 2.000000e+00]> : tensor<2xf32>}
// CHECK: qc.Conv %{{.*}}, %{{.*}}, %[[B]]
// CHECK: %[[B2:.*]] = qc.Constant {value = dense<[0.078740716, 0.000000e+00]> : tensor<2xf32>}
// CHECK: qc.Conv %{{.*}}, %{{.*}}, %[[B2]]
// CHECK-NOT: qc.channel_mean
func.func @qc_main(%x: tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) {
  %w = qc.Constant {value = dense<[[[[0.3]], [[1.0]]], [[[-1.0]], [[0.25]]]]> : tensor<2x2x1x1xf32>} : tensor<2x2x1x1xf32>
  %b = qc.Constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %0 = qc.Conv %x, %w, %b {qc.calibration = array<f32: 0.0, 200.0>, qc.channel_mean = array<f32: 100.0, 0.0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %1 = qc.Conv %x, %w {qc.calibration = array<f32: 0.0, 200.0>, qc.channel_mean = array<f32: 100.0, 0.0>} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %0, %1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>
}
