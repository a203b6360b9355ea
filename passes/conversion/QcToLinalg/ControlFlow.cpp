//===- ControlFlow.cpp - qc.If to scf.if ----------------------------------===//
//
// The branches move into an scf.if as they are; the ops in them are lowered
// by their own patterns, in the same conversion. Types go through the
// signless converter like every other op's (ui8 -> i8).
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace quantc {
namespace {

struct IfLowering : OpConversionPattern<qc::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op.getResultTypes(),
                                                resultTypes)))
      return rewriter.notifyMatchFailure(op, "result types not convertible");
    Value cond = extractScalar(rewriter, op.getLoc(), adaptor.getCond());
    auto ifOp = scf::IfOp::create(rewriter, op.getLoc(), resultTypes, cond,
                                  /*addThenBlock=*/false,
                                  /*addElseBlock=*/false);
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// A branch may yield a more static type than the If's result (the other
/// branch's dim differs): it is cast to the result type, as scf.yield needs.
struct YieldLowering : OpConversionPattern<qc::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto parent = dyn_cast<scf::IfOp>(op->getParentOp());
    if (!parent)
      return rewriter.notifyMatchFailure(op, "the If is not lowered yet");
    SmallVector<Value> values;
    for (auto [value, type] :
         llvm::zip(adaptor.getValues(), parent.getResultTypes()))
      values.push_back(value.getType() == type
                           ? value
                           : tensor::CastOp::create(rewriter, op.getLoc(),
                                                    type, value)
                                 .getResult());
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, values);
    return success();
  }
};

} // namespace

void populateControlFlowPatterns(RewritePatternSet &patterns,
                                 const TypeConverter &converter) {
  patterns.add<IfLowering, YieldLowering>(converter, patterns.getContext());
}

} // namespace quantc
