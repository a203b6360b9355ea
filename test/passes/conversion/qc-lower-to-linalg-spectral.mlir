// RUN: quantc-opt --qc-shape-inference --qc-lower-to-linalg %s | FileCheck %s

// A real one-sided DFT of 8 points along dim 1: 5 complex bins, computed as
// one contraction of x (..., q, ci) with a constant W (co, ci, p, q).
// CHECK-LABEL: func.func @rfft
// CHECK: arith.constant dense<{{.*}}> : tensor<2x1x5x8xf32>
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: -> tensor<2x5x2xf32>
func.func @rfft(%x: tensor<2x8x1xf32>) -> tensor<*xf32> {
  %y = qc.DFT %x {operandSegmentSizes = array<i32: 1, 0, 0>, axis = 1 : i64, onesided = 1 : i64} : (tensor<2x8x1xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
