//===- Passes.td - the generated library's ABI -------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_ABI
#define QUANTC_PASSES_ABI

include "mlir/Pass/PassBase.td"

def QcExportEntryPoint : Pass<"qc-export-entry-point", "mlir::ModuleOp"> {
  let summary = "Describe the model's entry function for the runtime";
  let description = [{
    Writes the `qc_signature` global (docs/runtime-abi.md: the model name and
    each input and output with its ONNX name, dtype and shape) from the entry
    function `@qc_main`, and prepares that function for the C ABI: inputs are
    marked not writable (the runtime never lets model code write the caller's
    inputs), and the function gets a C interface. When every output is
    static the entry is made private, so that bufferization turns its results
    into out-params; when some output is sized at run time it stays public
    and returns its results ("results returned"). Runs on tensors, after
    shape inference and before the lowering to linalg.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def QcSeparateResults : Pass<"qc-separate-results", "mlir::ModuleOp"> {
  let summary = "Give every result of the entry function a buffer of its own";
  let description = [{
    An output that is an input of the entry, or the same value as an earlier
    output, is copied into a fresh tensor (`bufferization.alloc_tensor`).
    Otherwise bufferization would drop it as "equivalent" to the input (an
    out-param never written), or hand one buffer out twice. Runs on tensors
    right before bufferization, after the last canonicalization, because
    lowering and folding can turn an output into an input (a Clip without
    bounds, an Identity chain).
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def QcEmitPackedEntry : Pass<"qc-emit-packed-entry", "mlir::ModuleOp"> {
  let summary = "Emit `qc_entry(void **args)`, the one call the runtime makes";
  let description = [{
    Runs on the LLVM dialect. Adds `llvm.func @qc_entry(!llvm.ptr)` that loads
    one memref descriptor pointer per argument from the array and calls
    `@_mlir_ciface_qc_main`, so that the runtime can call a model of any
    arity, and gives the model's own functions internal linkage.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif
