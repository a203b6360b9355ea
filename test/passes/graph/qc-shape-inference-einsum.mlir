// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Explicit output, implicit output (letters used once, sorted: bkj gives b, j, k), ellipsis
// with broadcasting, and a diagonal.
// CHECK-LABEL: func.func @einsum
// CHECK: qc.Einsum {{.*}} -> tensor<5x2x4xf32>
// CHECK: qc.Einsum {{.*}} -> tensor<5x4x3xf32>
// CHECK: qc.Einsum {{.*}} -> tensor<7x5x2x4xf32>
// CHECK: qc.Einsum {{.*}} -> tensor<3xf32>
func.func @einsum(%a: tensor<5x2x3xf32>, %b: tensor<5x3x4xf32>, %c: tensor<1x5x3x4xf32>, %d: tensor<7x1x2x3xf32>, %e: tensor<3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %0 = qc.Einsum %a, %b {equation = "bij, bjk -> bik"} : (tensor<5x2x3xf32>, tensor<5x3x4xf32>) -> tensor<*xf32>
  %1 = qc.Einsum %b {equation = "bkj"} : (tensor<5x3x4xf32>) -> tensor<*xf32>
  %2 = qc.Einsum %d, %c {equation = "...ij,...jk->...ik"} : (tensor<7x1x2x3xf32>, tensor<1x5x3x4xf32>) -> tensor<*xf32>
  %3 = qc.Einsum %e {equation = "ii->i"} : (tensor<3x3xf32>) -> tensor<*xf32>
  return %0, %1, %2, %3 : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @size_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{subscript 'j' has sizes 3 and 4}}
  %0 = qc.Einsum %a, %b {equation = "ij,jk->ik"} : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
