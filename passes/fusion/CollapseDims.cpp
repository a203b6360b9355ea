//===- CollapseDims.cpp - qc-collapse-dims --------------------------------===//
//
// LLVM vectorizes a loop nest's innermost loop. In NCHW the innermost dim of
// an elementwise op is W, which late in a CNN is 7 or 14 wide: the vector
// loop never runs and the scalar remainder does all the work. Merging the
// dims that every operand walks contiguously (H and W here, or all of them
// for an op without a per-channel operand) gives the innermost loop the
// trip count of their product.
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCCOLLAPSEDIMS
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// The maximal runs of adjacent loop dims (two or more) of one iterator
/// type that every indexing map keeps together, in order, or leaves out,
/// with at most one run-time size among them: MLIR 22's
/// expand-strided-metadata crashes on expanding one dim back into two
/// run-time ones.
SmallVector<ReassociationIndices> collapsibleDims(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !generic.hasPureTensorSemantics())
    return {};
  // Only loops with an integer operand (quantization's: requantize,
  // quantize, dequantize) for now. Merging the float ones of MobileNetV2 as
  // well made them slower (13% -> 22% of its time, at one thread), for
  // reasons not yet found; the integer ones got 8-13% faster.
  if (llvm::none_of(generic->getOperandTypes(), [](Type t) {
        return isa<IntegerType>(getElementTypeOrSelf(t));
      }))
    return {};
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (!llvm::all_of(maps, [](AffineMap m) { return m.isProjectedPermutation(); }))
    return {};
  SmallVector<utils::IteratorType> iterators = generic.getIteratorTypesArray();
  SmallVector<int64_t> sizes = generic.getStaticLoopRanges();
  SmallVector<ReassociationIndices> groups;
  ReassociationIndices run;
  auto close = [&] {
    if (run.size() > 1)
      groups.push_back(run);
    run.clear();
  };
  for (int64_t d = 0, e = generic.getNumLoops(); d < e; ++d) {
    if (!run.empty()) {
      ReassociationIndices extended = run;
      extended.push_back(d);
      int64_t dynamic = llvm::count_if(extended, [&](int64_t i) {
        return ShapedType::isDynamic(sizes[i]);
      });
      if (iterators[d] == iterators[run.front()] && dynamic <= 1 &&
          linalg::areDimSequencesPreserved(maps, {extended})) {
        run = extended;
        continue;
      }
      close();
    }
    run.push_back(d);
  }
  close();
  return groups;
}

struct CollapseDims : quantc::impl::QcCollapseDimsBase<CollapseDims> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateCollapseDimensions(patterns, collapsibleDims);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
