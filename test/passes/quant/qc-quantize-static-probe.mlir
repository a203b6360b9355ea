// RUN: quantc-opt --qc-quantize-static=probe=true %s | FileCheck %s

// The probe for --int8-error-budget: the model takes a mask, one value per
// candidate, and each candidate reads x + m (DQ(Q(x)) - x) and
// w + m (DQ(w_int8) - w) with m its own entry (Gather at its index), so
// that each op can be put in int8 at run time; a Softmax output returns its
// logits.
// CHECK-LABEL: func.func @qc_main
// CHECK-SAME: (%[[X:.*]]: tensor<3x2xf32> {qc.name = "x"}, %[[M:.*]]: tensor<2xf32> {qc.name = "qc_probe_mask"})
// CHECK: %[[Q:.*]] = qc.QuantizeLinear %[[X]]
// CHECK: %[[DQ:.*]] = qc.DequantizeLinear %[[Q]]
// CHECK: %[[W:.*]] = qc.DequantizeLinear
// CHECK: %[[I0:.*]] = qc.Constant {value = dense<0> : tensor<i64>}
// CHECK: %[[M0:.*]] = qc.Gather %[[M]], %[[I0]]
// CHECK: %[[D:.*]] = qc.Sub %[[DQ]], %[[X]]
// CHECK: %[[MD:.*]] = qc.Mul %[[D]], %[[M0]]
// CHECK: %[[XB:.*]] = qc.Add %[[X]], %[[MD]]
// CHECK: %[[DW:.*]] = qc.Sub %[[W]], %[[W0:.*]] :
// CHECK: %[[MDW:.*]] = qc.Mul %[[DW]], %[[M0]]
// CHECK: %[[WB:.*]] = qc.Add %[[W0]], %[[MDW]]
// CHECK: %[[Y:.*]] = qc.MatMul %[[XB]], %[[WB]]
// CHECK: dense<1> : tensor<i64>
// CHECK: %[[Z:.*]] = qc.MatMul
// CHECK-NOT: qc.Softmax
// CHECK: return %[[Z]] : tensor<3x2xf32>
func.func @qc_main(%x: tensor<3x2xf32> {qc.name = "x"}) -> tensor<3x2xf32> {
  %w = qc.Constant {value = dense<[[1.0, -3.0], [0.5, 2.0]]> : tensor<2x2xf32>} : tensor<2x2xf32>
  %0 = qc.MatMul %x, %w {qc.calibration = array<f32: -1.0, 5.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %1 = qc.MatMul %0, %w {qc.calibration = array<f32: -1.0, 5.0>} : (tensor<3x2xf32>, tensor<2x2xf32>) -> tensor<3x2xf32>
  %2 = qc.Softmax %1 {axis = -1 : i64} : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %2 : tensor<3x2xf32>
}
