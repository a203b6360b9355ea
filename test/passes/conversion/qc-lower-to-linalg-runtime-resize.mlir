// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file %s | FileCheck %s

// Scales known only at run time: per axis an output size floor(in * scale)
// (clamped to >= 0) and a kernel computing its [out, 2] input indices and
// weights (in f64 as the reference, then f32), and the weighted gather over
// them with one reduction loop per axis.
// CHECK-LABEL: func.func @linear_scales
// CHECK: tensor.extract %arg1[%c0] : tensor<4xf32>
// CHECK: math.floor
// CHECK: arith.maxnumf
// CHECK: %[[I0:.*]]:2 = linalg.generic {{.*}} outs({{.*}} : tensor<?x2xi64>, tensor<?x2xf64>)
// CHECK: arith.truncf {{.*}} : f64 to f32
// CHECK-COUNT-3: outs({{.*}} : tensor<?x2xi64>, tensor<?x2xf64>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "reduction"]} ins(%[[I0]]#0, {{.*}} : tensor<?x2xi64>, tensor<?x2xf32>, tensor<?x2xi64>, tensor<?x2xf32>, tensor<?x2xi64>, tensor<?x2xf32>, tensor<?x2xi64>, tensor<?x2xf32>) outs({{.*}} : tensor<?x?x?x?xf32>)
// CHECK: tensor.extract %arg0
func.func @linear_scales(%x: tensor<1x1x4x5xf32>, %s: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  %y = qc.Resize %x, %s {mode = "linear", operandSegmentSizes = array<i32: 1, 0, 1, 0>} : (tensor<1x1x4x5xf32>, tensor<4xf32>) -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Nearest with run-time sizes: one input index per output position, and a
// pure gather (any element type).
// CHECK-LABEL: func.func @nearest_sizes
// CHECK: tensor.extract %arg1[%c0] : tensor<2xi64>
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<?xi64>)
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<?xi64>)
// CHECK: %[[OUT:.*]] = tensor.empty({{.*}}) : tensor<1x1x?x?xi8>
// CHECK: linalg.generic {{.*}} ins({{.*}} : tensor<?xi64>, tensor<?xi64>) outs(%[[OUT]] : tensor<1x1x?x?xi8>)
func.func @nearest_sizes(%x: tensor<1x1x4x5xi8>, %n: tensor<2xi64>) -> tensor<1x1x?x?xi8> {
  %y = qc.Resize %x, %n {axes = array<i64: 2, 3>, nearest_mode = "ceil", operandSegmentSizes = array<i32: 1, 0, 0, 1>} : (tensor<1x1x4x5xi8>, tensor<2xi64>) -> tensor<1x1x?x?xi8>
  return %y : tensor<1x1x?x?xi8>
}

// -----

// Antialias: the tap count depends on the run-time scale, so the tables
// have a run-time tap dim; their rows are normalized by their sums, raw
// first, then again after exclude_outside.
// CHECK-LABEL: func.func @cubic_antialias
// CHECK: %[[T:.*]]:3 = linalg.generic {{.*}} outs({{.*}} : tensor<?x?xi64>, tensor<?x?xf64>, tensor<?x?xf64>)
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[T]]#2 : tensor<?x?xf64>)
// CHECK: arith.divf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]}
// CHECK: arith.divf
// CHECK: arith.truncf
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[T]]#0, {{.*}} : tensor<?x?xi64>, tensor<?x?xf32>) outs({{.*}} : tensor<1x1x4x?xf32>)
func.func @cubic_antialias(%x: tensor<1x1x4x5xf32>, %n: tensor<1xi64>) -> tensor<1x1x4x?xf32> {
  %y = qc.Resize %x, %n {axes = array<i64: 3>, mode = "cubic", antialias = 1 : i64, exclude_outside = 1 : i64, operandSegmentSizes = array<i32: 1, 0, 0, 1>} : (tensor<1x1x4x5xf32>, tensor<1xi64>) -> tensor<1x1x4x?xf32>
  return %y : tensor<1x1x4x?xf32>
}

// -----

// A run-time roi with constant scales: static tables computed at run time,
// and a mask of the positions that take extrapolation_value.
// CHECK-LABEL: func.func @crop
// CHECK: %[[MASK:.*]] = linalg.generic {{.*}} outs({{.*}} : tensor<8xi1>)
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<8x2xi64>, tensor<8x2xf64>)
// CHECK: %[[G:.*]] = linalg.generic {{.*}} outs({{.*}} : tensor<1x1x8x5xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[G]], %[[MASK]] : tensor<1x1x8x5xf32>, tensor<8xi1>)
// CHECK: arith.select %{{.*}}, %cst{{.*}}, %in
func.func @crop(%x: tensor<1x1x4x5xf32>, %r: tensor<2xf32>) -> tensor<1x1x8x5xf32> {
  %s = qc.Constant {value = dense<2.0> : tensor<1xf32>} : tensor<1xf32>
  %y = qc.Resize %x, %r, %s {axes = array<i64: 2>, mode = "linear", coordinate_transformation_mode = "tf_crop_and_resize", extrapolation_value = 3.0 : f32, operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<1x1x4x5xf32>, tensor<2xf32>, tensor<1xf32>) -> tensor<1x1x8x5xf32>
  return %y : tensor<1x1x8x5xf32>
}
