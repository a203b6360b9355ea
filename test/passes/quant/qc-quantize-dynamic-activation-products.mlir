// RUN: quantc-opt --qc-quantize-dynamic="activation-products=true print-decisions=true" --canonicalize --split-input-file %s 2>%t.decisions | FileCheck %s
// RUN: FileCheck %s --check-prefix=DECISIONS < %t.decisions

// Attention's scores, Q x K^T / 2, with K^T a Transpose of K: Q is divided
// by 2 first and quantized per row; K^T per column, which is K per row (the
// transposes fold away); the zero point and scale per column of K^T are
// K's per row seen as [.., 1, N]. The product is scaled back by both.
// CHECK-LABEL: func.func @scores
// CHECK: %[[HALF:.*]] = qc.Constant {value = dense<2.000000e+00> : tensor<f32>}
// CHECK: %[[QD:.*]] = qc.Div %arg0, %[[HALF]] : (tensor<1x2x4x3xf32>, tensor<f32>) -> tensor<1x2x4x3xf32>
// CHECK: %[[Q:.*]], %[[QS:.*]], %[[QZ:.*]] = qc.DynamicQuantizeRows %[[QD]] : (tensor<1x2x4x3xf32>) -> (tensor<1x2x4x3xui8>, tensor<1x2x4x1xf32>, tensor<1x2x4x1xui8>)
// CHECK: %[[K:.*]], %[[KS:.*]], %[[KZ:.*]] = qc.DynamicQuantizeRows %arg1 : (tensor<1x2x5x3xf32>) -> (tensor<1x2x5x3xui8>, tensor<1x2x5x1xf32>, tensor<1x2x5x1xui8>)
// CHECK-DAG: %[[KT:.*]] = qc.Transpose %[[K]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x5x3xui8>) -> tensor<1x2x3x5xui8>
// CHECK-DAG: %[[KZT:.*]] = qc.Transpose %[[KZ]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x5x1xui8>) -> tensor<1x2x1x5xui8>
// CHECK: %[[ACC:.*]] = qc.MatMulInteger %[[Q]], %[[KT]], %[[QZ]], %[[KZT]] {{.*}} -> tensor<1x2x4x5xi32>
// CHECK: %[[F:.*]] = qc.Cast %[[ACC]]
// CHECK: %[[R:.*]] = qc.Mul %[[F]], %[[QS]]
// CHECK: %[[KST:.*]] = qc.Transpose %[[KS]] {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x5x1xf32>) -> tensor<1x2x1x5xf32>
// CHECK: %[[Y:.*]] = qc.Mul %[[R]], %[[KST]]
// CHECK: return %[[Y]]
// CHECK-NOT: qc.MatMul
// DECISIONS: int8-dynamic quantization decisions:
// DECISIONS-NEXT: qc.MatMul 'scores': int8
func.func @scores(%q: tensor<1x2x4x3xf32>, %k: tensor<1x2x5x3xf32>) -> tensor<1x2x4x5xf32> {
  %kt = qc.Transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x5x3xf32>) -> tensor<1x2x3x5xf32>
  %s = qc.MatMul %q, %kt : (tensor<1x2x4x3xf32>, tensor<1x2x3x5xf32>) -> tensor<1x2x4x5xf32> loc("scores")
  %two = qc.Constant {value = dense<2.0> : tensor<f32>} : tensor<f32>
  %d = qc.Div %s, %two : (tensor<1x2x4x5xf32>, tensor<f32>) -> tensor<1x2x4x5xf32>
  return %d : tensor<1x2x4x5xf32>
}

// -----

// P x V with its product read twice: nothing moves onto A. V per column
// is V^T per row. Products of other shapes stay in float: 2-D ones, and
// batch dims that differ (a broadcast).
// CHECK-LABEL: func.func @context
// CHECK: %[[P:.*]], %{{.*}}, %{{.*}} = qc.DynamicQuantizeRows %arg0 : (tensor<2x4x4xf32>)
// CHECK: %[[VT:.*]] = qc.Transpose %arg1 {perm = array<i64: 0, 2, 1>} : (tensor<2x4x3xf32>) -> tensor<2x3x4xf32>
// CHECK: qc.DynamicQuantizeRows %[[VT]] : (tensor<2x3x4xf32>) -> (tensor<2x3x4xui8>, tensor<2x3x1xf32>, tensor<2x3x1xui8>)
// CHECK: qc.MatMulInteger
// CHECK: qc.MatMul %arg2, %arg3 : (tensor<4x4xf32>, tensor<4x3xf32>)
// CHECK: qc.MatMul %arg0, %arg4 : (tensor<2x4x4xf32>, tensor<1x4x3xf32>)
// DECISIONS: qc.MatMul 'context': int8
// DECISIONS-NEXT: qc.MatMul 'flat': float32 (its weight operand is computed, not a constant)
// DECISIONS-NEXT: qc.MatMul 'broadcast': float32 (its weight operand is computed, not a constant)
func.func @context(%p: tensor<2x4x4xf32>, %v: tensor<2x4x3xf32>, %p2: tensor<4x4xf32>, %v2: tensor<4x3xf32>, %v3: tensor<1x4x3xf32>) -> (tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<4x3xf32>, tensor<2x4x3xf32>) {
  %c = qc.MatMul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x3xf32>) -> tensor<2x4x3xf32> loc("context")
  %two = qc.Constant {value = dense<2.0> : tensor<f32>} : tensor<f32>
  %d = qc.Mul %c, %two : (tensor<2x4x3xf32>, tensor<f32>) -> tensor<2x4x3xf32>
  %f = qc.MatMul %p2, %v2 : (tensor<4x4xf32>, tensor<4x3xf32>) -> tensor<4x3xf32> loc("flat")
  %b = qc.MatMul %p, %v3 : (tensor<2x4x4xf32>, tensor<1x4x3xf32>) -> tensor<2x4x3xf32> loc("broadcast")
  return %c, %d, %f, %b : tensor<2x4x3xf32>, tensor<2x4x3xf32>, tensor<4x3xf32>, tensor<2x4x3xf32>
}
