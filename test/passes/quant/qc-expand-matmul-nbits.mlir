// RUN: quantc-opt --qc-expand-matmul-nbits --split-input-file --verify-diagnostics %s | FileCheck %s

// K = 4, N = 2, one block of 4. B's row n holds n's weights along K, two a
// byte, the first low: row 0 = [1, 2, 3, 4] (bytes 33, 67), row 1 =
// [15, 0, 8, 7] (bytes 15, 120). Zero points 8 and 3 (one block per row,
// in each row's low half). As --quantize=w4 stores it, [K, N] two a byte
// along N: [1, 15] -> 241, [2, 0] -> 2, [3, 8] -> 131, [4, 7] -> 116; the
// scales and zero points [blocks, N/2, 2].
// CHECK-LABEL: func.func @nbits
// CHECK-DAG: qc.Constant {value = dense<{{\[\[\[}}241]], {{\[\[}}2]], {{\[\[}}131]], {{\[\[}}116]]]> : tensor<4x1x1xui8>}
// CHECK-DAG: qc.Constant {value = dense<{{\[\[\[}}5.000000e-01, 2.500000e-01]]]> : tensor<1x1x2xf32>}
// CHECK-DAG: qc.Constant {value = dense<{{\[\[\[}}8, 3]]]> : tensor<1x1x2xui8>}
// CHECK: %[[DQ:.*]] = qc.DequantizeLinear {{.*}} {axis = 0 : i64, block_size = 4 : i64}
// CHECK: %[[W:.*]] = qc.Reshape %[[DQ]], {{.*}} -> tensor<4x2xf32>
// CHECK: %[[Y:.*]] = qc.MatMul %arg0, %[[W]] : (tensor<3x4xf32>, tensor<4x2xf32>) -> tensor<3x2xf32>
// CHECK: %[[Z:.*]] = qc.Add %[[Y]], %arg1
// CHECK: return %[[Z]]
func.func @nbits(%a: tensor<3x4xf32>, %bias: tensor<2xf32>) -> tensor<3x2xf32> {
  %b = qc.Constant {value = dense<[[[33, 67]], [[15, 120]]]> : tensor<2x1x2xui8>} : tensor<2x1x2xui8>
  %s = qc.Constant {value = dense<[0.5, 0.25]> : tensor<2xf32>} : tensor<2xf32>
  %z = qc.Constant {value = dense<[8, 3]> : tensor<2xui8>} : tensor<2xui8>
  %0 = "qc.MatMulNBits"(%a, %b, %s, %z, %bias) {K = 4 : i64, N = 2 : i64, block_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1, 0, 1>} : (tensor<3x4xf32>, tensor<2x1x2xui8>, tensor<2xf32>, tensor<2xui8>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Without zero points: 8.
// CHECK-LABEL: func.func @no_zero_points
// CHECK: qc.Constant {value = dense<8> : tensor<1x1x2xui8>}
func.func @no_zero_points(%a: tensor<3x4xf32>) -> tensor<3x2xf32> {
  %b = qc.Constant {value = dense<[[[33, 67]], [[15, 120]]]> : tensor<2x1x2xui8>} : tensor<2x1x2xui8>
  %s = qc.Constant {value = dense<[0.5, 0.25]> : tensor<2xf32>} : tensor<2xf32>
  %0 = "qc.MatMulNBits"(%a, %b, %s) {K = 4 : i64, N = 2 : i64, block_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>} : (tensor<3x4xf32>, tensor<2x1x2xui8>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// A B computed at run time is refused, saying why.
func.func @computed(%a: tensor<3x4xf32>, %b: tensor<2x1x2xui8>) -> tensor<3x2xf32> {
  %s = qc.Constant {value = dense<[0.5, 0.25]> : tensor<2xf32>} : tensor<2xf32>
  // expected-error @+1 {{MatMulNBits with a B that is not a constant uint8 tensor is not supported}}
  %0 = "qc.MatMulNBits"(%a, %b, %s) {K = 4 : i64, N = 2 : i64, block_size = 4 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>} : (tensor<3x4xf32>, tensor<2x1x2xui8>, tensor<2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}
