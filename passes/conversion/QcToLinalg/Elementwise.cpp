//===- Elementwise.cpp - qc elementwise ops to linalg.generic -------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// A scalar builder per element kind: float and integer ops differ in arith.
template <typename FloatOp, typename IntOp>
Value arithBinary(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

template <typename QcOp, typename FloatOp, typename IntOp>
struct BinaryLowering : OpRewritePattern<QcOp> {
  using OpRewritePattern<QcOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(QcOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op->getOperands(),
        [](OpBuilder &b, Location loc, ValueRange args) {
          return arithBinary<FloatOp, IntOp>(b, loc, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// A unary op whose scalar body is given by `Derived::body`.
template <typename QcOp, typename Derived>
struct UnaryLowering : OpRewritePattern<QcOp> {
  using OpRewritePattern<QcOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(QcOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result =
        buildElementwise(rewriter, op.getLoc(), type, op->getOperands(),
                         [](OpBuilder &b, Location loc, ValueRange args) {
                           return Derived::body(b, loc, args[0]);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ReluLowering : UnaryLowering<qc::ReluOp, ReluLowering> {
  using UnaryLowering::UnaryLowering;
  static Value body(OpBuilder &b, Location loc, Value x) {
    Value zero = scalarConstant(b, loc, x.getType(), 0);
    if (isa<FloatType>(x.getType()))
      return arith::MaximumFOp::create(b, loc, x, zero);
    return arith::MaxSIOp::create(b, loc, x, zero);
  }
};

struct SigmoidLowering : UnaryLowering<qc::SigmoidOp, SigmoidLowering> {
  using UnaryLowering::UnaryLowering;
  static Value body(OpBuilder &b, Location loc, Value x) {
    // 1 / (1 + exp(-x)): exp overflows to inf for very negative x, giving 0.
    Value one = scalarConstant(b, loc, x.getType(), 1);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  }
};

struct TanhLowering : UnaryLowering<qc::TanhOp, TanhLowering> {
  using UnaryLowering::UnaryLowering;
  static Value body(OpBuilder &b, Location loc, Value x) {
    return math::TanhOp::create(b, loc, x);
  }
};

struct ExpLowering : UnaryLowering<qc::ExpOp, ExpLowering> {
  using UnaryLowering::UnaryLowering;
  static Value body(OpBuilder &b, Location loc, Value x) {
    return math::ExpOp::create(b, loc, x);
  }
};

struct SqrtLowering : UnaryLowering<qc::SqrtOp, SqrtLowering> {
  using UnaryLowering::UnaryLowering;
  static Value body(OpBuilder &b, Location loc, Value x) {
    return math::SqrtOp::create(b, loc, x);
  }
};

struct ClipLowering : OpRewritePattern<qc::ClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ClipOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op->getOperands(),
        [](OpBuilder &b, Location loc, ValueRange args) -> Value {
          if (isa<FloatType>(args[0].getType()))
            return arith::MinimumFOp::create(
                b, loc, arith::MaximumFOp::create(b, loc, args[0], args[1]), args[2]);
          return arith::MinSIOp::create(
              b, loc, arith::MaxSIOp::create(b, loc, args[0], args[1]), args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct IdentityLowering : OpRewritePattern<qc::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::IdentityOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

} // namespace

void quantc::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BinaryLowering<qc::AddOp, arith::AddFOp, arith::AddIOp>,
               BinaryLowering<qc::SubOp, arith::SubFOp, arith::SubIOp>,
               BinaryLowering<qc::MulOp, arith::MulFOp, arith::MulIOp>,
               BinaryLowering<qc::DivOp, arith::DivFOp, arith::DivSIOp>,
               ReluLowering, SigmoidLowering, TanhLowering, ExpLowering,
               SqrtLowering, ClipLowering, IdentityLowering>(ctx);
}
