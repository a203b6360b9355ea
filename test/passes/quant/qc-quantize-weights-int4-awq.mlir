// RUN: quantc-opt --qc-quantize-weights-int4="group-size=2 method=awq print-decisions" %s 2>&1 | FileCheck %s

// AWQ: the two readers of %x share one channel scale, searched for both,
// and %x is divided by it once; their weights are rounded as diag(s) B.
// CHECK: w4 quantization decisions (g2, awq
// CHECK-NEXT: qc.MatMul 'q' [2 x 2]: awq alpha {{[0-9.]+}} over 2 reader(s) of this input, output error {{.*}} (rtn {{.*}})
// CHECK-NEXT: qc.MatMul 'k' [2 x 2]: awq alpha
// CHECK-NEXT: qc.MatMul 'lonely' [2 x 2]: rtn (no calibration data reached it)
// CHECK-LABEL: func.func @shared
// CHECK: %[[S:.*]] = qc.Constant {value = dense<{{.*}}> : tensor<2xf32>}
// CHECK: %[[X:.*]] = qc.Mul %arg0, %[[S]]
// CHECK: qc.MatMul %[[X]], %{{.*}}
// CHECK: qc.MatMul %[[X]], %{{.*}}
// CHECK-NOT: qc.hessian
// CHECK-NOT: qc.channel_mean_abs
func.func @shared(%x: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %w = qc.Constant {value = dense<[[0.3, -0.2], [0.05, 0.01]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %v = qc.Constant {value = dense<[[0.1, 0.2], [-0.03, 0.02]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.hessian = dense<[[1.0, 0.0], [0.0, 400.0]]> : tensor<2x2xf32>, qc.channel_mean_abs = array<f32: 1.0, 20.0>} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("q")
  %1 = qc.MatMul %x, %v {qc.hessian = dense<[[1.0, 0.0], [0.0, 400.0]]> : tensor<2x2xf32>, qc.channel_mean_abs = array<f32: 1.0, 20.0>} : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("k")
  return %0, %1 : tensor<4x2xf32>, tensor<4x2xf32>
}

// Without calibration data: RTN, and the decision says why.
// CHECK-LABEL: func.func @uncalibrated
// CHECK-NOT: qc.Mul
// CHECK: qc.DequantizeLinear
func.func @uncalibrated(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = qc.Constant {value = dense<[[0.3, -0.2], [0.05, 0.01]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w : (tensor<4x2xf32>, tensor<2x2xf32>) -> tensor<4x2xf32> loc("lonely")
  return %0 : tensor<4x2xf32>
}
