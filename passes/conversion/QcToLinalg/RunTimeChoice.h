//===- RunTimeChoice.h - picking among static lowerings at run time -------===//
//
// An axis that is only known at run time (a Reduce's axes input, CumSum's
// axis) cannot index a linalg map, but it can take only a few values. Such
// ops lower once per possible value and pick the lowering at run time with
// an scf.index_switch: each case is an ordinary static-axis lowering.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_CONVERSION_QCTOLINALG_RUNTIMECHOICE_H
#define QUANTC_PASSES_CONVERSION_QCTOLINALG_RUNTIMECHOICE_H

#include "mlir/IR/Builders.h"

namespace quantc {

/// The set of axes named by a 1-D integer tensor of run-time values, as an
/// index bit mask (bit a for axis a, negative axes counted from the end).
/// An axis out of [-rank, rank) sets bit `rank`, and a repeated axis leaves
/// fewer bits set than values, so neither matches axisSetMask(set) of a
/// valid set.
mlir::Value axisSetMask(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value axes, int64_t rank);

/// A single run-time axis (the one element of a scalar or 1-element integer
/// tensor) in [0, rank) as an index, negative axes counted from the end; an
/// axis out of [-rank, rank) gives `rank`, which no case matches.
mlir::Value runTimeAxis(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value axis, int64_t rank);

/// The mask axisSetMask gives for a sorted set of distinct axes.
int64_t axisSetMask(llvm::ArrayRef<int64_t> axes);

/// An scf.index_switch on `selector` (an index) with one case per value of
/// `caseValues`: case i yields buildCase(i) and the default (no case
/// matches) yields buildDefault(); a yielded tensor whose type is more
/// static than `resultType` is cast to it.
mlir::Value buildRunTimeChoice(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value selector,
    llvm::ArrayRef<int64_t> caseValues, mlir::Type resultType,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, unsigned)> buildCase,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &)> buildDefault);

/// What a run-time choice yields when no case matches (invalid axes): a
/// tensor of `type` whose run-time dims are 1, filled with NaN (floats) or
/// 0. quantc has no way yet to report an error from inside model code.
mlir::Value invalidChoiceResult(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::RankedTensorType type);

} // namespace quantc

#endif
