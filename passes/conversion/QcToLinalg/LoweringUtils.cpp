//===- LoweringUtils.cpp - shared pieces of the qc -> linalg lowering -----===//
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;

namespace quantc {

AffineMap broadcastMap(RankedTensorType input, ArrayRef<int64_t> outShape) {
  MLIRContext *ctx = input.getContext();
  int64_t offset = outShape.size() - input.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < input.getRank(); ++d) {
    bool broadcast = input.getDimSize(d) == 1 && outShape[offset + d] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(offset + d, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

SmallVector<utils::IteratorType> iteratorTypes(unsigned numLoops,
                                               ArrayRef<unsigned> reductions) {
  SmallVector<utils::IteratorType> types(numLoops,
                                         utils::IteratorType::parallel);
  for (unsigned r : reductions)
    types[r] = utils::IteratorType::reduction;
  return types;
}

Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBodyFn body) {
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(in.getType()), resultType.getShape()));
  return buildElementwiseWithMaps(b, loc, resultType, inputs, maps, body);
}

Value buildElementwiseWithMaps(OpBuilder &b, Location loc,
                               RankedTensorType resultType, ValueRange inputs,
                               ArrayRef<AffineMap> inputMaps, ScalarBodyFn body) {
  Value init = tensor::EmptyOp::create(
      b, loc, resultType,
      dynamicSizesFromMaps(b, loc, resultType,
                           b.getMultiDimIdentityMap(resultType.getRank()),
                           inputs, inputMaps));
  return buildElementwiseInto(b, loc, init, inputs, inputMaps, body);
}

Value buildElementwiseInto(OpBuilder &b, Location loc, Value init,
                           ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                           ScalarBodyFn body) {
  auto resultType = cast<RankedTensorType>(init.getType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps,
      iteratorTypes(resultType.getRank()),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value v = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, v);
      });
  return generic.getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto f = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(f, value));
  return arith::ConstantOp::create(b, loc,
                                   b.getIntegerAttr(type, (int64_t)value));
}

Value clampedIndex(OpBuilder &b, Location loc, Value index, int64_t dim) {
  return clampedIndex(b, loc, index, arith::ConstantIndexOp::create(b, loc, dim));
}

Value clampedIndex(OpBuilder &b, Location loc, Value index, Value size) {
  Value idx = arith::IndexCastOp::create(b, loc, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value isNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, idx, zero);
  idx = arith::SelectOp::create(b, loc, isNeg,
                                arith::AddIOp::create(b, loc, idx, size), idx);
  idx = arith::MaxSIOp::create(b, loc, idx, zero);
  Value last = arith::MaxSIOp::create(
      b, loc, arith::SubIOp::create(b, loc, size, one), zero);
  return arith::MinSIOp::create(b, loc, idx, last);
}

Value extractScalar(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  SmallVector<Value> zeros(type.getRank(),
                           arith::ConstantIndexOp::create(b, loc, 0));
  return tensor::ExtractOp::create(b, loc, tensor, zeros);
}

Value negativeInfinity(OpBuilder &b, Location loc, FloatType type) {
  return arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(type, APFloat::getInf(type.getFloatSemantics(), /*Negative=*/true)));
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value, ValueRange dynamicSizes) {
  Value empty = tensor::EmptyOp::create(b, loc, type, dynamicSizes);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value dimSize(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (!type.isDynamicDim(i))
    return arith::ConstantIndexOp::create(b, loc, type.getDimSize(i));
  return tensor::DimOp::create(b, loc, tensor, i);
}

SmallVector<Value> dimSizes(OpBuilder &b, Location loc, Value tensor) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < cast<RankedTensorType>(tensor.getType()).getRank(); ++i)
    sizes.push_back(dimSize(b, loc, tensor, i));
  return sizes;
}

Value indexElement(OpBuilder &b, Location loc, Value tensor, int64_t i) {
  Value v = tensor::ExtractOp::create(
      b, loc, tensor, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

SmallVector<Value> dynamicSizes(RankedTensorType type,
                                function_ref<Value(int64_t)> sizeOf) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(sizeOf(i));
  return sizes;
}

SmallVector<Value> dynamicSizesFromMaps(OpBuilder &b, Location loc,
                                        RankedTensorType resultType,
                                        AffineMap resultMap, ValueRange inputs,
                                        ArrayRef<AffineMap> inputMaps) {
  return dynamicSizes(resultType, [&](int64_t r) -> Value {
    unsigned loop = resultMap.getDimPosition(r);
    for (auto [input, map] : llvm::zip(inputs, inputMaps))
      for (unsigned k = 0; k < map.getNumResults(); ++k)
        if (map.getResult(k) == getAffineDimExpr(loop, b.getContext()))
          return dimSize(b, loc, input, k);
    // Qc_RunTimeDims promises this never happens; an op that breaks the
    // promise is a bug in its lowering, not in the model.
    llvm::report_fatal_error("quantc: no input gives the size of a run-time "
                             "dim of a linalg.generic result");
  });
}

Value reshapeUnitDims(OpBuilder &b, Location loc, Value input,
                      RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<Value> inputDynamic;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      inputDynamic.push_back(tensor::DimOp::create(b, loc, input, i));
  SmallVector<Value> dims;
  size_t next = 0;
  for (int64_t i = 0; i < resultType.getRank(); ++i) {
    if (!resultType.isDynamicDim(i)) {
      dims.push_back(
          arith::ConstantIndexOp::create(b, loc, resultType.getDimSize(i)));
      continue;
    }
    if (next == inputDynamic.size())
      llvm::report_fatal_error("quantc: reshapeUnitDims needs as many run-time "
                               "dims in the input as in the result");
    dims.push_back(inputDynamic[next++]);
  }
  return reshapeTo(b, loc, input, resultType, dims);
}

Value reshapeTo(OpBuilder &b, Location loc, Value input,
                RankedTensorType resultType, ValueRange dims) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type.hasStaticShape() && resultType.hasStaticShape())
    return reshapeStatic(b, loc, input, resultType);
  auto shapeType =
      RankedTensorType::get({resultType.getRank()}, b.getIndexType());
  Value shape = tensor::FromElementsOp::create(b, loc, shapeType, dims);
  return tensor::ReshapeOp::create(b, loc, resultType, input, shape);
}

Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) &&
      llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> lows(2, 0), highs(2, 0), shape(type.getShape());
  lows.append(low.begin(), low.end());
  highs.append(high.begin(), high.end());
  for (size_t i = 0; i < low.size(); ++i)
    shape[i + 2] += low[i] + high[i];
  auto padded = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> lo, hi;
  for (size_t i = 0; i < lows.size(); ++i) {
    lo.push_back(b.getIndexAttr(lows[i]));
    hi.push_back(b.getIndexAttr(highs[i]));
  }
  return tensor::PadOp::create(b, loc, padded, input, lo, hi, padValue);
}

Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<OpFoldResult> low, ArrayRef<OpFoldResult> high,
                 Value padValue) {
  auto isZero = [](OpFoldResult v) { return isConstantIntValue(v, 0); };
  if (llvm::all_of(low, isZero) && llvm::all_of(high, isZero))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  SmallVector<OpFoldResult> lo(2, b.getIndexAttr(0)), hi(2, b.getIndexAttr(0));
  for (size_t i = 0; i < low.size(); ++i) {
    lo.push_back(low[i]);
    hi.push_back(high[i]);
    std::optional<int64_t> l = getConstantIntValue(low[i]);
    std::optional<int64_t> h = getConstantIntValue(high[i]);
    if (shape[i + 2] != ShapedType::kDynamic && l && h)
      shape[i + 2] += *l + *h;
    else
      shape[i + 2] = ShapedType::kDynamic;
  }
  auto padded = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, padded, input, lo, hi, padValue);
}

WindowSizes windowSizes(OpBuilder &b, Location loc, Value x,
                        const qc::WindowGeometry &g) {
  WindowSizes w;
  auto c = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto add = [&](Value l, Value r) -> Value { return arith::AddIOp::create(b, loc, l, r); };
  auto sub = [&](Value l, Value r) -> Value { return arith::SubIOp::create(b, loc, l, r); };
  auto mul = [&](Value l, Value r) -> Value { return arith::MulIOp::create(b, loc, l, r); };
  auto max0 = [&](Value v) -> Value { return arith::MaxSIOp::create(b, loc, v, c(0)); };
  for (size_t i = 0; i < g.kernel.size(); ++i) {
    if (g.outputSizes[i] != ShapedType::kDynamic) {
      w.low.push_back(b.getIndexAttr(g.padsBegin[i]));
      w.high.push_back(b.getIndexAttr(g.padsEnd[i] + g.extraEnd[i]));
      w.out.push_back(c(g.outputSizes[i]));
      continue;
    }
    // The rules of computeWindowGeometry, on index values.
    Value in = tensor::DimOp::create(b, loc, x, i + 2);
    Value stride = c(g.strides[i]);
    Value window = c((g.kernel[i] - 1) * g.dilations[i] + 1);
    if (g.same) {
      Value out = arith::CeilDivSIOp::create(b, loc, in, stride);
      Value total = max0(sub(add(mul(sub(out, c(1)), stride), window), in));
      Value small = arith::DivSIOp::create(b, loc, total, c(2));
      Value begin = g.sameUpper ? small : sub(total, small);
      w.low.push_back(begin);
      w.high.push_back(sub(total, begin));
      w.out.push_back(out);
      continue;
    }
    Value padded = add(in, c(g.padsBegin[i] + g.padsEnd[i]));
    Value span = sub(padded, window);
    Value out;
    if (g.ceilMode) {
      out = add(arith::CeilDivSIOp::create(b, loc, span, stride), c(1));
      // A ceil_mode window must start inside the input or its begin padding.
      Value start = mul(sub(out, c(1)), stride);
      Value outside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                            start, add(in, c(g.padsBegin[i])));
      out = arith::SelectOp::create(b, loc, outside, sub(out, c(1)), out);
      Value reach = add(mul(sub(out, c(1)), stride), window);
      w.high.push_back(add(c(g.padsEnd[i]), max0(sub(reach, padded))));
    } else {
      out = add(arith::FloorDivSIOp::create(b, loc, span, stride), c(1));
      w.high.push_back(b.getIndexAttr(g.padsEnd[i]));
    }
    w.low.push_back(b.getIndexAttr(g.padsBegin[i]));
    w.out.push_back(out);
  }
  return w;
}

Value reshapeStatic(OpBuilder &b, Location loc, Value input,
                    RankedTensorType resultType) {
  auto type = cast<RankedTensorType>(input.getType());
  if (type == resultType)
    return input;
  // Go through a 1-D tensor of all elements: any static reshape is a full
  // collapse followed by a full expand, and both are views after
  // bufferization. A rank-0 side needs no reassociation at all.
  int64_t n = type.getNumElements();
  auto flatType = RankedTensorType::get({n}, type.getElementType());
  auto all = [](int64_t rank) {
    SmallVector<ReassociationIndices> r;
    if (rank == 0)
      return r;
    ReassociationIndices one;
    for (int64_t i = 0; i < rank; ++i)
      one.push_back(i);
    r.push_back(one);
    return r;
  };
  Value flat = input;
  if (type.getRank() == 0)
    flat = tensor::ExpandShapeOp::create(b, loc, flatType, input, all(0));
  else if (type.getRank() > 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           all(type.getRank()));
  if (resultType.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, resultType, flat, all(0));
  if (resultType.getRank() == 1)
    return flat;
  return tensor::ExpandShapeOp::create(b, loc, resultType, flat,
                                       all(resultType.getRank()));
}

} // namespace quantc
