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

#endif
