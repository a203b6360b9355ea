//===- Resize.cpp - Resize and Upsample -----------------------------------===//
//
// A resize is a weighted gather: per resized axis a table holds, for each
// output position, the input indices and weights of its taps, and the kernel
// is one linalg.generic over the output plus one reduction loop per resized
// axis over its taps: out = sum_t prod_a w_a[o_a, t_a] * X[idx_a[o_a, t_a]...].
// Nearest has one tap of weight 1, so it is a pure gather and works for every
// element type. tf_crop_and_resize positions outside the input take
// extrapolation_value in a second elementwise op.
//
// When the input's shape and roi, scales and sizes are known at compile time,
// the tables are constants (qc::computeResize). Otherwise a small kernel per
// axis computes them at run time with the same rules (ResizeRules.h),
// instantiated here over SSA values instead of doubles.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;
namespace resize = quantc::qc::resize;

namespace {

//===-- The weighted gather ----------------------------------------------===//

/// The tables of one resized axis `dim`: input indices (i64) of shape [out]
/// for nearest, else [out, taps] with weights of the element type beside
/// them; and, for tf_crop_and_resize, which output positions extrapolate
/// (i1, [out]).
struct AxisTables {
  int64_t dim;
  Value indices, weights, extrapolated;
};

/// The resize of `x` to `type` (whose `?` dims are `dynamicSizes`) through
/// the tables of its resized axes.
Value gather(OpBuilder &b, Location loc, Value x, RankedTensorType type,
             ValueRange dynamicSizes, ArrayRef<AxisTables> axes, bool nearest,
             double extrapolationValue) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  Type et = type.getElementType();
  // Loops: the output dims, then (linear, cubic) one tap dim per resized axis.
  int64_t numLoops = rank + (nearest ? 0 : axes.size());
  SmallVector<Value> tables;
  SmallVector<AffineMap> maps;
  for (auto [j, axis] : llvm::enumerate(axes)) {
    SmallVector<AffineExpr> exprs{getAffineDimExpr(axis.dim, ctx)};
    if (!nearest)
      exprs.push_back(getAffineDimExpr(rank + j, ctx));
    AffineMap map = AffineMap::get(numLoops, 0, exprs, ctx);
    tables.push_back(axis.indices);
    maps.push_back(map);
    if (nearest)
      continue;
    tables.push_back(axis.weights);
    maps.push_back(map);
  }
  auto body = [&](OpBuilder &nb, Location l, ValueRange args) {
    SmallVector<Value> coords;
    for (int64_t d = 0; d < rank; ++d)
      coords.push_back(linalg::IndexOp::create(nb, l, d));
    int64_t stride = nearest ? 1 : 2;
    Value weight;
    for (auto [j, axis] : llvm::enumerate(axes)) {
      coords[axis.dim] = arith::IndexCastOp::create(nb, l, nb.getIndexType(),
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
    result = buildElementwiseInto(
        b, loc, tensor::EmptyOp::create(b, loc, type, dynamicSizes), tables,
        maps, body);
  } else {
    SmallVector<AffineExpr> outExprs;
    for (int64_t d = 0; d < rank; ++d)
      outExprs.push_back(getAffineDimExpr(d, ctx));
    maps.push_back(AffineMap::get(numLoops, 0, outExprs, ctx));
    SmallVector<unsigned> taps;
    for (int64_t j = 0; j < (int64_t)axes.size(); ++j)
      taps.push_back(rank + j);
    Value init =
        filledTensor(b, loc, type, scalarConstant(b, loc, et, 0), dynamicSizes);
    result = linalg::GenericOp::create(
                 b, loc, type, tables, init, maps, iteratorTypes(numLoops, taps),
                 [&](OpBuilder &nb, Location l, ValueRange args) {
                   linalg::YieldOp::create(nb, l, body(nb, l, args));
                 })
                 .getResult(0);
  }
  // Outside the input on any axis: extrapolation_value.
  SmallVector<Value> masks{result};
  SmallVector<AffineMap> maskMaps{b.getMultiDimIdentityMap(rank)};
  for (const AxisTables &axis : axes) {
    if (!axis.extrapolated)
      continue;
    masks.push_back(axis.extrapolated);
    maskMaps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(axis.dim, ctx)));
  }
  if (masks.size() == 1)
    return result;
  Value fill = scalarConstant(b, loc, et, extrapolationValue);
  return buildElementwiseInto(
      b, loc, tensor::EmptyOp::create(b, loc, type, dynamicSizes), masks,
      maskMaps, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value outside = args[1];
        for (Value m : args.drop_front(2))
          outside = arith::OrIOp::create(nb, l, outside, m);
        return Value(arith::SelectOp::create(nb, l, outside, fill, args[0]));
      });
}

//===-- Tables known at compile time --------------------------------------===//

Value constantTable(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                    Type et, ArrayRef<Attribute> values) {
  auto type = RankedTensorType::get(shape, et);
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

Value lowerResize(OpBuilder &b, Location loc, const qc::ResizePlan &plan,
                  Value x, RankedTensorType type) {
  Type et = type.getElementType();
  bool nearest = plan.mode == "nearest";
  SmallVector<AxisTables> axes;
  for (auto [d, axis] : llvm::enumerate(plan.axes)) {
    if (axis.identity)
      continue;
    SmallVector<int64_t> shape{axis.outputSize};
    if (!nearest)
      shape.push_back(axis.taps);
    SmallVector<Attribute> indices, weights, flags;
    for (int64_t i : axis.indices)
      indices.push_back(b.getI64IntegerAttr(i));
    AxisTables tables{(int64_t)d, constantTable(b, loc, shape, b.getI64Type(), indices),
                      {}, {}};
    if (!nearest) {
      for (double w : axis.weights)
        weights.push_back(b.getFloatAttr(et, w));
      tables.weights = constantTable(b, loc, shape, et, weights);
    }
    if (plan.anyExtrapolated) {
      for (bool e : axis.extrapolated)
        flags.push_back(b.getBoolAttr(e));
      tables.extrapolated =
          constantTable(b, loc, {axis.outputSize}, b.getI1Type(), flags);
    }
    axes.push_back(tables);
  }
  if (axes.empty())
    return x;
  return gather(b, loc, x, type, {}, axes, nearest, plan.extrapolationValue);
}

//===-- Tables computed at run time ---------------------------------------===//

/// A scalar f64 (Num) or i1 (Bool) value with the operators and functions
/// that ResizeRules.h uses, so that its rules, written over numbers, build
/// the ops that compute them where `at` inserts.
struct At {
  OpBuilder &b;
  Location loc;
};
struct Num {
  At *at;
  Value v;
};
struct Bool {
  At *at;
  Value v;
};

Num lit(const Num &like, double v) {
  return {like.at, arith::ConstantOp::create(like.at->b, like.at->loc,
                                             like.at->b.getF64FloatAttr(v))};
}

template <typename OpTy> Num binary(Num a, Num c) {
  assert(a.at == c.at && "operands built at different places");
  return {a.at, OpTy::create(a.at->b, a.at->loc, a.v, c.v)};
}
Bool compare(arith::CmpFPredicate p, Num a, Num c) {
  assert(a.at == c.at && "operands built at different places");
  return {a.at, arith::CmpFOp::create(a.at->b, a.at->loc, p, a.v, c.v)};
}

#define QC_RESIZE_NUM_OPERATOR(OP, RESULT, MAKE)                              \
  RESULT operator OP(Num a, Num c) { return MAKE(a, c); }                      \
  RESULT operator OP(Num a, double c) { return MAKE(a, lit(a, c)); }           \
  RESULT operator OP(double a, Num c) { return MAKE(lit(c, a), c); }
QC_RESIZE_NUM_OPERATOR(+, Num, binary<arith::AddFOp>)
QC_RESIZE_NUM_OPERATOR(-, Num, binary<arith::SubFOp>)
QC_RESIZE_NUM_OPERATOR(*, Num, binary<arith::MulFOp>)
QC_RESIZE_NUM_OPERATOR(/, Num, binary<arith::DivFOp>)
#define QC_RESIZE_CMP(P) [](Num a, Num c) { return compare(arith::CmpFPredicate::P, a, c); }
QC_RESIZE_NUM_OPERATOR(<, Bool, QC_RESIZE_CMP(OLT))
QC_RESIZE_NUM_OPERATOR(<=, Bool, QC_RESIZE_CMP(OLE))
QC_RESIZE_NUM_OPERATOR(>, Bool, QC_RESIZE_CMP(OGT))
QC_RESIZE_NUM_OPERATOR(>=, Bool, QC_RESIZE_CMP(OGE))
QC_RESIZE_NUM_OPERATOR(==, Bool, QC_RESIZE_CMP(OEQ))
#undef QC_RESIZE_CMP
#undef QC_RESIZE_NUM_OPERATOR

Bool operator&&(Bool a, Bool c) {
  return {a.at, arith::AndIOp::create(a.at->b, a.at->loc, a.v, c.v)};
}
Bool operator||(Bool a, Bool c) {
  return {a.at, arith::OrIOp::create(a.at->b, a.at->loc, a.v, c.v)};
}
Bool operator!(Bool a) {
  Value yes = arith::ConstantOp::create(a.at->b, a.at->loc, a.at->b.getBoolAttr(true));
  return {a.at, arith::XOrIOp::create(a.at->b, a.at->loc, a.v, yes)};
}
Num select(Bool c, Num a, Num e) {
  return {a.at, arith::SelectOp::create(a.at->b, a.at->loc, c.v, a.v, e.v)};
}
Num floorOf(Num a) { return {a.at, math::FloorOp::create(a.at->b, a.at->loc, a.v)}; }
Num absOf(Num a) { return {a.at, math::AbsFOp::create(a.at->b, a.at->loc, a.v)}; }
// A NaN operand gives the other one: a NaN scale cannot turn a clamp off.
Num minOf(Num a, Num c) { return binary<arith::MinNumFOp>(a, c); }
Num maxOf(Num a, Num c) { return binary<arith::MaxNumFOp>(a, c); }
Num minOf(Num a, double c) { return minOf(a, lit(a, c)); }
Num maxOf(Num a, double c) { return maxOf(a, lit(a, c)); }

// The conversions fold constants as they are built, so that a tap count or
// output size known at compile time gives the tables a static dim.
Num fromIndex(At &at, Value index) {
  Value i = at.b.createOrFold<arith::IndexCastOp>(at.loc, at.b.getI64Type(), index);
  return {&at, at.b.createOrFold<arith::SIToFPOp>(at.loc, at.b.getF64Type(), i)};
}
/// A whole number (already clamped into range) as an i64.
Value toI64(Num a) {
  return a.at->b.createOrFold<arith::FPToSIOp>(a.at->loc, a.at->b.getI64Type(), a.v);
}
Value toIndex(Num a) {
  return a.at->b.createOrFold<arith::IndexCastOp>(a.at->loc, a.at->b.getIndexType(),
                                                  toI64(a));
}

/// Element i of a 1-D scales (float), sizes (int64) or roi tensor, as f64.
Num readElement(At &at, Value tensor, int64_t i) {
  Value v = tensor::ExtractOp::create(
      at.b, at.loc, tensor, ValueRange{arith::ConstantIndexOp::create(at.b, at.loc, i)});
  Type f64 = at.b.getF64Type();
  if (auto ft = dyn_cast<FloatType>(v.getType()))
    return {&at, ft.getWidth() < 64 ? arith::ExtFOp::create(at.b, at.loc, f64, v)
                                    : v};
  return {&at, arith::SIToFPOp::create(at.b, at.loc, f64, v)};
}

/// The same axis with its values used where `at` inserts (in a kernel body).
resize::Axis<Num> rebound(const resize::Axis<Num> &a, At &at) {
  return {{&at, a.inputWidth.v}, {&at, a.outputWidth.v}, {&at, a.scale.v},
          {&at, a.roiStart.v}, {&at, a.roiEnd.v}};
}

/// A linalg.generic over `sizes` (constants give static dims) whose body
/// yields one element of each of `types` from the loop indices (as f64)
/// and the inputs read through `maps`.
using TableBody = function_ref<SmallVector<Value>(At &, ArrayRef<Num> indices,
                                                  ValueRange inputs)>;
SmallVector<Value> tabulate(OpBuilder &b, Location loc, ArrayRef<Value> sizes,
                            ArrayRef<Type> types, ValueRange inputs,
                            ArrayRef<AffineMap> maps, TableBody body) {
  SmallVector<OpFoldResult> shape = getAsOpFoldResult(sizes);
  SmallVector<Value> inits;
  for (Type t : types)
    inits.push_back(tensor::EmptyOp::create(b, loc, shape, t));
  SmallVector<AffineMap> allMaps(maps);
  allMaps.append(types.size(), b.getMultiDimIdentityMap(sizes.size()));
  auto generic = linalg::GenericOp::create(
      b, loc, ValueRange(inits).getTypes(), inputs, inits, allMaps,
      iteratorTypes(sizes.size()),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        At at{nb, l};
        SmallVector<Num> indices;
        for (int64_t d = 0; d < (int64_t)sizes.size(); ++d)
          indices.push_back(fromIndex(at, linalg::IndexOp::create(nb, l, d)));
        linalg::YieldOp::create(
            nb, l, body(at, indices, args.take_front(inputs.size())));
      });
  return llvm::to_vector_of<Value>(generic.getResults());
}

/// The sum of each row of an [out, taps] f64 table, in tap order (as the
/// reference's sum() adds them).
Value rowSums(OpBuilder &b, Location loc, Value table, Value rows) {
  MLIRContext *ctx = b.getContext();
  auto type = RankedTensorType::get({ShapedType::kDynamic}, b.getF64Type());
  Value init = filledTensor(b, loc, type, scalarConstant(b, loc, b.getF64Type(), 0),
                            ValueRange{rows});
  AffineMap rowMap = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  return linalg::GenericOp::create(
             b, loc, type, table, init,
             ArrayRef<AffineMap>{b.getMultiDimIdentityMap(2), rowMap},
             iteratorTypes(2, {1}),
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(
                   nb, l, arith::AddFOp::create(nb, l, args[1], args[0]).getResult());
             })
      .getResult(0);
}

/// The tables of one axis from its run-time sizes and scale (`a`), the
/// output size `out` (an index) and the tap count.
AxisTables tabulateRunTime(OpBuilder &b, Location loc, const resize::Kernel &k,
                           int64_t dim, const resize::Axis<Num> &a, Value out,
                           Type et) {
  MLIRContext *ctx = b.getContext();
  bool nearest = k.mode == "nearest";
  bool cropped = k.transform == "tf_crop_and_resize";
  Bool identity = resize::isIdentity(k, a);
  Num taps = nearest ? lit(a.scale, 2) : resize::tapCount(k, a.scale);
  if (k.antialias) {
    // 2 * ceil(support / scale) taps: while the output is not empty (scale
    // >= 1 / in, or 0.5 / in with keep_aspect_ratio_policy) that is at most
    // 8 * in + 2, so the bound changes no result and keeps a tiny or NaN
    // scale from asking for a huge table.
    taps = minOf(maxOf(taps, 2), a.inputWidth * 8.0 + 2.0);
  }
  // Where output position y reads: its coordinate x (the input position
  // itself where the reference leaves the axis alone), the ratio and the
  // first tap.
  struct Position {
    Num x, ratio, first;
  };
  auto position = [&](const resize::Axis<Num> &ax, Bool same, Num n, Num y) {
    Num x = select(same, y, resize::sourceCoordinate(k, ax, y));
    return Position{x, resize::ratioOf(x), resize::firstTap(x, n)};
  };
  // Edge padding: positions outside the input read its first or last one.
  auto clamped = [](const resize::Axis<Num> &ax, Num i) {
    return toI64(minOf(maxOf(i, 0), ax.inputWidth - 1.0));
  };
  auto inside = [&](At &at) {
    return std::make_tuple(rebound(a, at), Bool{&at, identity.v},
                           Num{&at, taps.v});
  };
  AxisTables tables{dim, {}, {}, {}};
  Type i64 = b.getI64Type(), f64 = b.getF64Type();
  if (cropped)
    tables.extrapolated = tabulate(
        b, loc, {out}, {b.getI1Type()}, {}, {},
        [&](At &at, ArrayRef<Num> idx, ValueRange) -> SmallVector<Value> {
          auto [ax, same, n] = inside(at);
          Num x = position(ax, same, n, idx[0]).x;
          return {(resize::isExtrapolated(ax, x) && !same).v};
        })[0];
  if (nearest) {
    tables.indices = tabulate(
        b, loc, {out}, {i64}, {}, {},
        [&](At &at, ArrayRef<Num> idx, ValueRange) -> SmallVector<Value> {
          auto [ax, same, n] = inside(at);
          Position p = position(ax, same, n, idx[0]);
          Bool second = resize::nearestPicksSecond(k, p.ratio);
          return {clamped(ax, p.first + select(second, lit(p.x, 1), lit(p.x, 0)))};
        })[0];
    return tables;
  }
  // Linear, cubic: [out, taps] indices and weights; with antialias and
  // exclude_outside also the raw weights, whose row sums normalize first.
  bool both = k.antialias && k.excludeOutside;
  SmallVector<Type> types{i64, f64};
  if (both)
    types.push_back(f64);
  Value tapSize = toIndex(taps);
  SmallVector<Value> t = tabulate(
      b, loc, {out, tapSize}, types, {}, {},
      [&](At &at, ArrayRef<Num> idx, ValueRange) -> SmallVector<Value> {
        auto [ax, same, n] = inside(at);
        Position p = position(ax, same, n, idx[0]);
        Num tap = idx[1], index = p.first + tap;
        Num raw = resize::tapWeight(k, p.ratio, ax.scale, n, tap);
        Num w = k.excludeOutside ? resize::insideWeight(raw, index, ax.inputWidth)
                                 : raw;
        SmallVector<Value> results{clamped(ax, index), w.v};
        if (both)
          results.push_back(raw.v);
        return results;
      });
  tables.indices = t[0];
  Value weights = t[1];
  AffineMap rowMap = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  auto normalize = [&](Value sums) {
    return tabulate(
        b, loc, {out, tapSize}, {f64}, {weights, sums},
        {b.getMultiDimIdentityMap(2), rowMap},
        [&](At &at, ArrayRef<Num>, ValueRange args) -> SmallVector<Value> {
          return {resize::normalizedWeight(Num{&at, args[0]}, Num{&at, args[1]}).v};
        })[0];
  };
  // Zeroing a tap outside the input and dividing by the row's sum commute,
  // so the weights may be zeroed before the antialias normalization as long
  // as the sum is of the raw ones.
  if (k.antialias)
    weights = normalize(rowSums(b, loc, both ? t[2] : weights, out));
  if (k.excludeOutside)
    weights = normalize(rowSums(b, loc, weights, out));
  tables.weights = tabulate(
      b, loc, {out, tapSize}, {et}, {weights}, {b.getMultiDimIdentityMap(2)},
      [&](At &at, ArrayRef<Num>, ValueRange args) -> SmallVector<Value> {
        return {convertScalar(at.b, at.loc, args[0], et)};
      })[0];
  return tables;
}

Value lowerRunTimeResize(OpBuilder &b, Location loc, const qc::RunTimeResize &r,
                         Value x, RankedTensorType type) {
  At at{b, loc};
  const resize::Kernel &k = r.kernel;
  int64_t n = r.axes.size();
  SmallVector<Value> sizes = dimSizes(b, loc, x);
  SmallVector<resize::Axis<Num>> axes;
  SmallVector<Num> scales;
  for (int64_t i = 0; i < n; ++i) {
    Num in = fromIndex(at, sizes[r.axes[i]]);
    Num scale = r.scales ? readElement(at, r.scales, i) : Num{};
    Num out = r.scales ? resize::outputWidthForScale(in, scale)
                       : readElement(at, r.sizes, i);
    if (r.sizes)
      scale = out / in;
    Num roiStart = r.roi ? readElement(at, r.roi, i) : lit(in, 0);
    Num roiEnd = r.roi ? readElement(at, r.roi, i + n) : lit(in, 1);
    axes.push_back({in, out, scale, roiStart, roiEnd});
    scales.push_back(scale);
  }
  if (r.sizes && r.policy != "stretch") {
    Num scale = resize::keptAspectScale<Num>(r.policy, scales);
    for (resize::Axis<Num> &a : axes) {
      a.scale = scale;
      a.outputWidth = resize::keptAspectWidth(a.inputWidth, scale);
    }
  }
  SmallVector<AxisTables> tables;
  for (int64_t i = 0; i < n; ++i) {
    if (r.unchanged[i])
      continue;
    int64_t d = r.axes[i];
    resize::Axis<Num> &a = axes[i];
    // Bad run-time values must not read outside the input nor ask for a
    // negative size: an output width that is negative or NaN (a scale or
    // size that is not positive) is 0, and so is any output along an empty
    // input dim. A static output dim is the one shape inference computed
    // with the same rule.
    if (type.isDynamicDim(d))
      a.outputWidth = select(a.inputWidth == 0.0, lit(a.inputWidth, 0),
                             minOf(maxOf(a.outputWidth, 0), 0x1p62));
    else
      a.outputWidth = lit(a.inputWidth, (double)type.getDimSize(d));
    sizes[d] = type.isDynamicDim(d)
                   ? toIndex(a.outputWidth)
                   : arith::ConstantIndexOp::create(b, loc, type.getDimSize(d));
    tables.push_back(tabulateRunTime(b, loc, k, d, a, sizes[d],
                                     type.getElementType()));
  }
  if (tables.empty())
    return x;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(sizes[d]);
  return gather(b, loc, x, type, dynamicSizes, tables, k.mode == "nearest",
                r.extrapolationValue);
}

template <typename OpTy>
struct ResizeLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    // A result with run-time dims keeps them even if its scales became
    // constants after shape inference: its tables are then built at run time.
    if (!qc::hasConstantResizeTables(op) || !type.hasStaticShape()) {
      auto r = qc::computeRunTimeResize(op);
      if (failed(r))
        return failure();
      rewriter.replaceOp(op, lowerRunTimeResize(rewriter, op.getLoc(), *r,
                                                op.getX(), type));
      return success();
    }
    auto plan = qc::computeResize(op);
    if (failed(plan))
      return failure();
    rewriter.replaceOp(op, lowerResize(rewriter, op.getLoc(), *plan, op.getX(), type));
    return success();
  }
};

} // namespace

void quantc::populateResizePatterns(RewritePatternSet &patterns) {
  patterns.add<ResizeLowering<qc::ResizeOp>, ResizeLowering<qc::UpsampleOp>>(
      patterns.getContext());
}
