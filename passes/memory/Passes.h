//===- Passes.h - memory planning --------------------------------*- C++ -*-===//
#ifndef QUANTC_PASSES_MEMORY_PASSES_H
#define QUANTC_PASSES_MEMORY_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace quantc {
/// The module attribute qc-plan-memory records its plan in.
inline constexpr llvm::StringLiteral kMemoryPlanAttr = "qc.memory_plan";
/// The library's int64 array {arena bytes, lower bound, naive sum, buffers}.
inline constexpr llvm::StringLiteral kMemoryPlanSymbol = "qc_memory_plan";

#define GEN_PASS_DECL
#include "passes/memory/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/memory/Passes.h.inc"
} // namespace quantc

#endif
