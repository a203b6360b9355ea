// RUN: quantc-opt --qc-lower-to-linalg %s | FileCheck %s

// The input projection for all steps is one contraction before the loop;
// the loop carries (h, y, c); each step contracts h with R, then one generic
// yields the new h and c; sequence_lens compares the step with each batch's
// length.
// CHECK-LABEL: func.func @lstm
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: scf.for {{.*}} iter_args
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.cmpi slt
// CHECK: linalg.yield {{.*}}, {{.*}} : f32, f32
// CHECK: tensor.insert_slice
// CHECK: scf.yield
func.func @lstm(%x: tensor<3x2x2xf32>, %w: tensor<1x16x2xf32>, %r: tensor<1x16x4xf32>, %lens: tensor<2xi32>) -> tensor<1x2x4xf32> {
  %y, %yh, %yc = qc.LSTM %x, %w, %r, %lens {operandSegmentSizes = array<i32: 1, 1, 1, 0, 1, 0, 0, 0>, hidden_size = 4 : i64} : (tensor<3x2x2xf32>, tensor<1x16x2xf32>, tensor<1x16x4xf32>, tensor<2xi32>) -> (tensor<3x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>)
  return %yh : tensor<1x2x4xf32>
}
