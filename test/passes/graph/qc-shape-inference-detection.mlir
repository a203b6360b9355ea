// RUN: quantc-opt --qc-shape-inference --split-input-file --verify-diagnostics %s | FileCheck %s

// The number of selected boxes is only known at run time, whatever the
// inputs' shapes.
// CHECK-LABEL: func.func @nms
// CHECK: qc.NonMaxSuppression {{.*}} -> tensor<?x3xi64>
func.func @nms(%boxes: tensor<2x10x4xf32>, %scores: tensor<2x3x10xf32>, %max: tensor<1xi64>, %iou: tensor<f32>, %score: tensor<1xf32>) -> tensor<*xi64> {
  %0 = qc.NonMaxSuppression %boxes, %scores, %max, %iou, %score {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<2x10x4xf32>, tensor<2x3x10xf32>, tensor<1xi64>, tensor<f32>, tensor<1xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

// Optional inputs omitted, run-time dims, center_point_box = 1.
// CHECK-LABEL: func.func @omitted
// CHECK: qc.NonMaxSuppression {{.*}} -> tensor<?x3xi64>
func.func @omitted(%boxes: tensor<?x?x4xf32>, %scores: tensor<?x?x?xf32>) -> tensor<*xi64> {
  %0 = qc.NonMaxSuppression %boxes, %scores {center_point_box = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<?x?x4xf32>, tensor<?x?x?xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @not_four(%boxes: tensor<1x10x5xf32>, %scores: tensor<1x1x10xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{boxes must be batches x boxes x 4, got 'tensor<1x10x5xf32>'}}
  %0 = qc.NonMaxSuppression %boxes, %scores {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<1x10x5xf32>, tensor<1x1x10xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @box_count(%boxes: tensor<1x10x4xf32>, %scores: tensor<1x1x9xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{disagree on the number of boxes}}
  %0 = qc.NonMaxSuppression %boxes, %scores {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<1x10x4xf32>, tensor<1x1x9xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @int_boxes(%boxes: tensor<1x10x4xi32>, %scores: tensor<1x1x10xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{boxes and scores must be floats of one type}}
  %0 = qc.NonMaxSuppression %boxes, %scores {operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<1x10x4xi32>, tensor<1x1x10xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @center(%boxes: tensor<1x10x4xf32>, %scores: tensor<1x1x10xf32>) -> tensor<*xi64> {
  // expected-error @+1 {{center_point_box must be 0 or 1, got 2}}
  %0 = qc.NonMaxSuppression %boxes, %scores {center_point_box = 2 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<1x10x4xf32>, tensor<1x1x10xf32>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @two_maxes(%boxes: tensor<1x10x4xf32>, %scores: tensor<1x1x10xf32>, %max: tensor<2xi64>) -> tensor<*xi64> {
  // expected-error @+1 {{'max_output_boxes_per_class' must be a scalar or a one-element tensor of signed integers, got 'tensor<2xi64>'}}
  %0 = qc.NonMaxSuppression %boxes, %scores, %max {operandSegmentSizes = array<i32: 1, 1, 1, 0, 0>} : (tensor<1x10x4xf32>, tensor<1x1x10xf32>, tensor<2xi64>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}

// -----

func.func @int_iou(%boxes: tensor<1x10x4xf32>, %scores: tensor<1x1x10xf32>, %iou: tensor<1xi64>) -> tensor<*xi64> {
  // expected-error @+1 {{'iou_threshold' must be a scalar or a one-element tensor of floats, got 'tensor<1xi64>'}}
  %0 = qc.NonMaxSuppression %boxes, %scores, %iou {operandSegmentSizes = array<i32: 1, 1, 0, 1, 0>} : (tensor<1x10x4xf32>, tensor<1x1x10xf32>, tensor<1xi64>) -> tensor<*xi64>
  return %0 : tensor<*xi64>
}
