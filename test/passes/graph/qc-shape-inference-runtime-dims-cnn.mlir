// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Window ops keep run-time N and spatial dims run-time; static dims are
// computed as before.
// CHECK-LABEL: @windows
// CHECK: qc.Conv {{.*}} -> tensor<?x4x?x5xf32>
// CHECK: qc.MaxPool {{.*}} -> (tensor<?x4x?x2xf32>, tensor<?x4x?x2xi64>)
// CHECK: qc.AveragePool {{.*}} -> tensor<?x4x?x3xf32>
// CHECK: qc.ConvTranspose {{.*}} -> tensor<?x2x?x10xf32>
// CHECK: qc.Resize {{.*}} -> tensor<?x4x?x10xf32>
func.func @windows(%x: tensor<?x3x?x10xf32>, %w: tensor<4x3x3x3xf32>, %wt: tensor<4x2x2x2xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %c = qc.Conv %x, %w {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<?x3x?x10xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  %m, %i = qc.MaxPool %c {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  %a = qc.AveragePool %c {ceil_mode = 1 : i64, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<*xf32>) -> tensor<*xf32>
  %t = qc.ConvTranspose %c, %wt {strides = array<i64: 2, 2>} : (tensor<*xf32>, tensor<4x2x2x2xf32>) -> tensor<*xf32>
  %s = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %r = qc.Resize %c, %s {coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<*xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %m, %a, %t, %r : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

// Linear Resize of run-time dims: its tables are computed at run time.
// CHECK-LABEL: @resize_linear
// CHECK: qc.Resize {{.*}} -> tensor<?x3x?x?xf32>
func.func @resize_linear(%x: tensor<?x3x?x?xf32>) -> tensor<*xf32> {
  %s = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %r = qc.Resize %x, %s {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<?x3x?x?xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// The channels must be static.
func.func @conv_dynamic_channels(%x: tensor<1x?x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{needs X's channels and W static}}
  %c = qc.Conv %x, %w : (tensor<1x?x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<*xf32>
  return %c : tensor<*xf32>
}
