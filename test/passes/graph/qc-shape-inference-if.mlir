// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// A condition known only at run time: both branches are inferred, and each
// result joins them (a dim on which they differ becomes ?). Branch ops read
// outer values.
// CHECK-LABEL: func.func @runtime_cond
// CHECK-SAME: -> (tensor<2x?xf32>, tensor<2x3xf32>)
func.func @runtime_cond(%c: tensor<1xi1>, %x: tensor<2x3xf32>, %y: tensor<2x4xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %a = qc.Relu %x : (tensor<2x3xf32>) -> tensor<*xf32>
  // CHECK: qc.If %{{.*}} : tensor<1xi1> -> (tensor<2x?xf32>, tensor<2x3xf32>) then {
  %r:2 = qc.If %c : tensor<1xi1> -> (tensor<*xf32>, tensor<*xf32>) then {
    // CHECK: qc.Neg {{.*}} -> tensor<2x3xf32>
    %n = qc.Neg %a : (tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %n, %n : tensor<*xf32>, tensor<*xf32>
  } else {
    // CHECK: qc.Sigmoid {{.*}} -> tensor<2x4xf32>
    %s = qc.Sigmoid %y : (tensor<2x4xf32>) -> tensor<*xf32>
    qc.Yield %s, %a : tensor<*xf32>, tensor<*xf32>
  }
  return %r#0, %r#1 : tensor<*xf32>, tensor<*xf32>
}

// -----

// A condition that folds to a constant: the taken branch replaces the If
// before either branch is inferred, so the other one (a Squeeze of a dim
// that is not 1) is never looked at. Nested Ifs fold the same way.
// CHECK-LABEL: func.func @constant_cond
// CHECK-SAME: -> tensor<1x2x3xf32>
// CHECK-NOT: qc.If
// CHECK-NOT: qc.Squeeze
// CHECK: qc.Neg {{.*}} -> tensor<1x2x3xf32>
func.func @constant_cond(%x: tensor<1x2x3xf32>) -> tensor<*xf32> {
  %shape = qc.Shape %x : (tensor<1x2x3xf32>) -> tensor<*xi64>
  %i = qc.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %d = qc.Gather %shape, %i : (tensor<*xi64>, tensor<i64>) -> tensor<*xi64>
  %one = qc.Constant {value = dense<1> : tensor<i64>} : tensor<i64>
  %eq = qc.Equal %d, %one : (tensor<*xi64>, tensor<i64>) -> tensor<*xi1>
  %ne = qc.Not %eq : (tensor<*xi1>) -> tensor<*xi1>
  %r = qc.If %ne : tensor<*xi1> -> (tensor<*xf32>) then {
    %inner = qc.If %eq : tensor<*xi1> -> (tensor<*xf32>) then {
      %axes = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
      %s = qc.Squeeze %x, %axes : (tensor<1x2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
      qc.Yield %s : tensor<*xf32>
    } else {
      %n = qc.Neg %x : (tensor<1x2x3xf32>) -> tensor<*xf32>
      qc.Yield %n : tensor<*xf32>
    }
    qc.Yield %inner : tensor<*xf32>
  } else {
    %axes = qc.Constant {value = dense<1> : tensor<1xi64>} : tensor<1xi64>
    %s = qc.Squeeze %x, %axes : (tensor<1x2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    qc.Yield %s : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @different_ranks(%c: tensor<i1>, %x: tensor<1x3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{output 0 has rank 2 in then_branch but 1 in else_branch; quantc supports If with branches of different ranks only when the condition is known at compile time}}
  %r = qc.If %c : tensor<i1> -> (tensor<*xf32>) then {
    %n = qc.Neg %x : (tensor<1x3xf32>) -> tensor<*xf32>
    qc.Yield %n : tensor<*xf32>
  } else {
    %axes = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
    %s = qc.Squeeze %x, %axes : (tensor<1x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    qc.Yield %s : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @different_types(%c: tensor<i1>, %x: tensor<3xf32>, %i: tensor<3xi64>) -> tensor<*xf32> {
  // expected-error @+1 {{output 0 is 'f32' in then_branch but 'i64' in else_branch}}
  %r = qc.If %c : tensor<i1> -> (tensor<*xf32>) then {
    qc.Yield %x : tensor<3xf32>
  } else {
    qc.Yield %i : tensor<3xi64>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @not_bool(%c: tensor<i64>, %x: tensor<3xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{cond must be a tensor of one bool, got 'tensor<i64>'}}
  %r = qc.If %c : tensor<i64> -> (tensor<*xf32>) then {
    qc.Yield %x : tensor<3xf32>
  } else {
    qc.Yield %x : tensor<3xf32>
  }
  return %r : tensor<*xf32>
}

// -----

// A branch that is invalid for the compiled shapes can never run correctly;
// model code cannot report an error yet, so it yields NaN in the other
// branch's types, with a warning (silero-vad's 8 kHz network given a 16 kHz
// chunk).
// CHECK-LABEL: func.func @invalid_branch
// CHECK-SAME: -> tensor<2x3xf32>
// CHECK: } else {
// CHECK-NEXT: %[[NAN:.*]] = qc.Constant {value = dense<0x7FC00000> : tensor<2x3xf32>}
// CHECK-NEXT: qc.Yield %[[NAN]]
func.func @invalid_branch(%c: tensor<i1>, %x: tensor<2x3xf32>) -> tensor<*xf32> {
  // expected-warning @+1 {{else_branch cannot be compiled for these input shapes, so it gives NaN (0 for integers) if taken at run time, since model code cannot report an error yet: node 'squeeze': }}
  %r = qc.If %c : tensor<i1> -> (tensor<*xf32>) then {
    %n = qc.Neg %x : (tensor<2x3xf32>) -> tensor<*xf32>
    qc.Yield %n : tensor<*xf32>
  } else {
    %axes = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
    %s = qc.Squeeze %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32> loc("squeeze")
    %n = qc.Neg %s : (tensor<*xf32>) -> tensor<*xf32>
    qc.Yield %n : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}

// -----

func.func @both_invalid(%c: tensor<i1>, %x: tensor<2x3xf32>) -> tensor<*xf32> {
  %axes = qc.Constant {value = dense<0> : tensor<1xi64>} : tensor<1xi64>
  // expected-error @+1 {{neither branch of the If can be compiled for these input shapes: }}
  %r = qc.If %c : tensor<i1> -> (tensor<*xf32>) then {
    %s = qc.Squeeze %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    qc.Yield %s : tensor<*xf32>
  } else {
    %s = qc.Squeeze %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<*xf32>
    qc.Yield %s : tensor<*xf32>
  }
  return %r : tensor<*xf32>
}
