// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// ConvTranspose: stride * (in - 1) + output_padding + k - pads; groups
// multiply W's second dim; output_shape overrides the size.
// CHECK-LABEL: func.func @conv_transpose
// CHECK: qc.ConvTranspose {{.*}} -> tensor<1x4x8x8xf32>
// CHECK: qc.ConvTranspose {{.*}} -> tensor<1x4x10x8xf32>
func.func @conv_transpose(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = qc.ConvTranspose %x, %w {group = 2 : i64, strides = array<i64: 3, 2>, output_padding = array<i64: 1, 1>, pads = array<i64: 1, 0, 1, 0>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<*xf32>
  %b = qc.ConvTranspose %x, %w {group = 2 : i64, strides = array<i64: 3, 2>, output_shape = array<i64: 10, 8>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

// CHECK-LABEL: func.func @pools
// CHECK: qc.LpPool {{.*}} -> tensor<1x3x31x31xf32>
// CHECK: qc.GlobalMaxPool {{.*}} -> tensor<1x3x1x1xf32>
func.func @pools(%x: tensor<1x3x32x32xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = qc.LpPool %x {kernel_shape = array<i64: 2, 2>, p = 3 : i64} : (tensor<1x3x32x32xf32>) -> tensor<*xf32>
  %b = qc.GlobalMaxPool %x : (tensor<1x3x32x32xf32>) -> tensor<*xf32>
  return %a, %b : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x3x3xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{W 'tensor<2x2x3x3xf32>' does not match X 'tensor<1x3x3x3xf32>' with group 1}}
  %a = qc.ConvTranspose %x, %w : (tensor<1x3x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<*xf32>
  return %a : tensor<*xf32>
}

// -----

// MaxPool takes integers (ONNX: int8 and uint8); the other pools do not.
// CHECK-LABEL: func.func @max_pool_integers
// CHECK: qc.MaxPool {{.*}} -> (tensor<1x1x2x2xui8>, tensor<1x1x2x2xi64>)
func.func @max_pool_integers(%x: tensor<1x1x4x4xui8>) -> tensor<*xui8> {
  %y, %i = qc.MaxPool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> (tensor<*xui8>, tensor<*xi64>)
  return %y : tensor<*xui8>
}

// -----

func.func @average_pool_integers(%x: tensor<1x1x4x4xui8>) -> tensor<*xui8> {
  // expected-error @+1 {{supports floating-point tensors only, got 'tensor<1x1x4x4xui8>'}}
  %y = qc.AveragePool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x1x4x4xui8>) -> tensor<*xui8>
  return %y : tensor<*xui8>
}
