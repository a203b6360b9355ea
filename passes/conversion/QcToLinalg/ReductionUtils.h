//===- ReductionUtils.h - building blocks of reductions and normalizations ===//
//
// Reductions are linalg.generic ops whose result holds the kept dims of the
// iteration space only; the ops around them read that result through
// keptDimsMap, so no tensor is ever broadcast in memory.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_CONVERSION_QCTOLINALG_REDUCTIONUTILS_H
#define QUANTC_PASSES_CONVERSION_QCTOLINALG_REDUCTIONUTILS_H

#include "passes/conversion/QcToLinalg/LoweringUtils.h"

namespace quantc {

/// The map from an iteration space of `rank` dims to its kept dims (all but
/// `reducedDims`).
mlir::AffineMap keptDimsMap(mlir::MLIRContext *ctx, unsigned rank,
                            llvm::ArrayRef<int64_t> reducedDims);

/// One linalg.generic over the iteration space `shape` that reduces the dims
/// `reducedDims` (reduction iterators). Input i is read through `maps[i]`;
/// the result, of the kept dims only, starts at the scalar `init` and takes
/// `acc = body(inputs..., acc)`.
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           llvm::ArrayRef<int64_t> shape,
                           llvm::ArrayRef<int64_t> reducedDims,
                           mlir::ValueRange inputs,
                           llvm::ArrayRef<mlir::AffineMap> maps,
                           mlir::Value init, ScalarBodyFn body);

/// The body of a reduction with several results: the inputs' values, then
/// the accumulators', to the accumulators' next values.
using ScalarBodiesFn = llvm::function_ref<llvm::SmallVector<mlir::Value>(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// buildReduction with one result per init, all computed in one pass over
/// the inputs (a range's minimum and maximum).
llvm::SmallVector<mlir::Value>
buildReductions(mlir::OpBuilder &b, mlir::Location loc,
                llvm::ArrayRef<int64_t> shape,
                llvm::ArrayRef<int64_t> reducedDims, mlir::ValueRange inputs,
                llvm::ArrayRef<mlir::AffineMap> maps, mlir::ValueRange inits,
                ScalarBodiesFn body);

/// The same over all of `input` (read with the identity map).
mlir::Value buildReduction(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input,
                           llvm::ArrayRef<int64_t> reducedDims,
                           mlir::Value init, ScalarBodyFn body);

/// The number of elements a reduction of `x` over `reducedDims` combines, as
/// an index (a product of tensor.dim for run-time dims; folds when static).
mlir::Value reducedCountValue(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Value x,
                              llvm::ArrayRef<int64_t> reducedDims);

/// An index value converted to a float type (through i64).
mlir::Value indexToFloat(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value index, mlir::Type floatType);

/// A float scalar converted to another float type (extf/truncf), or itself.
mlir::Value convertFloat(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                         mlir::Type to);

/// A float tensor converted elementwise to another float element type, or
/// itself when it already has it.
mlir::Value convertFloatTensor(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value v, mlir::Type to);

/// The linear (row-major) position of the current iteration within `dims` of
/// the iteration space `shape`, as an index; inside a linalg.generic body.
mlir::Value linearIndex(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<int64_t> shape,
                        llvm::ArrayRef<int64_t> dims);

/// Mean and variance (biased, two-pass: the mean first) of a float tensor
/// over `reducedDims`, both of the kept dims only.
struct Moments {
  mlir::Value mean, variance;
};
Moments buildMoments(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     llvm::ArrayRef<int64_t> reducedDims);

/// The mean of the squares of a float tensor over `reducedDims`.
mlir::Value buildMeanOfSquares(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value x,
                               llvm::ArrayRef<int64_t> reducedDims);

} // namespace quantc

#endif
