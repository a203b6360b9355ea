//===- Passes.td - quantization passes on the qc dialect ---*- tablegen -*-===//
#ifndef QUANTC_PASSES_QUANT
#define QUANTC_PASSES_QUANT

include "mlir/Pass/PassBase.td"

def QcQuantizeDynamic : Pass<"qc-quantize-dynamic", "mlir::ModuleOp"> {
  let summary = "int8 weights, activations quantized at run time "
                "(`--quantize=int8-dynamic`)";
  let description = [{
    Runs after qc-shape-inference. Rewrites, in float32 models:

    - MatMul(A, W) and Gemm(A, W, C) (transA = 0) whose W is a constant 2-D
      float32 matrix: W becomes int8, symmetric per output column
      (scale = max |W[:, n]| / 127, zero point 0), computed here once; A is
      quantized when the model runs by DynamicQuantizeLinear (uint8, the
      scale and zero point of its own range); MatMulInteger multiplies them
      in int32, and the result is cast to float32 and scaled by
      A's scale x W's column scale (times Gemm's alpha), then beta x C is
      added. This is onnxruntime's `quantize_dynamic` graph, with
      per-column rather than per-tensor weight scales.
    - Gather(D, indices) on axis 0 of a constant 2-D float32 table D (an
      embedding): D becomes int8, symmetric per row, and the gathered rows
      are scaled by their gathered scales. The table, often the largest
      weight of a language model, shrinks 4x.

    Every other op stays in float32. With `print-decisions`, each candidate
    is printed with the node's ONNX name and why it was or was not
    quantized.
  }];
  let options = [
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each quantization decision and its reason to stderr">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

#endif
