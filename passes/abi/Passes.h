//===- Passes.h - the generated library's ABI --------------------*- C++ -*-===//
#ifndef QUANTC_PASSES_ABI_PASSES_H
#define QUANTC_PASSES_ABI_PASSES_H

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace quantc {
/// The function the importer creates for the ONNX graph.
inline constexpr llvm::StringLiteral kEntryFunctionName = "qc_main";
/// Argument/result attribute holding the ONNX value name.
inline constexpr llvm::StringLiteral kOnnxNameAttr = "qc.name";
/// Module attribute holding the model (graph) name.
inline constexpr llvm::StringLiteral kModelNameAttr = "qc.model_name";
/// Argument attributes of an input with dims known only at run time: the
/// model's name for each dim ("" for none) and its bounds, [min, max] per dim
/// (max -1: unbounded).
inline constexpr llvm::StringLiteral kDimNamesAttr = "qc.dim_names";
inline constexpr llvm::StringLiteral kDimBoundsAttr = "qc.dim_bounds";

#define GEN_PASS_DECL
#include "passes/abi/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/abi/Passes.h.inc"
} // namespace quantc

#endif
