//===- SliceAndPad.cpp - Slice, Split, Pad, Tile, Expand, DepthToSpace ----===//
//
// Ops that select, repeat or rearrange elements. Static index arithmetic
// becomes tensor.extract_slice / tensor.pad / reshapes and linalg.transpose
// or linalg.broadcast where one fits; what does not fit (negative steps,
// reflect padding) is a linalg.generic that computes the source index.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace quantc;

namespace {

SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  return llvm::map_to_vector(values, [&](int64_t v) -> OpFoldResult {
    return b.getIndexAttr(v);
  });
}

/// A linalg.generic over `type` whose element at index i is `source` at
/// index `sourceIndex(i)`. `sizes` (one per dim) size the run-time dims of
/// `type`; a static type needs none.
Value buildGatherFrom(OpBuilder &b, Location loc, RankedTensorType type,
                      ArrayRef<Value> sizes, Value source,
                      function_ref<SmallVector<Value>(OpBuilder &, Location,
                                                      ArrayRef<Value>)>
                          sourceIndex) {
  Value init = tensor::EmptyOp::create(
      b, loc, type, dynamicSizes(type, [&](int64_t d) { return sizes[d]; }));
  return buildElementwiseInto(
      b, loc, init, {}, {}, [&](OpBuilder &nb, Location l, ValueRange) {
        SmallVector<Value> coords;
        for (int64_t d = 0; d < type.getRank(); ++d)
          coords.push_back(linalg::IndexOp::create(nb, l, d));
        return Value(tensor::ExtractOp::create(nb, l, source,
                                               sourceIndex(nb, l, coords)));
      });
}

/// A Slice whose start or end, on some axes, is only known at run time (or
/// that slices a run-time dim): those axes' offsets and sizes are computed as
/// ONNX says (negative values count from the end, then clamp to the dim);
/// their steps are positive (computeSlice checks).
Value runTimeSlice(OpBuilder &b, Location loc, qc::SliceOp op,
                   const qc::SliceGeometry &g) {
  Value data = op.getData();
  SmallVector<OpFoldResult> offsets = indexAttrs(b, g.starts);
  SmallVector<OpFoldResult> sizes = indexAttrs(b, g.sizes);
  SmallVector<OpFoldResult> strides = indexAttrs(b, g.steps);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  auto clampToDim = [&](Value v, Value dim) -> Value {
    Value isNeg = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, v, zero);
    v = arith::SelectOp::create(b, loc, isNeg, arith::AddIOp::create(b, loc, v, dim), v);
    v = arith::MaxSIOp::create(b, loc, v, zero);
    return arith::MinSIOp::create(b, loc, v, dim);
  };
  for (auto [axis, i] : g.runTimeAxes) {
    Value dim = dimSize(b, loc, data, axis);
    Value start = clampToDim(indexElement(b, loc, op.getStarts(), i), dim);
    Value end = clampToDim(indexElement(b, loc, op.getEnds(), i), dim);
    Value step = arith::ConstantIndexOp::create(b, loc, g.steps[axis]);
    // ceil((end - start) / step), or 0 when end <= start.
    Value span = arith::MaxSIOp::create(
        b, loc, arith::SubIOp::create(b, loc, end, start), zero);
    Value size = arith::CeilDivSIOp::create(b, loc, span, step);
    offsets[axis] = start;
    sizes[axis] = size;
  }
  // The other run-time dims are taken whole.
  auto type = cast<RankedTensorType>(data.getType());
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d) &&
        !llvm::any_of(g.runTimeAxes, [&](auto p) { return p.first == d; }))
      sizes[d] = dimSize(b, loc, data, d);
  return tensor::ExtractSliceOp::create(
      b, loc, cast<RankedTensorType>(op.getType()), data, offsets, sizes,
      strides);
}

/// A Slice whose axes or steps are only known at run time: every dim's
/// start, step and size are index values, the defaults (whole dim, step 1)
/// replaced where an axis names the dim. Each start and end is normalized
/// and clamped as ONNX says, for either sign of step (a zero step, invalid,
/// takes nothing); an axis out of range names no dim, and a repeated axis
/// takes its last values. The result is a gather of start + i * step.
Value fullyRunTimeSlice(OpBuilder &b, Location loc, qc::SliceOp op) {
  Value data = op.getData();
  auto type = cast<RankedTensorType>(op.getType());
  int64_t rank = type.getRank();
  int64_t n = cast<RankedTensorType>(op.getStarts().getType()).getDimSize(0);
  auto cst = [&](int64_t v) {
    return (Value)arith::ConstantIndexOp::create(b, loc, v);
  };
  auto select = [&](Value c, Value t, Value f) {
    return (Value)arith::SelectOp::create(b, loc, c, t, f);
  };
  auto cmp = [&](arith::CmpIPredicate p, Value x, Value y) {
    return (Value)arith::CmpIOp::create(b, loc, p, x, y);
  };
  using P = arith::CmpIPredicate;
  Value zero = cst(0), one = cst(1);
  SmallVector<Value> dims = dimSizes(b, loc, data);
  SmallVector<Value> starts(rank, zero), steps(rank, one), sizes(dims);
  for (int64_t k = 0; k < n; ++k) {
    Value axis = op.getAxes() ? indexElement(b, loc, op.getAxes(), k) : cst(k);
    axis = select(cmp(P::slt, axis, zero),
                  arith::AddIOp::create(b, loc, axis, cst(rank)), axis);
    Value dim = zero;
    for (int64_t d = 0; d < rank; ++d)
      dim = select(cmp(P::eq, axis, cst(d)), dims[d], dim);
    Value step = op.getSteps() ? indexElement(b, loc, op.getSteps(), k) : one;
    Value forward = cmp(P::sgt, step, zero);
    Value backward = cmp(P::slt, step, zero);
    // Counted from the end when negative, then clamped to [0, dim] going
    // forward or [-1, dim - 1] going backward.
    Value low = select(forward, zero, cst(-1));
    Value high = select(forward, dim, arith::SubIOp::create(b, loc, dim, one));
    auto clamp = [&](Value v) {
      v = select(cmp(P::slt, v, zero), arith::AddIOp::create(b, loc, v, dim), v);
      return (Value)arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, v, low), high);
    };
    Value start = clamp(indexElement(b, loc, op.getStarts(), k));
    Value end = clamp(indexElement(b, loc, op.getEnds(), k));
    // ceil(|end - start| / |step|) elements when end is ahead of start.
    Value span = select(forward, arith::SubIOp::create(b, loc, end, start),
                        arith::SubIOp::create(b, loc, start, end));
    Value magnitude = select(forward, step,
                             select(backward,
                                    arith::SubIOp::create(b, loc, zero, step),
                                    one));
    Value size = arith::CeilDivSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, span, zero), magnitude);
    size = select(cmp(P::eq, step, zero), zero, size);
    for (int64_t d = 0; d < rank; ++d) {
      Value named = cmp(P::eq, axis, cst(d));
      starts[d] = select(named, start, starts[d]);
      steps[d] = select(named, step, steps[d]);
      sizes[d] = select(named, size, sizes[d]);
    }
  }
  return buildGatherFrom(
      b, loc, type, sizes, data,
      [&](OpBuilder &nb, Location l, ArrayRef<Value> coords) {
        SmallVector<Value> src;
        for (auto [d, i] : llvm::enumerate(coords))
          src.push_back(arith::AddIOp::create(
              nb, l, starts[d], arith::MulIOp::create(nb, l, i, steps[d])));
        return src;
      });
}

struct SliceLowering : OpRewritePattern<qc::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SliceOp op,
                                PatternRewriter &rewriter) const override {
    auto g = qc::computeSlice(op);
    if (failed(g))
      return failure();
    auto type = cast<RankedTensorType>(op.getType());
    Location loc = op.getLoc();
    if (g->fullyRunTime) {
      rewriter.replaceOp(op, fullyRunTimeSlice(rewriter, loc, op));
      return success();
    }
    if (!g->runTimeAxes.empty() ||
        !cast<RankedTensorType>(op.getData().getType()).hasStaticShape()) {
      rewriter.replaceOp(op, runTimeSlice(rewriter, loc, op, *g));
      return success();
    }
    if (llvm::all_of(g->steps, [](int64_t s) { return s > 0; })) {
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
          op, type, op.getData(), indexAttrs(rewriter, g->starts),
          indexAttrs(rewriter, g->sizes), indexAttrs(rewriter, g->steps));
      return success();
    }
    // A negative step reads backwards: index start + i * step.
    rewriter.replaceOp(op, buildGatherFrom(
        rewriter, loc, type, {}, op.getData(),
        [&](OpBuilder &b, Location l, ArrayRef<Value> coords) {
          SmallVector<Value> src;
          for (auto [d, i] : llvm::enumerate(coords)) {
            Value step = arith::ConstantIndexOp::create(b, l, g->steps[d]);
            Value start = arith::ConstantIndexOp::create(b, l, g->starts[d]);
            src.push_back(arith::AddIOp::create(
                b, l, start, arith::MulIOp::create(b, l, i, step)));
          }
          return src;
        }));
    return success();
  }
};

/// Each output is a slice along the axis. Sizes only known at run time are
/// read from the `split` input and clamped (negative ones to 0, and each
/// output to what is left of the dim), so that bad sizes cannot reach past
/// the input.
struct SplitLowering : OpRewritePattern<qc::SplitOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SplitOp op,
                                PatternRewriter &rewriter) const override {
    auto sizes = qc::computeSplitSizes(op);
    if (failed(sizes))
      return failure();
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    int64_t rank = inType.getRank();
    int64_t axis = *qc::normalizeAxis(op.getAxis(), rank);
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> extents;
    for (int64_t d = 0; d < rank; ++d)
      extents.push_back(inType.isDynamicDim(d)
                            ? OpFoldResult(dimSize(rewriter, loc, input, d))
                            : rewriter.getIndexAttr(inType.getDimSize(d)));
    int64_t staticOffset = 0;
    Value offset; // set once a size is only known at run time
    Value dim = dimSize(rewriter, loc, input, axis);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    SmallVector<Value> results;
    for (auto [k, result] : llvm::enumerate(op.getResults())) {
      auto type = cast<RankedTensorType>(result.getType());
      int64_t size = (*sizes)[k];
      if (size != ShapedType::kDynamic) {
        if (size == 0) {
          // extract_slice refuses constant offsets at the end of a dim.
          results.push_back(tensor::EmptyOp::create(
              rewriter, loc, type, dynamicSizes(type, [&](int64_t d) {
                return getValueOrCreateConstantIndexOp(rewriter, loc,
                                                       extents[d]);
              })));
          continue;
        }
        offsets[axis] = rewriter.getIndexAttr(staticOffset);
        extents[axis] = rewriter.getIndexAttr(size);
        staticOffset += size;
      } else {
        if (!offset)
          offset = arith::ConstantIndexOp::create(rewriter, loc, staticOffset);
        Value wanted = arith::MaxSIOp::create(
            rewriter, loc, indexElement(rewriter, loc, op.getSplitInput(), k),
            zero);
        Value start = arith::MinSIOp::create(rewriter, loc, offset, dim);
        Value extent = arith::MinSIOp::create(
            rewriter, loc, wanted,
            arith::SubIOp::create(rewriter, loc, dim, start));
        offsets[axis] = start;
        extents[axis] = extent;
        offset = arith::AddIOp::create(rewriter, loc, start, extent);
      }
      results.push_back(tensor::ExtractSliceOp::create(
          rewriter, loc, type, input, offsets, extents, strides));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

/// Every dim's begin and end pads as index values: [begin_0, ..., end_0,
/// ...]. Where computePads knows a pad it is a constant; else it is read
/// from the `pads` input, for the dim its axis names (an axis only known at
/// run time is compared with every dim; one out of range names none).
SmallVector<Value> padSizes(OpBuilder &b, Location loc, qc::PadOp op,
                            ArrayRef<int64_t> known) {
  int64_t rank = known.size() / 2;
  auto cst = [&](int64_t v) {
    return (Value)arith::ConstantIndexOp::create(b, loc, v);
  };
  if (!llvm::is_contained(known, ShapedType::kDynamic))
    return llvm::map_to_vector(known, cst);
  int64_t n = cast<RankedTensorType>(op.getPads().getType()).getDimSize(0) / 2;
  SmallVector<Value> pads(2 * rank, cst(0));
  for (int64_t k = 0; k < n; ++k) {
    Value axis = op.getAxes() ? indexElement(b, loc, op.getAxes(), k) : cst(k);
    Value negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                           axis, cst(0));
    axis = arith::SelectOp::create(
        b, loc, negative, arith::AddIOp::create(b, loc, axis, cst(rank)), axis);
    Value begin = indexElement(b, loc, op.getPads(), k);
    Value end = indexElement(b, loc, op.getPads(), k + n);
    for (int64_t d = 0; d < rank; ++d) {
      Value named = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          axis, cst(d));
      pads[d] = arith::SelectOp::create(b, loc, named, begin, pads[d]);
      pads[d + rank] =
          arith::SelectOp::create(b, loc, named, end, pads[d + rank]);
    }
  }
  return pads;
}

/// Pad as a gather: output index o of dim d reads input index o - begin.
/// Negative pads crop first, so a mode sees the n elements of the dim that
/// are kept, starting at `offset`: constant takes the pad value outside
/// them, edge clamps, wrap takes the index modulo n, reflect mirrors it in
/// a period of 2(n - 1). Where a dim keeps nothing (n <= 0) only constant
/// mode has a value to give; the others give 0 (ONNX calls it an error).
Value padByGather(OpBuilder &b, Location loc, Value data,
                  RankedTensorType type, StringRef mode, ArrayRef<Value> pads,
                  Value padValue) {
  int64_t rank = type.getRank();
  auto cst = [&](int64_t v) {
    return (Value)arith::ConstantIndexOp::create(b, loc, v);
  };
  Value zero = cst(0);
  auto min = [&](Value x, Value y) {
    return (Value)arith::MinSIOp::create(b, loc, x, y);
  };
  auto max = [&](Value x, Value y) {
    return (Value)arith::MaxSIOp::create(b, loc, x, y);
  };
  SmallVector<Value> kept, offset, shift, outSizes;
  for (int64_t d = 0; d < rank; ++d) {
    Value dim = dimSize(b, loc, data, d);
    Value begin = pads[d], end = pads[d + rank];
    kept.push_back(arith::AddIOp::create(
        b, loc, dim,
        arith::AddIOp::create(b, loc, min(begin, zero), min(end, zero))));
    offset.push_back(max(arith::SubIOp::create(b, loc, zero, begin), zero));
    shift.push_back(max(begin, zero));
    outSizes.push_back(max(
        arith::AddIOp::create(b, loc, dim,
                              arith::AddIOp::create(b, loc, begin, end)),
        zero));
  }
  Value init = tensor::EmptyOp::create(
      b, loc, type, dynamicSizes(type, [&](int64_t d) { return outSizes[d]; }));
  Type et = type.getElementType();
  return buildElementwiseInto(
      b, loc, init, {}, {}, [&](OpBuilder &nb, Location l, ValueRange) {
        auto c = [&](int64_t v) {
          return (Value)arith::ConstantIndexOp::create(nb, l, v);
        };
        using P = arith::CmpIPredicate;
        auto cmp = [&](P p, Value x, Value y) {
          return (Value)arith::CmpIOp::create(nb, l, p, x, y);
        };
        Value valid = arith::ConstantIntOp::create(nb, l, 1, 1);
        SmallVector<Value> src;
        for (int64_t d = 0; d < rank; ++d) {
          Value n = kept[d];
          Value i = arith::SubIOp::create(
              nb, l, linalg::IndexOp::create(nb, l, d), shift[d]);
          Value inside;
          if (mode == "constant") {
            inside = arith::AndIOp::create(nb, l, cmp(P::sge, i, c(0)),
                                           cmp(P::slt, i, n));
          } else {
            inside = cmp(P::sgt, n, c(0));
            Value safeN = arith::MaxSIOp::create(nb, l, n, c(1));
            if (mode == "edge") {
              i = arith::MinSIOp::create(
                  nb, l, arith::MaxSIOp::create(nb, l, i, c(0)),
                  arith::SubIOp::create(nb, l, safeN, c(1)));
            } else if (mode == "wrap") {
              // ((i mod n) + n) mod n, non-negative for negative i too.
              i = arith::RemSIOp::create(nb, l, i, safeN);
              i = arith::RemSIOp::create(
                  nb, l, arith::AddIOp::create(nb, l, i, safeN), safeN);
            } else {
              // reflect: fold |i| into one period of 2(n-1), mirrored; a
              // single element (period 0, taken as 1) is read everywhere.
              Value period = arith::MaxSIOp::create(
                  nb, l,
                  arith::MulIOp::create(
                      nb, l, c(2), arith::SubIOp::create(nb, l, safeN, c(1))),
                  c(1));
              i = arith::MaxSIOp::create(
                  nb, l, i, arith::SubIOp::create(nb, l, c(0), i));
              i = arith::RemSIOp::create(nb, l, i, period);
              i = arith::MinSIOp::create(
                  nb, l, i, arith::SubIOp::create(nb, l, period, i));
            }
          }
          valid = arith::AndIOp::create(nb, l, valid, inside);
          src.push_back(arith::AddIOp::create(nb, l, i, offset[d]));
        }
        // Read only where the index is inside the kept elements.
        auto read = scf::IfOp::create(
            nb, l, valid,
            [&](OpBuilder &tb, Location tl) {
              scf::YieldOp::create(
                  tb, tl, ValueRange{tensor::ExtractOp::create(tb, tl, data, src)});
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(
                  eb, el,
                  ValueRange{mode == "constant" ? padValue
                                                : scalarConstant(eb, el, et, 0)});
            });
        return read.getResult(0);
      });
}

struct PadLowering : OpRewritePattern<qc::PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::PadOp op,
                                PatternRewriter &rewriter) const override {
    auto pads = qc::computePads(op);
    if (failed(pads))
      return failure();
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto inType = cast<RankedTensorType>(op.getData().getType());
    int64_t rank = type.getRank();
    Value value = op.getConstantValue()
                      ? extractScalar(rewriter, loc, op.getConstantValue())
                      : scalarConstant(rewriter, loc, type.getElementType(), 0);
    bool static_ = inType.hasStaticShape() &&
                   !llvm::is_contained(*pads, ShapedType::kDynamic);
    if (op.getMode() == "constant" && static_) {
      // Negative pads crop first; then tensor.pad adds the rest.
      Value data = op.getData();
      SmallVector<int64_t> offsets, sizes, low, high;
      for (int64_t d = 0; d < rank; ++d) {
        int64_t b = (*pads)[d], e = (*pads)[d + rank];
        offsets.push_back(std::max<int64_t>(-b, 0));
        sizes.push_back(inType.getDimSize(d) + std::min<int64_t>(b, 0) +
                        std::min<int64_t>(e, 0));
        low.push_back(std::max<int64_t>(b, 0));
        high.push_back(std::max<int64_t>(e, 0));
      }
      if (ArrayRef(sizes) != inType.getShape())
        data = tensor::ExtractSliceOp::create(
            rewriter, loc,
            RankedTensorType::get(sizes, inType.getElementType()), data,
            indexAttrs(rewriter, offsets), indexAttrs(rewriter, sizes),
            indexAttrs(rewriter, SmallVector<int64_t>(rank, 1)));
      if (cast<RankedTensorType>(data.getType()) != type)
        data = tensor::PadOp::create(rewriter, loc, type, data,
                                     indexAttrs(rewriter, low),
                                     indexAttrs(rewriter, high), value);
      rewriter.replaceOp(op, data);
      return success();
    }
    rewriter.replaceOp(op, padByGather(rewriter, loc, op.getData(), type,
                                       op.getMode(),
                                       padSizes(rewriter, loc, op, *pads),
                                       value));
    return success();
  }
};

/// CenterCropPad is a constant Pad whose pads center the data in the target
/// size t of each named dim: begin = (t - dim) / 2 when padding, -((dim -
/// t) / 2) when cropping (the odd element is cut or added at the end), end
/// = t - dim - begin.
struct CenterCropPadLowering : OpRewritePattern<qc::CenterCropPadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::CenterCropPadOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value data = op.getInputData();
    auto type = cast<RankedTensorType>(op.getType());
    int64_t rank = type.getRank();
    SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    if (auto attr = op.getAxes())
      axes = llvm::map_to_vector(*attr, [&](int64_t a) {
        return *qc::normalizeAxis(a, rank);
      });
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value two = arith::ConstantIndexOp::create(rewriter, loc, 2);
    SmallVector<Value> pads(2 * rank, zero);
    for (auto [k, axis] : llvm::enumerate(axes)) {
      Value dim = dimSize(rewriter, loc, data, axis);
      Value target = arith::MaxSIOp::create(
          rewriter, loc, indexElement(rewriter, loc, op.getShape(), k), zero);
      Value grow = arith::SubIOp::create(rewriter, loc, target, dim);
      Value shrink = arith::SubIOp::create(rewriter, loc, dim, target);
      Value padding = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::sge, grow, zero);
      Value begin = arith::SelectOp::create(
          rewriter, loc, padding,
          arith::DivSIOp::create(rewriter, loc, grow, two),
          arith::SubIOp::create(
              rewriter, loc, zero,
              arith::DivSIOp::create(rewriter, loc, shrink, two)));
      pads[axis] = begin;
      pads[axis + rank] = arith::SubIOp::create(rewriter, loc, grow, begin);
    }
    rewriter.replaceOp(
        op, padByGather(rewriter, loc, data, type, "constant", pads,
                        scalarConstant(rewriter, loc, type.getElementType(), 0)));
    return success();
  }
};

/// Tile with repeats or dims only known at run time: each output dim is
/// dim * max(repeats, 0), and output index i reads input index i mod dim.
Value runTimeTile(OpBuilder &b, Location loc, qc::TileOp op) {
  Value input = op.getInput();
  auto type = cast<RankedTensorType>(op.getType());
  int64_t rank = type.getRank();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> dims = dimSizes(b, loc, input), sizes;
  for (int64_t d = 0; d < rank; ++d) {
    Value repeats = arith::MaxSIOp::create(
        b, loc, indexElement(b, loc, op.getRepeats(), d), zero);
    sizes.push_back(arith::MulIOp::create(b, loc, dims[d], repeats));
  }
  return buildGatherFrom(
      b, loc, type, sizes, input,
      [&](OpBuilder &nb, Location l, ArrayRef<Value> coords) {
        SmallVector<Value> src;
        for (auto [d, i] : llvm::enumerate(coords))
          src.push_back(arith::RemSIOp::create(nb, l, i, dims[d]));
        return src;
      });
}

/// Tile broadcasts the input to [r0, d0, r1, d1, ...] and collapses each
/// pair: no index arithmetic.
struct TileLowering : OpRewritePattern<qc::TileOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::TileOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    auto inType = cast<RankedTensorType>(op.getInput().getType());
    if (!type.hasStaticShape() || !inType.hasStaticShape()) {
      rewriter.replaceOp(op, runTimeTile(rewriter, loc, op));
      return success();
    }
    SmallVector<int64_t> wide, added;
    SmallVector<ReassociationIndices> pairs;
    for (int64_t d = 0; d < inType.getRank(); ++d) {
      int64_t repeats = inType.getDimSize(d) == 0
                            ? 0
                            : type.getDimSize(d) / inType.getDimSize(d);
      added.push_back(2 * d);
      wide.append({repeats, inType.getDimSize(d)});
      pairs.push_back({2 * d, 2 * d + 1});
    }
    if (inType.getRank() == 0) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    if (type.getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, type.getShape(),
                                                   type.getElementType());
      return success();
    }
    Value init =
        tensor::EmptyOp::create(rewriter, loc, wide, type.getElementType());
    Value broadcast =
        linalg::BroadcastOp::create(rewriter, loc, op.getInput(), init, added)
            .getResult()[0];
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, type, broadcast,
                                                         pairs);
    return success();
  }
};

struct ExpandLowering : OpRewritePattern<qc::ExpandOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ExpandOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(op.getType());
    Value input = op.getInput();
    auto inType = cast<RankedTensorType>(input.getType());
    // A run-time dim of the result: the requested size, or the input's where
    // the request is 1 (dims aligned from the right, as in broadcasting).
    int64_t rank = type.getRank(), inRank = inType.getRank();
    int64_t shapeLength =
        cast<RankedTensorType>(op.getShape().getType()).getDimSize(0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value init = tensor::EmptyOp::create(
        rewriter, loc, type, dynamicSizes(type, [&](int64_t i) -> Value {
          int64_t ti = i - (rank - shapeLength), ii = i - (rank - inRank);
          if (ti < 0)
            return dimSize(rewriter, loc, input, ii);
          Value t = indexElement(rewriter, loc, op.getShape(), ti);
          if (ii < 0)
            return t;
          Value isOne = arith::CmpIOp::create(
              rewriter, loc, arith::CmpIPredicate::eq, t, one);
          return arith::SelectOp::create(rewriter, loc, isOne,
                                         dimSize(rewriter, loc, input, ii), t);
        }));
    rewriter.replaceOp(op, buildElementwiseInto(
                               rewriter, loc, init, input,
                               broadcastMap(inType, type.getShape()),
                               [](OpBuilder &, Location, ValueRange args) {
                                 return args[0];
                               }));
    return success();
  }
};

/// DepthToSpace and SpaceToDepth: reshape to 6-D, transpose, reshape back.
Value blockShuffle(OpBuilder &b, Location loc, Value input,
                   ArrayRef<int64_t> sixD, ArrayRef<int64_t> perm,
                   RankedTensorType resultType) {
  Type et = resultType.getElementType();
  Value six = reshapeStatic(b, loc, input, RankedTensorType::get(sixD, et));
  SmallVector<int64_t> permuted;
  for (int64_t p : perm)
    permuted.push_back(sixD[p]);
  Value init = tensor::EmptyOp::create(b, loc, permuted, et);
  Value t = linalg::TransposeOp::create(b, loc, six, init, perm).getResult()[0];
  return reshapeStatic(b, loc, t, resultType);
}

struct DepthToSpaceLowering : OpRewritePattern<qc::DepthToSpaceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::DepthToSpaceOp op,
                                PatternRewriter &rewriter) const override {
    auto s = cast<RankedTensorType>(op.getInput().getType()).getShape();
    int64_t bs = op.getBlocksize(), c = s[1] / (bs * bs);
    bool dcr = op.getMode() == "DCR";
    SmallVector<int64_t> sixD =
        dcr ? SmallVector<int64_t>{s[0], bs, bs, c, s[2], s[3]}
            : SmallVector<int64_t>{s[0], c, bs, bs, s[2], s[3]};
    SmallVector<int64_t> perm = dcr ? SmallVector<int64_t>{0, 3, 4, 1, 5, 2}
                                    : SmallVector<int64_t>{0, 1, 4, 2, 5, 3};
    rewriter.replaceOp(op, blockShuffle(rewriter, op.getLoc(), op.getInput(),
                                        sixD, perm,
                                        cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct SpaceToDepthLowering : OpRewritePattern<qc::SpaceToDepthOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::SpaceToDepthOp op,
                                PatternRewriter &rewriter) const override {
    auto s = cast<RankedTensorType>(op.getInput().getType()).getShape();
    int64_t bs = op.getBlocksize();
    SmallVector<int64_t> sixD{s[0], s[1], s[2] / bs, bs, s[3] / bs, bs};
    SmallVector<int64_t> perm = op.getMode() == "DCR"
                                    ? SmallVector<int64_t>{0, 3, 5, 1, 2, 4}
                                    : SmallVector<int64_t>{0, 1, 3, 5, 2, 4};
    rewriter.replaceOp(op, blockShuffle(rewriter, op.getLoc(), op.getInput(),
                                        sixD, perm,
                                        cast<RankedTensorType>(op.getType())));
    return success();
  }
};

} // namespace

void quantc::populateSliceAndPadPatterns(RewritePatternSet &patterns) {
  patterns.add<SliceLowering, SplitLowering, PadLowering, CenterCropPadLowering,
               TileLowering, ExpandLowering, DepthToSpaceLowering,
               SpaceToDepthLowering>(patterns.getContext());
}
