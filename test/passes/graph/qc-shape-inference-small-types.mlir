// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// bfloat16, float8, float4 and the 4- and 2-bit integers are cast and moved.
// CHECK-LABEL: func.func @cast_and_move
// CHECK: qc.Cast {{.*}} -> tensor<2x3xf8E4M3FN>
// CHECK: qc.Transpose {{.*}} -> tensor<3x2xf8E4M3FN>
// CHECK: qc.CastLike {{.*}} -> tensor<3x2xi4>
func.func @cast_and_move(%x: tensor<2x3xf32>, %like: tensor<1xi4>) -> tensor<*xi4> {
  %0 = qc.Cast %x {to = 17 : i64, saturate = 0 : i64} : (tensor<2x3xf32>) -> tensor<*xf8E4M3FN>
  %1 = qc.Transpose %0 {perm = array<i64: 1, 0>} : (tensor<*xf8E4M3FN>) -> tensor<*xf8E4M3FN>
  %2 = qc.CastLike %1, %like : (tensor<*xf8E4M3FN>, tensor<1xi4>) -> tensor<*xi4>
  %3 = qc.Identity %2 : (tensor<*xi4>) -> tensor<*xi4>
  return %3 : tensor<*xi4>
}

// -----

// Any other op on them is refused, naming the type.
func.func @matmul_f8(%x: tensor<2x2xf8E5M2>) -> tensor<*xf8E5M2> {
  // expected-error @+1 {{element type 'f8E5M2' is supported by Cast, CastLike, QuantizeLinear, DequantizeLinear and data movement ops (Identity, Reshape, Transpose, Concat, Slice, Gather, ...) only}}
  %0 = qc.MatMul %x, %x : (tensor<2x2xf8E5M2>, tensor<2x2xf8E5M2>) -> tensor<*xf8E5M2>
  return %0 : tensor<*xf8E5M2>
}

// -----

// bfloat16 arithmetic is inferred as any float's: qc-widen-bf16 then
// computes it in f32 (qc-widen-bf16.mlir).
// CHECK-LABEL: func.func @add_bf16
// CHECK: qc.Add {{.*}} -> tensor<2xbf16>
func.func @add_bf16(%x: tensor<2xbf16>) -> tensor<*xbf16> {
  %0 = qc.Add %x, %x : (tensor<2xbf16>, tensor<2xbf16>) -> tensor<*xbf16>
  return %0 : tensor<*xbf16>
}

// -----

func.func @round_mode(%x: tensor<2xf32>) -> tensor<*xf8E8M0FNU> {
  // expected-error @+1 {{round_mode must be 'up', 'down' or 'nearest', got 'even'}}
  %0 = qc.Cast %x {to = 24 : i64, round_mode = "even"} : (tensor<2xf32>) -> tensor<*xf8E8M0FNU>
  return %0 : tensor<*xf8E8M0FNU>
}
