// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// A Loop that only a constant M ends: the body's arguments take the
// operands' types, and the scan output stacks M slices.
// CHECK-LABEL: func.func @constant_trips
// CHECK-SAME: -> (tensor<2xf32>, tensor<5x2xf32>)
// CHECK: ^bb0(%{{.*}}: tensor<i64>, %{{.*}}: tensor<i1>, %{{.*}}: tensor<2xf32>):
// CHECK: qc.Add {{.*}} -> tensor<2xf32>
func.func @constant_trips(%y: tensor<2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %m = qc.Constant {value = dense<5> : tensor<i64>} : tensor<i64>
  %r:2 = qc.Loop max %m : tensor<i64> carried(%y : tensor<2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %y_in: tensor<*xf32>):
    %s = qc.Add %y_in, %y : (tensor<*xf32>, tensor<2xf32>) -> tensor<*xf32>
    qc.Yield %c, %s, %s : tensor<*xi1>, tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// A condition that may end the loop early: the scan output's length is a
// run-time dim. A dim the body's inference leaves `?` (a Slice at the
// iteration number) is taken from the model's declaration.
// CHECK-LABEL: func.func @runtime_trips
// CHECK-SAME: -> (tensor<1xf32>, tensor<?x1xf32>)
func.func @runtime_trips(%m: tensor<i64>, %cond: tensor<i1>, %y: tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %x = qc.Constant {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : tensor<3xf32>
  %one = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
  %r:2 = qc.Loop max %m : tensor<i64> cond %cond : tensor<i1> carried(%y : tensor<1xf32>) -> (tensor<*xf32>, tensor<*xf32>) attributes {body_output_types = [tensor<i1>, tensor<1xf32>, tensor<1xf32>]} {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %y_in: tensor<*xf32>):
    %zero = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
    %start = qc.Unsqueeze %i, %zero : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
    %end = qc.Add %start, %one : (tensor<*xi64>, tensor<1xi64>) -> tensor<*xi64>
    // CHECK: qc.Slice {{.*}} -> tensor<?xf32>
    %s = qc.Slice %x, %start, %end {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<3xf32>, tensor<*xi64>, tensor<*xi64>) -> tensor<*xf32>
    // CHECK: qc.Add {{.*}} -> tensor<?xf32>
    %sum = qc.Add %y_in, %s : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %c, %sum, %sum : tensor<*xi1>, tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @growing(%m: tensor<i64>, %y: tensor<2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{loop-carried value 0 changes type across iterations ('tensor<2xf32>' at the start, 'tensor<4xf32>' after an iteration)}}
  %r = qc.Loop max %m : tensor<i64> carried(%y : tensor<2xf32>) -> (tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %y_in: tensor<*xf32>):
    %s = qc.Concat %y_in, %y_in {axis = 0 : i64} : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %c, %s : tensor<*xi1>, tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @runtime_scan_slice(%m: tensor<i64>, %y: tensor<?xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  // expected-error @+1 {{scan output 0 has run-time dims ('tensor<?xf32>'); quantc supports scan outputs of a fixed shape only}}
  %r:2 = qc.Loop max %m : tensor<i64> carried(%y : tensor<?xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %y_in: tensor<*xf32>):
    qc.Yield %c, %y_in, %y_in : tensor<*xi1>, tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @no_end(%y: tensor<2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{has neither M nor cond, so it never ends}}
  %r = qc.Loop carried(%y : tensor<2xf32>) -> (tensor<*xf32>) {
  ^bb0(%i: tensor<*xi64>, %c: tensor<*xi1>, %y_in: tensor<*xf32>):
    qc.Yield %c, %y_in : tensor<*xi1>, tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// Scan: the body sees one slice of each scan input along its axis; each
// scan output stacks its slices along its own axis.
// CHECK-LABEL: func.func @scan
// CHECK-SAME: -> (tensor<2xf32>, tensor<2x3xf32>)
// CHECK: ^bb0(%{{.*}}: tensor<2xf32>, %{{.*}}: tensor<2xf32>):
func.func @scan(%init: tensor<2xf32>, %x: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %r:2 = qc.Scan %init, %x : (tensor<2xf32>, tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) attributes {num_scan_inputs = 1 : i64, scan_input_axes = array<i64: -1>, scan_output_axes = array<i64: 1>} {
  ^bb0(%s: tensor<*xf32>, %xi: tensor<*xf32>):
    %n = qc.Add %s, %xi : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %n, %n : tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// Opset 8's batched form: a batch dim in front of every input and result
// that the body does not see.
// CHECK-LABEL: func.func @batched
// CHECK-SAME: -> (tensor<1x2xf32>, tensor<1x3x2xf32>)
// CHECK: ^bb0(%{{.*}}: tensor<2xf32>, %{{.*}}: tensor<2xf32>):
func.func @batched(%init: tensor<1x2xf32>, %x: tensor<1x3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %r:2 = qc.Scan %init, %x : (tensor<1x2xf32>, tensor<1x3x2xf32>) -> (tensor<*xf32>, tensor<*xf32>) attributes {batched, num_scan_inputs = 1 : i64} {
  ^bb0(%s: tensor<*xf32>, %xi: tensor<*xf32>):
    %n = qc.Add %s, %xi : (tensor<*xf32>, tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %n, %n : tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @lengths(%init: tensor<2xf32>, %x: tensor<3x2xf32>, %z: tensor<4x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{scan inputs have different lengths along their scan axes (3 and 4)}}
  %r = qc.Scan %init, %x, %z : (tensor<2xf32>, tensor<3x2xf32>, tensor<4x2xf32>) -> (tensor<*xf32>) attributes {num_scan_inputs = 2 : i64} {
  ^bb0(%s: tensor<*xf32>, %xi: tensor<*xf32>, %zi: tensor<*xf32>):
    qc.Yield %s : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @bad_axis(%init: tensor<2xf32>, %x: tensor<3x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{scan_input_axes[0] is out of range for scan input 0 of type 'tensor<3x2xf32>'}}
  %r = qc.Scan %init, %x : (tensor<2xf32>, tensor<3x2xf32>) -> (tensor<*xf32>) attributes {num_scan_inputs = 1 : i64, scan_input_axes = array<i64: 2>} {
  ^bb0(%s: tensor<*xf32>, %xi: tensor<*xf32>):
    qc.Yield %s : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}
