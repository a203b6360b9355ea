// RUN: quantc-opt --canonicalize --split-input-file %s | FileCheck %s

// An If whose condition is a constant is the branch it takes.
// CHECK-LABEL: func.func @taken
// CHECK-NEXT: %[[N:.*]] = qc.Neg %arg0
// CHECK-NEXT: return %[[N]]
func.func @taken(%x: tensor<3xf32>) -> tensor<3xf32> {
  %c = qc.Constant {value = dense<false> : tensor<1xi1>} : tensor<1xi1>
  %r = qc.If %c : tensor<1xi1> -> (tensor<3xf32>) then {
    qc.Yield %x : tensor<3xf32>
  } else {
    %n = qc.Neg %x : (tensor<3xf32>) -> tensor<3xf32>
    qc.Yield %n : tensor<3xf32>
  }
  return %r : tensor<3xf32>
}

// -----

// An If whose results are unused is dead: its branches have no effects.
// CHECK-LABEL: func.func @dead
// CHECK-NOT: qc.If
func.func @dead(%c: tensor<i1>, %x: tensor<3xf32>) -> tensor<3xf32> {
  %r = qc.If %c : tensor<i1> -> (tensor<3xf32>) then {
    %n = qc.Neg %x : (tensor<3xf32>) -> tensor<3xf32>
    qc.Yield %n : tensor<3xf32>
  } else {
    qc.Yield %x : tensor<3xf32>
  }
  return %x : tensor<3xf32>
}
