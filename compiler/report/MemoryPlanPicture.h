//===- MemoryPlanPicture.h - The arena plan as an SVG ------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_REPORT_MEMORYPLANPICTURE_H
#define QUANTC_COMPILER_REPORT_MEMORYPLANPICTURE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

namespace quantc {

/// Draws qc-plan-memory's plan (the module's qc.memory_plan): one rectangle
/// per buffer, program position across, arena offset down, with the live
/// bytes per position as a line for the lower bound. Fails (with a message
/// on the module) when the module has no plan.
mlir::LogicalResult writeMemoryPlanSvg(mlir::ModuleOp module,
                                       llvm::raw_ostream &os);

/// "7.71 MiB", as the plan's sizes are printed.
std::string formatMiB(int64_t bytes);

/// One line: arena, lower bound, naive sum and buffer count, for -v.
std::string memoryPlanSummary(mlir::ModuleOp module);

} // namespace quantc

#endif
