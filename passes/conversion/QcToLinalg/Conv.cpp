//===- Conv.cpp - qc.Conv to linalg convolutions --------------------------===//
//
// Padding becomes tensor.pad with zeros; the bias initializes the output so
// that the convolution accumulates onto it. 2-D convolutions use the named
// linalg ops (plain, depthwise, grouped), which later schedules target; every
// other case (1-D, 3-D, grouped N-d, depthwise with a multiplier) is one
// linalg.generic over the grouped layout [N, G, C/G, D...].
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace quantc;

namespace {

/// The reassociation between a rank-`rank` shape and the same shape with dim
/// `dim` split in two: [[0], ..., [dim, dim+1], ..., [rank]].
SmallVector<ReassociationIndices> splitDimReassociation(int64_t rank,
                                                        int64_t dim) {
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t i = 0, j = 0; i < rank; ++i) {
    if (i == dim) {
      reassociation.push_back({j, j + 1});
      j += 2;
    } else {
      reassociation.push_back({j++});
    }
  }
  return reassociation;
}

/// [d0, d1, d2...] -> [d0, g, d1/g, d2...] as an expand_shape (a view).
Value splitGroups(OpBuilder &b, Location loc, Value v, int64_t groups,
                  unsigned dim) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape[dim] /= groups;
  shape.insert(shape.begin() + dim, groups);
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), v,
      splitDimReassociation(type.getRank(), dim));
}

/// The inverse of splitGroups, back to `type`.
Value mergeGroups(OpBuilder &b, Location loc, Value v, RankedTensorType type,
                  unsigned dim) {
  return tensor::CollapseShapeOp::create(
      b, loc, type, v, splitDimReassociation(type.getRank(), dim));
}

/// The generic N-d grouped convolution over [N, G, Cg, D...] x [G, Mg, Cg, K...].
Value buildGenericConv(OpBuilder &b, Location loc, Value x, Value w,
                       Value init, const qc::WindowGeometry &g) {
  MLIRContext *ctx = b.getContext();
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t s = g.kernel.size();
  // Loops: n, g, mg, o_1..o_s, cg, k_1..k_s.
  unsigned numLoops = 4 + 2 * s;
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  unsigned cgLoop = 3 + s;
  SmallVector<AffineExpr> xExprs{d(0), d(1), d(cgLoop)};
  SmallVector<AffineExpr> wExprs{d(1), d(2), d(cgLoop)};
  SmallVector<AffineExpr> outExprs{d(0), d(1), d(2)};
  SmallVector<unsigned> reductions{cgLoop};
  for (int64_t i = 0; i < s; ++i) {
    unsigned oLoop = 3 + i, kLoop = cgLoop + 1 + i;
    xExprs.push_back(d(oLoop) * g.strides[i] + d(kLoop) * g.dilations[i]);
    wExprs.push_back(d(kLoop));
    outExprs.push_back(d(oLoop));
    reductions.push_back(kLoop);
  }
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, xExprs, ctx),
                              AffineMap::get(numLoops, 0, wExprs, ctx),
                              AffineMap::get(numLoops, 0, outExprs, ctx)};
  auto generic = linalg::GenericOp::create(
      b, loc, outType, ValueRange{x, w}, init, maps,
      iteratorTypes(numLoops, reductions),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, multiplyAccumulate(nb, nloc, args));
      });
  return generic.getResult(0);
}

struct ConvLowering : OpRewritePattern<qc::ConvOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ConvOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<Value> result = buildConvolution(
        op, rewriter, op.getX(), op.getW(), op.getB(),
        cast<RankedTensorType>(op.getType()), op.getAutoPad(), op.getPads(),
        op.getStrides(), op.getDilations(), op.getGroup());
    if (failed(result))
      return failure();
    rewriter.replaceOp(op, *result);
    return success();
  }
};

} // namespace

Value quantc::convInit(OpBuilder &b, Location loc, RankedTensorType outType,
                       Value bias, ValueRange outDynamic) {
  if (!bias)
    return filledTensor(b, loc, outType,
                        scalarConstant(b, loc, outType.getElementType(), 0),
                        outDynamic);
  MLIRContext *ctx = b.getContext();
  return buildElementwiseInto(
      b, loc, tensor::EmptyOp::create(b, loc, outType, outDynamic), bias,
      AffineMap::get(outType.getRank(), 0, {getAffineDimExpr(1, ctx)}, ctx),
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
}

FailureOr<Value> quantc::buildConvolution(
    Operation *op, OpBuilder &rewriter, Value xIn, Value w, Value bias,
    RankedTensorType outType, StringRef autoPad,
    std::optional<ArrayRef<int64_t>> pads,
    std::optional<ArrayRef<int64_t>> stridesAttr,
    std::optional<ArrayRef<int64_t>> dilationsAttr, int64_t groups) {
  Location loc = op->getLoc();
  auto xType = cast<RankedTensorType>(xIn.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  Type elementType = outType.getElementType();
  auto geometry = qc::computeWindowGeometry(
      op, xType.getShape().drop_front(2), wType.getShape().drop_front(2),
      autoPad, pads, stridesAttr, dilationsAttr, false);
  if (failed(geometry))
    return failure();
  const qc::WindowGeometry &g = *geometry;
  int64_t spatialRank = g.kernel.size();

  Value zero = scalarConstant(rewriter, loc, elementType, 0);
  // Run-time N and spatial dims: the pads (SAME) and output sizes are
  // index arithmetic on tensor.dim of X.
  WindowSizes sizes = windowSizes(rewriter, loc, xIn, g);
  Value x = padSpatial(rewriter, loc, xIn, sizes.low, sizes.high, zero);
  SmallVector<Value> outDynamic = dynamicSizes(outType, [&](int64_t i) {
    return i == 0 ? dimSize(rewriter, loc, xIn, 0) : sizes.out[i - 2];
  });
  Value init = convInit(rewriter, loc, outType, bias, outDynamic);

  auto strides = rewriter.getI64TensorAttr(g.strides);
  auto dilations = rewriter.getI64TensorAttr(g.dilations);
  int64_t channels = xType.getDimSize(1), filters = wType.getDimSize(0);
  if (spatialRank == 2 && groups == 1)
    return linalg::Conv2DNchwFchwOp::create(rewriter, loc, outType,
                                            ValueRange{x, w}, init, strides,
                                            dilations)
        .getResult(0);
  if (spatialRank == 2 && groups == channels && filters == channels) {
    SmallVector<int64_t> filterShape{channels, g.kernel[0], g.kernel[1]};
    Value filter = reshapeStatic(
        rewriter, loc, w,
        RankedTensorType::get(filterShape, wType.getElementType()));
    return linalg::DepthwiseConv2DNchwChwOp::create(
               rewriter, loc, outType, ValueRange{x, filter}, init, strides,
               dilations)
        .getResult(0);
  }
  Value xg = splitGroups(rewriter, loc, x, groups, 1);
  Value wg = splitGroups(rewriter, loc, w, groups, 0);
  Value initG = splitGroups(rewriter, loc, init, groups, 1);
  Value conv;
  if (spatialRank == 2)
    conv = linalg::Conv2DNgchwGfchwOp::create(rewriter, loc, initG.getType(),
                                              ValueRange{xg, wg}, initG,
                                              strides, dilations)
               .getResult(0);
  else
    conv = buildGenericConv(rewriter, loc, xg, wg, initG, g);
  return mergeGroups(rewriter, loc, conv, outType, 1);
}

namespace {

/// Whether spatial dim `i` of a ConvTranspose (kernel == stride, no
/// dilation, no leading pad: `g` says so) makes each input pixel exactly
/// `stride` output pixels: out == in * stride. Static sizes are compared;
/// for a run-time input size the attributes must give that rule: no
/// output_shape or output_padding, and no trailing pad (SAME's pads are
/// kernel - stride = 0).
static bool upsamplesExactly(qc::ConvTransposeOp op,
                             const qc::ConvTransposeOp::Geometry &g,
                             int64_t i) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t in = xType.getDimSize(2 + i), out = outType.getDimSize(2 + i);
  if (!ShapedType::isDynamic(in))
    return out == in * g.strides[i];
  if (!ShapedType::isDynamic(out) || op.getOutputShape())
    return false;
  int64_t spatial = xType.getRank() - 2;
  if (std::optional<ArrayRef<int64_t>> padding = op.getOutputPadding();
      padding && (*padding)[i] != 0)
    return false;
  std::optional<ArrayRef<int64_t>> pads = op.getPads();
  return op.getAutoPad() != "NOTSET" || !pads || (*pads)[spatial + i] == 0;
}

/// ConvTranspose that only upsamples (kernel == stride, no dilation, no
/// padding, one group: the FPN heads of detectors): every output pixel gets
/// exactly one tap, so each tap (kh, kw) is a contraction over input
/// channels writing the strided output positions (kh::s, kw::s),
/// Y[n, m, s*h + kh, s*w + kw] += sum_c X[n, c, h, w] * W[c, m, kh, kw].
/// The general lowering below spreads X with zeros and would do s*s times
/// the work in a loop nest no kernel takes (it made PP-OCR det with
/// run-time H and W 3.5x slower); these contractions go to the GEMM
/// (qc-linalg-to-cpu-kernels). N, H and W may be run-time sizes.
static FailureOr<Value>
lowerUpsamplingConvTranspose(qc::ConvTransposeOp op, PatternRewriter &rewriter,
                             const qc::ConvTransposeOp::Geometry &g) {
  auto xType = cast<RankedTensorType>(op.getX().getType());
  auto wType = cast<RankedTensorType>(op.getW().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  if (op.getGroup() != 1 || g.kernel.size() != 2 || xType.getRank() != 4 ||
      outType.getRank() != 4 || xType.isDynamicDim(1) ||
      !wType.hasStaticShape() || outType.isDynamicDim(1) ||
      !isa<FloatType>(outType.getElementType()))
    return failure();
  for (size_t i = 0; i < 2; ++i)
    if (g.kernel[i] != g.strides[i] || g.dilations[i] != 1 ||
        g.padsBegin[i] != 0 || !upsamplesExactly(op, g, i))
      return failure();
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Type et = outType.getElementType();
  int64_t c = xType.getDimSize(1), m = outType.getDimSize(1);
  // N, H and W as index values (constants where static), and the static
  // sizes (or ?) of the types built from them.
  SmallVector<Value> xSizes = dimSizes(rewriter, loc, op.getX());
  Value n = xSizes[0], h = xSizes[2], w = xSizes[3];
  auto mul = [&](Value l, Value r) -> Value {
    return rewriter.createOrFold<arith::MulIOp>(loc, l, r);
  };
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(rewriter, loc, v);
  };
  auto staticOr = [](Value v) {
    std::optional<int64_t> k = getConstantIntValue(v);
    return k ? *k : ShapedType::kDynamic;
  };
  Value mSize = index(m), pixels = mul(h, w);
  // Each tap is a plain [M, C] x [C, H*W] product per image, on X's pixels
  // collapsed into one dim, with the bias as its init; its result is then
  // copied to the tap's strided positions. Contracting straight into the
  // strided positions instead left the GEMM a single row of pixels per call.
  // The taps cover every output pixel once, so Y needs no init of its own.
  SmallVector<ReassociationIndices> pixelsDims{{0}, {1}, {2, 3}};
  Value xFlat = tensor::CollapseShapeOp::create(rewriter, loc, op.getX(),
                                                pixelsDims);
  auto flatTapType =
      RankedTensorType::get({staticOr(n), m, staticOr(pixels)}, et);
  auto tapType =
      RankedTensorType::get({staticOr(n), m, staticOr(h), staticOr(w)}, et);
  SmallVector<Value> flatTapDynamic = dynamicSizes(flatTapType, [&](int64_t i) {
    return i == 0 ? n : i == 1 ? mSize : pixels;
  });
  SmallVector<Value> ySizes{n, mSize, mul(h, index(g.strides[0])),
                            mul(w, index(g.strides[1]))};
  Value y = tensor::EmptyOp::create(
      rewriter, loc, outType,
      dynamicSizes(outType, [&](int64_t i) { return ySizes[i]; }));
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Loops n, m, p (pixel), c.
  SmallVector<AffineMap> maps{AffineMap::get(4, 0, {d(0), d(3), d(2)}, ctx),
                              AffineMap::get(4, 0, {d(3), d(1)}, ctx),
                              AffineMap::get(4, 0, {d(0), d(1), d(2)}, ctx)};
  auto attr = [&](int64_t v) -> OpFoldResult {
    return rewriter.getIndexAttr(v);
  };
  SmallVector<OpFoldResult> tapShape{getAsOpFoldResult(n), attr(m),
                                     getAsOpFoldResult(h),
                                     getAsOpFoldResult(w)};
  for (int64_t kh = 0; kh < g.kernel[0]; ++kh)
    for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
      Value wTap = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({c, m}, wType.getElementType()),
          op.getW(),
          ArrayRef<OpFoldResult>{attr(0), attr(0), attr(kh), attr(kw)},
          ArrayRef<OpFoldResult>{attr(c), attr(m), attr(1), attr(1)},
          ArrayRef<OpFoldResult>{attr(1), attr(1), attr(1), attr(1)});
      Value tapInit =
          convInit(rewriter, loc, flatTapType, op.getB(), flatTapDynamic);
      Value tap =
          linalg::GenericOp::create(
              rewriter, loc, flatTapType, ValueRange{xFlat, wTap}, tapInit,
              maps, iteratorTypes(4, {3}),
              [](OpBuilder &nb, Location l, ValueRange args) {
                Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
                linalg::YieldOp::create(
                    nb, l, Value(arith::AddFOp::create(nb, l, args[2], product)));
              })
              .getResult(0);
      // LLVM 22's expand-strided-metadata crashes on an expand_shape that
      // splits one dim into two run-time ones: then tensor.reshape.
      Value tapImage =
          tapType.isDynamicDim(2) && tapType.isDynamicDim(3)
              ? reshapeTo(rewriter, loc, tap, tapType,
                          ValueRange{n, mSize, h, w})
              : tensor::ExpandShapeOp::create(rewriter, loc, tapType, tap,
                                              pixelsDims, tapShape)
                    .getResult();
      SmallVector<OpFoldResult> offsets{attr(0), attr(0), attr(kh), attr(kw)},
          strides{attr(1), attr(1), attr(g.strides[0]), attr(g.strides[1])};
      y = tensor::InsertSliceOp::create(rewriter, loc, tapImage, y, offsets,
                                        tapShape, strides);
    }
  return y;
}

/// ConvTranspose as a stride-1 convolution: the input is spread out by the
/// strides (zeros between elements) and padded by (k - 1) * dilation minus
/// the pads on each side, then convolved with the kernel flipped and its
/// channel dims swapped, group by group.
struct ConvTransposeLowering : OpRewritePattern<qc::ConvTransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ConvTransposeOp op,
                                PatternRewriter &rewriter) const override {
    FailureOr<qc::ConvTransposeOp::Geometry> geometry = op.getGeometry();
    if (failed(geometry))
      return failure();
    const qc::ConvTransposeOp::Geometry &g = *geometry;
    if (FailureOr<Value> upsampled = lowerUpsamplingConvTranspose(op, rewriter, g);
        succeeded(upsampled)) {
      rewriter.replaceOp(op, *upsampled);
      return success();
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    OpBuilder &b = rewriter;
    auto outType = cast<RankedTensorType>(op.getType());
    Type et = outType.getElementType();
    int64_t s = g.kernel.size(), groups = op.getGroup();

    // Spread and pad: zeros of the full size, x inserted with the strides,
    // then the window the convolution reads (this also crops negative pads).
    // Sizes are index values: run-time N and spatial dims of X give
    // run-time sizes, static ones fold to constants.
    auto c = [&](int64_t v) -> Value { return arith::ConstantIndexOp::create(b, loc, v); };
    auto add = [&](Value l, Value r) -> Value { return b.createOrFold<arith::AddIOp>(loc, l, r); };
    auto sub = [&](Value l, Value r) -> Value { return b.createOrFold<arith::SubIOp>(loc, l, r); };
    auto mul = [&](Value l, Value r) -> Value { return b.createOrFold<arith::MulIOp>(loc, l, r); };
    auto max0 = [&](Value v) -> Value { return b.createOrFold<arith::MaxSIOp>(loc, v, c(0)); };
    auto fold = [&](Value v) -> OpFoldResult {
      if (std::optional<int64_t> k = getConstantIntValue(v))
        return b.getIndexAttr(*k);
      return v;
    };
    auto shapeOf = [](ArrayRef<OpFoldResult> sizes, SmallVectorImpl<Value> &dynamic) {
      SmallVector<int64_t> shape;
      for (OpFoldResult r : sizes) {
        std::optional<int64_t> k = getConstantIntValue(r);
        shape.push_back(k ? *k : ShapedType::kDynamic);
        if (!k)
          dynamic.push_back(cast<Value>(r));
      }
      return shape;
    };
    SmallVector<Value> xSizes = dimSizes(b, loc, op.getX());
    SmallVector<OpFoldResult> zerosSizes{fold(xSizes[0]), fold(xSizes[1])};
    SmallVector<OpFoldResult> insertOffsets(2, b.getIndexAttr(0)),
        insertStrides(2, b.getIndexAttr(1)), insertSizes, sliceOffsets(2, b.getIndexAttr(0)),
        sliceSizes(zerosSizes), ones(2 + s, b.getIndexAttr(1));
    for (Value v : xSizes)
      insertSizes.push_back(fold(v));
    SmallVector<Value> outSizes{xSizes[0]};
    outSizes.push_back(c(outType.getDimSize(1)));
    std::optional<ArrayRef<int64_t>> outputPadding = op.getOutputPadding();
    bool same = op.getAutoPad() == "SAME_UPPER" || op.getAutoPad() == "SAME_LOWER";
    std::optional<ArrayRef<int64_t>> pads = op.getPads();
    for (int64_t i = 0; i < s; ++i) {
      Value in = xSizes[i + 2];
      Value outSize = c(g.outputSizes[i]);
      if (g.outputSizes[i] == ShapedType::kDynamic) {
        // ConvTransposeOp::getGeometry's rule on index values.
        int64_t padding = outputPadding ? (*outputPadding)[i] : 0;
        int64_t k = (g.kernel[i] - 1) * g.dilations[i] + 1;
        if (same)
          outSize = mul(in, c(g.strides[i]));
        else
          outSize = add(mul(sub(in, c(1)), c(g.strides[i])),
                        c(padding + k - (op.getAutoPad() == "VALID" || !pads
                                             ? 0
                                             : (*pads)[i] + (*pads)[i + s])));
      }
      outSizes.push_back(outSize);
      Value span = add(mul(sub(in, c(1)), c(g.strides[i])), c(1));
      Value length = add(outSize, c(g.dilations[i] * (g.kernel[i] - 1)));
      int64_t lo = g.dilations[i] * (g.kernel[i] - 1) - g.padsBegin[i];
      Value hi = sub(sub(length, c(lo)), span);
      zerosSizes.push_back(fold(add(add(c(std::max<int64_t>(lo, 0)), span), max0(hi))));
      insertOffsets.push_back(b.getIndexAttr(std::max<int64_t>(lo, 0)));
      insertStrides.push_back(b.getIndexAttr(g.strides[i]));
      sliceOffsets.push_back(b.getIndexAttr(std::max<int64_t>(-lo, 0)));
      sliceSizes.push_back(fold(length));
    }
    Value zero = scalarConstant(b, loc, et, 0);
    SmallVector<Value> zerosDynamic, sliceDynamic;
    SmallVector<int64_t> zerosShape = shapeOf(zerosSizes, zerosDynamic);
    SmallVector<int64_t> sliceShape = shapeOf(sliceSizes, sliceDynamic);
    Value zeros = filledTensor(b, loc, RankedTensorType::get(zerosShape, et), zero,
                               zerosDynamic);
    Value spread = tensor::InsertSliceOp::create(b, loc, op.getX(), zeros, insertOffsets,
                                                 insertSizes, insertStrides);
    Value x = tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(sliceShape, et), spread, sliceOffsets, sliceSizes, ones);

    SmallVector<Value> outDynamic =
        dynamicSizes(outType, [&](int64_t i) { return outSizes[i]; });
    Value init = convInit(b, loc, outType, op.getB(), outDynamic);

    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    // The flipped kernel, [G, Cg, Mg, K...] read at K - 1 - k: a copy of its
    // own, as linalg needs every loop to appear alone in some indexing map.
    Value wg = splitGroups(b, loc, op.getW(), groups, 0);
    auto wgType = cast<RankedTensorType>(wg.getType());
    SmallVector<AffineExpr> flipExprs{d(0), d(1), d(2)};
    for (int64_t i = 0; i < s; ++i)
      flipExprs.push_back(getAffineConstantExpr(g.kernel[i] - 1, ctx) - d(3 + i));
    wg = buildElementwiseWithMaps(
        b, loc, wgType, wg, AffineMap::get(3 + s, 0, flipExprs, ctx),
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });

    // Loops: n, g, mg, o..., cg, k...; x is [N, G, Cg, L...].
    Value xg = splitGroups(b, loc, x, groups, 1);
    Value initG = splitGroups(b, loc, init, groups, 1);
    unsigned numLoops = 4 + 2 * s, cgLoop = 3 + s;
    SmallVector<AffineExpr> xExprs{d(0), d(1), d(cgLoop)};
    SmallVector<AffineExpr> wExprs{d(1), d(cgLoop), d(2)};
    SmallVector<AffineExpr> outExprs{d(0), d(1), d(2)};
    SmallVector<unsigned> reductions{cgLoop};
    for (int64_t i = 0; i < s; ++i) {
      unsigned oLoop = 3 + i, kLoop = cgLoop + 1 + i;
      xExprs.push_back(d(oLoop) + d(kLoop) * g.dilations[i]);
      wExprs.push_back(d(kLoop));
      outExprs.push_back(d(oLoop));
      reductions.push_back(kLoop);
    }
    Value conv =
        linalg::GenericOp::create(
            b, loc, initG.getType(), ValueRange{xg, wg}, initG,
            ArrayRef<AffineMap>{AffineMap::get(numLoops, 0, xExprs, ctx),
                                AffineMap::get(numLoops, 0, wExprs, ctx),
                                AffineMap::get(numLoops, 0, outExprs, ctx)},
            iteratorTypes(numLoops, reductions),
            [](OpBuilder &nb, Location l, ValueRange args) {
              Value product = arith::MulFOp::create(nb, l, args[0], args[1]);
              linalg::YieldOp::create(nb, l,
                                      Value(arith::AddFOp::create(nb, l, args[2], product)));
            })
            .getResult(0);
    rewriter.replaceOp(op, mergeGroups(b, loc, conv, outType, 1));
    return success();
  }
};

} // namespace

void quantc::populateConvPatterns(RewritePatternSet &patterns) {
  patterns.add<ConvLowering, ConvTransposeLowering>(patterns.getContext());
}
