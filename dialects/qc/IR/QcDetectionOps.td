//===- QcDetectionOps.td - NonMaxSuppression ---------------*- tablegen -*-===//
#ifndef QUANTC_QC_DETECTION_OPS
#define QUANTC_QC_DETECTION_OPS

def Qc_NonMaxSuppressionOp
    : Qc_OnnxOpWithOptionalInputs<"NonMaxSuppression", [Qc_RunTimeDims]> {
  let summary = "ONNX NonMaxSuppression: greedy box selection per batch and class";
  let description = [{
    `selected_indices` is `num_selected x 3` (batch, class, box), its length
    known only at run time: a run-time dim whatever the inputs' shapes. The
    three threshold inputs may be constants or graph inputs (a scalar or a
    one-element tensor; an empty tensor counts as omitted). As in the ONNX
    reference, an omitted max_output_boxes_per_class selects nothing, an
    omitted iou_threshold is 0 and an omitted score_threshold filters no box.
    Candidates are taken by descending score, equal scores in box order.
  }];
  let arguments = (ins AnyTensor:$boxes, AnyTensor:$scores,
                   Optional<AnyTensor>:$max_output_boxes_per_class,
                   Optional<AnyTensor>:$iou_threshold,
                   Optional<AnyTensor>:$score_threshold,
                   DefaultValuedAttr<I64Attr, "0">:$center_point_box);
  let results = (outs AnyTensor:$selected_indices);
}

#endif // QUANTC_QC_DETECTION_OPS
