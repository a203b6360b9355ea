// RUN: quantc-opt --qc-lower-to-linalg %s | FileCheck %s

// The class is data: one generic over the target reads input[n, t] and
// weight[t] with tensor.extract and yields both the loss and the weight
// (ignored targets give 0 for both); `mean` divides the two sums.
// CHECK-LABEL: func.func @nll_mean_weighted
// CHECK: %[[LW:.*]]:2 = linalg.generic
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %arg2
// CHECK: arith.cmpi eq
// CHECK: linalg.yield {{.*}}, {{.*}} : f32, f32
// CHECK: linalg.generic {{.*}} ins(%[[LW]]#0
// CHECK: linalg.generic {{.*}} ins(%[[LW]]#1
// CHECK: arith.divf
func.func @nll_mean_weighted(%x: tensor<3x5xf32>, %t: tensor<3xi64>, %w: tensor<5xf32>) -> tensor<f32> {
  %l = qc.NegativeLogLikelihoodLoss %x, %t, %w {ignore_index = 1 : i64} : (tensor<3x5xf32>, tensor<3xi64>, tensor<5xf32>) -> tensor<f32>
  return %l : tensor<f32>
}
