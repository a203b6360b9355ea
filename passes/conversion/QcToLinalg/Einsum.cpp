//===- Einsum.cpp - qc.Einsum to one linalg.generic -----------------------===//
//
// An einsum is exactly a linalg.generic: a loop per subscript, each operand
// indexed by its subscripts' loops (a repeated subscript reads a diagonal),
// the subscripts missing from the output reduced, the body a product.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

using namespace mlir;
using namespace quantc;

namespace {

struct EinsumLowering : OpRewritePattern<qc::EinsumOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::EinsumOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<qc::EinsumOp::Plan> plan = op.getPlan();
    if (failed(plan))
      return failure();
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    unsigned numLoops = plan->loopSizes.size();
    SmallVector<AffineMap> maps;
    for (const auto &loops : plan->operandLoops) {
      SmallVector<AffineExpr> exprs;
      for (int64_t l : loops)
        exprs.push_back(l < 0 ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(l, ctx));
      maps.push_back(AffineMap::get(numLoops, 0, exprs, ctx));
    }
    SmallVector<unsigned> reductions;
    for (unsigned l = 0; l < numLoops; ++l)
      if (plan->isReduction[l])
        reductions.push_back(l);
    Value init = filledTensor(rewriter, loc, outType, scalarConstant(rewriter, loc, et, 0));
    bool isFloat = isa<FloatType>(et);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, outType, op.getInputs(), init, maps,
            iteratorTypes(numLoops, reductions),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value product = args[0];
              for (Value v : args.drop_front().drop_back())
                product = isFloat ? (Value)arith::MulFOp::create(b, l, product, v)
                                  : (Value)arith::MulIOp::create(b, l, product, v);
              Value sum = isFloat ? (Value)arith::AddFOp::create(b, l, args.back(), product)
                                  : (Value)arith::AddIOp::create(b, l, args.back(), product);
              linalg::YieldOp::create(b, l, sum);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void quantc::populateEinsumPatterns(RewritePatternSet &patterns) {
  patterns.add<EinsumLowering>(patterns.getContext());
}
