//===- FeatureNormalization.cpp - Layer/RMS/Instance/Group/Lp norms, MVN, LRN //
//
// Each normalization is a few reductions (ReductionUtils.h) over the
// normalized dims and one elementwise linalg.generic that reads the
// statistics, scale and bias through indexing maps. Statistics are computed
// in the stash type (float32) where ONNX says so, as its function bodies do.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// 1 / sqrt(v + eps), elementwise on a statistics tensor (as ONNX: sqrt, then
/// the reciprocal).
Value inverseStdDev(OpBuilder &b, Location loc, Value variance, double eps) {
  auto type = cast<RankedTensorType>(variance.getType());
  return buildElementwise(b, loc, type, variance,
                          [&](OpBuilder &nb, Location l, ValueRange a) {
                            Type t = a[0].getType();
                            Value v = arith::AddFOp::create(
                                nb, l, a[0], scalarConstant(nb, l, t, eps));
                            return (Value)arith::DivFOp::create(
                                nb, l, scalarConstant(nb, l, t, 1),
                                math::SqrtOp::create(nb, l, v));
                          });
}

/// LayerNormalization and RMSNormalization share their form: statistics over
/// the dims from `axis` on, in float32, then Y = normalized * scale (+ B).
/// Returns Y and the two statistics (of the kept dims; mean null for RMS).
struct AxisNormResult {
  Value y, mean, invStdDev;
};
AxisNormResult normalizeFromAxis(OpBuilder &b, Location loc, Value x,
                                 int64_t axisAttr, double eps, bool centered,
                                 Value scale, Value bias) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  int64_t axis = *qc::normalizeAxis(axisAttr, rank);
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(axis, rank));
  Type stash = b.getF32Type();
  Value xs = convertFloatTensor(b, loc, x, stash);
  Value mean, invStdDev;
  if (centered) {
    Moments m = buildMoments(b, loc, xs, dims);
    mean = m.mean;
    invStdDev = inverseStdDev(b, loc, m.variance, eps);
  } else {
    invStdDev = inverseStdDev(b, loc, buildMeanOfSquares(b, loc, xs, dims), eps);
  }
  AffineMap kept = keptDimsMap(b.getContext(), rank, dims);
  SmallVector<Value> inputs{xs, invStdDev, scale};
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(rank), kept,
                              broadcastMap(cast<RankedTensorType>(scale.getType()),
                                           type.getShape())};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(broadcastMap(cast<RankedTensorType>(bias.getType()),
                                type.getShape()));
  }
  if (mean) {
    inputs.push_back(mean);
    maps.push_back(kept);
  }
  Type et = type.getElementType();
  Value y = buildElementwiseWithMaps(
      b, loc, type, inputs, maps, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = a[0];
        if (mean)
          v = arith::SubFOp::create(nb, l, v, a.back());
        v = convertFloat(nb, l, arith::MulFOp::create(nb, l, v, a[1]), et);
        v = arith::MulFOp::create(nb, l, v, a[2]);
        if (bias)
          v = arith::AddFOp::create(nb, l, v, a[3]);
        return v;
      });
  return {y, mean, invStdDev};
}

struct LayerNormLowering : OpRewritePattern<qc::LayerNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::LayerNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    AxisNormResult r = normalizeFromAxis(
        rewriter, loc, op.getX(), op.getAxis(),
        op.getEpsilon().convertToDouble(), /*centered=*/true, op.getScale(),
        op.getB());
    auto statType = cast<RankedTensorType>(op.getMean().getType());
    rewriter.replaceOp(op,
                       {r.y, reshapeUnitDims(rewriter, loc, r.mean, statType),
                        reshapeUnitDims(rewriter, loc, r.invStdDev, statType)});
    return success();
  }
};

struct RMSNormLowering : OpRewritePattern<qc::RMSNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::RMSNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    AxisNormResult r = normalizeFromAxis(
        rewriter, op.getLoc(), op.getX(), op.getAxis(),
        op.getEpsilon().convertToDouble(), /*centered=*/false, op.getScale(),
        Value());
    rewriter.replaceOp(op, r.y);
    return success();
  }
};

/// (x - mean) * invStdDev in the element type of `x`, over the dims from 2
/// on, scaled and shifted by per-channel (or, for GroupNormalization's
/// per-group form, per-group) parameters read through `paramMap`.
/// `x` is N x C x ... (InstanceNormalization) or N x G x C/G x ...
/// (GroupNormalization); statistics are in `statType`.
Value normalizeSpatial(OpBuilder &b, Location loc, Value x, double eps,
                       Type statType, Value scale, Value bias,
                       AffineMap paramMap) {
  auto type = cast<RankedTensorType>(x.getType());
  unsigned rank = type.getRank();
  SmallVector<int64_t> dims = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  Value xs = convertFloatTensor(b, loc, x, statType);
  Moments m = buildMoments(b, loc, xs, dims);
  Value invStdDev = inverseStdDev(b, loc, m.variance, eps);
  AffineMap kept = keptDimsMap(b.getContext(), rank, dims);
  Type et = type.getElementType();
  return buildElementwiseWithMaps(
      b, loc, type, ValueRange{xs, m.mean, invStdDev, scale, bias},
      {b.getMultiDimIdentityMap(rank), kept, kept, paramMap, paramMap},
      [&](OpBuilder &nb, Location l, ValueRange a) {
        Value v = arith::MulFOp::create(
            nb, l, arith::SubFOp::create(nb, l, a[0], a[1]), a[2]);
        v = convertFloat(nb, l, v, et);
        return (Value)arith::AddFOp::create(
            nb, l, arith::MulFOp::create(nb, l, v, a[3]), a[4]);
      });
}

struct InstanceNormLowering : OpRewritePattern<qc::InstanceNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::InstanceNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    MLIRContext *ctx = getContext();
    AffineMap channel = AffineMap::get(type.getRank(), 0,
                                       {getAffineDimExpr(1, ctx)}, ctx);
    // No stash_type here: float16 statistics are kept in float32 all the
    // same, as the other normalizations do, so that long rows do not lose
    // the variance to rounding.
    Type et = type.getElementType();
    Type statType = et.isF16() ? rewriter.getF32Type() : et;
    rewriter.replaceOp(
        op, normalizeSpatial(rewriter, op.getLoc(), op.getInput(),
                             op.getEpsilon().convertToDouble(), statType,
                             op.getScale(), op.getB(), channel));
    return success();
  }
};

struct GroupNormLowering : OpRewritePattern<qc::GroupNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GroupNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t c = type.getDimSize(1), g = op.getNumGroups();
    // N x C x ... viewed as N x G x C/G x ...: a group is then dims 2.. of
    // one (n, g).
    SmallVector<int64_t> grouped{type.getDimSize(0), g, c / g};
    llvm::append_range(grouped, type.getShape().drop_front(2));
    auto groupedType = type.clone(grouped);
    unsigned rank = grouped.size();
    Value x = reshapeStatic(rewriter, loc, op.getX(), groupedType);
    Value scale = op.getScale(), bias = op.getBias();
    AffineMap paramMap;
    if (cast<RankedTensorType>(scale.getType()).getDimSize(0) == c && c != g) {
      // Per channel (opset 21): the parameters viewed as G x C/G.
      auto paramType = RankedTensorType::get({g, c / g}, type.getElementType());
      scale = reshapeStatic(rewriter, loc, scale, paramType);
      bias = reshapeStatic(rewriter, loc, bias, paramType);
      paramMap = AffineMap::get(
          rank, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
    } else {
      paramMap = AffineMap::get(rank, 0, {getAffineDimExpr(1, ctx)}, ctx);
    }
    Value y = normalizeSpatial(rewriter, loc, x,
                               op.getEpsilon().convertToDouble(),
                               rewriter.getF32Type(), scale, bias, paramMap);
    rewriter.replaceOp(op, reshapeStatic(rewriter, loc, y, type));
    return success();
  }
};

struct LpNormLowering : OpRewritePattern<qc::LpNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::LpNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    unsigned rank = type.getRank();
    int64_t axis = *qc::normalizeAxis(op.getAxis(), rank);
    bool l1 = op.getP() == 1;
    Value norm = buildReduction(
        rewriter, loc, op.getInput(), {axis}, scalarConstant(rewriter, loc, et, 0),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value term = l1 ? (Value)math::AbsFOp::create(b, l, a[0])
                          : (Value)arith::MulFOp::create(b, l, a[0], a[0]);
          return (Value)arith::AddFOp::create(b, l, a[1], term);
        });
    // x / norm, and 0 where the norm is 0 (as ONNX's reference).
    Value y = buildElementwiseWithMaps(
        rewriter, loc, type, ValueRange{op.getInput(), norm},
        {rewriter.getMultiDimIdentityMap(rank),
         keptDimsMap(getContext(), rank, {axis})},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value n = l1 ? a[1] : (Value)math::SqrtOp::create(b, l, a[1]);
          Value zero = scalarConstant(b, l, et, 0);
          Value isZero =
              arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, n, zero);
          return (Value)arith::SelectOp::create(
              b, l, isZero, zero, arith::DivFOp::create(b, l, a[0], n));
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct MeanVarianceNormLowering
    : OpRewritePattern<qc::MeanVarianceNormalizationOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::MeanVarianceNormalizationOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    unsigned rank = type.getRank();
    SmallVector<int64_t> dims;
    static const int64_t defaultAxes[] = {0, 2, 3};
    for (int64_t a : op.getAxes().value_or(ArrayRef<int64_t>(defaultAxes)))
      dims.push_back(*qc::normalizeAxis(a, rank));
    llvm::sort(dims);
    dims.erase(llvm::unique(dims), dims.end());
    Moments m = buildMoments(rewriter, loc, op.getX(), dims);
    AffineMap kept = keptDimsMap(getContext(), rank, dims);
    // (x - mean) / (sqrt(var) + 1e-9), ONNX's function body (epsilon added
    // to the standard deviation, not the variance).
    Value y = buildElementwiseWithMaps(
        rewriter, loc, type, ValueRange{op.getX(), m.mean, m.variance},
        {rewriter.getMultiDimIdentityMap(rank), kept, kept},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value std = arith::AddFOp::create(
              b, l, math::SqrtOp::create(b, l, a[2]),
              scalarConstant(b, l, a[2].getType(), 1e-9));
          return (Value)arith::DivFOp::create(
              b, l, arith::SubFOp::create(b, l, a[0], a[1]), std);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

struct LRNLowering : OpRewritePattern<qc::LRNOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::LRNOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    auto type = cast<RankedTensorType>(op.getType());
    Type et = type.getElementType();
    unsigned rank = type.getRank();
    int64_t size = op.getSize();
    // The window of channel c is [c - floor((size-1)/2), c + ceil((size-1)/2)]:
    // pad the squares with zeros along C so that every window is in bounds.
    int64_t before = (size - 1) / 2, after = size - 1 - before;
    Value squares = buildElementwise(rewriter, loc, type, op.getX(),
                                     [](OpBuilder &b, Location l, ValueRange a) {
                                       return (Value)arith::MulFOp::create(b, l, a[0], a[0]);
                                     });
    SmallVector<int64_t> paddedShape(type.getShape());
    paddedShape[1] += size - 1;
    SmallVector<OpFoldResult> low(rank, rewriter.getIndexAttr(0)),
        high(rank, rewriter.getIndexAttr(0));
    low[1] = rewriter.getIndexAttr(before);
    high[1] = rewriter.getIndexAttr(after);
    Value padded = tensor::PadOp::create(
        rewriter, loc, type.clone(paddedShape), squares, low, high,
        scalarConstant(rewriter, loc, et, 0));
    // Sum over a window dim k (the last loop): padded[n, c + k, ...].
    SmallVector<int64_t> loops(type.getShape());
    loops.push_back(size);
    SmallVector<AffineExpr> window;
    for (unsigned i = 0; i < rank; ++i)
      window.push_back(i == 1 ? getAffineDimExpr(1, ctx) + getAffineDimExpr(rank, ctx)
                              : getAffineDimExpr(i, ctx));
    // k appears only in c + k; an operand of shape [size] read at k gives
    // linalg its range, as the window operand of linalg's pooling ops does.
    Value windowShape = tensor::EmptyOp::create(rewriter, loc, {size}, et);
    Value sum = buildReduction(
        rewriter, loc, loops, {(int64_t)rank}, ValueRange{padded, windowShape},
        {AffineMap::get(rank + 1, 0, window, ctx),
         AffineMap::get(rank + 1, 0, {getAffineDimExpr(rank, ctx)}, ctx)},
        scalarConstant(rewriter, loc, et, 0),
        [](OpBuilder &b, Location l, ValueRange a) {
          return (Value)arith::AddFOp::create(b, l, a[0], a[2]);
        });
    double alpha = op.getAlpha().convertToDouble() / size;
    double beta = op.getBeta().convertToDouble();
    double bias = op.getBias().convertToDouble();
    Value y = buildElementwise(
        rewriter, loc, type, ValueRange{op.getX(), sum},
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value base = arith::AddFOp::create(
              b, l, scalarConstant(b, l, et, bias),
              arith::MulFOp::create(b, l, scalarConstant(b, l, et, alpha), a[1]));
          Value denom = math::PowFOp::create(b, l, base, scalarConstant(b, l, et, beta));
          return (Value)arith::DivFOp::create(b, l, a[0], denom);
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

} // namespace

void quantc::populateFeatureNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<LayerNormLowering, RMSNormLowering, InstanceNormLowering,
               GroupNormLowering, LpNormLowering, MeanVarianceNormLowering,
               LRNLowering>(patterns.getContext());
}
