//===- FoldTransposes.cpp - qc-fold-transposes-into-contractions ----------===//
//
// Attention splits Q, K and V into heads with Reshape + Transpose and joins
// the heads back the same way: four linalg.transpose copies a layer, each
// a strided walk over the whole activation, on either side of the batched
// GEMMs. The GEMM kernel takes its operands with any strides
// (qc-linalg-to-cpu-kernels makes them views), so a transpose next to a
// contraction need not move data at all: the contraction reads the
// transpose's input through the permuted map, or writes its result where the
// transpose would have put it.
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCFOLDTRANSPOSESINTOCONTRACTIONS
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// A float contraction on tensors that the GEMM kernel will take: two
/// inputs, one init, every map a projected permutation. Other consumers
/// (elementwise loops) would walk the transpose's input with a stride and
/// vectorize badly, so they keep the copy.
bool isFloatContraction(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return false;
  if (!llvm::all_of(op->getOperandTypes(),
                    [](Type t) { return getElementTypeOrSelf(t).isF32(); }))
    return false;
  return llvm::all_of(op.getIndexingMapsArray(), [](AffineMap map) {
    return map.isProjectedPermutation(/*allowZeroInResults=*/false);
  });
}

/// `map`'s results reordered: result i of the new map is result order[i].
AffineMap reorderResults(AffineMap map, ArrayRef<int64_t> order) {
  SmallVector<AffineExpr> results;
  for (int64_t i : order)
    results.push_back(map.getResult(i));
  return AffineMap::get(map.getNumDims(), 0, results, map.getContext());
}

/// contraction(transpose(x), ...) -> contraction(x, ...) with x's map: the
/// transpose's result dim i is x's dim perm[i], so x's dim d is read at the
/// old map's result inverse(perm)[d].
struct ReadThroughTranspose : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!isFloatContraction(op))
      return failure();
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto transpose = input->get().getDefiningOp<linalg::TransposeOp>();
      if (!transpose)
        continue;
      SmallVector<AffineMap> maps = op.getIndexingMapsArray();
      unsigned index = input->getOperandNumber();
      maps[index] = reorderResults(
          maps[index], invertPermutationVector(transpose.getPermutation()));
      rewriter.modifyOpInPlace(op, [&] {
        input->set(transpose.getInput());
        op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
      });
      return success();
    }
    return failure();
  }
};

/// transpose(contraction(...) into a fill) -> contraction(...) into a fill
/// of the transpose's shape, written through the permuted map: the
/// transpose's result dim i is the contraction's dim perm[i].
struct WriteThroughTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp transpose,
                                PatternRewriter &rewriter) const override {
    auto op = transpose.getInput().getDefiningOp<linalg::GenericOp>();
    if (!op || !isFloatContraction(op) || !op->hasOneUse())
      return failure();
    // Only an init that is a fill (a MatMul's zeros) can be rebuilt in the
    // new shape without a transpose of its own.
    auto fill = op.getDpsInits()[0].getDefiningOp<linalg::FillOp>();
    if (!fill || !transpose.getInit().getDefiningOp<tensor::EmptyOp>())
      return failure();
    Location loc = op.getLoc();
    Value init =
        linalg::FillOp::create(rewriter, fill.getLoc(), fill.getInputs()[0],
                               transpose.getInit())
            .getResult(0);
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    maps.back() = reorderResults(maps.back(), transpose.getPermutation());
    auto written = linalg::GenericOp::create(
        rewriter, loc, TypeRange{transpose.getResult()[0].getType()},
        op.getDpsInputs(), ValueRange{init}, maps, op.getIteratorTypesArray());
    written->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    rewriter.inlineRegionBefore(op.getRegion(), written.getRegion(),
                                written.getRegion().end());
    rewriter.replaceOp(transpose, written.getResults());
    rewriter.eraseOp(op);
    return success();
  }
};

struct FoldTransposesPass
    : quantc::impl::QcFoldTransposesIntoContractionsBase<FoldTransposesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ReadThroughTranspose, WriteThroughTranspose>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
