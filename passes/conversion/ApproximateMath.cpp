//===- ApproximateMath.cpp - qc-approximate-math --------------------------===//
//
// exp, erf, tanh and log otherwise become calls into libm, one element at a
// time: a loop with a call in it is not vectorized, and GELU's erf and
// softmax's exp were a sixth of MiniLM's run time. Upstream's polynomial
// approximations (the Eigen/Cephes ones, accurate to a few ulp in f32, with
// overflow, underflow, infinities and NaN handled) turn them into arith and
// math.fma that LLVM's loop vectorizer can widen.
//
// f32 only: other float types keep their libm calls.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace quantc {
#define GEN_PASS_DEF_QCAPPROXIMATEMATH
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

bool approximated(StringRef name) {
  name.consume_front("math.");
  return llvm::is_contained({"exp", "expm1", "erf", "tanh", "log", "log1p",
                             "log2"},
                            name);
}

struct ApproximateMath
    : quantc::impl::QcApproximateMathBase<ApproximateMath> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    // Only f32 ops: the patterns would evaluate an f16 polynomial in f16.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (op->getDialect() && op->getDialect()->getNamespace() == "math" &&
          op->getNumResults() == 1 &&
          getElementTypeOrSelf(op->getResult(0).getType()).isF32())
        ops.push_back(op);
    });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
