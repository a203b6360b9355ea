// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Scales, sizes or roi known only at run time: every axis they cover gets a
// run-time dim, the others keep theirs.
// CHECK-LABEL: func.func @runtime_scales
// CHECK: qc.Resize {{.*}} -> tensor<?x?x?x?xf32>
// CHECK: qc.Resize {{.*}} -> tensor<1x2x?x?xf32>
// CHECK: qc.Upsample {{.*}} -> tensor<?x?x?x?xi8>
func.func @runtime_scales(%x: tensor<1x2x4x5xf32>, %i: tensor<1x2x4x5xi8>, %s: tensor<4xf32>, %n: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xi8>) {
  %a = qc.Resize %x, %s {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x2x4x5xf32>, tensor<4xf32>) -> tensor<*xf32>
  %b = qc.Resize %x, %n {axes = array<i64: 3, 2>, mode = "cubic", keep_aspect_ratio_policy = "not_smaller", operandSegmentSizes = array<i32: 1, 0, 0, 1>} : (tensor<1x2x4x5xf32>, tensor<2xi64>) -> tensor<*xf32>
  %c = qc.Upsample %i, %s : (tensor<1x2x4x5xi8>, tensor<4xf32>) -> tensor<*xi8>
  return %a, %b, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xi8>
}

// -----

// An empty scales counts as absent (the sizes decide); a run-time roi with
// constant scales leaves the output shape static; with a run-time input dim
// a constant scale of exactly 1 keeps that dim, another makes it run-time.
// CHECK-LABEL: func.func @runtime_roi
// CHECK: qc.Resize {{.*}} -> tensor<1x2x?x?xf32>
// CHECK: qc.Resize {{.*}} -> tensor<1x2x8x10xf32>
// CHECK: qc.Resize {{.*}} -> tensor<?x2x8x?xf32>
func.func @runtime_roi(%x: tensor<1x2x4x5xf32>, %d: tensor<?x2x4x?xf32>, %r: tensor<4xf32>, %n: tensor<2xi64>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>) {
  %none = qc.Constant {value = dense<> : tensor<0xf32>} : tensor<0xf32>
  %a = qc.Resize %x, %none, %n {axes = array<i64: 2, 3>, operandSegmentSizes = array<i32: 1, 0, 1, 1>} : (tensor<1x2x4x5xf32>, tensor<0xf32>, tensor<2xi64>) -> tensor<*xf32>
  %s = qc.Constant {value = dense<[2.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %b = qc.Resize %x, %r, %s {axes = array<i64: 2, 3>, coordinate_transformation_mode = "tf_crop_and_resize", operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<1x2x4x5xf32>, tensor<4xf32>, tensor<2xf32>) -> tensor<*xf32>
  %s4 = qc.Constant {value = dense<[1.0, 1.0, 2.0, 2.0]> : tensor<4xf32>} : tensor<4xf32>
  %c = qc.Resize %d, %s4 {operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<?x2x4x?xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %a, %b, %c : tensor<*xf32>, tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @runtime_scales_length(%x: tensor<1x2x4x5xf32>, %s: tensor<?xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{the 'scales' input must be a 1-D tensor of a static length, got 'tensor<?xf32>'}}
  %y = qc.Resize %x, %s {operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x2x4x5xf32>, tensor<?xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @runtime_scales_count(%x: tensor<1x2x4x5xf32>, %s: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{scales has 3 values, expected 4}}
  %y = qc.Resize %x, %s {operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x2x4x5xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @runtime_roi_count(%x: tensor<1x2x4x5xf32>, %r: tensor<2xf32>, %n: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{roi has 2 values, expected 4}}
  %y = qc.Resize %x, %r, %n {axes = array<i64: 2, 3>, coordinate_transformation_mode = "tf_crop_and_resize", operandSegmentSizes = array<i32: 1, 1, 0, 1>} : (tensor<1x2x4x5xf32>, tensor<2xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}
