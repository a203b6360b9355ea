//===- QcGridSampleOps.td - GridSample ---------------------*- tablegen -*-===//
#ifndef QUANTC_QC_GRIDSAMPLE_OPS
#define QUANTC_QC_GRIDSAMPLE_OPS

def Qc_GridSampleOp : Qc_OnnxOp<"GridSample"> {
  let summary = "ONNX GridSample (N-d; linear, nearest, cubic; zeros, border, "
                "reflection padding; align_corners)";
  let description = [{
    Opset 16 spells the modes bilinear/bicubic; the importer's names are
    accepted in both spellings.
  }];
  let arguments = (ins AnyTensor:$X, AnyTensor:$grid,
                   DefaultValuedAttr<I64Attr, "0">:$align_corners,
                   DefaultValuedStrAttr<StrAttr, "linear">:$mode,
                   DefaultValuedStrAttr<StrAttr, "zeros">:$padding_mode);
  let results = (outs AnyTensor:$Y);
}

#endif // QUANTC_QC_GRIDSAMPLE_OPS
