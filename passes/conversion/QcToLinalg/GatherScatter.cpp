//===- GatherScatter.cpp - GatherElements, GatherND, Scatter*, NonZero ----===//
//
// Gathers are a linalg.generic over the output that reads the data with
// tensor.extract at the index it loads. Scatters write where their indices
// say, several updates may hit one element and each sees the previous one
// (reductions, or the last write wins), so they are a sequential scf.for nest
// over the updates that threads the output tensor through tensor.insert.
// NonZero writes where a running count says, the same kind of loop nest.
// Every index is normalized and clamped (clampedIndex): a bad index never
// touches memory outside the tensor.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace quantc;

namespace {

SmallVector<Value> loopIndices(OpBuilder &b, Location loc, int64_t rank) {
  SmallVector<Value> coords;
  for (int64_t d = 0; d < rank; ++d)
    coords.push_back(linalg::IndexOp::create(b, loc, d));
  return coords;
}

struct GatherElementsLowering : OpRewritePattern<qc::GatherElementsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GatherElementsOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    int64_t axis = *qc::normalizeAxis(op.getAxis(), dataType.getRank());
    Value data = op.getData();
    rewriter.replaceOp(
        op, buildElementwiseWithMaps(
                rewriter, op.getLoc(), type, op.getIndices(),
                rewriter.getMultiDimIdentityMap(type.getRank()),
                [&](OpBuilder &b, Location l, ValueRange args) {
                  SmallVector<Value> coords = loopIndices(b, l, type.getRank());
                  coords[axis] =
                      clampedIndex(b, l, args[0], dataType.getDimSize(axis));
                  return Value(tensor::ExtractOp::create(b, l, data, coords));
                }));
    return success();
  }
};

/// output[o_0..o_{q-2}, rest...] = data[o_0..o_{b-1}, indices[o_0..o_{q-2}, :],
/// rest...] with b = batch_dims.
struct GatherNDLowering : OpRewritePattern<qc::GatherNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::GatherNDOp op,
                                PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op.getType());
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t q = indicesType.getRank(), b = op.getBatchDims();
    int64_t m = indicesType.getDimSize(q - 1);
    Value data = op.getData(), indices = op.getIndices();
    rewriter.replaceOp(
        op, buildElementwiseWithMaps(
                rewriter, op.getLoc(), type, {}, {},
                [&](OpBuilder &nb, Location l, ValueRange) {
                  SmallVector<Value> out = loopIndices(nb, l, type.getRank());
                  SmallVector<Value> at(out.begin(), out.begin() + q - 1);
                  at.push_back(Value());
                  SmallVector<Value> coords(out.begin(), out.begin() + b);
                  for (int64_t k = 0; k < m; ++k) {
                    at.back() = arith::ConstantIndexOp::create(nb, l, k);
                    Value idx = tensor::ExtractOp::create(nb, l, indices, at);
                    coords.push_back(
                        clampedIndex(nb, l, idx, dataType.getDimSize(b + k)));
                  }
                  coords.append(out.begin() + q - 1, out.end());
                  return Value(tensor::ExtractOp::create(nb, l, data, coords));
                }));
    return success();
  }
};

/// Combines the current element with an update as `reduction` says.
Value combine(OpBuilder &b, Location loc, StringRef reduction, Value current,
              Value update);

/// acc[coords] = update, or combined with acc[coords] for a reduction;
/// returns the updated tensor.
Value scatterElement(OpBuilder &b, Location loc, StringRef reduction, Value acc,
                     ArrayRef<Value> coords, Value update) {
  if (reduction != "none")
    update = combine(b, loc, reduction, tensor::ExtractOp::create(b, loc, acc, coords),
                     update);
  return tensor::InsertOp::create(b, loc, update, acc, coords);
}

Value combine(OpBuilder &b, Location loc, StringRef reduction, Value current,
              Value update) {
  bool isFloat = isa<FloatType>(update.getType());
  if (reduction == "add")
    return isFloat ? Value(arith::AddFOp::create(b, loc, current, update))
                   : Value(arith::AddIOp::create(b, loc, current, update));
  if (reduction == "mul")
    return isFloat ? Value(arith::MulFOp::create(b, loc, current, update))
                   : Value(arith::MulIOp::create(b, loc, current, update));
  if (reduction == "max")
    return isFloat ? Value(arith::MaximumFOp::create(b, loc, current, update))
                   : Value(arith::MaxSIOp::create(b, loc, current, update));
  if (reduction == "min")
    return isFloat ? Value(arith::MinimumFOp::create(b, loc, current, update))
                   : Value(arith::MinSIOp::create(b, loc, current, update));
  return update;
}

/// A sequential loop nest over `shape` that threads `init` through `body`,
/// which returns the updated tensor.
Value scatterLoop(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  Value init,
                  function_ref<Value(OpBuilder &, Location, ValueRange, Value)>
                      body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d : shape) {
    lbs.push_back(arith::ConstantIndexOp::create(b, loc, 0));
    ubs.push_back(arith::ConstantIndexOp::create(b, loc, d));
    steps.push_back(arith::ConstantIndexOp::create(b, loc, 1));
  }
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, ValueRange{init},
      [&](OpBuilder &nb, Location l, ValueRange ivs, ValueRange args) {
        return scf::ValueVector{body(nb, l, ivs, args[0])};
      });
  return nest.results.front();
}

template <typename OpTy>
struct ScatterElementsLowering : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t axis = *qc::normalizeAxis(op.getAxis(), dataType.getRank());
    StringRef reduction = "none";
    if constexpr (std::is_same_v<OpTy, qc::ScatterElementsOp>)
      reduction = op.getReduction();
    Value indices = op.getIndices(), updates = op.getUpdates();
    Value result = scatterLoop(
        rewriter, op.getLoc(), indicesType.getShape(), op.getData(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value acc) {
          SmallVector<Value> coords(ivs);
          coords[axis] =
              clampedIndex(b, l, tensor::ExtractOp::create(b, l, indices, ivs),
                           dataType.getDimSize(axis));
          return scatterElement(b, l, reduction, acc, coords,
                                tensor::ExtractOp::create(b, l, updates, ivs));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// For every index tuple indices[i..., :] and every position j... of the
/// slice it names: data[indices[i..., :], j...] = updates[i..., j...].
struct ScatterNDLowering : OpRewritePattern<qc::ScatterNDOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::ScatterNDOp op,
                                PatternRewriter &rewriter) const override {
    auto dataType = cast<RankedTensorType>(op.getData().getType());
    auto updatesType = cast<RankedTensorType>(op.getUpdates().getType());
    auto indicesType = cast<RankedTensorType>(op.getIndices().getType());
    int64_t q = indicesType.getRank(), m = indicesType.getDimSize(q - 1);
    StringRef reduction = op.getReduction();
    Value indices = op.getIndices(), updates = op.getUpdates();
    Value result = scatterLoop(
        rewriter, op.getLoc(), updatesType.getShape(), op.getData(),
        [&](OpBuilder &b, Location l, ValueRange ivs, Value acc) {
          SmallVector<Value> at(ivs.take_front(q - 1));
          at.push_back(Value());
          SmallVector<Value> coords;
          for (int64_t k = 0; k < m; ++k) {
            at.back() = arith::ConstantIndexOp::create(b, l, k);
            coords.push_back(
                clampedIndex(b, l, tensor::ExtractOp::create(b, l, indices, at),
                             dataType.getDimSize(k)));
          }
          llvm::append_range(coords, ivs.drop_front(q - 1));
          return scatterElement(b, l, reduction, acc, coords,
                                tensor::ExtractOp::create(b, l, updates, ivs));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// NonZero: the non-zero elements are counted first (a linalg reduction),
/// which sizes the rank x count result; then a sequential scf.for nest over
/// X, in row-major order, writes the coordinates of each non-zero element
/// into column `pos` and carries pos. The nest tests the very elements the
/// count counted, so pos stays below count: no write can leave the result.
/// A nest rather than one loop over the flat index gives the coordinates
/// without a division per element, and takes run-time dims from tensor.dim.
struct NonZeroLowering : OpRewritePattern<qc::NonZeroOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::NonZeroOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getX();
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    Type i64 = rewriter.getI64Type();
    // Cast-to-bool semantics: NaN is non-zero, -0.0 is zero.
    auto nonZero = [](OpBuilder &b, Location l, Value v) {
      return convertScalar(b, l, v, b.getI1Type());
    };

    Value zero64 = arith::ConstantIntOp::create(rewriter, loc, 0, 64);
    Value countInit = filledTensor(rewriter, loc, RankedTensorType::get({}, i64),
                                   zero64);
    SmallVector<AffineMap> maps{
        rewriter.getMultiDimIdentityMap(rank),
        AffineMap::get(rank, 0, {}, rewriter.getContext())};
    auto count = linalg::GenericOp::create(
        rewriter, loc, TypeRange{countInit.getType()}, ValueRange{x},
        ValueRange{countInit}, maps,
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::reduction),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value one = arith::ExtUIOp::create(b, l, i64, nonZero(b, l, args[0]));
          linalg::YieldOp::create(
              b, l, ValueRange{arith::AddIOp::create(b, l, args[1], one)});
        });
    Value n = arith::IndexCastOp::create(
        rewriter, loc, rewriter.getIndexType(),
        tensor::ExtractOp::create(rewriter, loc, count.getResult(0),
                                  ValueRange{}));
    auto type = cast<RankedTensorType>(op.getType());
    Value result = tensor::EmptyOp::create(rewriter, loc, type, ValueRange{n});
    if (rank == 0) { // 0 x nnz: nothing to write
      rewriter.replaceOp(op, result);
      return success();
    }

    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    SmallVector<Value> lbs(rank, zero), steps(rank, one);
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lbs, dimSizes(rewriter, loc, x), steps,
        ValueRange{zero, result},
        [&](OpBuilder &b, Location l, ValueRange ivs, ValueRange args) {
          Value v = tensor::ExtractOp::create(b, l, x, ivs);
          auto ifOp = scf::IfOp::create(
              b, l, nonZero(b, l, v),
              [&](OpBuilder &tb, Location tl) {
                Value pos = args[0], t = args[1];
                for (int64_t d = 0; d < rank; ++d)
                  t = tensor::InsertOp::create(
                      tb, tl,
                      arith::IndexCastOp::create(tb, tl, i64, ivs[d]), t,
                      ValueRange{arith::ConstantIndexOp::create(tb, tl, d),
                                 pos});
                scf::YieldOp::create(
                    tb, tl,
                    ValueRange{arith::AddIOp::create(tb, tl, pos, one), t});
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, args);
              });
          return scf::ValueVector(ifOp.getResults().begin(),
                                  ifOp.getResults().end());
        });
    rewriter.replaceOp(op, nest.results[1]);
    return success();
  }
};

} // namespace

void quantc::populateGatherScatterPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherElementsLowering, GatherNDLowering,
               ScatterElementsLowering<qc::ScatterElementsOp>,
               ScatterElementsLowering<qc::ScatterOp>, ScatterNDLowering,
               NonZeroLowering>(
      patterns.getContext());
}
