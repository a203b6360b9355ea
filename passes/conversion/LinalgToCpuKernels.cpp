//===- LinalgToCpuKernels.cpp - qc-linalg-to-cpu-kernels ------------------===//
//
// The runtime carries a blocked, packed, threaded GEMM with an AVX-512,
// AVX2 or generic register-tile micro-kernel chosen at load time
// (runtime/src/kernels). This pass hands it the model's f32 contractions and
// 2-D convolutions, on memrefs after bufferization, as calls:
//
// - any linalg op whose body is a multiply-accumulate over one reduction dim
//   (linalg.generic from MatMul/Gemm, linalg.matmul, batch_matmul, ...):
//   the innermost M and N dims and the K dim make one GEMM, the innermost
//   batch dim (one every operand has) makes it a batched call; every other
//   parallel dim (outer batch, M or N dims) becomes an scf.for around the
//   call, and each operand is a rank-reduced subview, transposed to
//   ([batch,] M, K), ([batch,] K, N), ([batch,] M, N) where its map has the
//   dims in another order. No data
//   moves: the kernel takes strides. The operands are swapped (C^T = B^T A^T)
//   when that makes the output's innermost dim N.
// - linalg.conv_2d_nchw_fchw: one call (an implicit GEMM per image).
// - linalg.conv_2d_ngchw_gfchw: one call per group, on the group's subviews.
// - linalg.depthwise_conv_2d_nchw_chw: one call (a direct kernel, one task
//   per channel plane: too few multiply-adds per output for a GEMM).
// - linalg.softmax along the last dim: one call of the row kernel, which
//   keeps each row in cache (SoftmaxToKernelCall).
// - the int8 contraction of MatMulInteger and QLinearMatMul: one call of
//   the int8 GEMM (Int8KernelCalls.cpp).
// - a MatMul whose B is 4-bit weights dequantized on every run
//   (--quantize=w4): one call of the w4 GEMM on the 4-bit constants
//   (Int4WeightCalls.cpp).
//
// The kernels accumulate into the output buffer, which bufferization has
// already filled with the op's init (zeros or the broadcast bias), except
// where that init is only zeros: a GEMM call then writes the output from
// zeros itself (its `overwrite` flag), and the fill, or the copy of zeros
// that bufferization makes where several ops share one zero tensor, goes
// (initBefore, shared with the int8 kernels). A convolution's bias broadcast is
// taken into the call instead: the kernel starts its sums from the bias and
// writes the output, so the output is not written once more before the
// convolution and read back. Likewise a Relu or Clip right after it: the kernel
// clamps as it stores; and when that Relu or Clip (or a plain copy) writes the
// interior of the next convolution's padded input, the kernel stores there
// itself. Ops of other types, with broadcast (constant) indices, or a
// contraction without an M or N dim (matrix-vector) are left for the loop
// lowering.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"
#include "passes/conversion/CpuKernelCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCLINALGTOCPUKERNELS
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc::cpu_kernels;

namespace {

bool allF32(Operation *op) {
  for (Type t : op->getOperandTypes()) {
    auto memref = dyn_cast<MemRefType>(t);
    if (!memref || !memref.getElementType().isF32())
      return false;
  }
  return true;
}

/// One operand of the GEMM: the subview of `source` at the current values of
/// the loop dims (the induction variables in `loopIvs`, keyed by loop dim),
/// keeping the two GEMM dims `rowDim` and `colDim` in that order.
Value gemmView(OpBuilder &b, Location loc, Value source, AffineMap map,
               unsigned rowDim, unsigned colDim,
               const DenseMap<unsigned, Value> &loopIvs,
               std::optional<unsigned> batchDim = std::nullopt) {
  SmallVector<Value> fixed;
  // The kept dims in the view's order, and the order wanted.
  SmallVector<unsigned> kept;
  for (AffineExpr expr : map.getResults()) {
    unsigned dim = cast<AffineDimExpr>(expr).getPosition();
    bool keep = dim == rowDim || dim == colDim || dim == batchDim;
    fixed.push_back(keep ? Value() : loopIvs.lookup(dim));
    if (keep)
      kept.push_back(dim);
  }
  SmallVector<unsigned> wanted;
  if (batchDim)
    wanted.push_back(*batchDim);
  wanted.append({rowDim, colDim});
  Value view = dropFixedDims(b, loc, source, fixed);
  // The permutation that puts the view's dims in the wanted order.
  SmallVector<unsigned> perm;
  for (unsigned dim : wanted)
    perm.push_back(llvm::find(kept, dim) - kept.begin());
  if (!llvm::equal(perm, llvm::seq<unsigned>(0, perm.size()))) {
    auto permutation = AffineMapAttr::get(
        AffineMap::getPermutationMap(perm, b.getContext()));
    view = memref::TransposeOp::create(b, loc, view, permutation);
  }
  return castToAnyStrided(b, loc, view);
}

/// The dim of `dims` that comes last in `outMap`'s results: the innermost
/// one, whose rows or columns are closest in memory. Dims of size 1
/// (`loopSizes`) only when all are: a MatMul of [197, 1, 768] by a matrix
/// (ViT's attention input, sequence first) is 197 rows, not 197 GEMMs of
/// one row each.
unsigned innermost(ArrayRef<unsigned> dims, AffineMap outMap,
                   ArrayRef<int64_t> loopSizes) {
  bool anyWide =
      llvm::any_of(dims, [&](unsigned d) { return loopSizes[d] != 1; });
  unsigned best = dims.front();
  int64_t bestPos = -1;
  for (unsigned d : dims) {
    if (anyWide && loopSizes[d] == 1)
      continue;
    if (auto pos = outMap.getResultPosition(getAffineDimExpr(d, outMap.getContext()));
        pos && int64_t(*pos) > bestPos) {
      bestPos = *pos;
      best = d;
    }
  }
  return best;
}

struct ContractionToGemmCall
    : OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInputs() != 2 ||
        op.getNumDpsInits() != 1 || !allF32(op) ||
        !linalg::isaContractionOpInterface(op))
      return failure();
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    for (AffineMap map : maps)
      if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
        return failure();
    FailureOr<linalg::ContractionDimensions> dims =
        linalg::inferContractionDims(op);
    if (failed(dims) || dims->m.empty() || dims->n.empty() ||
        dims->k.size() != 1)
      return failure();
    AffineMap outMap = maps[2];
    // C = A * B or, the other way round, C^T = B^T * A^T: whichever makes
    // the output's innermost dim the GEMM's N, so that C's rows are
    // contiguous (the kernel writes whole register tiles in place). A
    // ConvTranspose tap, Y[m, pixels] = sum_c X[c, pixels] * W[c, m], is the
    // second kind.
    Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
    AffineMap lhsMap = maps[0], rhsMap = maps[1];
    SmallVector<unsigned> mDims(dims->m.begin(), dims->m.end()),
        nDims(dims->n.begin(), dims->n.end());
    unsigned outInnermost =
        cast<AffineDimExpr>(outMap.getResults().back()).getPosition();
    if (llvm::is_contained(mDims, outInnermost)) {
      std::swap(lhs, rhs);
      std::swap(lhsMap, rhsMap);
      std::swap(mDims, nDims);
    }
    SmallVector<int64_t> loopSizes = op.getStaticLoopRanges();
    unsigned mDim = innermost(mDims, outMap, loopSizes),
             nDim = innermost(nDims, outMap, loopSizes);
    unsigned kDim = dims->k.front();
    // The innermost batch dim (in all three operands: attention's heads)
    // goes to the batched kernel, which shares whole products among the
    // threads when there are enough of them: each of MiniLM's 12 heads is a
    // 128 x 128 x 32 product, too small to split.
    std::optional<unsigned> batchDim;
    if (!dims->batch.empty())
      batchDim = innermost(
          SmallVector<unsigned>(dims->batch.begin(), dims->batch.end()), outMap,
          loopSizes);

    // A B of 4-bit weights (int4WeightSource) goes to the w4 GEMM whole:
    // its bytes, scales and zero points as [K, N/2] and [groups, N].
    Location loc = op.getLoc();
    std::optional<Int4WeightSource> int4;
    if (!batchDim && rhsMap.getNumResults() == 2 &&
        rhsMap.getDimPosition(0) == kDim && rhsMap.getDimPosition(1) == nDim)
      int4 = int4WeightSource(rhs, op);
    SmallVector<Value> int4Operands;
    if (int4)
      for (Value v : {int4->bytes, int4->scales, int4->zeros})
        int4Operands.push_back(
            castToAnyStrided(rewriter, loc,
                             memref::CollapseShapeOp::create(
                                 rewriter, loc, v,
                                 ArrayRef<ReassociationIndices>{{0}, {1, 2}})));

    // An output only zeroed before (a fill, or a copy of shared zeros;
    // initBefore) is written by the kernel from zeros instead, and the
    // fill or copy goes: it was a whole extra pass over the output.
    Value out = op.getDpsInits()[0];
    std::optional<KernelWrittenInit> init =
        initBefore(op, out, rewriter.getF32Type());
    bool overwrite = init && !init->bias;
    Value overwriteFlag =
        arith::ConstantIntOp::create(rewriter, loc, overwrite ? 1 : 0, 64);

    // Loops over every other (parallel) dim, bounded by the output's size.
    DenseMap<unsigned, Value> loopIvs;
    OpBuilder::InsertionGuard guard(rewriter);
    for (auto [pos, expr] : llvm::enumerate(outMap.getResults())) {
      unsigned dim = cast<AffineDimExpr>(expr).getPosition();
      if (dim == mDim || dim == nDim || dim == batchDim)
        continue;
      Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
      Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
      Value upper = memref::DimOp::create(rewriter, loc, out, pos);
      auto loop = scf::ForOp::create(rewriter, loc, zero, upper, one);
      rewriter.setInsertionPointToStart(loop.getBody());
      loopIvs[dim] = loop.getInductionVar();
    }
    Value a =
        gemmView(rewriter, loc, lhs, lhsMap, mDim, kDim, loopIvs, batchDim);
    auto module = op->getParentOfType<ModuleOp>();
    if (int4) {
      Value c =
          gemmView(rewriter, loc, out, outMap, mDim, nDim, loopIvs, batchDim);
      Type f32 = rewriter.getF32Type(), i8 = rewriter.getI8Type();
      func::FuncOp kernel = kernelDeclaration(
          module, kMatmulW4, {2, 2, 2, 2, 2}, 2, {f32, i8, f32, i8, f32});
      Value group =
          arith::ConstantIntOp::create(rewriter, loc, int4->group, 64);
      func::CallOp::create(rewriter, loc, kernel,
                           ValueRange{a, int4Operands[0], int4Operands[1],
                                      int4Operands[2], c, group,
                                      overwriteFlag});
      Operation *after = op->getPrevNode();
      rewriter.eraseOp(op);
      eraseIfUnread(rewriter, *int4, after);
      eraseZerosWriter(rewriter, init);
      return success();
    }
    Value b =
        gemmView(rewriter, loc, rhs, rhsMap, kDim, nDim, loopIvs, batchDim);
    Value c =
        gemmView(rewriter, loc, out, outMap, mDim, nDim, loopIvs, batchDim);
    int64_t rank = batchDim ? 3 : 2;
    func::FuncOp kernel = kernelDeclaration(
        module, batchDim ? kBatchMatmul : kMatmul, {rank, rank, rank}, 1);
    func::CallOp::create(rewriter, loc, kernel,
                         ValueRange{a, b, c, overwriteFlag});
    rewriter.eraseOp(op);
    eraseZerosWriter(rewriter, init);
    return success();
  }
};

SmallVector<Value> convScalars(OpBuilder &b, Location loc,
                               DenseIntElementsAttr strides,
                               DenseIntElementsAttr dilations) {
  SmallVector<Value> scalars;
  for (DenseIntElementsAttr attr : {strides, dilations})
    for (APInt v : attr.getValues<APInt>())
      scalars.push_back(
          arith::ConstantIntOp::create(b, loc, v.getSExtValue(), 64));
  return scalars;
}

/// An empty f32 memref: a convolution call's "no bias" or "no clamp".
Value noValues(OpBuilder &b, Location loc) {
  return emptyKernelArgument(b, loc, b.getF32Type());
}

/// The bias argument of a convolution call: the bias broadcast that
/// initialized `out`, which the kernel then writes itself (and which is
/// erased), else an empty memref (the kernel adds to what `out` holds).
Value convBias(PatternRewriter &rewriter, Location loc, Operation *op,
               Value out) {
  if (linalg::GenericOp broadcast = biasBroadcastBefore(op, out, rewriter.getF32Type())) {
    Value bias = broadcast.getDpsInputs()[0];
    rewriter.eraseOp(broadcast);
    return castToAnyStrided(rewriter, loc, bias);
  }
  return noValues(rewriter, loc);
}

/// A clamp of the value `in` of `generic`'s body that the body yields:
/// max(in, lo) (a Relu: hi = +inf), min(max(in, lo), hi) or
/// max(min(in, hi), lo), with arith.maximumf/minimumf and constant bounds.
/// `clamps` is false when the body yields `in` itself.
struct ClampOf {
  Value in;
  bool clamps;
  float lo, hi;
};
std::optional<ClampOf> clampChain(linalg::GenericOp generic) {
  Block *body = generic.getBody();
  Value result = cast<linalg::YieldOp>(body->getTerminator()).getOperand(0);
  float lo = -INFINITY, hi = INFINITY;
  bool seenLo = false, seenHi = false;
  for (;;) {
    Operation *op = result.getDefiningOp();
    if (!op || op->getBlock() != body ||
        !isa<arith::MaximumFOp, arith::MinimumFOp>(op))
      break;
    std::optional<float> bound = f32Constant(op->getOperand(1));
    if (!bound)
      return std::nullopt;
    if (isa<arith::MaximumFOp>(op) && !seenLo) {
      lo = *bound;
      seenLo = true;
    } else if (isa<arith::MinimumFOp>(op) && !seenHi) {
      hi = *bound;
      seenHi = true;
    } else {
      return std::nullopt;
    }
    result = op->getOperand(0);
  }
  return ClampOf{result, seenLo || seenHi, lo, hi};
}

/// For a generic of two inputs whose body yields a clamp (or not) of the
/// sum of its two arguments: the index of the input that is `y`, when
/// exactly one is (the other is the addend).
std::optional<unsigned> residualAddOf(linalg::GenericOp generic, Value y,
                                      const ClampOf &clamp) {
  Block *body = generic.getBody();
  auto add = clamp.in.getDefiningOp<arith::AddFOp>();
  if (generic.getNumDpsInputs() != 2 || !add || add->getBlock() != body)
    return std::nullopt;
  Value lhs = add.getLhs(), rhs = add.getRhs();
  Value arg0 = body->getArgument(0), arg1 = body->getArgument(1);
  if (!((lhs == arg0 && rhs == arg1) || (lhs == arg1 && rhs == arg0)))
    return std::nullopt;
  ValueRange ins = generic.getDpsInputs();
  if ((ins[0] == y) == (ins[1] == y))
    return std::nullopt;
  return ins[0] == y ? 0u : 1u;
}

/// Whether two memrefs are laid out alike: the same shape and the same
/// static strides, so that one offset finds an element in either.
bool sameLayout(Value a, Value b) {
  auto aType = dyn_cast<MemRefType>(a.getType());
  auto bType = dyn_cast<MemRefType>(b.getType());
  if (!aType || !bType || aType.getShape() != bType.getShape() ||
      !aType.hasStaticShape())
    return false;
  SmallVector<int64_t> aStrides, bStrides;
  int64_t aOffset, bOffset;
  if (failed(aType.getStridesAndOffset(aStrides, aOffset)) ||
      failed(bType.getStridesAndOffset(bStrides, bOffset)))
    return false;
  return aStrides == bStrides && llvm::none_of(aStrides, ShapedType::isDynamic);
}

/// Whether what `ours` write into `y` is read by none but them: each other
/// user of y is a dealloc, or in their block before `first` (it read
/// what y held before) or after `last`, and the first of those after `last`
/// overwrites all of y without reading it (a fill, or a generic such as the
/// next convolution's bias broadcast, when bufferization gave that
/// convolution y's buffer too).
bool deadAfter(Value y, ArrayRef<Operation *> ours, Operation *first,
               Operation *last) {
  Operation *firstAfter = nullptr;
  for (Operation *user : y.getUsers()) {
    if (llvm::is_contained(ours, user) || isa<memref::DeallocOp>(user))
      continue;
    if (user->getBlock() != last->getBlock())
      return false;
    if (user->isBeforeInBlock(first))
      continue;
    if (!last->isBeforeInBlock(user))
      return false;
    if (!firstAfter || user->isBeforeInBlock(firstAfter))
      firstAfter = user;
  }
  if (!firstAfter)
    return true;
  if (auto fill = dyn_cast<linalg::FillOp>(firstAfter))
    return fill.getOutputs()[0] == y;
  auto overwrite = dyn_cast<linalg::GenericOp>(firstAfter);
  if (!overwrite || overwrite.getNumDpsInits() != 1 ||
      overwrite.getDpsInits()[0] != y ||
      overwrite.getNumParallelLoops() != overwrite.getNumLoops() ||
      llvm::is_contained(overwrite.getDpsInputs(), y))
    return false;
  OpOperand *init = overwrite.getDpsInitOperand(0);
  return overwrite.getMatchingIndexingMap(init).isIdentity() &&
         !overwrite.payloadUsesValueFromOperand(init);
}

/// The convolution's epilogue: a Relu, Clip or plain copy that reads its
/// output `y` right after it, or (`withAddend`) a residual add of y and
/// another tensor of its layout, the addend, clamped or not. Either in
/// place (writing `y`: the kernel clamps the final values, whatever the
/// init), or into a buffer of its own when `y` is a buffer nothing else
/// reads but `init`, the bias broadcast that fills it (the kernel, which
/// then writes every value itself, writes the final values there; that
/// buffer may be the addend's). That buffer may be a view: the interior of
/// the next convolution's padded input, whose zero fill may come between
/// the two (the call then goes where the generic was, after the fill). Only
/// allocations, ops without memory effects and such fills may stand
/// between. `x`, the convolution's input, must not share z's buffer.
struct FusedClamp {
  linalg::GenericOp generic;
  Value output;
  std::optional<std::pair<float, float>> bounds; // none: a copy
  SmallVector<linalg::FillOp> fills; // of output's buffer, before generic
  Value addend;                      // null: none
};
std::optional<FusedClamp> clampAfter(Operation *conv, Value x, Value y,
                                     Operation *init, bool withAddend) {
  SmallVector<linalg::FillOp> fills;
  linalg::GenericOp generic = nextGenericPastFills(conv, fills);
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return std::nullopt;
  std::optional<ClampOf> clamp = clampChain(generic);
  if (!clamp)
    return std::nullopt;
  Value addend;
  if (generic.getNumDpsInputs() == 2 && withAddend) {
    std::optional<unsigned> yInput = residualAddOf(generic, y, *clamp);
    if (!yInput)
      return std::nullopt;
    addend = generic.getDpsInputs()[1 - *yInput];
    if (!sameLayout(addend, generic.getDpsInits()[0]) ||
        !cast<MemRefType>(addend.getType()).getElementType().isF32() ||
        viewBase(addend) == viewBase(y))
      return std::nullopt;
  } else if (generic.getNumDpsInputs() != 1 || generic.getDpsInputs()[0] != y ||
             clamp->in != generic.getBody()->getArgument(0)) {
    return std::nullopt;
  }
  Value z = generic.getDpsInits()[0];
  // The fills become border-only (the kernel writes the interior): an
  // addend in that buffer would lose the zeros the add read.
  if (llvm::any_of(fills, [&](linalg::FillOp fill) {
        return z == y || viewBase(fill.getOutputs()[0]) != viewBase(z) ||
               (addend && viewBase(addend) == viewBase(z));
      }))
    return std::nullopt;
  if (z != y) {
    auto zType = dyn_cast<MemRefType>(z.getType());
    auto yType = cast<MemRefType>(y.getType());
    if (!init || !zType || zType.getShape() != yType.getShape() ||
        zType.getElementType() != yType.getElementType() ||
        !zType.isStrided() || !y.getDefiningOp<memref::AllocOp>() ||
        viewBase(z) == viewBase(x) || viewBase(z) == viewBase(y))
      return std::nullopt;
    if (!deadAfter(y, {conv, generic, init}, init, generic))
      return std::nullopt;
  }
  std::optional<std::pair<float, float>> bounds;
  if (clamp->clamps)
    bounds = std::make_pair(clamp->lo, clamp->hi);
  // A copy in place does nothing to fuse.
  if (!bounds && !addend && z == y)
    return std::nullopt;
  return FusedClamp{generic, z, bounds, fills, addend};
}

/// A memref<2xf32> global holding (lo, hi), or an empty memref when there
/// is no clamp.
Value clampArgument(PatternRewriter &rewriter, Location loc, Operation *op,
                    const std::optional<FusedClamp> &clamp) {
  if (!clamp || !clamp->bounds)
    return noValues(rewriter, loc);
  auto module = op->getParentOfType<ModuleOp>();
  auto type = MemRefType::get({2}, rewriter.getF32Type());
  auto values = DenseElementsAttr::get(
      RankedTensorType::get({2}, rewriter.getF32Type()),
      ArrayRef<float>{clamp->bounds->first, clamp->bounds->second});
  // One global per pair of bounds (every Relu6 shares one).
  memref::GlobalOp global;
  for (auto existing : module.getOps<memref::GlobalOp>())
    if (existing.getSymName().starts_with("__qc_clamp") &&
        existing.getInitialValue() == Attribute(values))
      global = existing;
  if (!global) {
    SymbolTable table(module);
    OpBuilder detached(op->getContext());
    global = memref::GlobalOp::create(
        detached, loc, "__qc_clamp", detached.getStringAttr("private"), type,
        values, /*constant=*/true, /*alignment=*/IntegerAttr());
    // Renamed when the name is taken; at the module's start.
    table.insert(global, module.getBody()->begin());
  }
  Value bounds =
      memref::GetGlobalOp::create(rewriter, loc, type, global.getSymName());
  return castToAnyStrided(rewriter, loc, bounds);
}

/// Rewrites the fused clamp away: its generic, and (when it wrote a buffer
/// of its own) the convolution's output buffer, when nothing uses it any
/// more but its dealloc (a later convolution may have been given it).
void eraseFusedClamp(PatternRewriter &rewriter, const FusedClamp &clamp,
                     Value y) {
  rewriter.eraseOp(clamp.generic);
  // The kernel writes all of the interior: only what is around it is
  // filled now.
  for (linalg::FillOp fill : clamp.fills)
    fillOnlyAround(rewriter, fill, clamp.output);
  if (clamp.output == y ||
      !llvm::all_of(y.getUsers(), llvm::IsaPred<memref::DeallocOp>))
    return;
  for (Operation *user : llvm::make_early_inc_range(y.getUsers()))
    rewriter.eraseOp(user);
  rewriter.eraseOp(y.getDefiningOp());
}

/// A whole-op convolution kernel: (x, w, y, bias, clamp, strides...,
/// dilations...), w of rank `WeightRank`.
template <typename ConvOp, int WeightRank>
struct ConvToKernelCall : OpRewritePattern<ConvOp> {
  /// `addKernelName`: the kernel that also adds a residual (empty: none).
  ConvToKernelCall(MLIRContext *ctx, StringRef kernelName,
                   StringRef addKernelName = {})
      : OpRewritePattern<ConvOp>(ctx), kernelName(kernelName),
        addKernelName(addKernelName) {}

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || !allF32(op))
      return failure();
    Location loc = op.getLoc();
    Value y = op.getOutputs()[0];
    linalg::GenericOp init = biasBroadcastBefore(op, y, rewriter.getF32Type());
    std::optional<FusedClamp> clamp =
        clampAfter(op, op.getInputs()[0], y, init, !addKernelName.empty());
    // After the fills of the buffer the clamp writes, if any, and the
    // addend's last write.
    if (clamp)
      rewriter.setInsertionPoint(clamp->generic);
    bool added = clamp && clamp->addend;
    SmallVector<Value> args;
    for (Value v : {op.getInputs()[0], op.getInputs()[1],
                    clamp ? clamp->output : y})
      args.push_back(castToAnyStrided(rewriter, loc, v));
    if (added)
      args.push_back(castToAnyStrided(rewriter, loc, clamp->addend));
    args.push_back(convBias(rewriter, loc, op, y));
    args.push_back(clampArgument(rewriter, loc, op, clamp));
    args.append(convScalars(rewriter, loc, op.getStrides(), op.getDilations()));
    // The depthwise kernel reads its padding implicitly, (top, left) from
    // these two; here x holds it (qc-fold-depthwise-padding moves it
    // there).
    if (kDepthwiseKernel)
      for (int i = 0; i < 2; ++i)
        args.push_back(arith::ConstantIntOp::create(rewriter, loc, 0, 64));
    auto module = op->template getParentOfType<ModuleOp>();
    SmallVector<int64_t> ranks{4, WeightRank, 4, 1, 1};
    if (added)
      ranks.insert(ranks.begin() + 3, 4);
    func::FuncOp kernel =
        kernelDeclaration(module, added ? addKernelName : kernelName, ranks,
                          kDepthwiseKernel ? 6 : 4);
    func::CallOp::create(rewriter, loc, kernel, args);
    rewriter.eraseOp(op);
    if (clamp)
      eraseFusedClamp(rewriter, *clamp, y);
    return success();
  }

  StringRef kernelName, addKernelName;
  static constexpr bool kDepthwiseKernel = WeightRank == 3;
};

/// x [N, G, C, H, W], w [G, F, C, KH, KW], y [N, G, F, OH, OW]: group g is
/// x[:, g], w[g], y[:, g], each an NCHW / FCHW view.
struct GroupedConvToKernelCalls : OpRewritePattern<linalg::Conv2DNgchwGfchwOp> {
  using OpRewritePattern::OpRewritePattern;

  static Value groupView(OpBuilder &b, Location loc, Value source,
                         unsigned groupDim, Value group) {
    SmallVector<Value> fixed(cast<MemRefType>(source.getType()).getRank());
    fixed[groupDim] = group;
    return castToAnyStrided(b, loc, dropFixedDims(b, loc, source, fixed));
  }

  LogicalResult matchAndRewrite(linalg::Conv2DNgchwGfchwOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || !allF32(op))
      return failure();
    Location loc = op.getLoc();
    Value x = op.getInputs()[0], w = op.getInputs()[1], y = op.getOutputs()[0];
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value groups = memref::DimOp::create(rewriter, loc, w, 0);
    SmallVector<Value> scalars =
        convScalars(rewriter, loc, op.getStrides(), op.getDilations());
    auto module = op->getParentOfType<ModuleOp>();
    func::FuncOp kernel = kernelDeclaration(module, kConv, {4, 4, 4, 1, 1}, 4);
    // Each group adds to the output's init (zeros or its bias broadcast);
    // no clamp.
    Value none = noValues(rewriter, loc);
    auto loop = scf::ForOp::create(rewriter, loc, zero, groups, one);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(loop.getBody());
      Value g = loop.getInductionVar();
      SmallVector<Value> args{groupView(rewriter, loc, x, 1, g),
                              groupView(rewriter, loc, w, 0, g),
                              groupView(rewriter, loc, y, 1, g), none, none};
      args.append(scalars);
      func::CallOp::create(rewriter, loc, kernel, args);
    }
    rewriter.eraseOp(op);
    return success();
  }
};

/// linalg.softmax along the last dim of f32 memrefs (as qc-to-linalg makes
/// it): one call of the runtime's row kernel on [rows, cols] views, the
/// dims before the last collapsed into rows where both layouts allow,
/// else each dim before the last two an scf.for around the call.
struct SoftmaxToKernelCall : OpRewritePattern<linalg::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || !allF32(op))
      return failure();
    Value x = op.getInput(), y = op.getOutput();
    auto xType = cast<MemRefType>(x.getType());
    auto yType = cast<MemRefType>(y.getType());
    int64_t rank = xType.getRank();
    if (rank < 2 || int64_t(op.getDimension()) != rank - 1)
      return rewriter.notifyMatchFailure(op, "not along the last of 2+ dims");
    Location loc = op.getLoc();
    auto module = op->getParentOfType<ModuleOp>();
    func::FuncOp kernel = kernelDeclaration(module, kSoftmax, {2, 2}, 0);
    SmallVector<ReassociationIndices> rows{
        llvm::to_vector(llvm::seq<int64_t>(0, rank - 1)), {rank - 1}};
    if (memref::CollapseShapeOp::isGuaranteedCollapsible(xType, rows) &&
        memref::CollapseShapeOp::isGuaranteedCollapsible(yType, rows)) {
      Value x2 = memref::CollapseShapeOp::create(rewriter, loc, x, rows);
      Value y2 = memref::CollapseShapeOp::create(rewriter, loc, y, rows);
      func::CallOp::create(rewriter, loc, kernel,
                           ValueRange{castToAnyStrided(rewriter, loc, x2),
                                      castToAnyStrided(rewriter, loc, y2)});
      rewriter.eraseOp(op);
      return success();
    }
    SmallVector<Value> fixed(rank);
    OpBuilder::InsertionGuard guard(rewriter);
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    for (int64_t d = 0; d + 2 < rank; ++d) {
      Value size = memref::DimOp::create(rewriter, loc, y, d);
      auto loop = scf::ForOp::create(rewriter, loc, zero, size, one);
      rewriter.setInsertionPointToStart(loop.getBody());
      fixed[d] = loop.getInductionVar();
    }
    func::CallOp::create(
        rewriter, loc, kernel,
        ValueRange{castToAnyStrided(rewriter, loc,
                                    dropFixedDims(rewriter, loc, x, fixed)),
                   castToAnyStrided(rewriter, loc,
                                    dropFixedDims(rewriter, loc, y, fixed))});
    rewriter.eraseOp(op);
    return success();
  }
};

struct LinalgToCpuKernels
    : quantc::impl::QcLinalgToCpuKernelsBase<LinalgToCpuKernels> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    MLIRContext *ctx = &getContext();
    patterns.add<ContractionToGemmCall, GroupedConvToKernelCalls,
                 SoftmaxToKernelCall>(ctx);
    populateInt8KernelCallPatterns(patterns);
    patterns.add<ConvToKernelCall<linalg::Conv2DNchwFchwOp, 4>>(ctx, kConv,
                                                                kConvAdd);
    patterns.add<ConvToKernelCall<linalg::DepthwiseConv2DNchwChwOp, 3>>(
        ctx, kDepthwise);
    // Convolutions are contractions too (with more than one reduction dim);
    // their own patterns come first.
    // Top down: a convolution is rewritten while the ops after it are still
    // linalg ops, so that clampAfter can tell whether they overwrite its
    // output buffer (deadAfter).
    GreedyRewriteConfig config;
    config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
    config.setUseTopDownTraversal(true);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns),
                                     config)))
      return signalPassFailure();
    // A softmax has no loop lowering: one the kernel cannot take is an
    // error here, not a crash further down.
    getOperation().walk([&](linalg::SoftmaxOp op) {
      op.emitError("softmax is supported on the CPU only in f32 along the "
                   "last of two or more dims");
      signalPassFailure();
    });
  }
};

} // namespace
