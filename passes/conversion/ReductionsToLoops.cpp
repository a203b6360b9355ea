//===- ReductionsToLoops.cpp - qc-reductions-to-loops ---------------------===//
//
// Upstream's linalg-to-loops lowering keeps a reduction's accumulator in its
// output buffer: every step loads it, combines, and stores it back. LLVM
// cannot keep it in a register without proving the output aliases no input
// (both are views of the one arena, at offsets it cannot compare), so the
// loop stays scalar, with everything fused into it: softmax's exp and sum,
// LayerNorm's mean and variance. Those were most of MiniLM's time outside
// the GEMM.
//
// Here the reduction loops carry the accumulators as scf.for iter_args,
// loaded once before them and stored once after, and the combining op is
// marked reassociable, so that LLVM may sum (or take the max) in vector
// lanes and combine the lanes at the end, as every vectorized reduction
// does. The parallel dims stay outer loops in their order.
//
// Only ops whose reduction dims all come after their parallel dims (the
// reduced dims innermost, as in a reduction over the last axes) are
// lowered here: a reduction over an outer axis is better vectorized across
// the parallel dim inside it, which the generic lowering does.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace quantc {
#define GEN_PASS_DEF_QCREDUCTIONSTOLOOPS
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using quantc::kShareLoopAttr;

namespace {

/// Whether `op` is one this pass lowers: on buffers, with a reduction
/// iterator, every reduction dim after every parallel one, and outputs that
/// do not move with the reduction dims.
bool innermostReduction(linalg::GenericOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumReductionLoops() == 0)
    return false;
  bool seenReduction = false;
  for (utils::IteratorType type : op.getIteratorTypesArray()) {
    if (type == utils::IteratorType::reduction)
      seenReduction = true;
    else if (seenReduction)
      return false;
  }
  auto reductionDims =
      llvm::seq<unsigned>(op.getNumParallelLoops(), op.getNumLoops());
  for (OpOperand &init : op.getDpsInitsMutable())
    for (AffineExpr expr : op.getMatchingIndexingMap(&init).getResults())
      if (llvm::any_of(reductionDims,
                       [&](unsigned d) { return expr.isFunctionOfDim(d); }))
        return false;
  return true;
}

/// The indices of `map`'s results at the loop induction variables `ivs`.
SmallVector<Value> indicesAt(OpBuilder &b, Location loc, AffineMap map,
                             ArrayRef<Value> ivs) {
  SmallVector<Value> indices;
  for (AffineExpr expr : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(expr))
      indices.push_back(ivs[dim.getPosition()]);
    else
      indices.push_back(affine::AffineApplyOp::create(
          b, loc, AffineMap::get(map.getNumDims(), 0, expr), ivs));
  }
  return indices;
}

/// Marks the ops that combine into the accumulator `acc` reassociable.
void allowReassociation(Value acc) {
  for (Operation *user : acc.getUsers())
    if (auto fastMath = dyn_cast<arith::ArithFastMathInterface>(user)) {
      arith::FastMathFlagsAttr flags = fastMath.getFastMathFlagsAttr();
      user->setAttr(fastMath.getFastMathAttrName(),
                    arith::FastMathFlagsAttr::get(
                        user->getContext(),
                        (flags ? flags.getValue() : arith::FastMathFlags::none) |
                            arith::FastMathFlags::reassoc));
    }
}

void lower(linalg::GenericOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Range, 4> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  unsigned numParallel = op.getNumParallelLoops();
  SmallVector<Value> ivs(op.getNumLoops());
  auto loopOver = [&](unsigned dim, ValueRange iterArgs) {
    auto value = [&](OpFoldResult r) {
      return getValueOrCreateConstantIndexOp(b, loc, r);
    };
    auto loop = scf::ForOp::create(b, loc, value(ranges[dim].offset),
                                   value(ranges[dim].size),
                                   value(ranges[dim].stride), iterArgs);
    ivs[dim] = loop.getInductionVar();
    return loop;
  };

  // Parallel loops, then the accumulators' first values, from where the
  // results will be stored (the parallel dims only). In a large op, the
  // outermost with two or more iterations is shared among the threads
  // (qc-parallelize-loops): each iteration writes its own outputs.
  bool share = quantc::worthSharing(op);
  for (unsigned dim = 0; dim < numParallel; ++dim) {
    scf::ForOp loop = loopOver(dim, {});
    std::optional<APInt> trip = loop.getStaticTripCount();
    if (share && trip && trip->getSExtValue() >= 2) {
      loop->setAttr(kShareLoopAttr, b.getUnitAttr());
      share = false;
    }
    b.setInsertionPointToStart(loop.getBody());
  }
  SmallVector<SmallVector<Value>> outIndices;
  SmallVector<Value> accumulators;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    outIndices.push_back(
        indicesAt(b, loc, op.getMatchingIndexingMap(&init), ivs));
    accumulators.push_back(
        memref::LoadOp::create(b, loc, init.get(), outIndices.back()));
  }

  // Reduction loops, each carrying the accumulators, the body innermost.
  SmallVector<scf::ForOp> reductionLoops;
  for (unsigned dim = numParallel; dim < op.getNumLoops(); ++dim) {
    scf::ForOp loop = loopOver(dim, accumulators);
    if (!reductionLoops.empty())
      scf::YieldOp::create(b, loc, loop.getResults());
    reductionLoops.push_back(loop);
    accumulators.assign(loop.getRegionIterArgs().begin(),
                        loop.getRegionIterArgs().end());
    b.setInsertionPointToStart(loop.getBody());
  }
  Block *body = op.getBlock();
  IRMapping mapping;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Value arg = body->getArgument(input->getOperandNumber());
    if (!isa<MemRefType>(input->get().getType())) {
      mapping.map(arg, input->get());
      continue;
    }
    mapping.map(arg, memref::LoadOp::create(
                         b, loc, input->get(),
                         indicesAt(b, loc, op.getMatchingIndexingMap(input),
                                   ivs)));
  }
  for (auto [init, acc] : llvm::zip_equal(op.getDpsInitsMutable(), accumulators))
    mapping.map(body->getArgument(init.getOperandNumber()), acc);
  for (Operation &inner : body->without_terminator()) {
    if (auto index = dyn_cast<linalg::IndexOp>(inner)) {
      mapping.map(index.getResult(), ivs[index.getDim()]);
      continue;
    }
    b.clone(inner, mapping);
  }
  SmallVector<Value> combined;
  for (Value v : body->getTerminator()->getOperands())
    combined.push_back(mapping.lookupOrDefault(v));
  scf::YieldOp::create(b, loc, combined);
  for (Value acc : accumulators)
    allowReassociation(acc);

  // The results, stored once.
  b.setInsertionPointAfter(reductionLoops.front());
  for (auto [init, indices, result] :
       llvm::zip_equal(op.getDpsInitsMutable(), outIndices,
                       reductionLoops.front().getResults()))
    memref::StoreOp::create(b, loc, result, init.get(), indices);
  op.erase();
}

struct ReductionsToLoops
    : quantc::impl::QcReductionsToLoopsBase<ReductionsToLoops> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    getOperation()->walk([&](linalg::GenericOp op) {
      if (innermostReduction(op))
        ops.push_back(op);
    });
    for (linalg::GenericOp op : ops)
      lower(op);
  }
};

} // namespace
