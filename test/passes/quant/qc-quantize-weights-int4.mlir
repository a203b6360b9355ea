// RUN: quantc-opt --qc-quantize-weights-int4=group-size=2 --split-input-file %s | FileCheck %s

// K = 3 rows in groups of 2 (the last one short), per column. Column 0,
// rows 0-1: [0, 3] -> scale 0.2, zero point 0, values 0 and 15; row 2:
// [-1.5, 0] -> scale 0.1, zero point 15, value 0. Column 1, rows 0-1:
// [-1, 1] -> scale 2/15 (0.13333334 in float32, so 1 / scale rounds to 7):
// zero point 7, values 0 and 14; row 2: [0, 0] -> scale 1, zero point 0.
// N is even, so two values go in a byte, the first in the low half: row 1
// is 15 + 16 x 14 = 239. The bytes, [K, N/2, 1], are split into [K, N/2, 2]
// by a shift of 0 and 4 and a mask of 15, dequantized with the scales and
// zero points viewed [groups, N/2, 2], and reshaped back to [K, N].
// CHECK-LABEL: func.func @matmul
// CHECK-DAG: %[[Q:.*]] = qc.Constant {value = dense<{{\[\[\[}}0]], {{\[\[}}239]], {{\[\[}}0]]]> : tensor<3x1x1xui8>}
// CHECK-DAG: %[[SHIFT:.*]] = qc.Constant {value = dense<[0, 4]> : tensor<2xui8>}
// CHECK-DAG: %[[MASK:.*]] = qc.Constant {value = dense<15> : tensor<ui8>}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<{{\[\[\[}}2.000000e-01, 0.13333334]], {{\[\[}}1.000000e-01, 1.000000e+00]]]> : tensor<2x1x2xf32>}
// CHECK-DAG: %[[Z:.*]] = qc.Constant {value = dense<{{\[\[\[}}0, 7]], {{\[\[}}15, 0]]]> : tensor<2x1x2xui8>}
// CHECK: %[[HALVES:.*]] = qc.BitShift %[[Q]], %[[SHIFT]] {direction = "RIGHT"} : (tensor<3x1x1xui8>, tensor<2xui8>) -> tensor<3x1x2xui8>
// CHECK: %[[NIBBLES:.*]] = qc.BitwiseAnd %[[HALVES]], %[[MASK]]
// CHECK: %[[B:.*]] = qc.DequantizeLinear %[[NIBBLES]], %[[S]], %[[Z]] {axis = 0 : i64, block_size = 2 : i64} : {{.*}} -> tensor<3x1x2xf32>
// CHECK: %[[W:.*]] = qc.Reshape %[[B]], %{{.*}} -> tensor<3x2xf32>
// CHECK: qc.MatMul %arg0, %[[W]]
func.func @matmul(%x: tensor<4x3xf32>) -> tensor<4x2xf32> {
  %w = qc.Constant {value = dense<[[0.0, -1.0], [3.0, 1.0], [-1.5, 0.0]]> : tensor<3x2xf32>} : tensor<3x2xf32>
  %0 = qc.MatMul %x, %w : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// A Gemm's transposed weight is stored [K, N], and transB cleared. N = 3
// is odd: a value a byte, as uint4.
// CHECK-LABEL: func.func @gemm
// CHECK: qc.DequantizeLinear {{.*}} : (tensor<2x3xui4>, tensor<1x3xf32>, tensor<1x3xui4>) -> tensor<2x3xf32>
// CHECK: qc.Gemm %arg0, %{{.*}} : (tensor<4x2xf32>, tensor<2x3xf32>)
// CHECK-NOT: transB
func.func @gemm(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = qc.Constant {value = dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>} : tensor<3x2xf32>
  %0 = qc.Gemm %x, %w {transB = 1 : i64} : (tensor<4x2xf32>, tensor<3x2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// An embedding: each row of the table in groups of 2 along the row, two
// values a byte. Row 0 = [0, 3 | -1.5, 0]: group 0 has scale 0.2, zero
// point 0, values 0 and 15 (byte 240); group 1 scale 0.1, zero point 15,
// values 0 and 15 (byte 240). Only the gathered rows are unpacked and
// dequantized, and the indices' run-time dim stays.
// CHECK-LABEL: func.func @embedding
// CHECK-DAG: %[[Q:.*]] = qc.Constant {value = dense<{{\[\[\[\[}}240]], {{\[\[}}240]]]{{.*}}> : tensor<2x2x1x1xui8>}
// CHECK-DAG: %[[S:.*]] = qc.Constant {value = dense<{{\[\[\[\[}}2.000000e-01]], {{\[\[}}1.000000e-01]]]{{.*}}> : tensor<2x2x1x1xf32>}
// CHECK-DAG: %[[Z:.*]] = qc.Constant {value = dense<{{\[\[\[\[}}0]], {{\[\[}}15]]]{{.*}}> : tensor<2x2x1x1xui8>}
// CHECK: %[[ROWS:.*]] = qc.Gather %[[Q]], %arg0 {{.*}} -> tensor<?x2x1x1xui8>
// CHECK: %[[SCALES:.*]] = qc.Gather %[[S]], %arg0 {{.*}} -> tensor<?x2x1x1xf32>
// CHECK: %[[ZPS:.*]] = qc.Gather %[[Z]], %arg0 {{.*}} -> tensor<?x2x1x1xui8>
// CHECK: %[[HALVES:.*]] = qc.BitShift %[[ROWS]]
// CHECK: %[[NIBBLES:.*]] = qc.BitwiseAnd %[[HALVES]]
// CHECK: %[[F:.*]] = qc.Cast %[[NIBBLES]] {to = 1 : i64} : (tensor<?x2x1x2xui8>) -> tensor<?x2x1x2xf32>
// CHECK: %[[ZF:.*]] = qc.Cast %[[ZPS]]
// CHECK: %[[C:.*]] = qc.Sub %[[F]], %[[ZF]]
// CHECK: %[[D:.*]] = qc.Mul %[[C]], %[[SCALES]]
// CHECK: qc.Constant {value = dense<[0, 4]> : tensor<2xi64>}
// CHECK: %[[Y:.*]] = qc.Reshape %[[D]], %{{.*}} -> tensor<?x4xf32>
// CHECK: return %[[Y]]
func.func @embedding(%ids: tensor<?xi64>) -> tensor<?x4xf32> {
  %t = qc.Constant {value = dense<[[0.0, 3.0, -1.5, 0.0], [1.0, 2.0, 3.0, 4.0]]> : tensor<2x4xf32>} : tensor<2x4xf32>
  %0 = qc.Gather %t, %ids : (tensor<2x4xf32>, tensor<?xi64>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// A row that is not a whole number of groups stays float.
// CHECK-LABEL: func.func @odd_rows
// CHECK: qc.Gather %{{.*}}, %arg0 : (tensor<2x3xf32>
func.func @odd_rows(%ids: tensor<?xi64>) -> tensor<?x3xf32> {
  %t = qc.Constant {value = dense<[[0.0, 3.0, -1.5], [1.0, 2.0, 3.0]]> : tensor<2x3xf32>} : tensor<2x3xf32>
  %0 = qc.Gather %t, %ids : (tensor<2x3xf32>, tensor<?xi64>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
