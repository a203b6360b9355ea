// RUN: quantc-opt --qc-widen-bf16 --split-input-file --verify-diagnostics %s | FileCheck %s

// An op on bf16 computes in f32 between casts: bf16 -> f32 (FLOAT, 1) on
// its operands, f32 -> bf16 (BFLOAT16, 16) on its results, so each op's
// result is rounded to bf16 as onnxruntime does. A value used twice is cast
// once; the next op widens the rounded value again.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xbf16>)
// CHECK: %[[WX:.*]] = qc.Cast %[[X]] {to = 1 : i64} : (tensor<2x3xbf16>) -> tensor<2x3xf32>
// CHECK: %[[A:.*]] = qc.Mul %[[WX]], %[[WX]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[RA:.*]] = qc.Cast %[[A]] {to = 16 : i64} : (tensor<2x3xf32>) -> tensor<2x3xbf16>
// CHECK: %[[WA:.*]] = qc.Cast %[[RA]] {to = 1 : i64}
// CHECK: %[[C:.*]] = qc.Celu %[[WA]] {{.*}} -> tensor<2x3xf32>
// CHECK: %[[RC:.*]] = qc.Cast %[[C]] {to = 16 : i64} : (tensor<2x3xf32>) -> tensor<2x3xbf16>
// CHECK: return %[[RC]]
func.func @chain(%x: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %0 = qc.Mul %x, %x : (tensor<2x3xbf16>, tensor<2x3xbf16>) -> tensor<2x3xbf16>
  %1 = qc.Celu %0 : (tensor<2x3xbf16>) -> tensor<2x3xbf16>
  return %1 : tensor<2x3xbf16>
}

// -----

// Data movement keeps bf16; a bf16 constant becomes an f32 constant (exact)
// so that ops reading constant operands still see one; results that are not
// bf16 (a comparison's) need no cast back.
// CHECK-LABEL: func.func @movement_and_constants
// CHECK-DAG: %[[K:.*]] = qc.Constant {value = dense<[1.500000e+00, -2.000000e+00]> : tensor<2xf32>} : tensor<2xf32>
// CHECK-DAG: %[[T:.*]] = qc.Transpose %{{.*}} -> tensor<3x2xbf16>
// CHECK: %[[WT:.*]] = qc.Cast %[[T]] {to = 1 : i64}
// CHECK: %[[G:.*]] = qc.Greater %[[WT]], %[[K]] : (tensor<3x2xf32>, tensor<2xf32>) -> tensor<3x2xi1>
// CHECK-NOT: qc.Cast
// CHECK: return %[[T]], %[[G]]
func.func @movement_and_constants(%x: tensor<2x3xbf16>) -> (tensor<3x2xbf16>, tensor<3x2xi1>) {
  %k = qc.Constant {value = dense<[1.5, -2.0]> : tensor<2xbf16>} : tensor<2xbf16>
  %t = qc.Transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xbf16>) -> tensor<3x2xbf16>
  %g = qc.Greater %t, %k : (tensor<3x2xbf16>, tensor<2xbf16>) -> tensor<3x2xi1>
  return %t, %g : tensor<3x2xbf16>, tensor<3x2xi1>
}

// -----

// Other operands keep their types (OneHot's indices and depth).
// CHECK-LABEL: func.func @onehot
// CHECK: %[[WV:.*]] = qc.Cast %{{.*}} {to = 1 : i64} : (tensor<2xbf16>) -> tensor<2xf32>
// CHECK: %[[O:.*]] = qc.OneHot %{{.*}}, %{{.*}}, %[[WV]] {{.*}} -> tensor<3x4xf32>
// CHECK: qc.Cast %[[O]] {to = 16 : i64} : (tensor<3x4xf32>) -> tensor<3x4xbf16>
func.func @onehot(%i: tensor<3xi64>, %v: tensor<2xbf16>) -> tensor<3x4xbf16> {
  %c = qc.Constant {value = dense<4> : tensor<i64>} : tensor<i64>
  %0 = qc.OneHot %i, %c, %v : (tensor<3xi64>, tensor<i64>, tensor<2xbf16>) -> tensor<3x4xbf16>
  return %0 : tensor<3x4xbf16>
}

// -----

// A bf16 result that does not come from a bf16 operand cannot be widened.
func.func @fill(%shape: tensor<2xi64>) -> tensor<?x?xbf16> {
  // expected-error @+1 {{element type 'bf16' is supported by Cast, CastLike, QuantizeLinear, DequantizeLinear and data movement ops}}
  %0 = qc.ConstantOfShape %shape {value = dense<1.0> : tensor<1xbf16>} : (tensor<2xi64>) -> tensor<?x?xbf16>
  return %0 : tensor<?x?xbf16>
}

// -----

func.func @eye_like(%x: tensor<2x2xf32>) -> tensor<2x2xbf16> {
  // expected-error @+1 {{element type 'bf16' is supported by Cast, CastLike, QuantizeLinear, DequantizeLinear and data movement ops}}
  %0 = qc.EyeLike %x {dtype = 16 : i64} : (tensor<2x2xf32>) -> tensor<2x2xbf16>
  return %0 : tensor<2x2xbf16>
}

// -----

// Float8 is not widened: qc-shape-inference refuses it before.
// CHECK-LABEL: func.func @f8_untouched
// CHECK: qc.Transpose {{.*}} -> tensor<3x2xf8E4M3FN>
func.func @f8_untouched(%x: tensor<2x3xf8E4M3FN>) -> tensor<3x2xf8E4M3FN> {
  %0 = qc.Transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf8E4M3FN>) -> tensor<3x2xf8E4M3FN>
  return %0 : tensor<3x2xf8E4M3FN>
}
