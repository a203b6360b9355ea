//===- Contraction.cpp - MatMul and Gemm to linalg.generic ----------------===//
//
// Both become one contraction `linalg.generic` whose indexing maps express
// numpy batch broadcasting, 1-D promotion and Gemm's transposes, so that no
// transposed or broadcast copy of a weight is made at run time. A later pass
// may specialize plain cases to named ops (linalg-specialize-generic-ops).
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

using namespace mlir;
using namespace quantc;

Value quantc::multiplyAccumulate(OpBuilder &b, Location loc, ValueRange args) {
  if (isa<FloatType>(args[0].getType()))
    return arith::AddFOp::create(
        b, loc, args[2], arith::MulFOp::create(b, loc, args[0], args[1]));
  return arith::AddIOp::create(b, loc, args[2],
                               arith::MulIOp::create(b, loc, args[0], args[1]));
}

namespace {

Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init, ArrayRef<AffineMap> maps,
                       unsigned numLoops, unsigned reductionLoop) {
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), ValueRange{lhs, rhs}, init, maps,
      iteratorTypes(numLoops, {reductionLoop}),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, multiplyAccumulate(nb, nloc, args));
      });
  return generic.getResult(0);
}

struct MatMulLowering : OpRewritePattern<qc::MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::MatMulOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildMatMul(rewriter, op.getLoc(), op.getA(),
                                       op.getB(),
                                       cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct GemmLowering : OpRewritePattern<qc::GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GemmOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *ctx = getContext();
    Location loc = op.getLoc();
    auto outType = cast<RankedTensorType>(op.getType());
    Type elementType = outType.getElementType();
    float alpha = op.getAlpha().convertToFloat();
    float beta = op.getBeta().convertToFloat();
    Value c = op.getC();
    bool useC = c && beta != 0.0f;

    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    // Loops: m, n, k.
    AffineMap aMap = AffineMap::get(3, 0,
                                    op.getTransA() ? ArrayRef<AffineExpr>{d(2), d(0)}
                                                   : ArrayRef<AffineExpr>{d(0), d(2)},
                                    ctx);
    AffineMap bMap = AffineMap::get(3, 0,
                                    op.getTransB() ? ArrayRef<AffineExpr>{d(1), d(2)}
                                                   : ArrayRef<AffineExpr>{d(2), d(1)},
                                    ctx);
    AffineMap outMap = AffineMap::get(3, 0, {d(0), d(1)}, ctx);
    // Run-time M (or N) comes from A (or B), never from a broadcast C.
    SmallVector<Value> outDynamic =
        dynamicSizesFromMaps(rewriter, loc, outType, outMap,
                             ValueRange{op.getA(), op.getB()}, {aMap, bMap});

    // With alpha == 1 the contraction accumulates straight onto beta * C.
    Value init;
    if (useC && alpha == 1.0f) {
      auto cType = cast<RankedTensorType>(c.getType());
      init = buildElementwiseInto(
          rewriter, loc, tensor::EmptyOp::create(rewriter, loc, outType, outDynamic),
          c, broadcastMap(cType, outType.getShape()),
          [&](OpBuilder &b, Location l, ValueRange args) {
            if (beta == 1.0f)
              return args[0];
            return (Value)arith::MulFOp::create(
                b, l, args[0], scalarConstant(b, l, elementType, beta));
          });
    } else {
      init = filledTensor(rewriter, loc, outType,
                          scalarConstant(rewriter, loc, elementType, 0), outDynamic);
    }
    Value result = buildContraction(rewriter, loc, op.getA(), op.getB(), init,
                                    {aMap, bMap, outMap}, 3, 2);
    if (alpha != 1.0f) {
      SmallVector<Value> inputs{result};
      if (useC)
        inputs.push_back(c);
      result = buildElementwise(
          rewriter, loc, outType, inputs,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value v = arith::MulFOp::create(
                b, l, args[0], scalarConstant(b, l, elementType, alpha));
            if (args.size() > 1)
              v = arith::AddFOp::create(
                  b, l, v,
                  arith::MulFOp::create(b, l, args[1],
                                        scalarConstant(b, l, elementType, beta)));
            return v;
          });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

Value quantc::buildMatMul(OpBuilder &builder, Location loc, Value a,
                        Value b, RankedTensorType outType) {
  MLIRContext *ctx = builder.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  auto bType = cast<RankedTensorType>(b.getType());
  bool aVec = aType.getRank() == 1, bVec = bType.getRank() == 1;
  int64_t aBatch = aVec ? 0 : aType.getRank() - 2;
  int64_t bBatch = bVec ? 0 : bType.getRank() - 2;
  int64_t batch = std::max(aBatch, bBatch);
  ArrayRef<int64_t> outBatch = outType.getShape().take_front(batch);

  // Loops: batch..., [m], [n], k.
  unsigned next = batch;
  int64_t mLoop = aVec ? -1 : next++;
  int64_t nLoop = bVec ? -1 : next++;
  unsigned kLoop = next++;
  unsigned numLoops = next;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  auto batchExprs = [&](RankedTensorType t, int64_t count) {
    SmallVector<AffineExpr> exprs;
    for (int64_t j = 0; j < count; ++j) {
      int64_t loop = batch - count + j;
      exprs.push_back(t.getDimSize(j) == 1 && outBatch[loop] != 1
                          ? getAffineConstantExpr(0, ctx)
                          : dim(loop));
    }
    return exprs;
  };
  SmallVector<AffineExpr> aExprs = batchExprs(aType, aBatch);
  if (!aVec)
    aExprs.push_back(dim(mLoop));
  aExprs.push_back(dim(kLoop));
  SmallVector<AffineExpr> bExprs = batchExprs(bType, bBatch);
  bExprs.push_back(dim(kLoop));
  if (!bVec)
    bExprs.push_back(dim(nLoop));
  SmallVector<AffineExpr> outExprs;
  for (int64_t i = 0; i < batch; ++i)
    outExprs.push_back(dim(i));
  if (!aVec)
    outExprs.push_back(dim(mLoop));
  if (!bVec)
    outExprs.push_back(dim(nLoop));
  SmallVector<AffineMap> maps{AffineMap::get(numLoops, 0, aExprs, ctx),
                              AffineMap::get(numLoops, 0, bExprs, ctx),
                              AffineMap::get(numLoops, 0, outExprs, ctx)};
  Value zero = scalarConstant(builder, loc, outType.getElementType(), 0);
  Value init = filledTensor(
      builder, loc, outType, zero,
      dynamicSizesFromMaps(builder, loc, outType, maps[2],
                           ValueRange{a, b},
                           ArrayRef(maps).take_front(2)));
  return buildContraction(builder, loc, a, b, init, maps, numLoops, kLoop);
}

void quantc::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
