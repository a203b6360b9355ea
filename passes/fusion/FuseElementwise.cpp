//===- FuseElementwise.cpp - qc-fuse-elementwise ---------------------------===//
//
// Upstream's elementwise fusion patterns rewrite; the cost model decides
// each producer/consumer pair and the decision is logged.
//
//===----------------------------------------------------------------------===//
#include "compiler/costmodel/CostModel.h"
#include "passes/fusion/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/FormatVariadic.h"

#include <map>

namespace quantc {
#define GEN_PASS_DEF_QCFUSEELEMENTWISE
#include "passes/fusion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

struct FuseElementwisePass
    : public quantc::impl::QcFuseElementwiseBase<FuseElementwisePass> {
  using QcFuseElementwiseBase::QcFuseElementwiseBase;

  void runOnOperation() override {
    auto model = costmodel::createAnalyticalCostModel(
        costmodel::Machine::reference());
    costmodel::DecisionLog log;
    // The greedy driver asks about a pair again when something changed
    // (a producer refused for its two users is taken once the other user
    // fused into this consumer): the log keeps each pair's last answer.
    std::map<std::string, size_t> loggedAt;
    linalg::ControlFusionFn control = [&](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      costmodel::Decision decision = model->shouldFuse(producer, consumer);
      auto [at, isNew] = loggedAt.try_emplace(decision.subject, log.all().size());
      if (isNew)
        log.record(decision);
      else
        log.replace(at->second, decision);
      return decision.taken;
    };
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    if (printDecisions) {
      const costmodel::Machine &machine = model->machine();
      llvm::errs() << llvm::formatv("fusion decisions (analytical cost model, "
                                    "{0}: {1:F0} GFLOP/s, {2:F0} GB/s):\n",
                                    machine.source, machine.peakGflops,
                                    machine.bandwidthGBs);
      log.print(llvm::errs());
    }
  }
};

} // namespace
