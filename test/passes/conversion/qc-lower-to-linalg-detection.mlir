// RUN: quantc-opt --qc-lower-to-linalg --canonicalize --split-input-file %s | FileCheck %s

// NonMaxSuppression: per batch and class, the candidates (score above the
// threshold) are compacted, merge-sorted (scf.while over run widths) and
// kept greedily; rows go into a worst-case tensor (batches x classes x
// min(max, boxes) rows, max clamped to [0, boxes]) of which the rows
// written are sliced out.
// CHECK-LABEL: func.func @nms
// CHECK: %[[MAX:.*]] = tensor.extract %{{.*}} : tensor<1xi64>
// CHECK: %[[M:.*]] = arith.index_cast %[[MAX]] : i64 to index
// CHECK: %[[POS:.*]] = arith.maxsi %[[M]], %c0 : index
// CHECK: %[[CLAMPED:.*]] = arith.minsi %[[POS]], %c6 : index
// CHECK: %[[CAP:.*]] = arith.muli %[[CLAMPED]], %c2 : index
// CHECK: %[[ROWS:.*]] = tensor.empty(%[[CAP]]) : tensor<?x3xi64>
// CHECK: %[[LOOP:.*]]:3 = scf.for {{.*}} iter_args({{.*}} = %c0, {{.*}} = %[[ROWS]], {{.*}})
// CHECK: arith.cmpf ogt
// CHECK: scf.while
// CHECK: arith.cmpf ogt
// CHECK: tensor.insert
// CHECK: scf.if
// CHECK: arith.divf
// CHECK: arith.cmpf ogt
// CHECK: tensor.insert
// CHECK: tensor.extract_slice %[[LOOP]]#1[0, 0] [%[[LOOP]]#0, 3] [1, 1] : tensor<?x3xi64> to tensor<?x3xi64>
func.func @nms(%boxes: tensor<1x6x4xf32>, %scores: tensor<1x2x6xf32>, %max: tensor<1xi64>, %iou: tensor<1xf32>, %score: tensor<1xf32>) -> tensor<?x3xi64> {
  %0 = qc.NonMaxSuppression %boxes, %scores, %max, %iou, %score {operandSegmentSizes = array<i32: 1, 1, 1, 1, 1>} : (tensor<1x6x4xf32>, tensor<1x2x6xf32>, tensor<1xi64>, tensor<1xf32>, tensor<1xf32>) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}

// -----

// Without max_output_boxes_per_class nothing is selected: no rows. Run-time
// dims come from tensor.dim (the smaller where boxes and scores should
// agree, so that no read leaves either); center boxes are halved.
// CHECK-LABEL: func.func @omitted
// CHECK-DAG: %[[NB:.*]] = tensor.dim %arg0, %c1
// CHECK-DAG: %[[NS:.*]] = tensor.dim %arg1, %c2
// CHECK: arith.minsi %[[NB]], %[[NS]]
// CHECK: tensor.empty() : tensor<0x3xi64>
// CHECK: arith.divf %{{.*}}, %cst
// CHECK: tensor.extract_slice
func.func @omitted(%boxes: tensor<?x?x4xf32>, %scores: tensor<?x?x?xf32>) -> tensor<?x3xi64> {
  %0 = qc.NonMaxSuppression %boxes, %scores {center_point_box = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0, 0>} : (tensor<?x?x4xf32>, tensor<?x?x?xf32>) -> tensor<?x3xi64>
  return %0 : tensor<?x3xi64>
}
