// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// Y is (seq, dirs, batch, hidden), or (batch, seq, dirs, hidden) with layout 1.
// CHECK-LABEL: func.func @lstm_bidirectional
// CHECK: qc.LSTM {{.*}} -> (tensor<3x2x1x4xf32>, tensor<2x1x4xf32>, tensor<2x1x4xf32>)
// CHECK: qc.GRU {{.*}} -> (tensor<1x3x1x4xf32>, tensor<1x1x4xf32>)
func.func @lstm_bidirectional(%x: tensor<3x1x2xf32>, %w: tensor<2x16x2xf32>, %r: tensor<2x16x4xf32>,
                              %xb: tensor<1x3x2xf32>, %gw: tensor<1x12x2xf32>, %gr: tensor<1x12x4xf32>) -> tensor<*xf32> {
  %y, %yh, %yc = qc.LSTM %x, %w, %r {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0, 0, 0>, direction = "bidirectional", hidden_size = 4 : i64} : (tensor<3x1x2xf32>, tensor<2x16x2xf32>, tensor<2x16x4xf32>) -> (tensor<*xf32>, tensor<*xf32>, tensor<*xf32>)
  %gy, %gyh = qc.GRU %xb, %gw, %gr {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>, layout = 1 : i64} : (tensor<1x3x2xf32>, tensor<1x12x2xf32>, tensor<1x12x4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}

// -----

func.func @unsupported_activation(%x: tensor<3x1x2xf32>, %w: tensor<1x4x2xf32>, %r: tensor<1x4x4xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{activation 'Softsign' is not supported (only Sigmoid, Tanh and Relu)}}
  %y, %yh = qc.RNN %x, %w, %r {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0, 0>, activations = ["Softsign"]} : (tensor<3x1x2xf32>, tensor<1x4x2xf32>, tensor<1x4x4xf32>) -> (tensor<*xf32>, tensor<*xf32>)
  return %y : tensor<*xf32>
}
