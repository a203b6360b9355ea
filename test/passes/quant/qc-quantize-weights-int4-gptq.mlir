// RUN: quantc-opt --qc-quantize-weights-int4="group-size=3 method=gptq print-decisions" %s 2>&1 | FileCheck %s
// RUN: quantc-opt --qc-quantize-weights-int4="group-size=3 method=rtn" %s | FileCheck %s --check-prefix=RTN

// GPTQ on a tiny matrix with a known answer. One column, K = 3, one group:
// w = [0.96, 0.16, 1.5], range [0, 1.5], so scale 0.1 and zero point 0.
// The Hessian couples inputs 0 and 1 (X's two first channels move
// together) and leaves input 2 alone: H = [[1, .9, 0], [.9, 1, 0],
// [0, 0, 1]], damped by 1% of its mean diagonal to 1.01 on the diagonal.
// Row 0 rounds 9.6 up to 10: error -0.04. GPTQ moves row 1 by
// -(Hinv01 / Hinv00) * error = (0.9 / 1.01) * -0.04 = -0.0356, from 0.16
// to 0.1244, which rounds to 1, so that x0 * w0 + x1 * w1 stays close for
// the x this H describes. RTN rounds 1.6 to 2. Row 2 is uncoupled: 15
// either way. The decision prints the output error of both.
// CHECK: w4 quantization decisions (g3, gptq
// CHECK-NEXT: qc.MatMul 'mm' [3 x 1]: gptq, output error {{.*}} (rtn {{.*}})
// CHECK-LABEL: func.func @matmul
// CHECK: qc.Constant {value = dense<{{\[\[}}10], [1], [15]]> : tensor<3x1xui4>}
// CHECK-NOT: qc.hessian
// RTN: qc.Constant {value = dense<{{\[\[}}10], [2], [15]]> : tensor<3x1xui4>}
// RTN-NOT: qc.hessian
func.func @matmul(%x: tensor<4x3xf32>) -> tensor<4x1xf32> {
  %w = qc.Constant {value = dense<[[0.96], [0.16], [1.5]]> : tensor<3x1xf32>} : tensor<3x1xf32>
  %0 = qc.MatMul %x, %w {qc.hessian = dense<[[1.0, 0.9, 0.0], [0.9, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>} : (tensor<4x3xf32>, tensor<3x1xf32>) -> tensor<4x1xf32> loc("mm")
  return %0 : tensor<4x1xf32>
}
