// RUN: quantc-opt --qc-calibration-outputs %s | FileCheck %s

// Every activation a Conv, MatMul or Gemm with a constant weight reads
// becomes an extra output, once however many ops read it, named by its
// index, its channel axis (the last dim for a product, 1 for a Conv) and its
// first reader's ONNX node. A MatMul of two activations is not a candidate.
// CHECK: func.func @qc_main(%arg0: tensor<2x3xf32>) -> (tensor<2x3xf32> {qc.name = "y"}, tensor<2x3xf32> {qc.name = "qc_calibration.0.1.fc1"}, tensor<2x3xf32> {qc.name = "qc_calibration.1.1.fc3"})
// CHECK: return %{{.*}}, %arg0, %[[R:.*]] :
func.func @qc_main(%x: tensor<2x3xf32>) -> (tensor<2x3xf32> {qc.name = "y"}) {
  %w = qc.Constant {value = dense<1.0> : tensor<3x3xf32>} : tensor<3x3xf32>
  %0 = qc.MatMul %x, %w : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32> loc("fc1")
  %1 = qc.MatMul %x, %w : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32> loc("fc2")
  %2 = qc.Relu %1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = qc.Gemm %2, %w : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32> loc("fc3")
  %4 = qc.MatMul %3, %0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32> loc("scores")
  return %3 : tensor<2x3xf32>
}
