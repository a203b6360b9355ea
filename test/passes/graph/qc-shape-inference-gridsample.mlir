// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// The output keeps N and C and takes the grid's spatial dims; 3-D too.
// CHECK-LABEL: func.func @grid_sample
// CHECK: qc.GridSample {{.*}} -> tensor<2x3x6x5xf32>
// CHECK: qc.GridSample {{.*}} -> tensor<1x1x2x4x2xf32>
func.func @grid_sample(%x: tensor<2x3x4x4xf32>, %g: tensor<2x6x5x2xf32>, %v: tensor<1x1x3x2x2xf32>, %gv: tensor<1x2x4x2x3xf32>) -> (tensor<*xf32>, tensor<*xf32>) {
  %0 = qc.GridSample %x, %g : (tensor<2x3x4x4xf32>, tensor<2x6x5x2xf32>) -> tensor<*xf32>
  %1 = qc.GridSample %v, %gv {mode = "nearest", align_corners = 1 : i64} : (tensor<1x1x3x2x2xf32>, tensor<1x2x4x2x3xf32>) -> tensor<*xf32>
  return %0, %1 : tensor<*xf32>, tensor<*xf32>
}

// -----

func.func @bad_padding(%x: tensor<1x1x4x4xf32>, %g: tensor<1x2x2x2xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{padding_mode 'wrap' is not zeros, border or reflection}}
  %0 = qc.GridSample %x, %g {padding_mode = "wrap"} : (tensor<1x1x4x4xf32>, tensor<1x2x2x2xf32>) -> tensor<*xf32>
  return %0 : tensor<*xf32>
}
