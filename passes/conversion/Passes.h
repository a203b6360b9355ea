//===- Passes.h - conversions out of qc --------------------------*- C++ -*-===//
#ifndef QUANTC_PASSES_CONVERSION_PASSES_H
#define QUANTC_PASSES_CONVERSION_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace quantc {
#define GEN_PASS_DECL
#include "passes/conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/conversion/Passes.h.inc"

/// Whether `op`'s loops, all of static size, make at least 32768
/// iterations: enough to run on the context's threads. Below, waking the
/// team (about a microsecond) costs about what sharing the work saves.
inline bool worthSharing(mlir::linalg::GenericOp op) {
  int64_t iterations = 1;
  for (int64_t size : op.getStaticLoopRanges()) {
    if (mlir::ShapedType::isDynamic(size))
      return false;
    iterations *= size;
  }
  return iterations >= 32768;
}

/// qc-reductions-to-loops marks a large reduction's outer loop (parallel,
/// two or more iterations) with this unit attribute, and
/// qc-parallelize-loops shares that loop among the threads.
inline constexpr llvm::StringLiteral kShareLoopAttr = "qc.share_among_threads";
} // namespace quantc

#endif
