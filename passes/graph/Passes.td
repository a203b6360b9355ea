//===- Passes.td - graph passes on the qc dialect ----------*- tablegen -*-===//
#ifndef QUANTC_PASSES_GRAPH
#define QUANTC_PASSES_GRAPH

include "mlir/Pass/PassBase.td"

def QcShapeInference : Pass<"qc-shape-inference", "mlir::ModuleOp"> {
  let summary = "Infer the result type of every qc op and fold shape subgraphs";
  let description = [{
    Visits the ops of each function in order, asks each op (through
    `ShapeInferenceOpInterface`) for its result types, then tries to fold it,
    so that shapes computed in the graph (Shape -> Gather -> Concat -> Reshape)
    become constants that later ops can read. Function result types are
    updated to match. An op whose shapes are invalid is an error at that op.
  }];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcWidenBf16 : Pass<"qc-widen-bf16", "mlir::ModuleOp"> {
  let summary = "Compute bfloat16 ops in float32, rounding each result to bfloat16";
  let description = [{
    Runs after qc-shape-inference. Every op that computes (not Cast,
    CastLike or a data movement op) with bf16 operands gets them cast to f32
    (a bf16 constant becomes an f32 constant), is re-inferred, and has each
    result that was bf16 cast back to bf16: f32 arithmetic rounded to bf16
    at each op boundary, as onnxruntime's CPU provider computes. An op with
    a bf16 result but no bf16 operand (ConstantOfShape with a bf16 value,
    say), or whose result types would change otherwise, is an error at it.
  }];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

#endif
