// RUN: quantc-opt --qc-lower-to-linalg %s | FileCheck %s

// Bilinear in 2-D: one generic over the output reads the two grid
// coordinates and the four taps of X (each guarded for zeros padding).
// CHECK-LABEL: func.func @bilinear
// CHECK: linalg.generic
// CHECK-COUNT-2: tensor.extract %arg1
// CHECK: math.floor
// CHECK-COUNT-4: tensor.extract %arg0
func.func @bilinear(%x: tensor<1x1x3x2xf32>, %g: tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32> {
  %0 = qc.GridSample %x, %g : (tensor<1x1x3x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x1x2x4xf32>
  return %0 : tensor<1x1x2x4xf32>
}
