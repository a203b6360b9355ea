//===- GridSample.cpp - qc.GridSample to linalg ---------------------------===//
//
// One linalg.generic over the output (N, C, D_out...): each point reads its
// grid coordinates, denormalizes them, applies the padding mode to the
// coordinates and then to each tap's index, and sums the taps (1 for
// nearest, 2 per dim for linear, 4 per dim for cubic) read with
// tensor.extract, step by step as onnx's reference does.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

enum class Padding { Zeros, Border, Reflection };

struct Sampler {
  OpBuilder &b;
  Location loc;
  FloatType et;
  Padding padding;

  Value f(double v) { return scalarConstant(b, loc, et, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value lt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value gt(Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, y);
  }
  Value select(Value c, Value x, Value y) { return arith::SelectOp::create(b, loc, c, x, y); }
  Value clamp(Value x, Value lo, Value hi) {
    return arith::MinimumFOp::create(b, loc, arith::MaximumFOp::create(b, loc, x, lo), hi);
  }

  /// Reflects x by the nearer border until it lies in [lo, hi].
  Value reflect(Value x, Value lo, Value hi) {
    Value range = sub(hi, lo);
    auto fold = [&](Value distance, Value nearSide, Value farSide, bool fromLow) {
      Value n = math::FloorOp::create(b, loc, arith::DivFOp::create(b, loc, distance, range));
      Value r = sub(distance, mul(n, range));
      Value odd = arith::TruncIOp::create(
          b, loc, b.getI1Type(),
          arith::FPToSIOp::create(b, loc, b.getI64Type(), n));
      Value even = fromLow ? add(nearSide, r) : sub(nearSide, r);
      Value other = fromLow ? sub(farSide, r) : add(farSide, r);
      return select(odd, other, even);
    };
    Value below = fold(sub(lo, x), lo, hi, true);
    Value above = fold(sub(x, hi), hi, lo, false);
    return select(lt(x, lo), below, select(gt(x, hi), above, x));
  }

  /// The index read for tap `i` along a dim of size `size`, and whether it
  /// is inside (only zeros padding reads outside as 0).
  std::pair<Value, Value> tapIndex(Value i, int64_t size, Value lo, Value hi) {
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value last = arith::ConstantIndexOp::create(b, loc, size - 1);
    Value inside = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
    if (padding == Padding::Reflection) {
      Value fi = arith::SIToFPOp::create(b, loc, et, i);
      i = arith::FPToSIOp::create(b, loc, b.getI64Type(), reflect(fi, lo, hi));
    }
    Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
    if (padding == Padding::Zeros)
      inside = arith::AndIOp::create(
          b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, idx, zero),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, idx, last));
    // Clamped in every mode, so that no read leaves the tensor.
    idx = arith::MaxSIOp::create(b, loc, arith::MinSIOp::create(b, loc, idx, last), zero);
    return {idx, inside};
  }
};

/// Keys' cubic convolution weights (a = -0.75) for taps -1, 0, 1, 2 at
/// fractional offset t.
SmallVector<Value> cubicWeights(Sampler &s, Value t) {
  double a = -0.75;
  auto far = [&](Value x) { // 1 < |x| < 2
    return s.sub(s.mul(s.add(s.mul(s.sub(s.mul(s.f(a), x), s.f(5 * a)), x), s.f(8 * a)), x),
                 s.f(4 * a));
  };
  auto near = [&](Value x) { // |x| <= 1
    return s.add(s.mul(s.mul(s.sub(s.mul(s.f(a + 2), x), s.f(a + 3)), x), x), s.f(1));
  };
  Value one = s.f(1);
  return {far(s.add(t, one)), near(t), near(s.sub(one, t)), far(s.sub(s.f(2), t))};
}

struct GridSampleLowering : OpRewritePattern<qc::GridSampleOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GridSampleOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto xType = cast<RankedTensorType>(op.getX().getType());
    auto outType = cast<RankedTensorType>(op.getType());
    auto et = cast<FloatType>(outType.getElementType());
    int64_t rank = outType.getRank(), spatial = rank - 2;
    bool align = op.getAlignCorners() != 0;
    StringRef mode = op.getMode();
    Padding padding = op.getPaddingMode() == "border"       ? Padding::Border
                      : op.getPaddingMode() == "reflection" ? Padding::Reflection
                                                            : Padding::Zeros;
    Value x = op.getX(), grid = op.getGrid();
    Value init = tensor::EmptyOp::create(rewriter, loc, outType.getShape(), et);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, outType, ValueRange{}, init,
            ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iteratorTypes(rank),
            [&](OpBuilder &b, Location l, ValueRange) {
              Sampler s{b, l, et, padding};
              SmallVector<Value> outIdx;
              for (int64_t i = 0; i < rank; ++i)
                outIdx.push_back(linalg::IndexOp::create(b, l, i));
              // Grid coordinates: the last dim lists them innermost first.
              SmallVector<Value> coords, lo, hi;
              for (int64_t i = 0; i < spatial; ++i) {
                SmallVector<Value> gi{outIdx[0]};
                gi.append(outIdx.begin() + 2, outIdx.end());
                gi.push_back(arith::ConstantIndexOp::create(b, l, spatial - 1 - i));
                Value n = tensor::ExtractOp::create(b, l, grid, gi);
                double size = xType.getDimSize(2 + i);
                Value c = align ? s.mul(s.add(n, s.f(1)), s.f((size - 1) / 2))
                                : s.mul(s.sub(s.mul(s.add(n, s.f(1)), s.f(size)), s.f(1)),
                                        s.f(0.5));
                lo.push_back(s.f(align ? 0 : -0.5));
                hi.push_back(s.f(align ? size - 1 : size - 0.5));
                if (mode == "nearest")
                  c = math::RoundEvenOp::create(b, l, c);
                if (padding == Padding::Border)
                  c = s.select(s.lt(c, lo[i]), s.clamp(c, s.f(0), s.f(size - 1)),
                               s.select(s.gt(c, hi[i]), s.clamp(c, s.f(0), s.f(size - 1)), c));
                else if (padding == Padding::Reflection)
                  c = s.reflect(c, lo[i], hi[i]);
                coords.push_back(c);
              }
              // Taps per dim: (integer position, weight).
              SmallVector<SmallVector<std::pair<Value, Value>>> taps(spatial);
              for (int64_t i = 0; i < spatial; ++i) {
                auto pos = [&](Value v) {
                  return (Value)arith::FPToSIOp::create(b, l, b.getI64Type(), v);
                };
                if (mode == "nearest") {
                  taps[i].push_back({pos(coords[i]), s.f(1)});
                  continue;
                }
                Value base = math::FloorOp::create(b, l, coords[i]);
                Value t = s.sub(coords[i], base);
                Value p0 = pos(base);
                auto at = [&](int64_t k) {
                  return (Value)arith::AddIOp::create(
                      b, l, p0, arith::ConstantOp::create(b, l, b.getI64IntegerAttr(k)));
                };
                if (mode == "linear" || mode == "bilinear") {
                  taps[i] = {{at(0), s.sub(s.f(1), t)}, {at(1), t}};
                } else {
                  SmallVector<Value> w = cubicWeights(s, t);
                  for (int64_t k = 0; k < 4; ++k)
                    taps[i].push_back({at(k - 1), w[k]});
                }
              }
              // Sum over every combination of taps.
              Value sum = s.f(0);
              SmallVector<int64_t> choice(spatial, 0);
              while (true) {
                SmallVector<Value> xi{outIdx[0], outIdx[1]};
                Value weight = s.f(1), inside;
                for (int64_t i = 0; i < spatial; ++i) {
                  auto [p, w] = taps[i][choice[i]];
                  auto [idx, in] = s.tapIndex(p, xType.getDimSize(2 + i), lo[i], hi[i]);
                  xi.push_back(idx);
                  weight = s.mul(weight, w);
                  inside = inside ? (Value)arith::AndIOp::create(b, l, inside, in) : in;
                }
                Value v = tensor::ExtractOp::create(b, l, x, xi);
                v = s.select(inside, v, s.f(0));
                sum = s.add(sum, s.mul(weight, v));
                int64_t d = spatial - 1;
                while (d >= 0 && ++choice[d] == (int64_t)taps[d].size())
                  choice[d--] = 0;
                if (d < 0)
                  break;
              }
              linalg::YieldOp::create(b, l, sum);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void quantc::populateGridSamplePatterns(RewritePatternSet &patterns) {
  patterns.add<GridSampleLowering>(patterns.getContext());
}
