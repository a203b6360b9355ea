// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file %s | FileCheck %s

// Axes only known at run time: one static lowering per possible axis set,
// picked by scf.index_switch on the set's bit mask (a single axis: on the
// axis). Invalid axes (out of range, repeated) match no case; the default
// yields NaN (0 for integers) until model code can report errors.

// CHECK-LABEL: @reduce
// CHECK: %[[AXIS:.*]] = tensor.extract %arg1
// CHECK: %[[BIT:.*]] = arith.shli %c1_i64, %{{.*}} : i64
// CHECK: %[[MASK:.*]] = arith.index_cast %[[BIT]] : i64 to index
// CHECK: scf.index_switch %[[MASK]] -> tensor<?x?xf32>
// CHECK: case 1 {
// CHECK:   iterator_types = ["reduction", "parallel"]
// CHECK:   tensor.expand_shape {{.*}} into tensor<1x3xf32>
// CHECK: case 2 {
// CHECK:   iterator_types = ["parallel", "reduction"]
// CHECK:   tensor.expand_shape {{.*}} into tensor<2x1xf32>
// CHECK: default {
// CHECK:   linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1xf32>)
func.func @reduce(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %y = qc.ReduceSum %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Two of three axes: the three sets {0,1} {0,2} {1,2} are masks 3, 5, 6.
// CHECK-LABEL: @reduce_two_axes
// CHECK: arith.ori
// CHECK: scf.index_switch %{{.*}} -> tensor<?xf32>
// CHECK: case 3 {
// CHECK: case 5 {
// CHECK: case 6 {
// CHECK: default {
func.func @reduce_two_axes(%x: tensor<2x3x4xf32>, %axes: tensor<2xi64>) -> tensor<?xf32> {
  %y = qc.ReduceMax %x, %axes {keepdims = 0 : i64} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<?xf32>
  return %y : tensor<?xf32>
}

// -----

// CHECK-LABEL: @cumsum
// CHECK: %[[AXIS:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK: scf.index_switch %[[AXIS]] -> tensor<2x3xf32>
// CHECK: case 0 {
// CHECK:   linalg.index 0
// CHECK: case 1 {
// CHECK:   linalg.index 1
// CHECK: default {
func.func @cumsum(%x: tensor<2x3xf32>, %axis: tensor<i32>) -> tensor<2x3xf32> {
  %y = qc.CumSum %x, %axis : (tensor<2x3xf32>, tensor<i32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// Squeeze may only name the dims of size 1: dim 0 (mask 1) or dim 2 (mask 4).
// CHECK-LABEL: @squeeze
// CHECK: scf.index_switch %{{.*}} -> tensor<?x?xf32>
// CHECK: case 1 {
// CHECK:   tensor.collapse_shape {{.*}} into tensor<3x1xf32>
// CHECK: case 4 {
// CHECK:   tensor.collapse_shape {{.*}} into tensor<1x3xf32>
// CHECK: default {
func.func @squeeze(%x: tensor<1x3x1xf32>, %axes: tensor<1xi64>) -> tensor<?x?xf32> {
  %y = qc.Squeeze %x, %axes : (tensor<1x3x1xf32>, tensor<1xi64>) -> tensor<?x?xf32>
  return %y : tensor<?x?xf32>
}

// -----

// Unsqueeze counts its axes in the result's rank: 3 places for one new dim.
// CHECK-LABEL: @unsqueeze
// CHECK: scf.index_switch %{{.*}} -> tensor<?x?x?xf32>
// CHECK: case 1 {
// CHECK:   tensor.expand_shape {{.*}} into tensor<1x2x3xf32>
// CHECK: case 2 {
// CHECK:   tensor.expand_shape {{.*}} into tensor<2x1x3xf32>
// CHECK: case 4 {
// CHECK:   tensor.expand_shape {{.*}} into tensor<2x3x1xf32>
// CHECK: default {
func.func @unsqueeze(%x: tensor<2x3xf32>, %axes: tensor<1xi64>) -> tensor<?x?x?xf32> {
  %y = qc.Unsqueeze %x, %axes : (tensor<2x3xf32>, tensor<1xi64>) -> tensor<?x?x?xf32>
  return %y : tensor<?x?x?xf32>
}
