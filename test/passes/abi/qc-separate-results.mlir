// RUN: quantc-opt --qc-separate-results --split-input-file %s | FileCheck %s

// An output that is an input, or repeats an earlier output, gets its own copy.
// CHECK: %[[R:.*]] = math.absf
// CHECK: %[[IN:.*]] = bufferization.alloc_tensor() copy(%arg0)
// CHECK: %[[DUP:.*]] = bufferization.alloc_tensor() copy(%[[R]])
// CHECK: return %[[IN]], %[[R]], %[[DUP]]
module {
  func.func @qc_main(%x: tensor<4xf32> {qc.name = "x"}) -> (tensor<4xf32> {qc.name = "a"}, tensor<4xf32> {qc.name = "b"}, tensor<4xf32> {qc.name = "c"}) {
    %r = math.absf %x : tensor<4xf32>
    return %x, %r, %r : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  }
}

// -----

// Run-time sizes come along with the copy; other results are left alone.
// CHECK: func.func @qc_main(%arg0: tensor<?x4xf32>
// CHECK: %[[R:.*]] = math.absf %arg1
// CHECK: %[[C:.*]] = bufferization.alloc_tensor() copy(%arg0) : tensor<?x4xf32>
// CHECK: return %[[C]], %[[R]]
module {
  func.func @qc_main(%x: tensor<?x4xf32>, %y: tensor<2xf32>) -> (tensor<?x4xf32>, tensor<2xf32>) {
    %r = math.absf %y : tensor<2xf32>
    return %x, %r : tensor<?x4xf32>, tensor<2xf32>
  }
}
