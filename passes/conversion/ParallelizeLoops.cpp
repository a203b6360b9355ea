//===- ParallelizeLoops.cpp - qc-parallelize-loops ------------------------===//
//
// The runtime's kernels (GEMM, convolutions) use the context's threads; the
// loops compiled from every other op ran on one thread, a fifth of
// MobileNetV2's time at one thread and more at two. Here each large
// elementwise op (every loop parallel: activations, residual adds, casts,
// copies into padded buffers) and each large reduction whose outer dims are
// parallel becomes its loop nest with one loop shared among the threads:
// the outermost loop that has at least two iterations and no reduction
// outside it, so that the inner loops, the innermost above all, stay plain
// loops that LLVM vectorizes. Reductions over the innermost dims (softmax's,
// LayerNorm's) are lowered before, by qc-reductions-to-loops, which marks
// the loop to share (kShareLoopAttr). That loop becomes an OpenMP worksharing loop (omp.parallel
// holding an omp.wsloop, static schedule, `nowait`), which LLVM's OpenMP IR
// builder emits as libomp calls and the runtime serves on the context's own
// thread pool (runtime/src/kernels/OpenMpEntries.cpp). `nowait` because the
// region ends with the loop: the fork's join is the only wait needed, and
// without a barrier inside, any pool thread may run any thread's share.
// Small ops stay serial: starting the team costs about a microsecond.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

namespace quantc {
#define GEN_PASS_DEF_QCPARALLELIZELOOPS
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// An op whose outermost loop is parallel (an elementwise op, or a
/// reduction such as softmax's or LayerNorm's over inner dims: each outer
/// iteration writes its own outputs) and that is large enough.
bool worthParallel(linalg::GenericOp op) {
  return op.hasPureBufferSemantics() && op.getNumLoops() != 0 &&
         linalg::isParallelIterator(op.getIteratorTypesArray().front()) &&
         quantc::worthSharing(op);
}

/// `loop` (no iter_args) as an OpenMP worksharing loop with the same body:
/// omp.parallel { omp.wsloop nowait { omp.loop_nest (iv) = (lb) to (ub)
/// step (step) { body } } }.
omp::ParallelOp makeWorksharing(RewriterBase &rewriter, scf::ForOp loop) {
  Location loc = loop.getLoc();
  rewriter.setInsertionPoint(loop);
  auto parallel = omp::ParallelOp::create(rewriter, loc, omp::ParallelOperands{});
  rewriter.createBlock(&parallel.getRegion());
  omp::WsloopOperands wsloopClauses;
  wsloopClauses.nowait = rewriter.getUnitAttr();
  auto wsloop = omp::WsloopOp::create(rewriter, loc, wsloopClauses);
  omp::TerminatorOp::create(rewriter, loc);
  rewriter.createBlock(&wsloop.getRegion());
  omp::LoopNestOperands nestClauses;
  nestClauses.loopLowerBounds = {loop.getLowerBound()};
  nestClauses.loopUpperBounds = {loop.getUpperBound()};
  nestClauses.loopSteps = {loop.getStep()};
  auto nest = omp::LoopNestOp::create(rewriter, loc, nestClauses);
  Block *body = rewriter.createBlock(&nest.getRegion(), {},
                                     {loop.getInductionVar().getType()}, {loc});
  Block *loopBody = loop.getBody();
  rewriter.eraseOp(loopBody->getTerminator());
  rewriter.mergeBlocks(loopBody, body, body->getArguments());
  rewriter.setInsertionPointToEnd(body);
  omp::YieldOp::create(rewriter, loc, ValueRange{});
  rewriter.eraseOp(loop);
  return parallel;
}

/// Clones into the region the side-effect-free ops (views of arena slices,
/// constants, index arithmetic) that compute the values its body uses, so
/// that only their roots are captured. The region becomes a function of its
/// own that receives its captures through memory: an elementwise op written
/// in place reads and writes two views of one arena slice, and as two
/// captured pointers LLVM cannot tell they are equal, guards its vector loop
/// with an overlap check, and runs the scalar loop. Views made inside from
/// one captured slice are one pointer again.
void sinkPureDefinitions(RewriterBase &rewriter, omp::ParallelOp parallel) {
  Region &region = parallel.getRegion();
  for (bool changed = true; changed;) {
    changed = false;
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(region, captured);
    for (Value value : captured) {
      Operation *def = value.getDefiningOp();
      if (!def || def->getNumRegions() != 0 || !isMemoryEffectFree(def))
        continue;
      rewriter.setInsertionPointToStart(&region.front());
      Operation *clone = rewriter.clone(*def);
      for (auto [from, to] : llvm::zip(def->getResults(), clone->getResults()))
        rewriter.replaceUsesWithIf(from, to, [&](OpOperand &use) {
          return parallel->isProperAncestor(use.getOwner());
        });
      changed = true;
    }
  }
}

struct ParallelizeLoops
    : quantc::impl::QcParallelizeLoopsBase<ParallelizeLoops> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> ops;
    SmallVector<scf::ForOp> marked;
    getOperation()->walk([&](Operation *op) {
      if (auto generic = dyn_cast<linalg::GenericOp>(op); generic && worthParallel(generic))
        ops.push_back(generic);
      if (auto loop = dyn_cast<scf::ForOp>(op); loop && loop->hasAttr(quantc::kShareLoopAttr))
        marked.push_back(loop);
    });
    IRRewriter rewriter(&getContext());
    // Reductions qc-reductions-to-loops lowered: their outer loop as it is.
    for (scf::ForOp loop : marked) {
      loop->removeAttr(quantc::kShareLoopAttr);
      rewriter.setInsertionPoint(loop);
      sinkPureDefinitions(rewriter, makeWorksharing(rewriter, loop));
    }
    for (linalg::GenericOp op : ops) {
      SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::LinalgLoops> loops = linalg::linalgOpToLoops(rewriter, op);
      if (failed(loops))
        continue;
      rewriter.eraseOp(op);
      // The loops come outermost first, one per iterator; only those before
      // the first reduction may be shared out.
      for (auto [loop, iterator] : llvm::zip(*loops, iterators)) {
        if (!linalg::isParallelIterator(iterator))
          break;
        auto forOp = dyn_cast<scf::ForOp>(loop);
        if (!forOp || forOp.getNumRegionIterArgs() != 0)
          continue;
        std::optional<APInt> trip = forOp.getStaticTripCount();
        if (trip && trip->getSExtValue() >= 2) {
          sinkPureDefinitions(rewriter, makeWorksharing(rewriter, forOp));
          break;
        }
      }
    }
  }
};

} // namespace
