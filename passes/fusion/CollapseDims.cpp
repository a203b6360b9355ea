//===- CollapseDims.cpp - qc-collapse-dims --------------------------------===//
//
// LLVM vectorizes a loop nest's innermost loop. In NCHW the innermost dim of
// an elementwise op is W, which late in a CNN is 7 or 14 wide: the vector
// loop never runs and the scalar remainder does all the work (EfficientNet-B0's
// SiLUs were scalar, a fifth of its time). Merging the
// dims that every operand walks contiguously (H and W here, or all of them
// for an op without a per-channel operand) gives the innermost loop the
// trip count of their product.
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCCOLLAPSEDIMS
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// Whether qc-linalg-to-cpu-kernels may take float `op` into a convolution's
/// call, which it matches only in NCHW form: a Relu, Clip, residual add or copy
/// into padding reading the convolution's result (a body without math ops
/// or divisions), or a bias broadcast or padded input the convolution reads.
/// Merging their dims kept MobileNetV2's epilogues out of its convolutions
/// (72 loops of their own, 20% slower). A SiLU or sigmoid after a
/// convolution is not taken in, and is merged.
bool besideConvolution(linalg::GenericOp op) {
  auto isConvolution = [](Operation *other) {
    return other && isa<linalg::ConvolutionOpInterface>(other);
  };
  if (llvm::any_of(op->getUsers(), isConvolution))
    return true;
  bool epilogueBody =
      llvm::none_of(op.getBody()->getOperations(), [](Operation &inner) {
        return isa<math::MathDialect>(inner.getDialect()) ||
               isa<arith::DivFOp>(inner);
      });
  return epilogueBody && llvm::any_of(op.getDpsInputs(), [&](Value v) {
           return isConvolution(v.getDefiningOp());
         });
}

/// The maximal runs of adjacent loop dims (two or more) of one iterator
/// type that every indexing map keeps together, in order, or leaves out,
/// with at most one run-time size among them: MLIR 22's
/// expand-strided-metadata crashes on expanding one dim back into two
/// run-time ones.
SmallVector<ReassociationIndices> collapsibleDims(linalg::LinalgOp op) {
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic || !generic.hasPureTensorSemantics())
    return {};
  // Quantization's loops (an integer operand) merge wherever they are, as
  // they did before float loops merged at all (8-13% faster then).
  bool integer = llvm::any_of(generic->getOperandTypes(), [](Type t) {
    return isa<IntegerType>(getElementTypeOrSelf(t));
  });
  if (!integer && besideConvolution(generic))
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
