//===- ReciprocalDivisors.cpp - qc-reciprocal-divisors --------------------===//
//
// A vector division costs some six times a multiplication on the x86 cores
// we run on, and the elementwise loops divide where a multiplication by a
// reciprocal computed once would do: GELU by sqrt(2), attention's scores by
// sqrt(head size), softmax by each row's sum, LayerNorm by each row's
// standard deviation (with a sqrt per element besides). So, in the body of
// a linalg.generic on tensors:
//
// - x / c, c a constant whose reciprocal is a normal f32, becomes x * (1/c);
// - x / d, d computed only from inputs that do not vary along the
//   generic's innermost loop (all loops parallel), becomes x * r with r an
//   extra input: 1/d, computed by a new generic over the other loops (one
//   value per row). The loads and arithmetic of d leave the inner loop,
//   which LLVM could not hoist itself: the arena's buffers are views of one
//   allocation, so it cannot tell that the output does not overwrite them.
//
// x * (1/d) rounds twice where x / d rounds once: the results differ by at
// most an ulp or so, as a fast-math reciprocal does; the e2e tests compare
// against onnxruntime with tolerances well above that. A divisor below
// 2^-126 in magnitude (subnormal) can have an infinite reciprocal, where
// x / d is finite: a constant one is left as a division, and a row's is
// scaled first, x / d = (x * s) * (1 / (d * s)) with s = 2^64 for such a d
// and 1 otherwise (x * s is exact, or overflows where x / d does too). The
// patterns this is for never meet one (sums of exponentials are at least
// 1, deviations at least sqrt(epsilon)), but an op's other inputs may; the
// multiply by s costs one multiply per element, in loops bound by memory
// anyway (no change measured on MiniLM).
//
//===----------------------------------------------------------------------===//
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <limits>

namespace quantc {
#define GEN_PASS_DEF_QCRECIPROCALDIVISORS
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// The reciprocal of `c` when it is a normal f32 (so is c then, nearly).
std::optional<float> normalReciprocal(const APFloat &c) {
  float r = 1.0f / c.convertToFloat();
  if (!std::isnormal(r))
    return std::nullopt;
  return r;
}

/// x / c with c a constant: x * (1/c).
struct ConstantDivisor : OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::DivFOp div,
                                PatternRewriter &rewriter) const override {
    if (!div.getType().isF32() || !isa<linalg::GenericOp>(div->getParentOp()))
      return failure();
    APFloat c(0.0f);
    if (!matchPattern(div.getRhs(), m_ConstantFloat(&c)))
      return failure();
    std::optional<float> r = normalReciprocal(c);
    if (!r)
      return failure();
    // 1 / c is exact for a power of two: LLVM already multiplies there.
    Value reciprocal = arith::ConstantOp::create(rewriter, div.getLoc(),
                                                 rewriter.getF32FloatAttr(*r));
    rewriter.replaceOpWithNewOp<arith::MulFOp>(div, div.getLhs(), reciprocal,
                                               div.getFastmathAttr());
    return success();
  }
};

/// What a value of a generic's body is computed from: the body's ops, in
/// body order, and the inputs' argument numbers, in order.
struct Slice {
  SmallVector<Operation *> ops;
  SmallVector<unsigned> inputArgs;
};

/// The slice `v` is computed from, when every block argument among its
/// sources is an input read the same along the innermost loop (at least
/// one): then v is one value per row. Null when not.
std::optional<Slice> rowInvariantSlice(linalg::GenericOp op, Value v) {
  Block *body = op.getBody();
  unsigned innermost = op.getNumLoops() - 1;
  Slice slice;
  SmallVector<Value> work{v};
  llvm::SmallPtrSet<Operation *, 8> seen;
  while (!work.empty()) {
    Value value = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      if (arg.getOwner() != body)
        continue; // defined above the generic
      if (arg.getArgNumber() >= op.getNumDpsInputs())
        return std::nullopt; // the output's value
      AffineMap map =
          op.getMatchingIndexingMap(op.getDpsInputOperand(arg.getArgNumber()));
      if (map.isFunctionOfDim(innermost))
        return std::nullopt;
      if (!llvm::is_contained(slice.inputArgs, arg.getArgNumber()))
        slice.inputArgs.push_back(arg.getArgNumber());
      continue;
    }
    Operation *def = value.getDefiningOp();
    if (def->getBlock() != body || !seen.insert(def).second)
      continue;
    if (!isPure(def) || def->getNumRegions() || isa<linalg::IndexOp>(def))
      return std::nullopt;
    slice.ops.push_back(def);
    llvm::append_range(work, def->getOperands());
  }
  // A divisor from constants alone is ConstantDivisor's (or canonicalized).
  if (slice.inputArgs.empty())
    return std::nullopt;
  llvm::sort(slice.ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  llvm::sort(slice.inputArgs);
  return slice;
}

/// x / d with d one value per row of an all-parallel generic: d's
/// reciprocal computed by a generic over the outer loops, with the scale s
/// that keeps it finite (see the top of the file), both read by the
/// original as extra inputs.
struct RowInvariantDivisor : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    unsigned loops = op.getNumLoops();
    if (!op.hasPureTensorSemantics() || loops < 2 ||
        op.getNumParallelLoops() != loops)
      return failure();
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    if (ranges.back() == 1)
      return failure(); // one element per row: nothing to hoist
    arith::DivFOp div;
    std::optional<Slice> slice;
    op.getBody()->walk([&](arith::DivFOp candidate) {
      if (div || !candidate.getType().isF32())
        return;
      slice = rowInvariantSlice(op, candidate.getRhs());
      if (slice)
        div = candidate;
    });
    if (!div)
      return failure();

    // The scales and reciprocals: a generic over loops 0 .. n-2, reading
    // the inputs the slice reads through the same maps (none uses the last
    // loop).
    Location loc = op.getLoc();
    MLIRContext *ctx = getContext();
    SmallVector<OpFoldResult> sizes;
    {
      SmallVector<Range, 4> loopRanges =
          cast<linalg::LinalgOp>(op.getOperation())
              .createLoopRanges(rewriter, loc);
      for (unsigned d = 0; d + 1 < loops; ++d)
        sizes.push_back(loopRanges[d].size);
    }
    // One buffer each: outputs that share an init would share a buffer.
    auto empty = [&] {
      return tensor::EmptyOp::create(rewriter, loc, sizes,
                                     rewriter.getF32Type());
    };
    Value init = empty();
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    Block *body = op.getBody();
    for (unsigned arg : slice->inputArgs) {
      OpOperand *input = op.getDpsInputOperand(arg);
      AffineMap map = op.getMatchingIndexingMap(input);
      inputs.push_back(input->get());
      maps.push_back(AffineMap::get(loops - 1, 0, map.getResults(), ctx));
    }
    AffineMap perRow = rewriter.getMultiDimIdentityMap(loops - 1);
    maps.append({perRow, perRow});
    SmallVector<utils::IteratorType> parallel(loops - 1,
                                              utils::IteratorType::parallel);
    auto rows = linalg::GenericOp::create(
        rewriter, loc, TypeRange{init.getType(), init.getType()}, inputs,
        ValueRange{init, empty()}, maps, parallel,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          IRMapping mapping;
          for (auto [i, arg] : llvm::enumerate(slice->inputArgs))
            mapping.map(body->getArgument(arg), args[i]);
          for (Operation *sliceOp : slice->ops)
            b.clone(*sliceOp, mapping);
          auto f32 = [&](float v) -> Value {
            return arith::ConstantOp::create(b, bodyLoc, b.getF32FloatAttr(v));
          };
          Value d = mapping.lookupOrDefault(div.getRhs());
          Value tiny =
              arith::CmpFOp::create(b, bodyLoc, arith::CmpFPredicate::OLT,
                                    math::AbsFOp::create(b, bodyLoc, d),
                                    f32(std::numeric_limits<float>::min()));
          Value scale =
              arith::SelectOp::create(b, bodyLoc, tiny, f32(0x1p64f), f32(1));
          Value r = arith::DivFOp::create(
              b, bodyLoc, f32(1), arith::MulFOp::create(b, bodyLoc, d, scale));
          linalg::YieldOp::create(b, bodyLoc, ValueRange{scale, r});
        });

    // The original, with the scales and reciprocals as its last inputs,
    // read per row.
    SmallVector<Value> newInputs(op.getDpsInputs());
    llvm::append_range(newInputs, rows.getResults());
    SmallVector<AffineMap> newMaps = op.getIndexingMapsArray();
    AffineMap readPerRow =
        rewriter.getMultiDimIdentityMap(loops).dropResult(loops - 1);
    newMaps.insert(newMaps.begin() + op.getNumDpsInputs(), 2, readPerRow);
    auto replacement = linalg::GenericOp::create(
        rewriter, loc, op.getResultTypes(), newInputs, op.getDpsInits(),
        newMaps, op.getIteratorTypesArray());
    rewriter.inlineRegionBefore(op.getRegion(), replacement.getRegion(),
                                replacement.getRegion().end());
    Block *newBody = replacement.getBody();
    unsigned at = op.getNumDpsInputs();
    BlockArgument scale =
        newBody->insertArgument(at, rewriter.getF32Type(), loc);
    BlockArgument r =
        newBody->insertArgument(at + 1, rewriter.getF32Type(), loc);
    rewriter.setInsertionPoint(div);
    Value scaled = arith::MulFOp::create(rewriter, div.getLoc(), div.getLhs(),
                                         scale, div.getFastmathAttr());
    rewriter.replaceOpWithNewOp<arith::MulFOp>(div, scaled, r,
                                               div.getFastmathAttr());
    rewriter.replaceOp(op, replacement.getResults());
    return success();
  }
};

struct ReciprocalDivisors
    : quantc::impl::QcReciprocalDivisorsBase<ReciprocalDivisors> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ConstantDivisor, RowInvariantDivisor>(&getContext());
    // The inputs only the divisors read, now unread.
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
