// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// `none` keeps the target's shape; log_prob is the scores' shape.
// CHECK-LABEL: func.func @sce_none
// CHECK: qc.SoftmaxCrossEntropyLoss {{.*}} -> (tensor<3x2xf32>, tensor<3x5x2xf32>)
func.func @sce_none(%x: tensor<3x5x2xf32>, %y: tensor<3x2xi64>) -> tensor<*xf32> {
  %l, %p = qc.SoftmaxCrossEntropyLoss %x, %y {reduction = "none"} : (tensor<3x5x2xf32>, tensor<3x2xi64>) -> (tensor<*xf32>, tensor<*xf32>)
  return %l : tensor<*xf32>
}

// -----

// mean and sum give a scalar.
// CHECK-LABEL: func.func @nll_mean
// CHECK: qc.NegativeLogLikelihoodLoss {{.*}} -> tensor<f32>
func.func @nll_mean(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<5xf32>) -> tensor<*xf32> {
  %l = qc.NegativeLogLikelihoodLoss %x, %t, %w : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}

// -----

func.func @target_mismatch(%x: tensor<3x5x2xf32>, %t: tensor<3x5xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{target 'tensor<3x5xi64>' does not match input 'tensor<3x5x2xf32>' (expected (N, d1, ...))}}
  %l = qc.NegativeLogLikelihoodLoss %x, %t : (tensor<3x5x2xf32>, tensor<3x5xi64>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}

// -----

func.func @bad_reduction(%x: tensor<3x5xf32>, %t: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{reduction 'avg' is not one of none, sum, mean}}
  %l = qc.NegativeLogLikelihoodLoss %x, %t {reduction = "avg"} : (tensor<3x5xf32>, tensor<3xi64>) -> tensor<*xf32>
  return %l : tensor<*xf32>
}
