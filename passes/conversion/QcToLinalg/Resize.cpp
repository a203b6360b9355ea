//===- Resize.cpp - Resize and Upsample -----------------------------------===//
//
// Every shape and coefficient of a Resize is known at compile time, so the
// plan (DataMovementRules.h) holds, per resized axis, the input indices and
// weights of each output position. They become constant tables, and the
// kernel is one linalg.generic over the output plus one reduction loop per
// resized axis over its taps: out = sum_t prod_a w_a[o_a, t_a] *
// X[idx_a[o_a, t_a]...]. Nearest has one tap of weight 1, so it is a pure
// gather and works for every element type. tf_crop_and_resize positions
// outside the input take extrapolation_value in a second elementwise op.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

Value constantTable(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    Type et, ArrayRef<Attribute> values) {
  auto type = RankedTensorType::get(shape, et);
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

Value lowerResize(OpBuilder &b, Location loc, const qc::ResizePlan &plan,
                  Value x, RankedTensorType type) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  SmallVector<int64_t> resized;
  for (int64_t d = 0; d < rank; ++d)
    if (!plan.axes[d].identity)
      resized.push_back(d);
  if (resized.empty())
    return x;
  bool nearest = plan.mode == "nearest";
  // Loops: the output dims, then (linear, cubic) one tap dim per resized axis.
  int64_t numLoops = rank + (nearest ? 0 : resized.size());
  SmallVector<Value> tables;
  SmallVector<AffineMap> maps;
  for (auto [j, d] : llvm::enumerate(resized)) {
    const qc::ResizeAxis &axis = plan.axes[d];
    SmallVector<int64_t> shape{axis.outputSize};
    SmallVector<AffineExpr> exprs{getAffineDimExpr(d, ctx)};
    if (!nearest) {
      shape.push_back(axis.taps);
      exprs.push_back(getAffineDimExpr(rank + j, ctx));
    }
    AffineMap map = AffineMap::get(numLoops, 0, exprs, ctx);
    SmallVector<Attribute> indices, weights;
    for (int64_t i : axis.indices)
      indices.push_back(b.getI64IntegerAttr(i));
    tables.push_back(constantTable(b, loc, shape, b.getI64Type(), indices));
    maps.push_back(map);
    if (nearest)
      continue;
    for (double w : axis.weights)
      weights.push_back(b.getFloatAttr(et, w));
    tables.push_back(constantTable(b, loc, shape, et, weights));
    maps.push_back(map);
  }
  auto body = [&](OpBuilder &nb, Location l, ValueRange args) {
    SmallVector<Value> coords;
    for (int64_t d = 0; d < rank; ++d)
      coords.push_back(linalg::IndexOp::create(nb, l, d));
    int64_t stride = nearest ? 1 : 2;
    Value weight;
    for (auto [j, d] : llvm::enumerate(resized)) {
      coords[d] = arith::IndexCastOp::create(nb, l, nb.getIndexType(),
                                             args[j * stride]);
      if (nearest)
        continue;
      Value w = args[j * stride + 1];
      weight = weight ? Value(arith::MulFOp::create(nb, l, weight, w)) : w;
    }
    Value v = tensor::ExtractOp::create(nb, l, x, coords);
    if (nearest)
      return v;
    return Value(arith::AddFOp::create(
        nb, l, args.back(), arith::MulFOp::create(nb, l, v, weight)));
  };
  Value result;
  if (nearest) {
    result = buildElementwiseWithMaps(b, loc, type, tables, maps, body);
  } else {
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<unsigned> taps;
    for (int64_t j = 0; j < (int64_t)resized.size(); ++j)
      taps.push_back(rank + j);
    Value init = filledTensor(b, loc, type, scalarConstant(b, loc, et, 0));
    result = linalg::GenericOp::create(
                 b, loc, type, tables, init, maps, iteratorTypes(numLoops, taps),
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(nb, l, body(nb, l, args));
                 })
                 .getResult(0);
  }
  if (!plan.anyExtrapolated)
    return result;
  // Outside the input on any axis: extrapolation_value.
  SmallVector<Value> masks{result};
  SmallVector<AffineMap> maskMaps{b.getMultiDimIdentityMap(rank)};
  for (int64_t d : resized) {
    SmallVector<Attribute> flags;
    for (bool e : plan.axes[d].extrapolated)
      flags.push_back(b.getBoolAttr(e));
    masks.push_back(constantTable(b, loc, {plan.axes[d].outputSize},
                                  b.getI1Type(), flags));
    maskMaps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(d, ctx)));
  }
  Value fill = scalarConstant(b, loc, et, plan.extrapolationValue);
  return buildElementwiseWithMaps(
      b, loc, type, masks, maskMaps, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value outside = args[1];
        for (Value m : args.drop_front(2))
          outside = arith::OrIOp::create(nb, l, outside, m);
        return Value(arith::SelectOp::create(nb, l, outside, fill, args[0]));
      });
}

/// Nearest resize of an input with run-time dims (qc::computeRunTimeResize):
/// a gather whose input index per resized dim is computed in the kernel.
Value lowerRunTimeResize(OpBuilder &b, Location loc, const qc::RunTimeResize &r,
                         Value x, RankedTensorType type) {
  int64_t rank = type.getRank();
  SmallVector<Value> inSizes = dimSizes(b, loc, x);
  SmallVector<Value> outDynamic = dynamicSizes(type, [&](int64_t d) -> Value {
    if (r.scales[d] == 1.0)
      return inSizes[d];
    // floor(in * scale), in f64 as the shape rule computes it.
    Value in = arith::SIToFPOp::create(
        b, loc, b.getF64Type(), arith::IndexCastOp::create(b, loc, b.getI64Type(), inSizes[d]));
    Value out = math::FloorOp::create(
        b, loc, arith::MulFOp::create(b, loc, in, scalarConstant(b, loc, b.getF64Type(), r.scales[d])));
    return arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                      arith::FPToSIOp::create(b, loc, b.getI64Type(), out));
  });
  Value init = tensor::EmptyOp::create(b, loc, type, outDynamic);
  return buildElementwiseInto(
      b, loc, init, ValueRange{}, {}, [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> coords;
        for (int64_t d = 0; d < rank; ++d) {
          Value o = linalg::IndexOp::create(nb, l, d);
          if (r.scales[d] == 1.0) {
            coords.push_back(o);
            continue;
          }
          // asymmetric: o / scale, rounded by nearest_mode, clamped.
          Value of = arith::SIToFPOp::create(
              nb, l, nb.getF32Type(), arith::IndexCastOp::create(nb, l, nb.getI64Type(), o));
          Value v = arith::DivFOp::create(nb, l, of,
                                          scalarConstant(nb, l, nb.getF32Type(), r.scales[d]));
          Value half = scalarConstant(nb, l, nb.getF32Type(), 0.5);
          if (r.nearestMode == "floor")
            v = math::FloorOp::create(nb, l, v);
          else if (r.nearestMode == "ceil")
            v = math::CeilOp::create(nb, l, v);
          else if (r.nearestMode == "round_prefer_floor")
            v = math::CeilOp::create(nb, l, arith::SubFOp::create(nb, l, v, half));
          else
            v = math::FloorOp::create(nb, l, arith::AddFOp::create(nb, l, v, half));
          Value i = arith::FPToSIOp::create(nb, l, nb.getI64Type(), v);
          coords.push_back(clampedIndex(nb, l, i, inSizes[d]));
        }
        return (Value)tensor::ExtractOp::create(nb, l, x, coords);
      });
}

template <typename OpTy>
struct ResizeLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if constexpr (std::is_same_v<OpTy, qc::ResizeOp>) {
      if (!cast<RankedTensorType>(op.getX().getType()).hasStaticShape()) {
        auto r = qc::computeRunTimeResize(op);
        if (failed(r))
          return failure();
        rewriter.replaceOp(op, lowerRunTimeResize(rewriter, op.getLoc(), *r, op.getX(),
                                                  cast<RankedTensorType>(op.getType())));
        return success();
      }
    }
    auto plan = qc::computeResize(op);
    if (failed(plan))
      return failure();
    rewriter.replaceOp(op, lowerResize(rewriter, op.getLoc(), *plan, op.getX(),
                                       cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void quantc::populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering<qc::ResizeOp>, ResizeLowering<qc::UpsampleOp>>(
      patterns.getContext());
}
