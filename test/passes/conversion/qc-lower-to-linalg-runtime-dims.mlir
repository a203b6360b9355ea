// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file --verify-diagnostics %s | FileCheck %s

// Ops with Qc_RunTimeDims take the sizes of `?` dims from their operands at
// run time (tensor.dim), or from a shape input's values.

// CHECK-LABEL: @elementwise
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: tensor.empty(%[[N]]) : tensor<?x4xf32>
func.func @elementwise(%x: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %y = qc.Add %x, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// CHECK-LABEL: @matmul
// CHECK-DAG: %[[B:.*]] = tensor.dim %arg0, %c0
// CHECK-DAG: %[[S:.*]] = tensor.dim %arg0, %c1
// CHECK: tensor.empty(%[[B]], %[[S]]) : tensor<?x?x3xf32>
func.func @matmul(%a: tensor<?x?x8xf32>, %w: tensor<8x3xf32>) -> tensor<?x?x3xf32> {
  %y = qc.MatMul %a, %w : (tensor<?x?x8xf32>, tensor<8x3xf32>) -> tensor<?x?x3xf32>
  return %y : tensor<?x?x3xf32>
}

// -----

// A 0 in the shape copies the input's dim, a -1 takes what is left.
// CHECK-LABEL: @reshape
// CHECK: tensor.extract %arg1[%c0]
// CHECK: arith.divsi
// CHECK: %[[S:.*]] = tensor.from_elements %{{.*}}, %{{.*}}, %c2, %c4 : tensor<4xindex>
// CHECK: tensor.reshape %arg0(%[[S]]) : (tensor<?x?x8xf32>, tensor<4xindex>) -> tensor<?x?x2x4xf32>
func.func @reshape(%x: tensor<?x?x8xf32>, %s: tensor<4xi64>) -> tensor<?x?x2x4xf32> {
  %y = qc.Reshape %x, %s : (tensor<?x?x8xf32>, tensor<4xi64>) -> tensor<?x?x2x4xf32>
  return %y : tensor<?x?x2x4xf32>
}

// -----

// CHECK-LABEL: @shape
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0
// CHECK: %[[I:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: tensor.from_elements %[[I]], %c8_i64 : tensor<2xi64>
func.func @shape(%x: tensor<?x8xf32>) -> tensor<2xi64> {
  %y = qc.Shape %x : (tensor<?x8xf32>) -> tensor<2xi64>
  return %y : tensor<2xi64>
}

// -----

// An end known at run time is clamped to the dim as ONNX says.
// CHECK-LABEL: @slice
// CHECK: tensor.extract %arg1[%c0]
// CHECK: arith.minsi %{{.*}}, %c16
// CHECK: tensor.extract_slice %arg0[0, 0] [1, %{{.*}}] [1, 1] : tensor<1x16xi64> to tensor<1x?xi64>
func.func @slice(%x: tensor<1x16xi64>, %e: tensor<1xi64>) -> tensor<1x?xi64> {
  %s = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  %a = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %y = qc.Slice %x, %s, %e, %a {operandSegmentSizes = array<i32: 1, 1, 1, 1, 0>} : (tensor<1x16xi64>, tensor<1xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<1x?xi64>
  return %y : tensor<1x?xi64>
}

// -----

// The count that ReduceMean divides by is a run-time product of dims.
// CHECK-LABEL: @mean
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c1
// CHECK: %[[I:.*]] = arith.index_cast %[[N]] : index to i64
// CHECK: arith.sitofp %[[I]] : i64 to f32
// CHECK: tensor.reshape {{.*}} -> tensor<?x1xf32>
func.func @mean(%x: tensor<?x?xf32>) -> tensor<?x1xf32> {
  %y = qc.ReduceMean %x {axes = array<i64: 1>} : (tensor<?x?xf32>) -> tensor<?x1xf32>
  return %y : tensor<?x1xf32>
}


// -----

// An op without Qc_RunTimeDims is refused by name.
func.func @unsupported(%x: tensor<?x3x8x8xf32>) -> tensor<?x3x7x7xf32> {
  // expected-error @+1 {{'LpPool' has a tensor of run-time dims ('tensor<?x3x8x8xf32>'), which 'LpPool' does not support yet}}
  %y = qc.LpPool %x {kernel_shape = array<i64: 2, 2>} : (tensor<?x3x8x8xf32>) -> tensor<?x3x7x7xf32>
  return %y : tensor<?x3x7x7xf32>
}
