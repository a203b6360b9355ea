//===- Spectral.cpp - qc.DFT as a contraction with a cos/sin matrix -------===//
//
// With static shapes a DFT is a matrix product: out[.., p, co] =
// sum over q, ci of x[.., q, ci] * W[co, ci, p, q], W holding the cos/sin
// terms (and 1/N, and irfft's Hermitian doubling) computed at compile time.
// O(N²) per signal: fine for the short transforms of audio front ends; an
// FFT kernel is the fix if long transforms show up.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/RunTimeChoice.h"

#include <cmath>

using namespace mlir;
using namespace quantc;

namespace {

/// W[co][ci][p][q] for the plan, as `et`.
DenseElementsAttr dftMatrix(const qc::DFTOp::Plan &plan, int64_t inComponents, FloatType et) {
  int64_t N = plan.length, P = plan.outputs, Q = plan.inputsUsed;
  int64_t CO = plan.outComponents, CI = inComponents;
  auto type = RankedTensorType::get({CO, CI, P, Q}, et);
  SmallVector<APFloat> values;
  values.reserve(type.getNumElements());
  for (int64_t co = 0; co < CO; ++co)
    for (int64_t ci = 0; ci < CI; ++ci)
      for (int64_t p = 0; p < P; ++p)
        for (int64_t q = 0; q < Q; ++q) {
          double theta = 2.0 * M_PI * (double)((p * q) % N) / (double)N;
          double c = std::cos(theta), s = std::sin(theta), v;
          if (!plan.inverse) { // e^{-iθ}
            v = co == 0 ? (ci == 0 ? c : s) : (ci == 0 ? -s : c);
          } else if (plan.outComponents == 2) { // e^{+iθ} / N
            v = (co == 0 ? (ci == 0 ? c : -s) : (ci == 0 ? s : c)) / N;
          } else { // irfft: the real part, bins other than DC and Nyquist twice
            double twice = (q == 0 || (N % 2 == 0 && q == N / 2)) ? 1.0 : 2.0;
            v = twice * (ci == 0 ? c : -s) / N;
          }
          APFloat f(v);
          bool lost;
          f.convert(et.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
          values.push_back(f);
        }
  return DenseElementsAttr::get(type, values);
}

/// The transform of `x` along plan.axis, of the plan's output type.
Value lowerDFT(OpBuilder &b, Location loc, Value x,
               const qc::DFTOp::Plan &plan) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  auto et = cast<FloatType>(xType.getElementType());
  unsigned rank = xType.getRank();
  SmallVector<int64_t> shape(xType.getShape());
  shape[plan.axis] = plan.outputs;
  shape.back() = plan.outComponents;
  auto outType = RankedTensorType::get(shape, et);
  int64_t inComponents = xType.getDimSize(rank - 1);
  Value w = arith::ConstantOp::create(b, loc, dftMatrix(plan, inComponents, et));
  // Loops: the output dims, then q and ci (reduced).
  unsigned q = rank, ci = rank + 1, numLoops = rank + 2;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> xExprs, outExprs;
  for (unsigned i = 0; i < rank; ++i) {
    outExprs.push_back(d(i));
    xExprs.push_back(i == plan.axis ? d(q) : i == rank - 1 ? d(ci) : d(i));
  }
  SmallVector<AffineExpr> wExprs{d(rank - 1), d(ci), d(plan.axis), d(q)};
  Value init = filledTensor(b, loc, outType, scalarConstant(b, loc, et, 0));
  return linalg::GenericOp::create(
             b, loc, outType, ValueRange{x, w}, init,
             ArrayRef<AffineMap>{AffineMap::get(numLoops, 0, xExprs, ctx),
                                 AffineMap::get(numLoops, 0, wExprs, ctx),
                                 AffineMap::get(numLoops, 0, outExprs, ctx)},
             iteratorTypes(numLoops, {q, ci}),
             [](OpBuilder &nb, Location l, ValueRange a) {
               Value p = arith::MulFOp::create(nb, l, a[0], a[1]);
               linalg::YieldOp::create(
                   nb, l, Value(arith::AddFOp::create(nb, l, a[2], p)));
             })
      .getResult(0);
}

struct DFTLowering : OpRewritePattern<qc::DFTOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::DFTOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getInput();
    auto type = cast<RankedTensorType>(op.getType());
    if (op.hasRunTimeAxis()) {
      // One transform per possible axis.
      int64_t rank = type.getRank();
      auto plans = op.getRunTimeAxisPlans();
      if (failed(plans))
        return failure();
      SmallVector<int64_t> axes;
      for (const qc::DFTOp::Plan &plan : *plans)
        axes.push_back(plan.axis);
      rewriter.replaceOp(
          op, buildRunTimeChoice(
                  rewriter, loc,
                  runTimeAxis(rewriter, loc, op.getAxisInput(), rank), axes,
                  type,
                  [&](OpBuilder &b, unsigned i) {
                    return lowerDFT(b, loc, x, (*plans)[i]);
                  },
                  [&](OpBuilder &b) {
                    return invalidChoiceResult(b, loc, type);
                  }));
      return success();
    }
    FailureOr<qc::DFTOp::Plan> plan = op.getPlan();
    if (failed(plan))
      return failure();
    rewriter.replaceOp(op, lowerDFT(rewriter, loc, x, *plan));
    return success();
  }
};

} // namespace

void quantc::populateSpectralPatterns(RewritePatternSet &patterns) {
  patterns.add<DFTLowering>(patterns.getContext());
}
