//===- ApproximateMath.cpp - qc-approximate-math --------------------------===//
//
// exp, erf, tanh and log otherwise become calls into libm, one element at a
// time: a loop with a call in it is not vectorized, and GELU's erf and
// softmax's exp were a sixth of MiniLM's run time. Upstream's polynomial
// approximations (the Eigen/Cephes ones, accurate to a few ulp in f32, with
// overflow, underflow, infinities and NaN handled) turn them into arith and
// math.fma that LLVM's loop vectorizer can widen.
//
// erf is ours, not upstream's: upstream evaluates one of three rational
// approximations chosen per element, which costs some two dozen compares and
// blends per vector beside the polynomials, and GELU's erf was still 6% of
// MiniLM's int8 run. Ours (FastErf) is one rational function over [-4, 4].
//
// f32 only: other float types keep their libm calls.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCAPPROXIMATEMATH
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

// The functions upstream's patterns approximate (erf is FastErf's).
bool approximated(StringRef name) {
  name.consume_front("math.");
  return llvm::is_contained({"exp", "expm1", "tanh", "log", "log1p", "log2"},
                            name);
}

/// erf(x) as x * P(x^2) / Q(x^2) on x clamped to [-4, 4] (erf(4) rounds to
/// 1 in f32): Eigen's and XLA's f32 erf, degrees 13 and 8. Its error is
/// 6.5e-8 in exact arithmetic and at most 4.5e-7 (7.5 ulp, near |x| = 3.2)
/// evaluated in f32, against upstream's 2.5e-7; GELU's output moves by at
/// most 1e-6. A NaN stays NaN: the clamps are written as `x > 4 ? 4 : x`,
/// which keeps x when the compare is false, and x86's min/max give exactly
/// that (one vminps, one vmaxps).
struct FastErf : OpRewritePattern<math::ErfOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ErfOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    Location loc = op.getLoc();
    auto constant = [&](double value) -> Value {
      auto attr = rewriter.getF32FloatAttr(float(value));
      if (auto shaped = dyn_cast<ShapedType>(type))
        return arith::ConstantOp::create(rewriter, loc,
                                         SplatElementsAttr::get(shaped, attr));
      return arith::ConstantOp::create(rewriter, loc, attr);
    };
    using P = arith::CmpFPredicate;
    auto clampAbove = [&](Value x, Value limit, P beyond) -> Value {
      Value out = arith::CmpFOp::create(rewriter, loc, beyond, x, limit);
      return arith::SelectOp::create(rewriter, loc, out, limit, x);
    };
    Value x = clampAbove(op.getOperand(), constant(4.0), P::OGT);
    x = clampAbove(x, constant(-4.0), P::OLT);
    Value x2 = arith::MulFOp::create(rewriter, loc, x, x);
    // Horner's rule, highest power first.
    auto polynomial = [&](ArrayRef<double> coefficients) {
      Value acc = constant(coefficients.front());
      for (double c : coefficients.drop_front())
        acc = math::FmaOp::create(rewriter, loc, acc, x2, constant(c));
      return acc;
    };
    Value p = polynomial({-2.72614225801306e-10, 2.77068142495902e-08,
                          -2.10102402082508e-06, -5.69250639462346e-05,
                          -7.34990630326855e-04, -2.95459980854025e-03,
                          -1.60960333262415e-02});
    Value q = polynomial({-1.45660718464996e-05, -2.13374055278905e-04,
                          -1.68282697438203e-03, -7.37332916720468e-03,
                          -1.42647390514189e-02});
    p = arith::MulFOp::create(rewriter, loc, x, p);
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, q);
    return success();
  }
};

struct ApproximateMath
    : quantc::impl::QcApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    patterns.add<FastErf>(&getContext());
    // Only f32 ops: the patterns would evaluate an f16 polynomial in f16.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (op->getDialect() && op->getDialect()->getNamespace() == "math" &&
          op->getNumResults() == 1 &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        ops.push_back(op);
    });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
