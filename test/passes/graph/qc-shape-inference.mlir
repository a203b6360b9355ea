// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Broadcasting, contraction and function result types.
// CHECK-LABEL: func.func @qc_main(%{{.*}}: tensor<2x4xf32>) -> tensor<2x3xf32>
func.func @qc_main(%x: tensor<2x4xf32>) -> tensor<*xf32> {
  %w = qc.Constant {value = dense<1.0> : tensor<4x3xf32>} : tensor<4x3xf32>
  %b = qc.Constant {value = dense<1.0> : tensor<3xf32>} : tensor<3xf32>
  // CHECK: qc.MatMul {{.*}} -> tensor<2x3xf32>
  %h = qc.MatMul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<*xf32>
  // CHECK: qc.Add {{.*}} -> tensor<2x3xf32>
  %y = qc.Add %h, %b : (tensor<*xf32>, tensor<3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Convolution and pooling windows: pads, strides, ceil_mode.
// CHECK-LABEL: func.func @conv_pool
func.func @conv_pool(%x: tensor<1x3x10x10xf32>, %w: tensor<8x3x3x3xf32>) -> tensor<*xf32> {
  // CHECK: qc.Conv {{.*}} -> tensor<1x8x5x5xf32>
  %c = qc.Conv %x, %w {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x10x10xf32>, tensor<8x3x3x3xf32>) -> tensor<*xf32>
  // CHECK: qc.MaxPool {{.*}} -> (tensor<1x8x3x3xf32>, tensor<1x8x3x3xi64>)
  %p, %i = qc.MaxPool %c {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = 1 : i64} : (tensor<*xf32>) -> (tensor<*xf32>, tensor<*xi64>)
  return %p : tensor<*xf32>
}

// -----

// A shape subgraph folds to a constant so that Reshape gets a static type.
// CHECK-LABEL: func.func @shape_subgraph
// CHECK-NOT: qc.Shape
// CHECK-NOT: qc.Gather
// CHECK: qc.Reshape {{.*}} -> tensor<2x12xf32>
func.func @shape_subgraph(%x: tensor<2x3x4xf32>) -> tensor<*xf32> {
  %s = qc.Shape %x : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %i = qc.Constant {value = dense<0> : tensor<i64>} : tensor<i64>
  %d0 = qc.Gather %s, %i {axis = 0 : i64} : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %a = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  %u = qc.Unsqueeze %d0, %a : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %m = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %shape = qc.Concat %u, %m {axis = 0 : i64} : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
  %r = qc.Reshape %x, %shape : (tensor<2x3x4xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

func.func @bad_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{shapes 'tensor<2x3xf32>', 'tensor<4xf32>' do not broadcast}}
  %y = qc.Add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @bad_matmul(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{contraction dims differ}}
  %y = qc.MatMul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// A shape known only at run time gives run-time dims.
// CHECK-LABEL: @dynamic_reshape
// CHECK: qc.Reshape {{.*}} -> tensor<?x?xf32>
func.func @dynamic_reshape(%a: tensor<2x3xf32>, %s: tensor<2xi64>) -> tensor<*xf32> {
  %y = qc.Reshape %a, %s : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @bad_group(%x: tensor<1x6x4x4xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{group 2 does not fit}}
  %y = qc.Conv %x, %w {group = 2 : i64} : (tensor<1x6x4x4xf32>, tensor<4x4x3x3xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Shape's opset-15 slice: negative start counts from the end; end clamps.
// CHECK-LABEL: func.func @shape_slice
// CHECK-DAG: qc.Constant {value = dense<[3, 4]> : tensor<2xi64>}
// CHECK-DAG: qc.Constant {value = dense<2> : tensor<1xi64>}
// CHECK-DAG: qc.Constant {value = dense<> : tensor<0xi64>}
func.func @shape_slice(%x: tensor<2x3x4xf32>) -> (tensor<*xi64>, tensor<*xi64>, tensor<*xi64>) {
  %a = qc.Shape %x {start = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %b = qc.Shape %x {start = 0 : i64, end = 1 : i64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  %c = qc.Shape %x {start = 2 : i64, end = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<*xi64>
  return %a, %b, %c : tensor<*xi64>, tensor<*xi64>, tensor<*xi64>
}

// -----

// A negative axis prints as given, not as its unsigned bit pattern.
func.func @gather_axis_out_of_range(%x: tensor<2x3xf32>, %i: tensor<2xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{axis -3 is out of range for}}
  %y = qc.Gather %x, %i {axis = -3 : i64} : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Shape values are followed through Slice, Neg, ConstantOfShape and Concat
// (LayerNormalization's function body builds its reshape target this way),
// and entries that come from run-time dims stay run-time dims.
// CHECK-LABEL: @shape_values
// CHECK: qc.Reshape {{.*}} -> tensor<?x3x1xf32>
func.func @shape_values(%x: tensor<?x3x5xf32>, %y: tensor<?x3xf32>) -> tensor<*xf32> {
  %s = qc.Shape %x : (tensor<?x3x5xf32>) -> tensor<*xi64>
  %zero = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  %m1 = qc.Constant {value = dense<-1> : tensor<1xi64>} : tensor<1xi64>
  %head = qc.Slice %s, %zero, %m1 {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<*xi64>, tensor<1xi64>, tensor<1xi64>) -> tensor<*xi64>
  %n = qc.Neg %m1 : (tensor<1xi64>) -> tensor<*xi64>
  %ones = qc.ConstantOfShape %n {value = dense<1> : tensor<1xi64>} : (tensor<*xi64>) -> tensor<*xi64>
  %target = qc.Concat %head, %ones {axis = 0 : i64} : (tensor<*xi64>, tensor<*xi64>) -> tensor<*xi64>
  %r = qc.Reshape %y, %target : (tensor<?x3xf32>, tensor<*xi64>) -> tensor<*xf32>
  return %r : tensor<*xf32>
}

// -----

// Squeeze and Unsqueeze axes only known at run time: each result dim is
// what every possible axis set agrees on. Squeeze may only name the dims of
// size 1, so here the result is 3x1 or 1x3.
// CHECK-LABEL: func.func @runtime_squeeze_axes
func.func @runtime_squeeze_axes(%x: tensor<1x3x1xf32>, %y: tensor<2x1xf32>, %axes: tensor<1xi64>) -> (tensor<*xf32>, tensor<*xf32>) {
  // CHECK: qc.Squeeze {{.*}} -> tensor<?x?xf32>
  %s = qc.Squeeze %x, %axes : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<*xf32>
  // 2x1 becomes 1x2x1, 2x1x1 or 2x1x1: the last dim is always 1.
  // CHECK: qc.Unsqueeze {{.*}} -> tensor<?x?x1xf32>
  %u = qc.Unsqueeze %y, %axes : (tensor<2x1xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %s, %u : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @runtime_squeeze_of_no_unit_dim(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{cannot take 1 axes of 'tensor<2x3xf32>'}}
  %s = qc.Squeeze %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
  return %s : tensor<*xf32>
}
