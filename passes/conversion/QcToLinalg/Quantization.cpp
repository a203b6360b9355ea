//===- Quantization.cpp - ONNX quantization ops to linalg -----------------===//
//
// QuantizeLinear, DequantizeLinear and DynamicQuantizeLinear are elementwise
// linalg.generic ops computing in float32; a scale or zero point is read
// through an indexing map (per tensor, per axis or blocked), so that none
// is broadcast in memory.
//
// The integer contractions widen their inputs to int32 minus the zero point
// (one elementwise generic each), then contract in int32 with the MatMul or
// Conv lowering; QLinearMatMul and QLinearConv add a requantizing generic.
// Padding a widened input with 0 is padding the original with its zero
// point, as ONNX specifies.
//
// These are the reference lowerings: exact, run-time scales allowed. Integer
// kernels for constant scales come from the quantization passes.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

Type elementOf(Value v) { return getElementTypeOrSelf(v.getType()); }

/// The map from the iteration space of `x` (rank `rank`) to a scale or zero
/// point `param` of QuantizeLinear/DequantizeLinear: one value, one per index
/// of `axis`, or blocks of `blockSize` along `axis`.
AffineMap quantParamMap(RankedTensorType param, int64_t rank, int64_t axis,
                        int64_t blockSize, MLIRContext *ctx) {
  if (blockSize == 0 && qc::holdsOneValue(param))
    return AffineMap::get(rank, 0,
                          SmallVector<AffineExpr>(param.getRank(),
                                                  getAffineConstantExpr(0, ctx)),
                          ctx);
  if (axis < 0)
    axis += rank;
  if (blockSize == 0)
    return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    exprs.push_back(i == axis ? getAffineDimExpr(i, ctx).floorDiv(blockSize)
                              : getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

/// The map from an iteration space of type `space` to the scale or zero
/// point `param` of an integer contraction's operand: one value, one per
/// index of dim `dim` (1-D), or numpy-broadcast (same rank).
AffineMap perDimMap(RankedTensorType param, RankedTensorType space,
                    int64_t dim) {
  MLIRContext *ctx = param.getContext();
  int64_t rank = space.getRank();
  if (qc::holdsOneValue(param))
    return AffineMap::get(rank, 0,
                          SmallVector<AffineExpr>(param.getRank(),
                                                  getAffineConstantExpr(0, ctx)),
                          ctx);
  if (param.getRank() == 1)
    return AffineMap::get(rank, 0, getAffineDimExpr(dim, ctx));
  return broadcastMap(param, space.getShape());
}

AffineMap identity(int64_t rank, MLIRContext *ctx) {
  return AffineMap::getMultiDimIdentityMap(rank, ctx);
}

Value f32Constant(OpBuilder &b, Location loc, double v) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(v));
}

/// The integer range of a quantized integer type (signless or unsigned).
std::pair<double, double> integerRange(IntegerType t) {
  unsigned w = t.getWidth();
  if (t.isUnsigned())
    return {0.0, double((uint64_t(1) << w) - 1)};
  return {-double(int64_t(1) << (w - 1)), double((int64_t(1) << (w - 1)) - 1)};
}

/// round-half-even(v) + zeroPoint, saturated to `to`'s range and converted
/// to it (signless result). `zeroPoint` is an f32 or null.
Value roundToInteger(OpBuilder &b, Location loc, Value v, Value zeroPoint,
                     IntegerType to) {
  Value r = math::RoundEvenOp::create(b, loc, v);
  if (zeroPoint)
    r = arith::AddFOp::create(b, loc, r, zeroPoint);
  auto [lo, hi] = integerRange(to);
  // maxnumf/minnumf: NaN becomes the lower bound, never an undefined
  // conversion.
  r = arith::MaxNumFOp::create(b, loc, r, f32Constant(b, loc, lo));
  r = arith::MinNumFOp::create(b, loc, r, f32Constant(b, loc, hi));
  // Saturated, a value of up to 16 bits is exact as an int32: converted
  // through one (a vector of 16 in one instruction) rather than Cast's
  // int64, which the loop vectorizer takes 4 at a time.
  if (to.getWidth() <= 16)
    return arith::TruncIOp::create(
        b, loc, b.getIntegerType(to.getWidth()),
        arith::FPToSIOp::create(b, loc, b.getI32Type(), r));
  return convertScalar(b, loc, r, b.getF32Type(), to);
}

/// v (f32) quantized to `to`, a qc element type: rounded and saturated for
/// integers, converted (saturated with `saturate`) for float8, converted for
/// float4e2m1. `zeroPoint` is an f32 or null.
Value quantizeScalar(OpBuilder &b, Location loc, Value v, Value zeroPoint,
                     Type to, bool saturate) {
  if (auto i = dyn_cast<IntegerType>(to))
    return roundToInteger(b, loc, v, zeroPoint, i);
  if (isa<Float4E2M1FNType>(to)) {
    if (zeroPoint)
      v = arith::AddFOp::create(b, loc, v, zeroPoint);
    return convertScalar(b, loc, v, b.getF32Type(), to);
  }
  // float8: the zero point is 0 by definition.
  if (saturate)
    return saturatingFloat8Cast(b, loc, v, to);
  return convertScalar(b, loc, v, b.getF32Type(), to);
}

Value toF32(OpBuilder &b, Location loc, Value v, Type qcType) {
  return convertScalar(b, loc, v, qcType, b.getF32Type());
}

/// The inputs of a QuantizeLinear or DequantizeLinear generic and their
/// maps: x (identity), its scale, and its zero point (when `zp` is set).
struct QuantInputs {
  SmallVector<Value> values;
  SmallVector<AffineMap> maps;
};
QuantInputs quantInputs(Value x, Value scale, Value zp, int64_t axis,
                        int64_t blockSize) {
  MLIRContext *ctx = x.getContext();
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  QuantInputs in{{x}, {identity(rank, ctx)}};
  for (Value param : {scale, zp}) {
    if (!param)
      continue;
    in.values.push_back(param);
    in.maps.push_back(quantParamMap(cast<RankedTensorType>(param.getType()),
                                    rank, axis, blockSize, ctx));
  }
  return in;
}

struct QuantizeLinearLowering : OpConversionPattern<qc::QuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::QuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast_if_present<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!type)
      return failure();
    QuantInputs in = quantInputs(adaptor.getX(), adaptor.getYScale(),
                                 adaptor.getYZeroPoint(), op.getAxis(),
                                 op.getBlockSize());
    Type xType = elementOf(op.getX()), sType = elementOf(op.getYScale());
    Type to = elementOf(op.getY());
    Type zpType = op.getYZeroPoint() ? elementOf(op.getYZeroPoint()) : Type();
    bool saturate = op.getSaturate() != 0;
    Value result = buildElementwiseWithMaps(
        rewriter, op.getLoc(), type, in.values, in.maps,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value v = arith::DivFOp::create(b, loc, toF32(b, loc, args[0], xType),
                                          toF32(b, loc, args[1], sType));
          Value zp = args.size() > 2 ? toF32(b, loc, args[2], zpType) : Value();
          return quantizeScalar(b, loc, v, zp, to, saturate);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct DequantizeLinearLowering : OpConversionPattern<qc::DequantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::DequantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto type = dyn_cast_if_present<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!type)
      return failure();
    Type xType = elementOf(op.getX()), sType = elementOf(op.getXScale());
    Type to = type.getElementType();
    // A float8 zero point is 0 by definition.
    bool subtract = adaptor.getXZeroPoint() && !isa<FloatType>(xType);
    QuantInputs in = quantInputs(adaptor.getX(), adaptor.getXScale(),
                                 subtract ? adaptor.getXZeroPoint() : Value(),
                                 op.getAxis(), op.getBlockSize());
    Value result = buildElementwiseWithMaps(
        rewriter, op.getLoc(), type, in.values, in.maps,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value v = toF32(b, loc, args[0], xType);
          if (subtract)
            v = arith::SubFOp::create(b, loc, v, toF32(b, loc, args[2], xType));
          v = arith::MulFOp::create(b, loc, v, toF32(b, loc, args[1], sType));
          return convertScalar(b, loc, v, b.getF32Type(), to);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The range of x, widened to include 0, gives a uint8 scale and zero point
/// (as onnxruntime: a scale of 1 when the range is empty).
/// `x` quantized to uint8 (as signless bytes) with the scale and zero point
/// of each slice's range, the slices taken over `reducedDims` (all dims for
/// DynamicQuantizeLinear, the last for DynamicQuantizeRows). The range
/// always includes 0; `scale` (f32) and `zeroPoint` (bytes) have the kept
/// dims.
struct RangeQuantized {
  Value y, scale, zeroPoint;
};
RangeQuantized quantizeByRange(OpBuilder &b, Location loc, Value x,
                               ArrayRef<int64_t> reducedDims) {
  MLIRContext *ctx = b.getContext();
  auto xType = cast<RankedTensorType>(x.getType());
  // Both extremes in one pass over x; starting from 0 includes it in the
  // range.
  Value zero = f32Constant(b, loc, 0.0);
  SmallVector<Value> extremes = buildReductions(
      b, loc, xType.getShape(), reducedDims, x,
      b.getMultiDimIdentityMap(xType.getRank()), ValueRange{zero, zero},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        return SmallVector<Value>{
            arith::MaxNumFOp::create(nb, l, args[0], args[1]),
            arith::MinNumFOp::create(nb, l, args[0], args[2])};
      });
  Value hi = extremes[0], lo = extremes[1];
  auto keptType = cast<RankedTensorType>(hi.getType());
  Value scale = buildElementwise(
      b, loc, keptType, ValueRange{hi, lo},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value range = arith::SubFOp::create(nb, l, args[0], args[1]);
        Value empty = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                            args[0], args[1]);
        range = arith::SelectOp::create(nb, l, empty, f32Constant(nb, l, 1.0),
                                        range);
        return arith::DivFOp::create(nb, l, range, f32Constant(nb, l, 255.0));
      });
  auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
  Value zeroPoint = buildElementwise(
      b, loc, keptType.clone(b.getI8Type()), ValueRange{lo, scale},
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value zp = arith::SubFOp::create(
            nb, l, f32Constant(nb, l, 0.0),
            arith::DivFOp::create(nb, l, args[0], args[1]));
        return roundToInteger(nb, l, zp, Value(), u8);
      });
  AffineMap kept = keptDimsMap(ctx, xType.getRank(), reducedDims);
  Value y = buildElementwiseWithMaps(
      b, loc, xType.clone(b.getI8Type()), ValueRange{x, scale, zeroPoint},
      {identity(xType.getRank(), ctx), kept, kept},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value v = arith::DivFOp::create(nb, l, args[0], args[1]);
        return roundToInteger(nb, l, v, toF32(nb, l, args[2], u8), u8);
      });
  return {y, scale, zeroPoint};
}

struct DynamicQuantizeLinearLowering
    : OpConversionPattern<qc::DynamicQuantizeLinearOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::DynamicQuantizeLinearOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    int64_t rank = cast<RankedTensorType>(op.getX().getType()).getRank();
    RangeQuantized q =
        quantizeByRange(rewriter, op.getLoc(), adaptor.getX(),
                        llvm::to_vector(llvm::seq<int64_t>(0, rank)));
    rewriter.replaceOp(op, ValueRange{q.y, q.scale, q.zeroPoint});
    return success();
  }
};

struct DynamicQuantizeRowsLowering
    : OpConversionPattern<qc::DynamicQuantizeRowsOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::DynamicQuantizeRowsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t rank = cast<RankedTensorType>(op.getX().getType()).getRank();
    RangeQuantized q =
        quantizeByRange(rewriter, loc, adaptor.getX(), {rank - 1});
    // The per-row parameters keep the last dim, as size 1.
    auto asResult = [&](Value v, Value result) {
      auto type = cast<RankedTensorType>(result.getType());
      return reshapeUnitDims(rewriter, loc, v,
                             type.clone(getElementTypeOrSelf(v.getType())));
    };
    rewriter.replaceOp(op, ValueRange{q.y, asResult(q.scale, op.getYScale()),
                                      asResult(q.zeroPoint, op.getYZeroPoint())});
    return success();
  }
};

/// `x` (signless; `qcType` says whether it is unsigned) minus its zero
/// point (or null) in int32, elementwise. The zero point is one value or one
/// per index of dim `zpDim` (perDimMap).
Value widenMinusZeroPoint(OpBuilder &b, Location loc, Value x, Type qcType,
                          Value zeroPoint, int64_t zpDim) {
  auto type = cast<RankedTensorType>(x.getType());
  auto i32Type = RankedTensorType::get(type.getShape(), b.getI32Type());
  SmallVector<Value> inputs{x};
  SmallVector<AffineMap> maps{identity(type.getRank(), b.getContext())};
  if (zeroPoint) {
    inputs.push_back(zeroPoint);
    maps.push_back(
        perDimMap(cast<RankedTensorType>(zeroPoint.getType()), type, zpDim));
  }
  return buildElementwiseWithMaps(
      b, loc, i32Type, inputs, maps,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value v = convertScalar(nb, l, args[0], qcType, nb.getI32Type());
        if (args.size() > 1)
          v = arith::SubIOp::create(
              nb, l, v, convertScalar(nb, l, args[1], qcType, nb.getI32Type()));
        return v;
      });
}

/// A zero point the quantized contraction takes as it is: none, one value,
/// or (`perIndexOk`) one per row of A / column of B as a 1-D tensor.
bool simpleZeroPoint(Value zp, bool perIndexOk) {
  if (!zp)
    return true;
  auto type = cast<RankedTensorType>(zp.getType());
  return qc::holdsOneValue(type) ||
         (perIndexOk && type.getRank() == 1);
}

/// ext(x) [- ext(zp)] in int32 inside a linalg body.
Value widenScalar(OpBuilder &b, Location loc, Value x, Value zp, Type qcType) {
  Value v = convertScalar(b, loc, x, qcType, b.getI32Type());
  if (zp)
    v = arith::SubIOp::create(
        b, loc, v, convertScalar(b, loc, zp, qcType, b.getI32Type()));
  return v;
}

/// The integer contraction qc-linalg-to-cpu-kernels gives the int8
/// kernels: ins(a, b, [za], [zb]) outs(init i32) over `maps`, body
/// acc + (ext(a) - ext(za)) * (ext(b) - ext(zb)), on the bytes themselves
/// (no widened copy).
Value buildIntegerProduct(OpBuilder &b, Location loc, RankedTensorType outType,
                          ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
                          ArrayRef<utils::IteratorType> iterators, Type aQcType,
                          Type bQcType, bool hasAZp, bool hasBZp) {
  return linalg::GenericOp::create(
             b, loc, outType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value za = hasAZp ? args[2] : Value();
               Value zb = hasBZp ? args[hasAZp ? 3 : 2] : Value();
               Value x = widenScalar(nb, l, args[0], za, aQcType);
               Value y = widenScalar(nb, l, args[1], zb, bQcType);
               linalg::YieldOp::create(
                   nb, l,
                   Value(arith::AddIOp::create(
                       nb, l, args.back(), arith::MulIOp::create(nb, l, x, y))));
             })
      .getResult(0);
}

/// An integer product as one contraction linalg.generic on the bytes
/// themselves: ins(A[.., M, K], B[.., K, N], [za], [zb]) outs(C[.., M, N]
/// i32) over the loops (.., m, n, k), body acc + (ext(a) - ext(za)) *
/// (ext(b) - ext(zb)), no widened copy. A and B have the same leading
/// (batch) dims, none for a 2-D product. A zero point is one value (map to
/// constants) or one per row of A / column of B, [.., M] / [.., N].
/// qc-linalg-to-cpu-kernels gives this form to the int8 GEMM.
Value buildQuantizedMatMul(OpBuilder &b, Location loc, Value a, Value aZp,
                           Type aQcType, Value bMat, Value bZp, Type bQcType) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bMat.getType());
  unsigned batch = aType.getRank() - 2, loops = batch + 3;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // The batch dims, then `rest`.
  auto map = [&](std::initializer_list<unsigned> rest) {
    SmallVector<AffineExpr> exprs;
    for (unsigned i = 0; i < batch; ++i)
      exprs.push_back(d(i));
    for (unsigned i : rest)
      exprs.push_back(d(batch + i));
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  auto zpMap = [&](Value zp, unsigned dim) {
    auto type = cast<RankedTensorType>(zp.getType());
    if (qc::holdsOneValue(type))
      return AffineMap::get(loops, 0,
                            SmallVector<AffineExpr>(
                                type.getRank(), getAffineConstantExpr(0, ctx)),
                            ctx);
    return map({dim});
  };
  SmallVector<Value> inputs{a, bMat};
  SmallVector<AffineMap> maps{map({0, 2}), map({2, 1})};
  if (aZp) {
    inputs.push_back(aZp);
    maps.push_back(zpMap(aZp, 0));
  }
  if (bZp) {
    inputs.push_back(bZp);
    maps.push_back(zpMap(bZp, 1));
  }
  maps.push_back(map({0, 1}));
  SmallVector<int64_t> outShape(aType.getShape().drop_back());
  outShape.push_back(bType.getShape().back());
  auto outType = RankedTensorType::get(outShape, b.getI32Type());
  Value init =
      filledTensor(b, loc, outType, scalarConstant(b, loc, b.getI32Type(), 0),
                   dynamicSizes(outType, [&](int64_t i) {
                     return i + 1 < outType.getRank()
                                ? dimSize(b, loc, a, i)
                                : dimSize(b, loc, bMat, i);
                   }));
  return buildIntegerProduct(b, loc, outType, inputs, init, maps,
                             iteratorTypes(loops, {loops - 1}), aQcType,
                             bQcType, bool(aZp), bool(bZp));
}

/// Whether `zp`, a zero point of a batched integer product's operand of
/// type `operand`, is one per row of A (`dim` = rank - 2: the operand's
/// shape with K = 1) or per column of B (`dim` = rank - 1, the shape with
/// K = 1 in dim rank - 2).
bool batchedZeroPoint(Value zp, RankedTensorType operand, int64_t dim) {
  auto type = cast<RankedTensorType>(zp.getType());
  int64_t rank = operand.getRank();
  if (type.getRank() != rank)
    return false;
  for (int64_t i = 0; i < rank; ++i) {
    bool kDim = i == (dim == rank - 2 ? rank - 1 : rank - 2);
    if (type.getDimSize(i) != (kDim ? 1 : operand.getDimSize(i)))
      return false;
  }
  return true;
}

/// The int32 product of MatMulInteger or QLinearMatMul: for a 2-D B, with
/// A's leading dims collapsed into its rows (a view), the byte contraction
/// above; otherwise widened operands and the MatMul lowering.
Value buildIntegerMatMul(OpBuilder &b, Location loc, Value a, Value aZp,
                         Type aQcType, Value bMat, Value bZp, Type bQcType,
                         RankedTensorType accType) {
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(bMat.getType());
  // A zero point per row given in A's shape with K = 1 (DynamicQuantizeRows
  // makes them) is one per row of the collapsed A: a 1-D view of it.
  auto zpType = aZp ? cast<RankedTensorType>(aZp.getType()) : nullptr;
  bool aZpRowShaped = zpType && !qc::holdsOneValue(zpType) &&
                      zpType.getRank() == aType.getRank() &&
                      zpType.getRank() >= 2 && zpType.getShape().back() == 1;
  if (bType.getRank() == 2 && aType.getRank() >= 2 &&
      (aZpRowShaped || simpleZeroPoint(aZp, aType.getRank() == 2)) &&
      simpleZeroPoint(bZp, true)) {
    if (aZpRowShaped)
      aZp = tensor::CollapseShapeOp::create(
          b, loc, aZp,
          SmallVector<ReassociationIndices>{
              llvm::to_vector(llvm::seq<int64_t>(0, zpType.getRank()))});
    // Views both ways, for run-time dims too: [d0, .., K] -> [M, K] and
    // [M, N] -> [d0, .., N].
    int64_t rank = aType.getRank();
    SmallVector<ReassociationIndices> rows{
        llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)), {rank - 1}};
    Value a2 = a;
    if (rank > 2)
      a2 = tensor::CollapseShapeOp::create(b, loc, a, rows);
    Value c =
        buildQuantizedMatMul(b, loc, a2, aZp, aQcType, bMat, bZp, bQcType);
    if (rank == 2)
      return c;
    // MLIR 22's expand-strided-metadata crashes on an expand_shape that
    // splits one dim into two run-time dims; tensor.reshape (also a view)
    // takes that case.
    if (llvm::count_if(accType.getShape().drop_back(), ShapedType::isDynamic) > 1) {
      SmallVector<Value> dims = dimSizes(b, loc, a);
      dims.back() = dimSize(b, loc, c, 1);
      return reshapeTo(b, loc, c, accType, dims);
    }
    SmallVector<OpFoldResult> outShape;
    for (int64_t i = 0; i + 1 < rank; ++i)
      outShape.push_back(tensor::getMixedSize(b, loc, a, i));
    outShape.push_back(tensor::getMixedSize(b, loc, c, 1));
    return tensor::ExpandShapeOp::create(b, loc, accType, c, rows, outShape);
  }
  // Batched, A and B of one static shape but for M, K and N: the bytes
  // contracted as they are, a per-row (per-column) zero point viewed
  // without its unit K dim.
  int64_t rank = aType.getRank();
  if (rank >= 3 && bType.getRank() == rank && aType.hasStaticShape() &&
      bType.hasStaticShape() &&
      aType.getShape().drop_back(2) == bType.getShape().drop_back(2) &&
      (!aZp || qc::holdsOneValue(zpType) ||
       batchedZeroPoint(aZp, aType, rank - 2)) &&
      (!bZp || qc::holdsOneValue(cast<RankedTensorType>(bZp.getType())) ||
       batchedZeroPoint(bZp, bType, rank - 1))) {
    SmallVector<ReassociationIndices> dropK;
    for (int64_t i = 0; i + 2 < rank; ++i)
      dropK.push_back({i});
    dropK.push_back({rank - 2, rank - 1});
    auto viewed = [&](Value zp) -> Value {
      if (!zp || qc::holdsOneValue(cast<RankedTensorType>(zp.getType())))
        return zp;
      return tensor::CollapseShapeOp::create(b, loc, zp, dropK);
    };
    return buildQuantizedMatMul(b, loc, a, viewed(aZp), aQcType, bMat,
                                viewed(bZp), bQcType);
  }
  // A's zero point is per row (dim rank-2), B's per column (dim rank-1).
  Value a32 = widenMinusZeroPoint(b, loc, a, aQcType, aZp, aType.getRank() - 2);
  Value b32 =
      widenMinusZeroPoint(b, loc, bMat, bQcType, bZp, bType.getRank() - 1);
  return buildMatMul(b, loc, a32, b32, accType);
}

struct MatMulIntegerLowering : OpConversionPattern<qc::MatMulIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::MatMulIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, buildIntegerMatMul(rewriter, op.getLoc(), adaptor.getA(),
                               adaptor.getAZeroPoint(), elementOf(op.getA()),
                               adaptor.getB(), adaptor.getBZeroPoint(),
                               elementOf(op.getB()),
                               cast<RankedTensorType>(op.getType())));
    return success();
  }
};

/// x and w of an integer convolution, for the lowerings that need x, w and
/// the output static and 4-D (NCHW): nothing when they are not.
struct StaticConv {
  Value x, w;
  RankedTensorType xType, wType;
};
template <typename Adaptor>
std::optional<StaticConv> staticConv(Adaptor adaptor, RankedTensorType outType) {
  StaticConv c{adaptor.getX(), adaptor.getW(), {}, {}};
  c.xType = cast<RankedTensorType>(c.x.getType());
  c.wType = cast<RankedTensorType>(c.w.getType());
  if (c.xType.getRank() != 4 || !c.xType.hasStaticShape() ||
      !c.wType.hasStaticShape() || !outType.hasStaticShape())
    return std::nullopt;
  return c;
}

/// ConvInteger or QLinearConv with one group over 2-D images of static
/// shape, on the bytes themselves: x padded with its zero point (so that
/// padding adds nothing), then one linalg.generic over (n, f, oh, ow, c,
/// kh, kw),
///   ins(x[n, c, oh * sh + kh * dh, ow * sw + kw * dw], w[f, c, kh, kw],
///       [zx], [zw[f]]) outs(y[n, f, oh, ow] i32)
///   acc + (ext(x) - ext(zx)) * (ext(w) - ext(zw)),
/// starting from the bias (or zeros). qc-linalg-to-cpu-kernels gives this
/// form to the int8 convolution kernel (an implicit GEMM: no im2col copy).
/// Failure when the conv is not of that kind (groups, a per-channel x zero
/// point).
template <typename ConvOp, typename Adaptor>
FailureOr<Value> windowIntegerConv(ConvOp op, Adaptor adaptor, OpBuilder &b,
                                   Value bias, RankedTensorType outType) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  std::optional<StaticConv> conv = staticConv(adaptor, outType);
  if (!conv)
    return failure();
  auto [x, w, xType, wType] = *conv;
  Value xZp = adaptor.getXZeroPoint(), wZp = adaptor.getWZeroPoint();
  if (op.getGroup() != 1 ||
      (xZp && !qc::holdsOneValue(cast<RankedTensorType>(xZp.getType()))) ||
      !simpleZeroPoint(wZp, true))
    return failure();
  auto geometry = qc::computeWindowGeometry(
      op, xType.getShape().drop_front(2), wType.getShape().drop_front(2),
      op.getAutoPad(), op.getPads(), op.getStrides(), op.getDilations(), false);
  if (failed(geometry))
    return failure();
  const qc::WindowGeometry &g = *geometry;
  Value padValue = scalarConstant(b, loc, b.getI8Type(), 0);
  if (xZp) {
    auto zpType = cast<RankedTensorType>(xZp.getType());
    SmallVector<Value> zeros(zpType.getRank(),
                             arith::ConstantIndexOp::create(b, loc, 0));
    padValue = tensor::ExtractOp::create(b, loc, xZp, zeros);
  }
  Value padded = padSpatial(b, loc, x, g.padsBegin, g.padsEnd, padValue);

  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  auto oneValue = [&](Value zp) {
    return AffineMap::get(
        7, 0,
        SmallVector<AffineExpr>(cast<RankedTensorType>(zp.getType()).getRank(),
                                getAffineConstantExpr(0, ctx)),
        ctx);
  };
  SmallVector<Value> inputs{padded, w};
  SmallVector<AffineMap> maps{
      AffineMap::get(7, 0,
                     {d(0), d(4), d(2) * g.strides[0] + d(5) * g.dilations[0],
                      d(3) * g.strides[1] + d(6) * g.dilations[1]},
                     ctx),
      AffineMap::get(7, 0, {d(1), d(4), d(5), d(6)}, ctx)};
  if (xZp) {
    inputs.push_back(xZp);
    maps.push_back(oneValue(xZp));
  }
  if (wZp) {
    inputs.push_back(wZp);
    maps.push_back(qc::holdsOneValue(cast<RankedTensorType>(wZp.getType()))
                       ? oneValue(wZp)
                       : AffineMap::get(7, 0, d(1)));
  }
  maps.push_back(AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx));
  Value init =
      bias ? buildElementwiseInto(
                 b, loc, tensor::EmptyOp::create(b, loc, outType, ValueRange{}),
                 bias, AffineMap::get(4, 0, d(1)),
                 [](OpBuilder &, Location, ValueRange args) { return args[0]; })
           : filledTensor(b, loc, outType,
                          scalarConstant(b, loc, b.getI32Type(), 0), ValueRange{});
  return buildIntegerProduct(b, loc, outType, inputs, init, maps,
                             iteratorTypes(7, {4, 5, 6}), elementOf(op.getX()),
                             elementOf(op.getW()), bool(xZp), bool(wZp));
}

/// ConvInteger or QLinearConv depthwise (one input and one output channel
/// per group) in float32, which is exact here: x - zx and w - zw are
/// integers of at most 255 in magnitude, so a window of up to 258 taps sums
/// to below 2^24, where every integer is a float32. The depthwise float
/// kernel then does the work (a few multiply-adds per output, no GEMM to
/// pay for), and the sums come back as int32 with the bias added. Failure
/// when the conv is not of that kind.
template <typename ConvOp, typename Adaptor>
FailureOr<Value> depthwiseIntegerConv(ConvOp op, Adaptor adaptor, OpBuilder &b,
                                      Value bias, RankedTensorType outType) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  std::optional<StaticConv> conv = staticConv(adaptor, outType);
  if (!conv)
    return failure();
  auto [x, w, xType, wType] = *conv;
  int64_t channels = xType.getDimSize(1);
  if (op.getGroup() != channels || wType.getDimSize(0) != channels ||
      wType.getDimSize(1) != 1 ||
      wType.getDimSize(2) * wType.getDimSize(3) * 255 * 255 >= (1 << 24))
    return failure();
  auto f32 = b.getF32Type();
  Value xf = widenMinusZeroPoint(b, loc, x, elementOf(op.getX()),
                                 adaptor.getXZeroPoint(), 1);
  Value wf = widenMinusZeroPoint(b, loc, w, elementOf(op.getW()),
                                 adaptor.getWZeroPoint(), 0);
  auto toFloat = [&](Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    return buildElementwiseWithMaps(
        b, loc, type.clone(f32), v, identity(type.getRank(), ctx),
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::SIToFPOp::create(nb, l, f32, args[0]);
        });
  };
  FailureOr<Value> sums = buildConvolution(
      op, b, toFloat(xf), toFloat(wf), Value(), outType.clone(f32),
      op.getAutoPad(), op.getPads(), op.getStrides(), op.getDilations(),
      op.getGroup());
  if (failed(sums))
    return failure();
  SmallVector<Value> inputs{*sums};
  SmallVector<AffineMap> maps{identity(4, ctx)};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(1, ctx)));
  }
  return buildElementwiseWithMaps(
      b, loc, outType, inputs, maps,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value v = arith::FPToSIOp::create(nb, l, nb.getI32Type(), args[0]);
        if (args.size() > 1)
          v = arith::AddIOp::create(nb, l, v, args[1]);
        return v;
      });
}

/// The int32 convolution of ConvInteger or QLinearConv plus `bias` (or
/// null): windowIntegerConv or depthwiseIntegerConv where they apply;
/// otherwise x and w widened
/// minus their zero points (x's per tensor, w's per output channel, dim 0)
/// and the Conv lowering.
template <typename ConvOp, typename Adaptor>
FailureOr<Value> integerConv(ConvOp op, Adaptor adaptor, OpBuilder &b,
                             Value bias, RankedTensorType outType) {
  if (FailureOr<Value> window = windowIntegerConv(op, adaptor, b, bias, outType);
      succeeded(window))
    return window;
  if (FailureOr<Value> depthwise =
          depthwiseIntegerConv(op, adaptor, b, bias, outType);
      succeeded(depthwise))
    return depthwise;
  Location loc = op.getLoc();
  Value x = widenMinusZeroPoint(b, loc, adaptor.getX(), elementOf(op.getX()),
                                adaptor.getXZeroPoint(), 1);
  Value w = widenMinusZeroPoint(b, loc, adaptor.getW(), elementOf(op.getW()),
                                adaptor.getWZeroPoint(), 0);
  return buildConvolution(op, b, x, w, bias, outType, op.getAutoPad(),
                          op.getPads(), op.getStrides(), op.getDilations(),
                          op.getGroup());
}

struct ConvIntegerLowering : OpConversionPattern<qc::ConvIntegerOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::ConvIntegerOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    FailureOr<Value> y = integerConv(op, adaptor, rewriter, Value(),
                                     cast<RankedTensorType>(op.getType()));
    if (failed(y))
      return failure();
    rewriter.replaceOp(op, *y);
    return success();
  }
};

/// An int32 accumulator requantized: round(acc * (sa * sb / sy)) + zy,
/// saturated to y's type. The multiplier is computed in the scales' type
/// (as ONNX's reference does), per element from the scales read through
/// their maps; `aScale` and `bScale` may be per row, per column or per
/// output channel.
Value requantize(OpBuilder &b, Location loc, Value acc, Value aScale,
                 AffineMap aMap, Value bScale, AffineMap bMap, Value yScale,
                 Value yZeroPoint, Type qcResultType) {
  auto accType = cast<RankedTensorType>(acc.getType());
  MLIRContext *ctx = b.getContext();
  int64_t rank = accType.getRank();
  auto scalarMap = [&](Value v) {
    return perDimMap(cast<RankedTensorType>(v.getType()), accType, 0);
  };
  // int8 or uint8, as signless bytes.
  auto type = RankedTensorType::get(accType.getShape(), b.getI8Type());
  Type scaleType = elementOf(aScale);
  return buildElementwiseWithMaps(
      b, loc, type, ValueRange{acc, aScale, bScale, yScale, yZeroPoint},
      {identity(rank, ctx), aMap, bMap, scalarMap(yScale),
       scalarMap(yZeroPoint)},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value multiplier = arith::DivFOp::create(
            nb, l, arith::MulFOp::create(nb, l, args[1], args[2]), args[3]);
        multiplier = convertScalar(nb, l, multiplier, scaleType, nb.getF32Type());
        Value v = arith::MulFOp::create(
            nb, l, arith::SIToFPOp::create(nb, l, nb.getF32Type(), args[0]),
            multiplier);
        return roundToInteger(nb, l, v, toF32(nb, l, args[4], qcResultType),
                              cast<IntegerType>(qcResultType));
      });
}

struct QLinearMatMulLowering : OpConversionPattern<qc::QLinearMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::QLinearMatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qcType = cast<RankedTensorType>(op.getType());
    auto accType = RankedTensorType::get(qcType.getShape(), rewriter.getI32Type());
    Value acc = buildIntegerMatMul(
        rewriter, loc, adaptor.getA(), adaptor.getAZeroPoint(),
        elementOf(op.getA()), adaptor.getB(), adaptor.getBZeroPoint(),
        elementOf(op.getB()), accType);
    // A row of a is dim rank-2 of the result, a column of b dim rank-1;
    // same-rank scales broadcast against the result.
    int64_t rank = accType.getRank();
    auto aScaleType = cast<RankedTensorType>(adaptor.getAScale().getType());
    auto bScaleType = cast<RankedTensorType>(adaptor.getBScale().getType());
    AffineMap aMap = aScaleType.getRank() == rank
                         ? broadcastMap(aScaleType, accType.getShape())
                         : perDimMap(aScaleType, accType, rank - 2);
    AffineMap bMap = bScaleType.getRank() == rank
                         ? broadcastMap(bScaleType, accType.getShape())
                         : perDimMap(bScaleType, accType, rank - 1);
    rewriter.replaceOp(op, requantize(rewriter, loc, acc, adaptor.getAScale(),
                                      aMap, adaptor.getBScale(), bMap,
                                      adaptor.getYScale(),
                                      adaptor.getYZeroPoint(),
                                      qcType.getElementType()));
    return success();
  }
};

struct QLinearConvLowering : OpConversionPattern<qc::QLinearConvOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::QLinearConvOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto qcType = cast<RankedTensorType>(op.getType());
    auto accType = RankedTensorType::get(qcType.getShape(), rewriter.getI32Type());
    FailureOr<Value> acc =
        integerConv(op, adaptor, rewriter, adaptor.getB(), accType);
    if (failed(acc))
      return failure();
    auto xScaleType = cast<RankedTensorType>(adaptor.getXScale().getType());
    auto wScaleType = cast<RankedTensorType>(adaptor.getWScale().getType());
    rewriter.replaceOp(
        op, requantize(rewriter, loc, *acc, adaptor.getXScale(),
                       perDimMap(xScaleType, accType, 1), adaptor.getWScale(),
                       perDimMap(wScaleType, accType, 1), adaptor.getYScale(),
                       adaptor.getYZeroPoint(), qcType.getElementType()));
    return success();
  }
};

} // namespace

void quantc::populateQuantizationPatterns(RewritePatternSet &patterns,
                                          const TypeConverter &converter) {
  patterns.add<QuantizeLinearLowering, DequantizeLinearLowering,
               DynamicQuantizeLinearLowering, DynamicQuantizeRowsLowering,
               MatMulIntegerLowering,
               ConvIntegerLowering, QLinearMatMulLowering,
               QLinearConvLowering>(converter, patterns.getContext());
}
