//===- QcControlFlow.cpp - qc.If: verifier, shape inference, folding ------===//
#include "dialects/qc/IR/QcOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace quantc::qc;

YieldOp IfOp::getYield(unsigned branch) {
  Region &region = branch == 0 ? getThenBranch() : getElseBranch();
  return cast<YieldOp>(region.front().getTerminator());
}

LogicalResult IfOp::verify() {
  for (unsigned branch : {0u, 1u}) {
    Region &region = branch == 0 ? getThenBranch() : getElseBranch();
    if (region.front().empty() || !isa<YieldOp>(region.front().back()))
      return emitOpError() << (branch == 0 ? "then" : "else")
                           << " branch must end in qc.Yield";
    if (getYield(branch).getValues().size() != getNumResults())
      return emitOpError() << (branch == 0 ? "then_branch" : "else_branch")
                           << " gives " << getYield(branch).getValues().size()
                           << " outputs, the If has " << getNumResults();
  }
  return success();
}

std::optional<bool> IfOp::getConstantCondition() {
  DenseElementsAttr value;
  if (!matchPattern(getCond(), m_Constant(&value)) ||
      value.getNumElements() != 1 ||
      !value.getElementType().isInteger(1))
    return std::nullopt;
  return *value.getValues<bool>().begin();
}

void IfOp::inlineBranch(RewriterBase &rewriter, unsigned taken) {
  Region &region = taken == 0 ? getThenBranch() : getElseBranch();
  Block &block = region.front();
  YieldOp yield = getYield(taken);
  SmallVector<Value> results(yield.getValues());
  rewriter.eraseOp(yield);
  rewriter.inlineBlockBefore(&block, *this);
  rewriter.replaceOp(*this, results);
}

/// Each result joins what the two branches yield: the condition may pick
/// either at run time, so only what both agree on is static. Both branches
/// must already be inferred (qc-shape-inference infers a region before the
/// op that holds it).
LogicalResult IfOp::inferShapes() {
  auto cond = dyn_cast<RankedTensorType>(getCond().getType());
  if (!cond || !cond.getElementType().isInteger(1) ||
      (cond.hasStaticShape() && cond.getNumElements() != 1))
    return emitOpError() << "cond must be a tensor of one bool, got "
                         << getCond().getType();
  auto thenTypes = getYield(0).getValues().getTypes();
  auto elseTypes = getYield(1).getValues().getTypes();
  for (auto [i, types] : llvm::enumerate(llvm::zip(thenTypes, elseTypes))) {
    auto thenType = dyn_cast<RankedTensorType>(std::get<0>(types));
    auto elseType = dyn_cast<RankedTensorType>(std::get<1>(types));
    if (!thenType || !elseType)
      return emitOpError() << "output " << i << " has no known rank in a branch";
    if (thenType.getElementType() != elseType.getElementType())
      return emitOpError() << "output " << i << " is "
                           << thenType.getElementType() << " in then_branch but "
                           << elseType.getElementType() << " in else_branch";
    if (thenType.getRank() != elseType.getRank())
      return emitOpError()
             << "output " << i << " has rank " << thenType.getRank()
             << " in then_branch but " << elseType.getRank()
             << " in else_branch; quantc supports If with branches of "
                "different ranks only when the condition is known at compile "
                "time";
    SmallVector<int64_t> shape;
    for (auto [a, b] : llvm::zip(thenType.getShape(), elseType.getShape()))
      shape.push_back(a == b ? a : ShapedType::kDynamic);
    getResult(i).setType(
        RankedTensorType::get(shape, thenType.getElementType()));
  }
  return success();
}

namespace {
/// An If whose condition is a constant is the branch it takes.
struct InlineTakenBranch : OpRewritePattern<IfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IfOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<bool> cond = op.getConstantCondition();
    if (!cond)
      return failure();
    op.inlineBranch(rewriter, *cond ? 0 : 1);
    return success();
  }
};
} // namespace

void IfOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                       MLIRContext *context) {
  results.add<InlineTakenBranch>(context);
}
