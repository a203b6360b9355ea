// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// The shared rule: every input broadcasts, the result keeps the element type
// or is i1 for predicates and comparisons.
// CHECK-LABEL: func.func @shared_rule
func.func @shared_rule(%x: tensor<2x1x4xf32>, %y: tensor<3x1xf32>, %z: tensor<4xf32>) -> (tensor<*xf32>, tensor<*xi1>, tensor<*xi1>, tensor<*xf32>) {
  // CHECK: qc.Sum {{.*}} -> tensor<2x3x4xf32>
  %s = qc.Sum %x, %y, %z : (tensor<2x1x4xf32>, tensor<3x1xf32>, tensor<4xf32>) -> tensor<*xf32>
  // CHECK: qc.Less {{.*}} -> tensor<2x3x4xi1>
  %l = qc.Less %x, %y : (tensor<2x1x4xf32>, tensor<3x1xf32>) -> tensor<*xi1>
  // CHECK: qc.IsNaN {{.*}} -> tensor<4xi1>
  %n = qc.IsNaN %z : (tensor<4xf32>) -> tensor<*xi1>
  // CHECK: qc.Gelu {{.*}} -> tensor<4xf32>
  %g = qc.Gelu %z {approximate = "tanh"} : (tensor<4xf32>) -> tensor<*xf32>
  return %s, %l, %n, %g : tensor<*xf32>, tensor<*xi1>, tensor<*xi1>, tensor<*xf32>
}

// -----

// Ops with rules of their own: Pow keeps the base's type, Where a bool
// condition, Cast/CastLike take the type from `to` / the target operand.
// CHECK-LABEL: func.func @own_rules
func.func @own_rules(%b: tensor<3xi32>, %e: tensor<2x1xf32>, %c: tensor<2x3xi1>, %t: tensor<0xf16>) -> (tensor<*xi32>, tensor<*xi32>, tensor<*xi64>, tensor<*xf16>) {
  // CHECK: qc.Pow {{.*}} -> tensor<2x3xi32>
  %p = qc.Pow %b, %e : (tensor<3xi32>, tensor<2x1xf32>) -> tensor<*xi32>
  // CHECK: qc.Where {{.*}} -> tensor<2x3xi32>
  %w = qc.Where %c, %b, %p : (tensor<2x3xi1>, tensor<3xi32>, tensor<*xi32>) -> tensor<*xi32>
  // CHECK: qc.Cast {{.*}} -> tensor<3xi64>
  %k = qc.Cast %b {to = 7 : i64} : (tensor<3xi32>) -> tensor<*xi64>
  // CHECK: qc.CastLike {{.*}} -> tensor<2x1xf16>
  %l = qc.CastLike %e, %t : (tensor<2x1xf32>, tensor<0xf16>) -> tensor<*xf16>
  return %p, %w, %k, %l : tensor<*xi32>, tensor<*xi32>, tensor<*xi64>, tensor<*xf16>
}

// -----

// Dropout in inference is its input and an all-true mask: it folds away.
// CHECK-LABEL: func.func @dropout
// CHECK-SAME: -> (tensor<2x3xf32>, tensor<2x3xi1>)
// CHECK: %[[MASK:.*]] = qc.Constant {value = dense<true> : tensor<2x3xi1>}
// CHECK-NOT: qc.Dropout
// CHECK: return %arg0, %[[MASK]]
func.func @dropout(%x: tensor<2x3xf32>) -> (tensor<*xf32>, tensor<*xi1>) {
  %r = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %f = qc.Constant {value = dense<false> : tensor<i1>} : tensor<i1>
  %y, %m = qc.Dropout %x, %r, %f {operandSegmentSizes = array<i32: 1, 1, 1>} : (tensor<2x3xf32>, tensor<f32>, tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>)
  return %y, %m : tensor<*xf32>, tensor<*xi1>
}

// -----

func.func @float_only(%x: tensor<4xi32>) -> tensor<*xi32> {
  // expected-error @+1 {{supports floating-point tensors, got element type 'i32'}}
  %y = qc.Sin %x : (tensor<4xi32>) -> tensor<*xi32>
  return %y : tensor<*xi32>
}

// -----

func.func @bool_only(%x: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{supports bool tensors, got element type 'f32'}}
  %y = qc.And %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @ordering_of_bool(%x: tensor<4xi1>) -> tensor<*xi1> {
  // expected-error @+1 {{supports floating-point or integer tensors, got element type 'i1'}}
  %y = qc.Less %x, %x : (tensor<4xi1>, tensor<4xi1>) -> tensor<*xi1>
  return %y : tensor<*xi1>
}

// -----

func.func @mixed_types(%x: tensor<4xf32>, %y: tensor<4xf16>) -> tensor<*xf32> {
  // expected-error @+1 {{inputs have different element types: 'f32' and 'f16'}}
  %z = qc.Max %x, %y : (tensor<4xf32>, tensor<4xf16>) -> tensor<*xf32>
  return %z : tensor<*xf32>
}

// -----

func.func @no_broadcast(%x: tensor<4xf32>, %y: tensor<3xf32>, %z: tensor<1xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{shapes 'tensor<4xf32>', 'tensor<3xf32>', 'tensor<1xf32>' do not broadcast}}
  %s = qc.Mean %x, %y, %z : (tensor<4xf32>, tensor<3xf32>, tensor<1xf32>) -> tensor<*xf32>
  return %s : tensor<*xf32>
}

// -----

func.func @where_condition(%c: tensor<4xf32>, %x: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{condition must be bool, got 'f32'}}
  %y = qc.Where %c, %x, %x : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @pow_bool(%x: tensor<4xf32>, %e: tensor<4xi1>) -> tensor<*xf32> {
  // expected-error @+1 {{supports a floating-point or signed integer base and a floating-point or integer exponent, got 'f32' and 'i1'}}
  %y = qc.Pow %x, %e : (tensor<4xf32>, tensor<4xi1>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

// Unsigned integers (ONNX's UINT types) are integers of every class that
// ONNX allows them in; Cast names them by their TensorProto codes.
// CHECK-LABEL: func.func @unsigned
func.func @unsigned(%x: tensor<4xui8>, %y: tensor<1xui8>, %w: tensor<4xui64>) -> (tensor<*xui8>, tensor<*xi1>, tensor<*xui8>, tensor<*xui64>, tensor<*xui32>, tensor<*xui16>) {
  // CHECK: qc.Div {{.*}} -> tensor<4xui8>
  %d = qc.Div %x, %y : (tensor<4xui8>, tensor<1xui8>) -> tensor<*xui8>
  // CHECK: qc.Greater {{.*}} -> tensor<4xi1>
  %g = qc.Greater %x, %y : (tensor<4xui8>, tensor<1xui8>) -> tensor<*xi1>
  // CHECK: qc.BitShift {{.*}} -> tensor<4xui8>
  %s = qc.BitShift %x, %y {direction = "LEFT"} : (tensor<4xui8>, tensor<1xui8>) -> tensor<*xui8>
  // CHECK: qc.BitwiseNot {{.*}} -> tensor<4xui64>
  %n = qc.BitwiseNot %w : (tensor<4xui64>) -> tensor<*xui64>
  // CHECK: qc.Cast {{.*}} -> tensor<4xui32>
  %c = qc.Cast %x {to = 12 : i64} : (tensor<4xui8>) -> tensor<*xui32>
  // CHECK: qc.Cast {{.*}} -> tensor<4xui16>
  %c16 = qc.Cast %w {to = 4 : i64} : (tensor<4xui64>) -> tensor<*xui16>
  return %d, %g, %s, %n, %c, %c16 : tensor<*xui8>, tensor<*xi1>, tensor<*xui8>, tensor<*xui64>, tensor<*xui32>, tensor<*xui16>
}

// -----

// Constants fold with unsigned semantics: 200 / 3 and a zero-extending cast.
// CHECK-LABEL: func.func @unsigned_folds
// CHECK-DAG: qc.Constant {value = dense<66> : tensor<1xui8>}
// CHECK-DAG: qc.Constant {value = dense<200> : tensor<1xi32>}
func.func @unsigned_folds() -> (tensor<*xui8>, tensor<*xi32>) {
  %a = qc.Constant {value = dense<200> : tensor<1xui8>} : tensor<1xui8>
  %b = qc.Constant {value = dense<3> : tensor<1xui8>} : tensor<1xui8>
  %q = qc.Div %a, %b : (tensor<1xui8>, tensor<1xui8>) -> tensor<*xui8>
  %w = qc.Cast %a {to = 6 : i64} : (tensor<1xui8>) -> tensor<*xi32>
  return %q, %w : tensor<*xui8>, tensor<*xi32>
}

// -----

func.func @neg_unsigned(%x: tensor<4xui8>) -> tensor<*xui8> {
  // expected-error @+1 {{supports floating-point or signed integer tensors, got element type 'ui8'}}
  %y = qc.Neg %x : (tensor<4xui8>) -> tensor<*xui8>
  return %y : tensor<*xui8>
}

// -----

func.func @cast_string(%x: tensor<4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{cast to STRING (TensorProto data type 8) is not supported}}
  %y = qc.Cast %x {to = 8 : i64} : (tensor<4xf32>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @castlike_complex(%x: tensor<4xf32>, %t: tensor<0xcomplex<f32>>) -> tensor<*xf32> {
  // expected-error @+1 {{cast to 'complex<f32>' is not supported}}
  %y = qc.CastLike %x, %t : (tensor<4xf32>, tensor<0xcomplex<f32>>) -> tensor<*xf32>
  return %y : tensor<*xf32>
}

// -----

func.func @dropout_training(%x: tensor<4xf32>, %t: tensor<i1>) -> tensor<*xf32> {
  // expected-error @+1 {{training_mode must be a constant (inference only)}}
  %y, %m = qc.Dropout %x, %t {operandSegmentSizes = array<i32: 1, 0, 1>} : (tensor<4xf32>, tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>)
  return %y : tensor<*xf32>
}

// -----

func.func @dropout_random(%x: tensor<4xf32>) -> tensor<*xf32> {
  %r = qc.Constant {value = dense<0.5> : tensor<f32>} : tensor<f32>
  %t = qc.Constant {value = dense<true> : tensor<i1>} : tensor<i1>
  // expected-error @+1 {{training_mode=true with a nonzero ratio is not supported}}
  %y, %m = qc.Dropout %x, %r, %t {operandSegmentSizes = array<i32: 1, 1, 1>} : (tensor<4xf32>, tensor<f32>, tensor<i1>) -> (tensor<*xf32>, tensor<*xi1>)
  return %y : tensor<*xf32>
}

// -----

func.func @gelu_mode(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{approximate must be 'none' or 'tanh', got 'fast'}}
  %y = qc.Gelu %x {approximate = "fast"} : (tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @mod_mode(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{fmod must be 0 or 1, got 2}}
  %y = qc.Mod %x, %x {fmod = 2 : i64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

func.func @bitshift_direction(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{direction must be 'LEFT' or 'RIGHT', got 'UP'}}
  %y = qc.BitShift %x, %x {direction = "UP"} : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// Equal (integers) and Where fold on constants: torch exports expand(n, -1,
// -1) (ViT's class token) as Where(Equal(shape, -1), 1, shape) -> Expand,
// whose shape must be known. Float Equal is left alone.
// CHECK-LABEL: func.func @equal_where_fold
// CHECK-DAG: qc.Constant {value = dense<[false, true, true]> : tensor<3xi1>}
// CHECK-DAG: qc.Constant {value = dense<{{\[}}[7, 5, 5], [7, 7, 7]]> : tensor<2x3xi64>}
// CHECK-NOT: qc.Where
// CHECK: qc.Expand {{.*}} -> tensor<2x1x768xf32>
// CHECK: qc.Equal {{.*}} -> tensor<2xi1>
func.func @equal_where_fold(%token: tensor<1x1x768xf32>) -> (tensor<*xi1>, tensor<*xi64>, tensor<*xf32>, tensor<*xi1>) {
  %shape = qc.Constant {value = dense<[2, -1, -1]> : tensor<3xi64>} : tensor<3xi64>
  %minus = qc.Constant {value = dense<-1> : tensor<i64>} : tensor<i64>
  %ones = qc.Constant {value = dense<1> : tensor<3xi64>} : tensor<3xi64>
  %eq = qc.Equal %shape, %minus : (tensor<3xi64>, tensor<i64>) -> tensor<*xi1>
  %target = qc.Where %eq, %ones, %shape : (tensor<*xi1>, tensor<3xi64>, tensor<3xi64>) -> tensor<*xi64>
  %y = qc.Expand %token, %target : (tensor<1x1x768xf32>, tensor<*xi64>) -> tensor<*xf32>
  // Broadcasting in all three operands.
  %c = qc.Constant {value = dense<[[false], [true]]> : tensor<2x1xi1>} : tensor<2x1xi1>
  %x = qc.Constant {value = dense<7> : tensor<i64>} : tensor<i64>
  %z = qc.Constant {value = dense<[[1, 5, 5]]> : tensor<1x3xi64>} : tensor<1x3xi64>
  %w0 = qc.Constant {value = dense<[true, false, false]> : tensor<3xi1>} : tensor<3xi1>
  %sel = qc.Where %w0, %x, %z : (tensor<3xi1>, tensor<i64>, tensor<1x3xi64>) -> tensor<*xi64>
  %sel2 = qc.Where %c, %x, %sel : (tensor<2x1xi1>, tensor<i64>, tensor<*xi64>) -> tensor<*xi64>
  %f = qc.Constant {value = dense<[1.0, 2.0]> : tensor<2xf32>} : tensor<2xf32>
  %feq = qc.Equal %f, %f : (tensor<2xf32>, tensor<2xf32>) -> tensor<*xi1>
  return %eq, %sel2, %y, %feq : tensor<*xi1>, tensor<*xi64>, tensor<*xf32>, tensor<*xi1>
}
