//===- CostModel.h - The one place passes ask "which is cheaper" -*- C++ -*-===//
//
// Passes that choose between alternatives (fuse or not; later tile sizes,
// micro-kernel variants, execution order) ask a CostModel and record what
// they decided, and why, in a DecisionLog that `quantc compile
// --print-decisions` prints. This file holds the interface and the
// analytical implementation: a roofline over each op's floating-point work
// and the bytes it moves, against the machine's FMA peak and memory
// bandwidth. A learned model (DESIGN.md) will implement the same interface.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_COMPILER_COSTMODEL_COSTMODEL_H
#define QUANTC_COMPILER_COSTMODEL_COSTMODEL_H

#include "mlir/IR/Operation.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace quantc::costmodel {

/// What the analytical model knows of the machine.
struct Machine {
  /// One core's f32 FMA peak, in GFLOP/s (an FMA counts 2).
  double peakGflops;
  /// Sustained memory bandwidth for one core, in GB/s.
  double bandwidthGBs;
  /// f32 lanes per vector: how much slower than the peak a loop runs when
  /// it is not vectorized.
  int vectorLanes;
  /// Where the figures come from, printed with the decisions.
  std::string source;

  /// The figures measured on the development machines (AMD EPYC Zen 5, one
  /// core: quantc-gemm-bench's FMA peak, a streaming copy's bandwidth).
  static Machine reference();
};

/// Work and traffic of one op, and its roofline time on a machine.
struct Cost {
  double flops = 0;       ///< in vectorized loops
  double scalarFlops = 0; ///< in loops that stay scalar (reductions, today)
  double bytes = 0;
  double seconds(const Machine &machine) const;
};

/// One choice a pass made: what it was about, what it chose, and why.
struct Decision {
  std::string pass;    ///< "fusion", ...
  std::string subject; ///< the ops it concerns, by their ONNX names
  bool taken = false;  ///< fused, or not
  std::string reason;
  double secondsWithout = 0, secondsWith = 0;
};

class DecisionLog {
public:
  void record(Decision decision) { decisions.push_back(std::move(decision)); }
  /// A pass that reconsidered a choice keeps only its final answer.
  void replace(size_t index, Decision decision) {
    decisions[index] = std::move(decision);
  }
  const std::vector<Decision> &all() const { return decisions; }
  /// One line per decision.
  void print(llvm::raw_ostream &os) const;

private:
  std::vector<Decision> decisions;
};

class CostModel {
public:
  virtual ~CostModel();
  /// The op's cost if it runs alone, reading its operands from memory and
  /// writing its results there.
  virtual Cost estimate(mlir::Operation *op) const = 0;
  /// Whether to compute `producer`'s result inside `consumer` instead of
  /// materializing it (elementwise fusion on tensors).
  virtual Decision shouldFuse(mlir::Operation *producer,
                              mlir::Operation *consumer) const = 0;
  /// A convolution the runtime's GEMM computes (per image, `filters`
  /// outputs at each of `pixels` positions, each a sum over `window`
  /// products): whether to run its vectors over filters, the transposed
  /// product (qc-prepack-weights packs the filter for it), rather than over
  /// pixels. `subject` names the convolution in the decision.
  virtual Decision convolutionOverFilters(std::string subject, int64_t filters,
                                          int64_t pixels,
                                          int64_t window) const = 0;
  virtual const Machine &machine() const = 0;
};

std::unique_ptr<CostModel> createAnalyticalCostModel(Machine machine);

/// "b1_sigmoid": the ONNX node name in the op's location, else the op name.
std::string describeOp(mlir::Operation *op);

} // namespace quantc::costmodel

#endif // QUANTC_COMPILER_COSTMODEL_COSTMODEL_H
