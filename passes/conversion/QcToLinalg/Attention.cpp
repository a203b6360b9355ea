//===- Attention.cpp - qc.Attention to linalg -----------------------------===//
//
// Follows the ONNX reference (onnx/reference/ops/op_attention.py) step by
// step, over 4-D (batch, heads, seq, head_size) tensors:
//   scores = (Q·√scale)(K·√scale)ᵀ, softcapped;      (b, hq, i, j)
//   bias   = mask + causal + window + padding          (b, hq, i, j), 0/-inf
//   P      = softmax_j(scores + bias), 0 on rows whose bias is all -inf
//   Y      = P V
// Grouped-query attention reads K/V head h / (hq / hkv) through the indexing
// maps instead of repeating K and V. The bias is one linalg.generic that
// computes the causal and window rules from the loop indices.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/ReductionUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

/// (batch, seq, heads * size) -> (batch, heads, seq, size).
Value splitHeads(OpBuilder &b, Location loc, Value x, int64_t heads) {
  auto t = cast<RankedTensorType>(x.getType());
  int64_t batch = t.getDimSize(0), seq = t.getDimSize(1);
  int64_t size = t.getDimSize(2) / heads;
  auto split = RankedTensorType::get({batch, seq, heads, size}, t.getElementType());
  Value expanded = reshapeStatic(b, loc, x, split);
  Value init = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{batch, heads, seq, size},
                                       t.getElementType());
  return linalg::TransposeOp::create(b, loc, expanded, init,
                                     ArrayRef<int64_t>{0, 2, 1, 3})
      .getResult()[0];
}

/// (batch, heads, seq, size) -> (batch, seq, heads * size).
Value mergeHeads(OpBuilder &b, Location loc, Value x, RankedTensorType result) {
  auto t = cast<RankedTensorType>(x.getType());
  Value init = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{t.getDimSize(0), t.getDimSize(2), t.getDimSize(1),
                        t.getDimSize(3)},
      t.getElementType());
  Value transposed = linalg::TransposeOp::create(b, loc, x, init,
                                                 ArrayRef<int64_t>{0, 2, 1, 3})
                         .getResult()[0];
  return reshapeStatic(b, loc, transposed, result);
}

/// concat(past, x) along the sequence dim (2) of 4-D tensors.
Value appendSeq(OpBuilder &b, Location loc, Value past, Value x) {
  auto p = cast<RankedTensorType>(past.getType());
  auto t = cast<RankedTensorType>(x.getType());
  SmallVector<int64_t> shape(t.getShape());
  shape[2] += p.getDimSize(2);
  Value out = tensor::EmptyOp::create(b, loc, shape, t.getElementType());
  auto insert = [&](Value src, RankedTensorType srcType, int64_t offset) {
    SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0)), strides(4, b.getIndexAttr(1)),
        sizes;
    offsets[2] = b.getIndexAttr(offset);
    for (int64_t d : srcType.getShape())
      sizes.push_back(b.getIndexAttr(d));
    out = tensor::InsertSliceOp::create(b, loc, src, out, offsets, sizes, strides);
  };
  insert(past, p, 0);
  insert(x, t, p.getDimSize(2));
  return out;
}

struct AttentionLowering : OpRewritePattern<qc::AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(qc::AttentionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    FailureOr<qc::AttentionOp::Dims> dims = op.getDims();
    if (failed(dims))
      return failure();
    const qc::AttentionOp::Dims &d = *dims;
    bool is3d = op.getQ().getType().getRank() == 3;
    auto et = cast<FloatType>(op.getQ().getType().getElementType());
    OpBuilder &b = rewriter;

    Value q = op.getQ(), k = op.getK(), v = op.getV();
    if (is3d) {
      q = splitHeads(b, loc, q, d.qHeads);
      k = splitHeads(b, loc, k, d.kvHeads);
      v = splitHeads(b, loc, v, d.kvHeads);
    }
    if (op.getPastKey()) {
      k = appendSeq(b, loc, op.getPastKey(), k);
      v = appendSeq(b, loc, op.getPastValue(), v);
    }
    Value presentKey = k, presentValue = v;
    int64_t total = d.totalSeq();

    // Loops (b, h, i, j, r): r is the head dim of QKᵀ, the value dim of PV.
    AffineExpr db = getAffineDimExpr(0, ctx), dh = getAffineDimExpr(1, ctx),
               di = getAffineDimExpr(2, ctx), dj = getAffineDimExpr(3, ctx),
               dr = getAffineDimExpr(4, ctx);
    AffineExpr kvHead = dh.floorDiv(d.qHeads / d.kvHeads);
    auto map5 = [&](ArrayRef<AffineExpr> e) { return AffineMap::get(5, 0, e, ctx); };
    auto map4 = [&](ArrayRef<AffineExpr> e) { return AffineMap::get(4, 0, e, ctx); };

    // scores = (Q * √scale) · (K * √scale)ᵀ, as the reference scales both.
    double scale = op.getScale() ? op.getScale()->convertToDouble()
                                 : 1.0 / std::sqrt((double)d.headSize);
    // The reference rounds √scale to the element type before use.
    Value sqrtScale = scalarConstant(b, loc, et, std::sqrt(scale));
    auto scoresType = RankedTensorType::get({d.batch, d.qHeads, d.qSeq, total}, et);
    Value scores = buildReduction(
        b, loc, {d.batch, d.qHeads, d.qSeq, total, d.headSize}, {4}, ValueRange{q, k},
        {map5({db, dh, di, dr}), map5({db, kvHead, dj, dr})}, scalarConstant(b, loc, et, 0),
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value qs = arith::MulFOp::create(nb, l, a[0], sqrtScale);
          Value ks = arith::MulFOp::create(nb, l, a[1], sqrtScale);
          return (Value)arith::AddFOp::create(nb, l, a[2],
                                              arith::MulFOp::create(nb, l, qs, ks));
        });
    double softcap = op.getSoftcap().convertToDouble();
    if (softcap > 0)
      scores = buildElementwise(b, loc, scoresType, scores,
                                [&](OpBuilder &nb, Location l, ValueRange a) {
                                  Value c = scalarConstant(nb, l, et, softcap);
                                  Value t = math::TanhOp::create(
                                      nb, l, arith::DivFOp::create(nb, l, a[0], c));
                                  return (Value)arith::MulFOp::create(nb, l, t, c);
                                });

    Value bias = buildBias(b, loc, op, d, et);
    Value withBias = buildElementwise(b, loc, scoresType, ValueRange{scores, bias},
                                      [](OpBuilder &nb, Location l, ValueRange a) {
                                        return (Value)arith::AddFOp::create(nb, l, a[0], a[1]);
                                      });

    // Softmax over j, in softmax_precision when given.
    FloatType st = et;
    if (auto p = op.getSoftmaxPrecision())
      st = *p == 11 ? (FloatType)b.getF64Type()
                    : *p == 10 ? (FloatType)b.getF16Type() : (FloatType)b.getF32Type();
    Value logits = convertFloatTensor(b, loc, withBias, st);
    auto logitsType = cast<RankedTensorType>(logits.getType());
    AffineMap row4 = map4({db, dh, di});
    AffineMap id4 = b.getMultiDimIdentityMap(4);
    Value rowMax = buildReduction(b, loc, logits, {3}, negativeInfinity(b, loc, st),
                                  [](OpBuilder &nb, Location l, ValueRange a) {
                                   return (Value)arith::MaximumFOp::create(nb, l, a[0], a[1]);
                                 });
    // A row of all -inf: exp(x - 0) is 0 everywhere instead of NaN.
    Value exps = buildElementwiseWithMaps(
        b, loc, logitsType, ValueRange{logits, rowMax}, {id4, row4},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value isNegInf = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[1],
                                                 negativeInfinity(nb, l, st));
          Value safeMax = arith::SelectOp::create(nb, l, isNegInf,
                                                  scalarConstant(nb, l, st, 0), a[1]);
          return (Value)math::ExpOp::create(nb, l, arith::SubFOp::create(nb, l, a[0], safeMax));
        });
    Value rowSum = buildReduction(b, loc, exps, {3}, scalarConstant(b, loc, st, 0),
                                  [](OpBuilder &nb, Location l, ValueRange a) {
                                   return (Value)arith::AddFOp::create(nb, l, a[0], a[1]);
                                 });
    // Rows whose bias is all -inf have no key to attend: zeros, decided on the
    // bias as the reference does (the logits may be NaN there).
    Value biasMax = buildReduction(b, loc, bias, {3}, negativeInfinity(b, loc, et),
                                   [](OpBuilder &nb, Location l, ValueRange a) {
                                    return (Value)arith::MaximumFOp::create(nb, l, a[0], a[1]);
                                  });
    Value probs = buildElementwiseWithMaps(
        b, loc, scoresType, ValueRange{exps, rowSum, biasMax}, {id4, row4, row4},
        [&](OpBuilder &nb, Location l, ValueRange a) {
          Value zero = scalarConstant(nb, l, st, 0);
          Value sumIsZero = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[1], zero);
          Value sum = arith::SelectOp::create(nb, l, sumIsZero,
                                              scalarConstant(nb, l, st, 1), a[1]);
          Value p = convertFloat(nb, l, arith::DivFOp::create(nb, l, a[0], sum), et);
          Value masked = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, a[2],
                                               negativeInfinity(nb, l, et));
          return (Value)arith::SelectOp::create(nb, l, masked,
                                                scalarConstant(nb, l, et, 0), p);
        });

    // Y = P · V, reading V's head h / group.
    Value y = buildReduction(
        b, loc, {d.batch, d.qHeads, d.qSeq, total, d.vHeadSize}, {3}, ValueRange{probs, v},
        {map5({db, dh, di, dj}), map5({db, kvHead, dj, dr})}, scalarConstant(b, loc, et, 0),
        [](OpBuilder &nb, Location l, ValueRange a) {
          return (Value)arith::AddFOp::create(nb, l, a[2],
                                              arith::MulFOp::create(nb, l, a[0], a[1]));
        });
    if (is3d)
      y = mergeHeads(b, loc, y, cast<RankedTensorType>(op.getY().getType()));

    Value qkOut;
    switch (op.getQkMatmulOutputMode()) {
    case 2:
      qkOut = withBias;
      break;
    case 3:
      qkOut = probs;
      break;
    default: // 0 and 1: the (softcapped) scores, as the reference gives
      qkOut = scores;
    }
    rewriter.replaceOp(op, {y, presentKey, presentValue, qkOut});
    return success();
  }

  /// The additive bias (0 or -inf, or the float mask's values) over
  /// (batch, q_heads, q_seq, total_seq).
  static Value buildBias(OpBuilder &b, Location loc, qc::AttentionOp op,
                         const qc::AttentionOp::Dims &d, FloatType et) {
    MLIRContext *ctx = b.getContext();
    int64_t total = d.totalSeq();
    auto biasType = RankedTensorType::get({d.batch, d.qHeads, d.qSeq, total}, et);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    bool boolMask = false;
    Value mask = op.getAttnMask();
    if (mask) {
      auto m = cast<RankedTensorType>(mask.getType());
      boolMask = m.getElementType().isInteger(1);
      // Keys beyond the mask's last dim are masked (the reference pads).
      if (m.getDimSize(m.getRank() - 1) < total) {
        SmallVector<OpFoldResult> low(m.getRank(), b.getIndexAttr(0));
        SmallVector<OpFoldResult> high = low;
        high.back() = b.getIndexAttr(total - m.getDimSize(m.getRank() - 1));
        Value pad = boolMask ? (Value)arith::ConstantOp::create(b, loc, b.getBoolAttr(false))
                             : negativeInfinity(b, loc, et);
        SmallVector<int64_t> shape(m.getShape());
        shape.back() = total;
        mask = tensor::PadOp::create(b, loc, m.clone(shape), mask, low, high, pad);
      }
      inputs.push_back(mask);
      maps.push_back(broadcastMap(cast<RankedTensorType>(mask.getType()),
                                  biasType.getShape()));
    }
    Value nonpad = op.getNonpadKvSeqlen();
    if (nonpad) {
      inputs.push_back(nonpad);
      maps.push_back(AffineMap::get(4, 0, {getAffineDimExpr(0, ctx)}, ctx));
    }
    bool causal = op.getIsCausal() != 0;
    int64_t left = op.getLeftWindowSize(), right = op.getRightWindowSize();
    bool window = left >= 0 || right >= 0;
    maps.push_back(b.getMultiDimIdentityMap(4));
    Value init = tensor::EmptyOp::create(b, loc, biasType.getShape(), et);
    return linalg::GenericOp::create(
               b, loc, biasType, inputs, init, maps, iteratorTypes(4),
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 Value zero = scalarConstant(nb, l, et, 0);
                 Value negInf = negativeInfinity(nb, l, et);
                 Value bias = zero;
                 unsigned next = 0;
                 if (mask) {
                   Value m = args[next++];
                   bias = boolMask ? (Value)arith::SelectOp::create(nb, l, m, zero, negInf) : m;
                 }
                 Value seqlen = nonpad ? args[next++] : Value();
                 Value i = arith::IndexCastOp::create(nb, l, nb.getI64Type(),
                                                      linalg::IndexOp::create(nb, l, 2));
                 Value j = arith::IndexCastOp::create(nb, l, nb.getI64Type(),
                                                      linalg::IndexOp::create(nb, l, 3));
                 auto i64 = [&](int64_t x) {
                   return (Value)arith::ConstantOp::create(nb, l, nb.getI64IntegerAttr(x));
                 };
                 auto maskWhere = [&](Value allowed) {
                   bias = arith::AddFOp::create(
                       nb, l, bias, arith::SelectOp::create(nb, l, allowed, zero, negInf));
                 };
                 // The query block sits at the end of the keys: past keys,
                 // or the batch's valid keys, come before it.
                 Value offset = seqlen ? (Value)arith::SubIOp::create(nb, l, seqlen, i64(d.qSeq))
                                       : i64(d.pastSeq);
                 Value pos = arith::AddIOp::create(nb, l, i, offset);
                 if (causal)
                   maskWhere(arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, j, pos));
                 if (window) {
                   Value diff = arith::SubIOp::create(nb, l, pos, j);
                   if (left >= 0)
                     maskWhere(arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, diff,
                                                     i64(left)));
                   if (right >= 0)
                     maskWhere(arith::CmpIOp::create(
                         nb, l, arith::CmpIPredicate::sle,
                         arith::SubIOp::create(nb, l, i64(0), diff), i64(right)));
                 }
                 if (seqlen)
                   maskWhere(arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, j, seqlen));
                 linalg::YieldOp::create(nb, l, bias);
               })
        .getResult(0);
  }
};

} // namespace

void quantc::populateAttentionPatterns(RewritePatternSet &patterns) {
  patterns.add<AttentionLowering>(patterns.getContext());
}
