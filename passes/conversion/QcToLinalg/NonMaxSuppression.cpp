//===- NonMaxSuppression.cpp - NonMaxSuppression to scf loops -------------===//
//
// Greedy selection is sequential by nature (whether a box is kept depends on
// every box kept before it), so this is scf loops over tensors, not linalg:
// per batch and class, the boxes scoring above score_threshold, in a stable
// merge sort by descending score, then one pass over them that keeps a box
// when its IoU with every box already kept for the class is at most
// iou_threshold. The result is written
// into a tensor of the worst-case number of rows (every class keeping
// min(max_output_boxes_per_class, boxes) boxes) and the rows written are
// sliced out: their count is the result's run-time dim.
//
// The box arithmetic and its comparisons follow the ONNX reference
// (onnx/reference/ops/op_non_max_suppression.py) step by step, in the boxes'
// element type, including where a comparison with NaN lands, so that
// borderline IoUs decide the same way. Merge sort rather than a rank count
// (TopK's O(n^2)): detection models have thousands of boxes per class.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace quantc;

namespace {

using CmpF = arith::CmpFPredicate;
using CmpI = arith::CmpIPredicate;

/// Scalar arithmetic at one insertion point, to keep the loop bodies legible.
struct Emit {
  OpBuilder &b;
  Location loc;
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value max(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value cmp(CmpI p, Value x, Value y) { return arith::CmpIOp::create(b, loc, p, x, y); }
  Value cmp(CmpF p, Value x, Value y) { return arith::CmpFOp::create(b, loc, p, x, y); }
  Value both(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value either(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value fadd(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value fsub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value fmul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value fdiv(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value extract(Value t, ValueRange at) {
    return tensor::ExtractOp::create(b, loc, t, at);
  }
  Value insert(Value v, Value t, ValueRange at) {
    return tensor::InsertOp::create(b, loc, v, t, at);
  }
  Value toI64(Value i) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), i);
  }
  Value toIndex(Value i) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), i);
  }
};

/// The reference's max(a, b) and min(a, b) in Python: the first argument
/// unless the second is strictly larger (smaller).
Value pyMax(Emit &e, Value a, Value b) {
  return e.select(e.cmp(CmpF::OGT, b, a), b, a);
}
Value pyMin(Emit &e, Value a, Value b) {
  return e.select(e.cmp(CmpF::OLT, b, a), b, a);
}

struct Edges {
  Value xMin, xMax, yMin, yMax;
};

/// The edges of box `box` of batch `batch`: corners [y1, x1, y2, x2] in
/// either order (the reference's max_min: `lhs >= rhs` swaps them), or
/// [x_center, y_center, width, height] taken as they are.
Edges boxEdges(Emit &e, Value boxes, Value batch, Value box, bool centerPoint) {
  Value c[4];
  for (int64_t k = 0; k < 4; ++k)
    c[k] = e.extract(boxes, {batch, box, e.index(k)});
  if (centerPoint) {
    Value two = scalarConstant(e.b, e.loc, c[0].getType(), 2);
    Value halfW = e.fdiv(c[2], two), halfH = e.fdiv(c[3], two);
    return {e.fsub(c[0], halfW), e.fadd(c[0], halfW), e.fsub(c[1], halfH),
            e.fadd(c[1], halfH)};
  }
  Value xSwap = e.cmp(CmpF::OGE, c[1], c[3]);
  Value ySwap = e.cmp(CmpF::OGE, c[0], c[2]);
  return {e.select(xSwap, c[3], c[1]), e.select(xSwap, c[1], c[3]),
          e.select(ySwap, c[2], c[0]), e.select(ySwap, c[0], c[2])};
}

/// Whether kept box `kept` suppresses candidate `cand`: the reference's
/// suppress_by_iou. Each early `return False` on `x <= y` becomes "x > y or
/// unordered" (UGT), so that NaN goes on exactly where the reference does.
Value suppresses(Emit &e, const Edges &cand, const Edges &kept, Value iouThreshold) {
  Type ft = cand.xMin.getType();
  Value zero = scalarConstant(e.b, e.loc, ft, 0);
  Value ixMin = pyMax(e, cand.xMin, kept.xMin), ixMax = pyMin(e, cand.xMax, kept.xMax);
  Value iyMin = pyMax(e, cand.yMin, kept.yMin), iyMax = pyMin(e, cand.yMax, kept.yMax);
  Value ok = e.both(e.cmp(CmpF::UGT, ixMax, ixMin), e.cmp(CmpF::UGT, iyMax, iyMin));
  Value inter = e.fmul(e.fsub(ixMax, ixMin), e.fsub(iyMax, iyMin));
  ok = e.both(ok, e.cmp(CmpF::UGT, inter, zero));
  Value area1 = e.fmul(e.fsub(cand.xMax, cand.xMin), e.fsub(cand.yMax, cand.yMin));
  Value area2 = e.fmul(e.fsub(kept.xMax, kept.xMin), e.fsub(kept.yMax, kept.yMin));
  Value unionArea = e.fsub(e.fadd(area1, area2), inter);
  ok = e.both(ok, e.both(e.cmp(CmpF::UGT, area1, zero),
                         e.both(e.cmp(CmpF::UGT, area2, zero),
                                e.cmp(CmpF::UGT, unionArea, zero))));
  Value iou = e.fdiv(inter, unionArea);
  return e.both(ok, e.cmp(CmpF::OGT, iou, iouThreshold));
}

/// The candidates of (batch, cls) sorted by descending score, equal scores
/// in index order. The candidates are the boxes whose score is above
/// `scoreThreshold` (every box without one), in index order in [0, m) of
/// `scratch` first, so that the sort and the greedy pass see only them:
/// detection models filter most of their thousands of boxes this way. Then
/// a bottom-up merge sort ping-pongs between the halves [0, n) and [n, 2n).
/// A merge takes from the right run only on a strictly higher score, which
/// makes it stable and keeps every pass a permutation whatever the scores
/// (NaN included), so the indices it yields are always in range. Returns
/// m, the offset of the half that holds the sorted candidates, and the
/// updated scratch.
std::tuple<Value, Value, Value> sortCandidates(OpBuilder &b, Location loc,
                                               Value scores, Value batch,
                                               Value cls, Value n,
                                               Value scoreThreshold,
                                               Value scratch) {
  Emit e{b, loc};
  Value zero = e.index(0), one = e.index(1);
  // Branch-free compaction: box k is written at m either way, and m only
  // moves past it when it is a candidate.
  auto compact = scf::ForOp::create(
      b, loc, zero, n, one, ValueRange{zero, scratch},
      [&](OpBuilder &nb, Location l, Value k, ValueRange it) {
        Emit ne{nb, l};
        Value m = it[0];
        Value t = ne.insert(k, it[1], {m});
        if (scoreThreshold) {
          Value above = ne.cmp(CmpF::OGT, ne.extract(scores, {batch, cls, k}),
                               scoreThreshold);
          m = ne.add(m, ne.select(above, ne.index(1), ne.index(0)));
        } else {
          m = ne.add(m, ne.index(1));
        }
        scf::YieldOp::create(nb, l, ValueRange{m, t});
      });
  Value m = compact.getResult(0);
  Type idx = b.getIndexType();
  auto passes = scf::WhileOp::create(
      b, loc, TypeRange{idx, idx, scratch.getType()},
      ValueRange{one, zero, compact.getResult(1)},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Emit ne{nb, l};
        scf::ConditionOp::create(nb, l, ne.cmp(CmpI::ult, args[0], m), args);
      },
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Emit ne{nb, l};
        Value width = args[0], src = args[1];
        Value dst = ne.sub(n, src); // src and dst are 0 and n, in turn
        Value pair = ne.add(width, width);
        auto runs = scf::ForOp::create(
            nb, l, ne.index(0), m, pair, ValueRange{args[2]},
            [&](OpBuilder &rb, Location rl, Value lo, ValueRange it) {
              Emit re{rb, rl};
              Value mid = re.min(re.add(lo, width), m);
              Value hi = re.min(re.add(lo, pair), m);
              Value last = re.sub(m, re.index(1));
              auto merge = scf::ForOp::create(
                  rb, rl, lo, hi, re.index(1), ValueRange{lo, mid, it[0]},
                  [&](OpBuilder &mb, Location ml, Value k, ValueRange state) {
                    Emit me{mb, ml};
                    Value i = state[0], j = state[1], t = state[2];
                    // Clamped reads: an exhausted run's position may be m.
                    Value left = me.extract(t, {me.add(src, me.min(i, last))});
                    Value right = me.extract(t, {me.add(src, me.min(j, last))});
                    Value sl = me.extract(scores, {batch, cls, left});
                    Value sr = me.extract(scores, {batch, cls, right});
                    Value takeRight = me.both(
                        me.cmp(CmpI::ult, j, hi),
                        me.either(me.cmp(CmpI::uge, i, mid),
                                  me.cmp(CmpF::OGT, sr, sl)));
                    Value moved = me.insert(me.select(takeRight, right, left),
                                            t, {me.add(dst, k)});
                    Value nextI = me.select(takeRight, i, me.add(i, me.index(1)));
                    Value nextJ = me.select(takeRight, me.add(j, me.index(1)), j);
                    scf::YieldOp::create(mb, ml, ValueRange{nextI, nextJ, moved});
                  });
              scf::YieldOp::create(rb, rl, ValueRange{merge.getResult(2)});
            });
        scf::YieldOp::create(nb, l, ValueRange{pair, dst, runs.getResult(0)});
      });
  return {m, passes.getResult(1), passes.getResult(2)};
}

struct NonMaxSuppressionLowering : OpRewritePattern<qc::NonMaxSuppressionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(qc::NonMaxSuppressionOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emit e{rewriter, loc};
    Value boxes = op.getBoxes(), scores = op.getScores();
    auto ft = cast<FloatType>(
        cast<RankedTensorType>(boxes.getType()).getElementType());
    bool centerPoint = op.getCenterPointBox() == 1;
    Type i64 = rewriter.getI64Type();

    // Dims that should agree are not checked at run time (README), so the
    // smaller is taken: no read leaves boxes or scores whatever they are.
    Value batches = e.min(dimSize(rewriter, loc, boxes, 0),
                          dimSize(rewriter, loc, scores, 0));
    Value n = e.min(dimSize(rewriter, loc, boxes, 1),
                    dimSize(rewriter, loc, scores, 2));
    Value classes = dimSize(rewriter, loc, scores, 1);

    // An omitted (or empty) input is the reference's default.
    auto given = [](Value v) {
      return v && cast<RankedTensorType>(v.getType()).getNumElements() == 1;
    };
    // max_output_boxes_per_class, clamped to [0, n]: absent selects nothing.
    Value maxPerClass = e.index(0);
    if (Value m = op.getMaxOutputBoxesPerClass(); given(m))
      maxPerClass = e.min(e.max(e.toIndex(extractScalar(rewriter, loc, m)),
                                e.index(0)),
                          n);
    auto threshold = [&](Value v) -> Value {
      Value t = extractScalar(rewriter, loc, v);
      return convertScalar(rewriter, loc, t, t.getType(), ft);
    };
    Value iouThreshold = given(op.getIouThreshold())
                             ? threshold(op.getIouThreshold())
                             : scalarConstant(rewriter, loc, ft, 0);
    Value scoreThreshold = given(op.getScoreThreshold())
                               ? threshold(op.getScoreThreshold())
                               : Value();

    // Worst case: every class of every batch keeps maxPerClass boxes.
    Value capacity = e.mul(e.mul(batches, classes), maxPerClass);
    auto rowsType = RankedTensorType::get({ShapedType::kDynamic, 3}, i64);
    Value rows = tensor::EmptyOp::create(rewriter, loc, rowsType, ValueRange{capacity});
    Value scratch = tensor::EmptyOp::create(
        rewriter, loc, RankedTensorType::get({ShapedType::kDynamic},
                                             rewriter.getIndexType()),
        ValueRange{e.add(n, n)});
    Value zero = e.index(0), one = e.index(1);

    auto batchLoop = scf::ForOp::create(
        rewriter, loc, zero, batches, one, ValueRange{zero, rows, scratch},
        [&](OpBuilder &bb, Location bl, Value batch, ValueRange bIt) {
          auto classLoop = scf::ForOp::create(
              bb, bl, zero, classes, one, bIt,
              [&](OpBuilder &cb, Location cl, Value cls, ValueRange cIt) {
                auto [candidates, sorted, sortScratch] = sortCandidates(
                    cb, cl, scores, batch, cls, n, scoreThreshold, cIt[2]);
                auto kept = selectBoxes(cb, cl, boxes, batch, cls, candidates,
                                        sorted, sortScratch, cIt[0], cIt[1],
                                        maxPerClass, iouThreshold, centerPoint);
                scf::YieldOp::create(
                    cb, cl, ValueRange{kept.first, kept.second, sortScratch});
              });
          scf::YieldOp::create(bb, bl, classLoop.getResults());
        });

    Value count = batchLoop.getResult(0);
    SmallVector<OpFoldResult> offsets{rewriter.getIndexAttr(0),
                                      rewriter.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes{count, rewriter.getIndexAttr(3)};
    SmallVector<OpFoldResult> strides{rewriter.getIndexAttr(1),
                                      rewriter.getIndexAttr(1)};
    rewriter.replaceOp(op, tensor::ExtractSliceOp::create(
                               rewriter, loc, batchLoop.getResult(1), offsets,
                               sizes, strides));
    return success();
  }

  /// The greedy pass over the `m` sorted candidates of (batch, cls): appends the
  /// rows (batch, cls, box) it keeps to `rows` from row `count` on, and
  /// returns the new count and rows. Rows from `count` (at entry) on are
  /// this class's kept boxes, the ones each candidate is checked against.
  static std::pair<Value, Value>
  selectBoxes(OpBuilder &b, Location loc, Value boxes, Value batch, Value cls,
              Value m, Value sortedOffset, Value sorted, Value count,
              Value rows, Value maxPerClass, Value iouThreshold,
              bool centerPoint) {
    Emit e{b, loc};
    Value classStart = count;
    auto loop = scf::ForOp::create(
        b, loc, e.index(0), m, e.index(1), ValueRange{count, rows},
        [&](OpBuilder &lb, Location l, Value p, ValueRange it) {
          Emit le{lb, l};
          Value box = le.extract(sorted, {le.add(sortedOffset, p)});
          Value take = le.cmp(CmpI::ult, le.sub(it[0], classStart), maxPerClass);
          auto ifTake = scf::IfOp::create(
              lb, l, take,
              [&](OpBuilder &tb, Location tl) {
                Emit te{tb, tl};
                Edges cand = boxEdges(te, boxes, batch, box, centerPoint);
                auto check = scf::ForOp::create(
                    tb, tl, classStart, it[0], te.index(1),
                    ValueRange{arith::ConstantIntOp::create(tb, tl, 0, 1)},
                    [&](OpBuilder &kb, Location kl, Value k, ValueRange s) {
                      Emit ke{kb, kl};
                      Value other = ke.toIndex(
                          ke.extract(it[1], {k, ke.index(2)}));
                      Edges kept = boxEdges(ke, boxes, batch, other, centerPoint);
                      scf::YieldOp::create(
                          kb, kl,
                          ValueRange{ke.either(
                              s[0], suppresses(ke, cand, kept, iouThreshold))});
                    });
                auto ifKeep = scf::IfOp::create(
                    tb, tl, check.getResult(0),
                    [&](OpBuilder &sb, Location sl) {
                      scf::YieldOp::create(sb, sl, it);
                    },
                    [&](OpBuilder &kb, Location kl) {
                      Emit ke{kb, kl};
                      Value row = it[0], r = it[1];
                      Value values[3] = {ke.toI64(batch), ke.toI64(cls), ke.toI64(box)};
                      for (int64_t c = 0; c < 3; ++c)
                        r = ke.insert(values[c], r, {row, ke.index(c)});
                      scf::YieldOp::create(
                          kb, kl, ValueRange{ke.add(row, ke.index(1)), r});
                    });
                scf::YieldOp::create(tb, tl, ifKeep.getResults());
              },
              [&](OpBuilder &sb, Location sl) {
                scf::YieldOp::create(sb, sl, it);
              });
          scf::YieldOp::create(lb, l, ifTake.getResults());
        });
    return {loop.getResult(0), loop.getResult(1)};
  }
};

} // namespace

void quantc::populateDetectionPatterns(RewritePatternSet &patterns) {
  patterns.add<NonMaxSuppressionLowering>(patterns.getContext());
}
