//===- Recurrent.cpp - RNN, GRU and LSTM to linalg and scf.for ------------===//
//
// Per direction: the input projection X·Wᵀ + biases for every time step is
// one contraction before the loop; an scf.for over the steps carries the
// hidden (and cell) state and the direction's output, and each step is the
// recurrent contraction H·Rᵀ and one generic computing the gates, which reads
// each gate's block of columns through an offset indexing map. Steps at or
// past a batch's sequence_lens keep the state and output zeros; walking the
// steps backwards for `reverse` then starts each batch at its own last step.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace quantc;

namespace {

enum class Cell { Rnn, Gru, Lstm };

/// What one recurrent op needs, read from its operands and attributes.
struct Recurrence {
  Cell cell;
  int64_t gates, seq, batch, input, hidden, dirs, layout;
  FloatType et;
  Value x, w, r, b, lens, initialH, initialC, peepholes;
  std::optional<double> clip;
  SmallVector<std::string> activations; // per direction, in ONNX order
  bool linearBeforeReset = false;
  bool reverseOnly = false; // direction "reverse"
};

Value applyActivation(OpBuilder &b, Location loc, StringRef name, Value v) {
  if (name.equals_insensitive("sigmoid")) {
    Value one = scalarConstant(b, loc, v.getType(), 1);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, v));
    return arith::DivFOp::create(b, loc, one, arith::AddFOp::create(b, loc, one, e));
  }
  if (name.equals_insensitive("tanh"))
    return math::TanhOp::create(b, loc, v);
  return arith::MaximumFOp::create(b, loc, v, scalarConstant(b, loc, v.getType(), 0));
}

/// out[p, g] = init[p, g] + sum_k a[p, k] * m[g, k]: a row-major A·Mᵀ for
/// A of rank 2 or 3 (the leading dims are p).
Value contractTransposed(OpBuilder &b, Location loc, Value a, Value m, Value init) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  unsigned lead = aType.getRank() - 1, loops = lead + 2;
  SmallVector<AffineExpr> aExprs, outExprs;
  for (unsigned i = 0; i < lead; ++i) {
    aExprs.push_back(getAffineDimExpr(i, ctx));
    outExprs.push_back(getAffineDimExpr(i, ctx));
  }
  AffineExpr g = getAffineDimExpr(lead, ctx), k = getAffineDimExpr(lead + 1, ctx);
  aExprs.push_back(k);
  outExprs.push_back(g);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{a, m}, init,
             ArrayRef<AffineMap>{AffineMap::get(loops, 0, aExprs, ctx),
                                 AffineMap::get(loops, 0, {g, k}, ctx),
                                 AffineMap::get(loops, 0, outExprs, ctx)},
             iteratorTypes(loops, {lead + 1}),
             [](OpBuilder &nb, Location l, ValueRange args) {
               Value p = arith::MulFOp::create(nb, l, args[0], args[1]);
               linalg::YieldOp::create(nb, l, Value(arith::AddFOp::create(nb, l, args[2], p)));
             })
      .getResult(0);
}

/// The slice of `sizes` at `offsets` of `source`, as `resultShape` (which
/// may drop unit dims: a rank-reducing slice).
Value slice(OpBuilder &b, Location loc, Value source, ArrayRef<OpFoldResult> offsets,
            ArrayRef<int64_t> sizes, ArrayRef<int64_t> resultShape) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> sizeAttrs, strides(sizes.size(), b.getIndexAttr(1));
  for (int64_t s : sizes)
    sizeAttrs.push_back(b.getIndexAttr(s));
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(resultShape, type.getElementType()), source, offsets,
      sizeAttrs, strides);
}

Value insert(OpBuilder &b, Location loc, Value source, Value dest,
             ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes) {
  SmallVector<OpFoldResult> sizeAttrs, strides(sizes.size(), b.getIndexAttr(1));
  for (int64_t s : sizes)
    sizeAttrs.push_back(b.getIndexAttr(s));
  return tensor::InsertSliceOp::create(b, loc, source, dest, offsets, sizeAttrs, strides);
}

class RecurrenceBuilder {
public:
  RecurrenceBuilder(OpBuilder &b, Location loc, const Recurrence &rec)
      : b(b), loc(loc), rec(rec), ctx(b.getContext()) {}

  /// Returns Y, Y_h and (LSTM) Y_c in the op's layout.
  SmallVector<Value> build() {
    int64_t T = rec.seq, B = rec.batch, H = rec.hidden, D = rec.dirs;
    Value zero = scalarConstant(b, loc, rec.et, 0);
    // X as (T, B, I).
    Value x = rec.x;
    if (rec.layout == 1)
      x = transpose(x, {1, 0, 2});
    Value y = filledTensor(b, loc, type({T, D, B, H}), zero);
    Value yh = filledTensor(b, loc, type({D, B, H}), zero);
    Value yc = yh;
    for (int64_t d = 0; d < D; ++d) {
      auto [dirY, h, c] = buildDirection(x, d);
      y = insert(b, loc, dirY, y, offsets({0, d, 0, 0}), {T, 1, B, H});
      yh = insert(b, loc, h, yh, offsets({d, 0, 0}), {1, B, H});
      if (c)
        yc = insert(b, loc, c, yc, offsets({d, 0, 0}), {1, B, H});
    }
    if (rec.layout == 1) {
      y = transpose(y, {2, 0, 1, 3});
      yh = transpose(yh, {1, 0, 2});
      yc = transpose(yc, {1, 0, 2});
    }
    SmallVector<Value> results{y, yh};
    if (rec.cell == Cell::Lstm)
      results.push_back(yc);
    return results;
  }

private:
  RankedTensorType type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, rec.et);
  }
  SmallVector<OpFoldResult> offsets(ArrayRef<int64_t> values) {
    SmallVector<OpFoldResult> r;
    for (int64_t v : values)
      r.push_back(b.getIndexAttr(v));
    return r;
  }
  Value transpose(Value v, ArrayRef<int64_t> perm) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> shape;
    for (int64_t p : perm)
      shape.push_back(t.getDimSize(p));
    Value init = tensor::EmptyOp::create(b, loc, shape, t.getElementType());
    return linalg::TransposeOp::create(b, loc, v, init, perm).getResult()[0];
  }
  /// A state input (D, B, H) or (B, D, H) for direction d, else zeros.
  Value initialState(Value state, int64_t d) {
    int64_t B = rec.batch, H = rec.hidden;
    if (!state)
      return filledTensor(b, loc, type({B, H}), scalarConstant(b, loc, rec.et, 0));
    return rec.layout == 0 ? slice(b, loc, state, offsets({d, 0, 0}), {1, B, H}, {B, H})
                           : slice(b, loc, state, offsets({0, d, 0}), {B, 1, H}, {B, H});
  }
  /// Row `d` of a (D, n) tensor, or of a (D, n, k) one.
  Value row(Value v, int64_t d) {
    auto t = cast<RankedTensorType>(v.getType());
    SmallVector<int64_t> sizes(t.getShape()), result(t.getShape().drop_front());
    sizes[0] = 1;
    SmallVector<int64_t> offs(t.getRank(), 0);
    offs[0] = d;
    return slice(b, loc, v, offsets(offs), sizes, result);
  }

  std::tuple<Value, Value, Value> buildDirection(Value x, int64_t d) {
    int64_t T = rec.seq, B = rec.batch, H = rec.hidden, G = rec.gates;
    bool reverse = rec.dirs == 2 ? d == 1 : rec.reverseOnly;
    Value w = row(rec.w, d), r = row(rec.r, d);
    Value zero = scalarConstant(b, loc, rec.et, 0);
    // Biases: Wb and Rb; both go into the input projection, except GRU's
    // Rb of the h gate with linear_before_reset, which sits inside r ⊙ (…).
    Value wb, rb;
    if (rec.b) {
      Value both = row(rec.b, d);
      wb = slice(b, loc, both, offsets({0}), {G * H}, {G * H});
      rb = slice(b, loc, both, offsets({G * H}), {G * H}, {G * H});
    } else {
      wb = rb = filledTensor(b, loc, type({G * H}), zero);
    }
    bool gruHSeparate = rec.cell == Cell::Gru;
    AffineMap gateCol = AffineMap::get(3, 0, {getAffineDimExpr(2, ctx)}, ctx);
    Value projInit = buildElementwiseWithMaps(
        b, loc, type({T, B, G * H}), ValueRange{wb, rb}, {gateCol, gateCol},
        [&](OpBuilder &nb, Location l, ValueRange a) -> Value {
          if (!gruHSeparate)
            return arith::AddFOp::create(nb, l, a[0], a[1]);
          // GRU: Rb of z and r here; the h gate's Rb is added in the step.
          Value col = linalg::IndexOp::create(nb, l, 2);
          Value isH = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, col,
                                            arith::ConstantIndexOp::create(nb, l, 2 * H));
          return arith::SelectOp::create(nb, l, isH, a[0],
                                         arith::AddFOp::create(nb, l, a[0], a[1]));
        });
    Value proj = contractTransposed(b, loc, x, w, projInit);

    Value h0 = initialState(rec.initialH, d);
    Value c0 = rec.cell == Cell::Lstm ? initialState(rec.initialC, d) : Value();
    Value p = rec.peepholes ? row(rec.peepholes, d) : Value();
    Value y0 = filledTensor(b, loc, type({T, B, H}), zero);
    SmallVector<Value> init{h0, y0};
    if (c0)
      init.push_back(c0);
    Value lb = arith::ConstantIndexOp::create(b, loc, 0);
    Value ub = arith::ConstantIndexOp::create(b, loc, T);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, one, init,
        [&](OpBuilder &nb, Location l, Value s, ValueRange iter) {
          Value t = reverse ? (Value)arith::SubIOp::create(
                                  nb, l, arith::ConstantIndexOp::create(nb, l, T - 1), s)
                            : s;
          SmallVector<Value> next = buildStep(nb, l, proj, r, rb, p, t, iter, d);
          scf::YieldOp::create(nb, l, next);
        });
    Value c = rec.cell == Cell::Lstm ? loop.getResult(2) : Value();
    return {loop.getResult(1), loop.getResult(0), c};
  }

  /// One time step: returns the next (h, y, [c]).
  SmallVector<Value> buildStep(OpBuilder &nb, Location l, Value proj, Value r, Value rb,
                               Value p, Value t, ValueRange iter, int64_t d) {
    int64_t B = rec.batch, H = rec.hidden, G = rec.gates;
    Value h = iter[0], y = iter[1], c = rec.cell == Cell::Lstm ? iter[2] : Value();
    SmallVector<OpFoldResult> tOffsets{t, nb.getIndexAttr(0), nb.getIndexAttr(0)};
    Value xw = slice(nb, l, proj, tOffsets, {1, B, G * H}, {B, G * H});
    Value zeroInit = filledTensor(nb, l, type({B, G * H}), scalarConstant(nb, l, rec.et, 0));
    Value hr = contractTransposed(nb, l, h, r, zeroInit);
    auto act = [&](unsigned k) -> StringRef { return rec.activations[d * actsPerDir() + k]; };
    auto id = nb.getMultiDimIdentityMap(2);
    // Gate blocks of columns as (B, H) slices (views), so that every map is
    // the identity and the loop bounds come from the (B, H) shape.
    auto col = [&](Value v, int64_t gate) {
      return slice(nb, l, v, offsets({0, gate * H}), {B, H}, {B, H});
    };
    auto vec = [&](Value v, int64_t gate) {
      return slice(nb, l, v, offsets({gate * H}), {H}, {H});
    };
    AffineMap perColumn = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
    auto clipped = [&](OpBuilder &bb, Location ll, Value v) -> Value {
      if (!rec.clip)
        return v;
      Value hi = scalarConstant(bb, ll, rec.et, *rec.clip);
      Value lo = scalarConstant(bb, ll, rec.et, -*rec.clip);
      return arith::MinimumFOp::create(bb, ll, arith::MaximumFOp::create(bb, ll, v, lo), hi);
    };
    auto add = [](OpBuilder &bb, Location ll, Value a, Value c2) -> Value {
      return arith::AddFOp::create(bb, ll, a, c2);
    };
    auto mul = [](OpBuilder &bb, Location ll, Value a, Value c2) -> Value {
      return arith::MulFOp::create(bb, ll, a, c2);
    };

    // The sequence mask of each batch row, as (b, j) -> (b).
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    auto use = [&](Value v, AffineMap m) {
      inputs.push_back(v);
      maps.push_back(m);
      return inputs.size() - 1;
    };
    AffineMap batchOnly = AffineMap::get(2, 0, {getAffineDimExpr(0, ctx)}, ctx);
    int lensIdx = rec.lens ? (int)use(rec.lens, batchOnly) : -1;
    auto valid = [&](OpBuilder &bb, Location ll, ValueRange a) -> Value {
      if (lensIdx < 0)
        return Value();
      Value len = arith::IndexCastOp::create(bb, ll, bb.getIndexType(), a[lensIdx]);
      return arith::CmpIOp::create(bb, ll, arith::CmpIPredicate::slt, t, len);
    };

    Value newH, newC;
    auto outType = type({B, H});
    Value empty = tensor::EmptyOp::create(nb, l, ArrayRef<int64_t>{B, H}, rec.et);
    if (rec.cell == Cell::Rnn) {
      size_t xi = use(col(xw, 0), id), hi = use(col(hr, 0), id), hp = use(h, id);
      newH = buildElementwiseWithMaps(nb, l, outType, inputs, maps,
                                      [&](OpBuilder &bb, Location ll, ValueRange a) -> Value {
                                        Value v = applyActivation(
                                            bb, ll, act(0), clipped(bb, ll, add(bb, ll, a[xi], a[hi])));
                                        Value ok = valid(bb, ll, a);
                                        return ok ? (Value)arith::SelectOp::create(bb, ll, ok, v, a[hp]) : v;
                                      });
    } else if (rec.cell == Cell::Gru) {
      // z, r first; the h gate needs (r ⊙ h)·Rhᵀ unless linear_before_reset.
      size_t xz = use(col(xw, 0), id), xr = use(col(xw, 1), id), xh = use(col(xw, 2), id);
      size_t hz = use(col(hr, 0), id), hrr = use(col(hr, 1), id), hh = use(col(hr, 2), id);
      size_t hp = use(h, id), rbh = use(vec(rb, 2), perColumn);
      Value resetH;
      size_t rhIdx = 0;
      if (!rec.linearBeforeReset) {
        Value rh = buildElementwiseWithMaps(
            nb, l, outType, ValueRange{col(xw, 1), col(hr, 1), h}, {id, id, id},
            [&](OpBuilder &bb, Location ll, ValueRange a) -> Value {
              Value rg = applyActivation(bb, ll, act(0), clipped(bb, ll, add(bb, ll, a[0], a[1])));
              return mul(bb, ll, rg, a[2]);
            });
        Value rFull = slice(nb, l, r, offsets({2 * H, 0}), {H, H}, {H, H});
        resetH = contractTransposed(
            nb, l, rh, rFull,
            filledTensor(nb, l, outType, scalarConstant(nb, l, rec.et, 0)));
        rhIdx = use(resetH, id);
      }
      newH = buildElementwiseWithMaps(
          nb, l, outType, inputs, maps, [&](OpBuilder &bb, Location ll, ValueRange a) -> Value {
            Value z = applyActivation(bb, ll, act(0), clipped(bb, ll, add(bb, ll, a[xz], a[hz])));
            Value rg = applyActivation(bb, ll, act(0), clipped(bb, ll, add(bb, ll, a[xr], a[hrr])));
            Value pre = rec.linearBeforeReset
                            ? add(bb, ll, a[xh], mul(bb, ll, rg, add(bb, ll, a[hh], a[rbh])))
                            : add(bb, ll, a[xh], add(bb, ll, a[rhIdx], a[rbh]));
            Value cand = applyActivation(bb, ll, act(1), clipped(bb, ll, pre));
            Value oneMinusZ = arith::SubFOp::create(bb, ll, scalarConstant(bb, ll, rec.et, 1), z);
            Value v = add(bb, ll, mul(bb, ll, oneMinusZ, cand), mul(bb, ll, z, a[hp]));
            Value ok = valid(bb, ll, a);
            return ok ? (Value)arith::SelectOp::create(bb, ll, ok, v, a[hp]) : v;
          });
    } else {
      // Gate blocks in W and R: i, o, f, c; peepholes P: i, o, f.
      size_t xi = use(col(xw, 0), id), xo = use(col(xw, 1), id), xf = use(col(xw, 2), id),
             xc = use(col(xw, 3), id);
      size_t hi = use(col(hr, 0), id), ho = use(col(hr, 1), id), hf = use(col(hr, 2), id),
             hc = use(col(hr, 3), id);
      size_t hp = use(h, id), cp = use(c, id);
      size_t pi = 0, po = 0, pf = 0;
      if (p) {
        pi = use(vec(p, 0), perColumn);
        po = use(vec(p, 1), perColumn);
        pf = use(vec(p, 2), perColumn);
      }
      maps.push_back(id);
      maps.push_back(id);
      auto generic = linalg::GenericOp::create(
          nb, l, TypeRange{outType, outType}, inputs, ValueRange{empty, empty}, maps,
          iteratorTypes(2), [&](OpBuilder &bb, Location ll, ValueRange a) {
            auto peep = [&](size_t idx, Value cell) -> Value {
              return p ? mul(bb, ll, a[idx], cell) : scalarConstant(bb, ll, rec.et, 0);
            };
            Value ig = applyActivation(
                bb, ll, act(0),
                clipped(bb, ll, add(bb, ll, add(bb, ll, a[xi], a[hi]), peep(pi, a[cp]))));
            Value fg = applyActivation(
                bb, ll, act(0),
                clipped(bb, ll, add(bb, ll, add(bb, ll, a[xf], a[hf]), peep(pf, a[cp]))));
            Value cand = applyActivation(bb, ll, act(1), clipped(bb, ll, add(bb, ll, a[xc], a[hc])));
            Value cn = add(bb, ll, mul(bb, ll, fg, a[cp]), mul(bb, ll, ig, cand));
            Value og = applyActivation(
                bb, ll, act(0),
                clipped(bb, ll, add(bb, ll, add(bb, ll, a[xo], a[ho]), peep(po, cn))));
            Value hn = mul(bb, ll, og, applyActivation(bb, ll, act(2), cn));
            if (Value ok = valid(bb, ll, a)) {
              hn = arith::SelectOp::create(bb, ll, ok, hn, a[hp]);
              cn = arith::SelectOp::create(bb, ll, ok, cn, a[cp]);
            }
            linalg::YieldOp::create(bb, ll, ValueRange{hn, cn});
          });
      newH = generic.getResult(0);
      newC = generic.getResult(1);
    }
    // The step's output: the new state, or zeros past the sequence's end.
    Value yt = newH;
    if (rec.lens)
      yt = buildElementwiseWithMaps(nb, l, outType, ValueRange{newH, rec.lens}, {id, batchOnly},
                                    [&](OpBuilder &bb, Location ll, ValueRange a) -> Value {
                                      Value len = arith::IndexCastOp::create(
                                          bb, ll, bb.getIndexType(), a[1]);
                                      Value ok = arith::CmpIOp::create(
                                          bb, ll, arith::CmpIPredicate::slt, t, len);
                                      return arith::SelectOp::create(
                                          bb, ll, ok, a[0], scalarConstant(bb, ll, rec.et, 0));
                                    });
    Value newY = insert(nb, l, yt, y, tOffsets, {1, B, H});
    SmallVector<Value> next{newH, newY};
    if (newC)
      next.push_back(newC);
    return next;
  }

  unsigned actsPerDir() const {
    return rec.cell == Cell::Rnn ? 1 : rec.cell == Cell::Gru ? 2 : 3;
  }

  OpBuilder &b;
  Location loc;
  const Recurrence &rec;
  MLIRContext *ctx;
};

template <typename Op>
Recurrence readRecurrence(Op op, Cell cell) {
  Recurrence rec;
  rec.cell = cell;
  rec.gates = cell == Cell::Rnn ? 1 : cell == Cell::Gru ? 3 : 4;
  auto x = cast<RankedTensorType>(op.getX().getType());
  auto yh = cast<RankedTensorType>(op.getYH().getType());
  rec.layout = op.getLayout();
  rec.seq = x.getDimSize(rec.layout == 0 ? 0 : 1);
  rec.batch = x.getDimSize(rec.layout == 0 ? 1 : 0);
  rec.input = x.getDimSize(2);
  rec.hidden = yh.getDimSize(2);
  rec.dirs = op.getDirection() == "bidirectional" ? 2 : 1;
  rec.reverseOnly = op.getDirection() == "reverse";
  rec.et = cast<FloatType>(x.getElementType());
  rec.x = op.getX();
  rec.w = op.getW();
  rec.r = op.getR();
  rec.b = op.getB();
  rec.lens = op.getSequenceLens();
  rec.initialH = op.getInitialH();
  if (auto c = op.getClip())
    rec.clip = c->convertToDouble();
  SmallVector<std::string> defaults =
      cell == Cell::Rnn   ? SmallVector<std::string>{"Tanh"}
      : cell == Cell::Gru ? SmallVector<std::string>{"Sigmoid", "Tanh"}
                          : SmallVector<std::string>{"Sigmoid", "Tanh", "Tanh"};
  if (auto acts = op.getActivations()) {
    for (Attribute a : *acts)
      rec.activations.push_back(cast<StringAttr>(a).getValue().str());
  } else {
    for (int64_t d = 0; d < rec.dirs; ++d)
      rec.activations.append(defaults.begin(), defaults.end());
  }
  return rec;
}

template <typename Op, Cell kCell>
struct RecurrentLowering : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op, PatternRewriter &rewriter) const override {
    Recurrence rec = readRecurrence(op, kCell);
    if constexpr (kCell == Cell::Gru)
      rec.linearBeforeReset = op.getLinearBeforeReset() != 0;
    if constexpr (kCell == Cell::Lstm) {
      rec.initialC = op.getInitialC();
      rec.peepholes = op.getP();
    }
    RecurrenceBuilder builder(rewriter, op.getLoc(), rec);
    rewriter.replaceOp(op, builder.build());
    return success();
  }
};

} // namespace

void quantc::populateRecurrentPatterns(RewritePatternSet &patterns) {
  patterns.add<RecurrentLowering<qc::RNNOp, Cell::Rnn>,
               RecurrentLowering<qc::GRUOp, Cell::Gru>,
               RecurrentLowering<qc::LSTMOp, Cell::Lstm>>(patterns.getContext());
}
