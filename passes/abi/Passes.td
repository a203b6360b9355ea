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
    inputs), and the function gets a C interface. Runs on tensors, after
    shape inference and before bufferization. An output that is an input, or
    repeats an earlier output, is copied into a fresh tensor
    (`bufferization.alloc_tensor`) so that every output buffer is written.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::bufferization::BufferizationDialect"];
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
