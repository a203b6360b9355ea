// RUN: quantc-opt --qc-lower-to-linalg --split-input-file %s | FileCheck %s

// qc.If becomes scf.if on the condition's element; the branch ops are
// lowered in place, and a branch whose type is more static than the result
// is cast to it.
// CHECK-LABEL: func.func @if
// CHECK: %[[C:.*]] = tensor.extract %arg0[%{{.*}}] : tensor<1xi1>
// CHECK: %[[R:.*]]:2 = scf.if %[[C]] -> (tensor<2x?xf32>, tensor<2x3xf32>) {
// CHECK:   linalg.generic
// CHECK:   %[[CAST:.*]] = tensor.cast %{{.*}} : tensor<2x3xf32> to tensor<2x?xf32>
// CHECK:   scf.yield %[[CAST]], %arg1 : tensor<2x?xf32>, tensor<2x3xf32>
// CHECK: } else {
// CHECK:   %[[CAST2:.*]] = tensor.cast %arg2 : tensor<2x4xf32> to tensor<2x?xf32>
// CHECK:   scf.yield %[[CAST2]], %arg1 : tensor<2x?xf32>, tensor<2x3xf32>
// CHECK: }
// CHECK: return %[[R]]#0, %[[R]]#1
// CHECK-NOT: qc.
func.func @if(%c: tensor<1xi1>, %x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> (tensor<2x?xf32>, tensor<2x3xf32>) {
  %r:2 = qc.If %c : tensor<1xi1> -> (tensor<2x?xf32>, tensor<2x3xf32>) then {
    %n = qc.Neg %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
    qc.Yield %n, %x : tensor<2x3xf32>, tensor<2x3xf32>
  } else {
    qc.Yield %y, %x : tensor<2x4xf32>, tensor<2x3xf32>
  }
  return %r#0, %r#1 : tensor<2x?xf32>, tensor<2x3xf32>
}

// -----

// Unsigned results are signless after lowering, like every op's.
// CHECK-LABEL: func.func @unsigned
// CHECK: scf.if %{{.*}} -> (tensor<3xi8>)
func.func @unsigned(%c: tensor<i1>, %x: tensor<3xui8>, %y: tensor<3xui8>) -> tensor<3xui8> {
  %r = qc.If %c : tensor<i1> -> (tensor<3xui8>) then {
    qc.Yield %x : tensor<3xui8>
  } else {
    qc.Yield %y : tensor<3xui8>
  }
  return %r : tensor<3xui8>
}
