// RUN: quantc-opt --qc-quantize-dynamic=print-decisions --split-input-file %s 2>%t.decisions | FileCheck %s
// RUN: FileCheck %s --check-prefix=DECISIONS < %t.decisions

// A MatMul with a constant weight: the weight becomes int8 per column
// (column 0: max |w| = 1.27, scale 0.01; column 1: max 0.5, scale 0.5/127),
// A is quantized per row at run time, and the int32 product is scaled back
// by the row's scale times the column's.
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[W:.*]] = qc.Constant {value = dense<{{\[\[}}127, 127], [-64, -127], [1, 0]]> : tensor<3x2xi8>}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<[0.00999999977, 0.00393700786]> : tensor<2xf32>}
// CHECK: %[[Q:.*]], %[[QS:.*]], %[[QZ:.*]] = qc.DynamicQuantizeRows %arg0 : (tensor<?x4x3xf32>) -> (tensor<?x4x3xui8>, tensor<?x4x1xf32>, tensor<?x4x1xui8>)
// CHECK: %[[ACC:.*]] = qc.MatMulInteger %[[Q]], %[[W]], %[[QZ]] {{.*}} -> tensor<?x4x2xi32>
// CHECK: %[[F:.*]] = qc.Cast %[[ACC]] {to = 1 : i64} : (tensor<?x4x2xi32>) -> tensor<?x4x2xf32>
// CHECK: %[[R:.*]] = qc.Mul %[[F]], %[[QS]]
// CHECK: %[[Y:.*]] = qc.Mul %[[R]], %[[S]]
// CHECK: return %[[Y]]
// CHECK-NOT: tensor<3x2xf32>
// DECISIONS: int8-dynamic quantization decisions:
// DECISIONS-NEXT: qc.MatMul 'proj': int8
func.func @matmul(%a: tensor<?x4x3xf32>) -> tensor<?x4x2xf32> {
  %w = qc.Constant {value = dense<[[1.27, 0.5], [-0.64, -0.5], [0.01, 0.0]]> : tensor<3x2xf32>} : tensor<3x2xf32>
  %0 = qc.MatMul %a, %w : (tensor<?x4x3xf32>, tensor<3x2xf32>) -> tensor<?x4x2xf32> loc("proj")
  return %0 : tensor<?x4x2xf32>
}

// -----

// Gemm with transB: the weight [N, K] is quantized per row (a column of
// B'), stored as [K, N]; alpha scales the column scales, beta scales C.
// CHECK-LABEL: func.func @gemm
// CHECK-DAG: %[[W:.*]] = qc.Constant {value = dense<{{\[\[}}127, 0], [-127, 127]]> : tensor<2x2xi8>}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<[0.0157480314, 0.0314960629]> : tensor<2xf32>}
// CHECK: %[[Q:.*]], %[[QS:.*]], %[[QZ:.*]] = qc.DynamicQuantizeRows %arg0
// CHECK: qc.MatMulInteger %[[Q]], %[[W]], %[[QZ]]
// CHECK: %[[Y:.*]] = qc.Mul %{{.*}}, %[[S]]
// CHECK: %[[BETA:.*]] = qc.Constant {value = dense<5.000000e-01> : tensor<f32>}
// CHECK: %[[C:.*]] = qc.Mul %arg1, %[[BETA]]
// CHECK: qc.Add %[[Y]], %[[C]]
// DECISIONS: qc.Gemm 'fc': int8
// DECISIONS-NEXT: qc.Gemm 'fc_transA': float32 (transA = 1 is not supported by the int8 path)
func.func @gemm(%a: tensor<5x2xf32>, %c: tensor<2xf32>, %at: tensor<2x5xf32>) -> (tensor<5x2xf32>, tensor<5x2xf32>) {
  %w = qc.Constant {value = dense<[[1.0, -1.0], [0.0, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.Gemm %a, %w, %c {alpha = 2.0 : f32, beta = 0.5 : f32, transB = 1 : i64} : (tensor<5x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<5x2xf32> loc("fc")
  %1 = qc.Gemm %at, %w {transA = 1 : i64} : (tensor<2x5xf32>, tensor<2x2xf32>) -> tensor<5x2xf32> loc("fc_transA")
  return %0, %1 : tensor<5x2xf32>, tensor<5x2xf32>
}

// -----

// Two MatMuls reading one weight share one int8 copy. A MatMul of two
// activations (attention's scores) stays in float.
// CHECK-LABEL: func.func @shared
// CHECK-COUNT-1: tensor<2x2xi8>} : tensor<2x2xi8>
// CHECK-NOT: tensor<2x2xi8>} : tensor<2x2xi8>
// CHECK: qc.MatMul %arg0, %arg1
// DECISIONS: qc.MatMul 'q': int8
// DECISIONS-NEXT: qc.MatMul 'k': int8
// DECISIONS-NEXT: qc.MatMul 'scores': float32 (its weight operand is computed, not a constant)
func.func @shared(%a: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = qc.Constant {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %a, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> loc("q")
  %1 = qc.MatMul %b, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> loc("k")
  %2 = qc.MatMul %a, %b : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32> loc("scores")
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// An embedding table: int8 per row, each gathered row scaled by its own
// gathered scale (row 0: max 2.54, scale 0.02; row 1: max 1.27, 0.01).
// CHECK-LABEL: func.func @embedding
// CHECK-DAG: %[[T:.*]] = qc.Constant {value = dense<{{\[\[}}127, -64], [0, 127]]> : tensor<2x2xi8>}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<{{\[\[}}2.000000e-02], [0.00999999977]]> : tensor<2x1xf32>}
// CHECK: %[[ROWS:.*]] = qc.Gather %[[T]], %arg0 {{.*}} -> tensor<1x3x2xi8>
// CHECK: %[[RS:.*]] = qc.Gather %[[S]], %arg0 {{.*}} -> tensor<1x3x1xf32>
// CHECK: %[[F:.*]] = qc.Cast %[[ROWS]] {to = 1 : i64}
// CHECK: qc.Mul %[[F]], %[[RS]] : (tensor<1x3x2xf32>, tensor<1x3x1xf32>) -> tensor<1x3x2xf32>
// DECISIONS: qc.Gather 'embed': int8
// DECISIONS-NEXT: qc.Gather 'columns': float32 (it gathers along axis 1, not rows)
func.func @embedding(%ids: tensor<1x3xi64>, %cols: tensor<1xi64>) -> (tensor<1x3x2xf32>, tensor<2x1xf32>) {
  %t = qc.Constant {value = dense<[[2.54, -1.28], [0.0, 1.27]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.Gather %t, %ids : (tensor<2x2xf32>, tensor<1x3xi64>) -> tensor<1x3x2xf32> loc("embed")
  %1 = qc.Gather %t, %cols {axis = 1 : i64} : (tensor<2x2xf32>, tensor<1xi64>) -> tensor<2x1xf32> loc("columns")
  return %0, %1 : tensor<1x3x2xf32>, tensor<2x1xf32>
}
