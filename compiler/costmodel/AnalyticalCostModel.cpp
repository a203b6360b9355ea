//===- AnalyticalCostModel.cpp - Roofline over FLOPs and bytes ------------===//
#include "compiler/costmodel/CostModel.h"
#include "dialects/qc/IR/QcOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace quantc::costmodel {

CostModel::~CostModel() = default;

Machine Machine::reference() {
  // Both from build/bin/quantc-gemm-bench 1 on the development machines:
  // 243-250 GFLOP/s of AVX-512 FMA, about 26 GB/s copying on one core.
  return {245.0, 26.0, 16, "reference machine (AMD EPYC Zen 5, one core)"};
}

double Cost::seconds(const Machine &machine) const {
  double compute = (flops + scalarFlops * machine.vectorLanes) /
                   (machine.peakGflops * 1e9);
  return std::max(compute, bytes / (machine.bandwidthGBs * 1e9));
}

void DecisionLog::print(llvm::raw_ostream &os) const {
  for (const Decision &d : decisions)
    os << llvm::formatv("{0}: {1} {2}: {3} (roofline {4:F2} us -> {5:F2} us)\n",
                        d.pass, d.taken ? "yes" : "no ", d.subject, d.reason,
                        d.secondsWithout * 1e6, d.secondsWith * 1e6);
}

std::string describeOp(Operation *op) {
  StringRef name = qc::getOnnxNodeName(op);
  return name.empty() ? op->getName().getStringRef().str()
                      : ("'" + name + "'").str();
}

namespace {

int64_t bytesOf(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return 0;
  Type element = shaped.getElementType();
  int64_t bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 64;
  return shaped.getNumElements() * std::max<int64_t>(1, bits / 8);
}

// Scalar operations per iteration of a generic's body; transcendental math
// counts as the ~10 FMAs of its polynomial (qc-approximate-math).
double bodyFlops(linalg::GenericOp generic) {
  double flops = 0;
  for (Operation &op : generic.getBody()->without_terminator())
    flops += isa<math::MathDialect>(op.getDialect()) ? 20 : 1;
  return flops;
}

bool isReduction(linalg::LinalgOp op) {
  return op.getNumReductionLoops() > 0;
}

double iterations(linalg::LinalgOp op) {
  double count = 1;
  for (int64_t size : op.getStaticLoopRanges())
    if (size > 0)
      count *= size;
  return count;
}

class AnalyticalCostModel final : public CostModel {
public:
  explicit AnalyticalCostModel(Machine machine) : machine_(std::move(machine)) {}

  const Machine &machine() const override { return machine_; }

  Cost estimate(Operation *op) const override {
    Cost cost;
    for (Value operand : op->getOperands())
      cost.bytes += bytesOf(operand.getType());
    for (Value result : op->getResults())
      cost.bytes += bytesOf(result.getType());
    // A generic with a reduction becomes a loop nest whose accumulator LLVM
    // keeps in memory (it cannot prove it unaliased), so it stays scalar;
    // an all-parallel one vectorizes.
    // Contractions (named or generic) run in the runtime's GEMM.
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return cost;
    if (linalg::isaContractionOpInterface(linalgOp) ||
        !isa<linalg::GenericOp>(op))
      cost.flops = 2 * iterations(linalgOp);
    else
      (isReduction(linalgOp) ? cost.scalarFlops : cost.flops) =
          iterations(linalgOp) * bodyFlops(cast<linalg::GenericOp>(op));
    return cost;
  }

  Decision shouldFuse(Operation *producer, Operation *consumer) const override {
    Decision d;
    d.pass = "fusion";
    d.subject = describeOp(producer) + " into " + describeOp(consumer);
    Cost alone = estimate(producer), with = estimate(consumer);
    d.secondsWithout = alone.seconds(machine_) + with.seconds(machine_);
    auto producerOp = dyn_cast<linalg::LinalgOp>(producer);
    auto consumerOp = dyn_cast<linalg::LinalgOp>(consumer);
    // A contraction the runtime's GEMM takes (qc-linalg-to-cpu-kernels)
    // would lose its kernel if its operands were computed inside it.
    if (consumerOp && linalg::isaContractionOpInterface(consumerOp)) {
      d.reason = "the consumer is a contraction for the GEMM kernel";
      d.secondsWith = d.secondsWithout;
      return d;
    }
    Value result = producer->getResult(0);
    int64_t intermediate = bytesOf(result.getType());
    double producerIterations =
        producerOp ? std::max(1.0, iterations(producerOp)) : 1.0;
    // Ops, not uses: a consumer reading the result through two operands gets
    // it fused into both, and canonicalization then computes it once.
    llvm::SmallPtrSet<Operation *, 4> userOps(result.getUsers().begin(),
                                              result.getUsers().end());
    unsigned users = userOps.size();
    if (users > 1) {
      // The result stays materialized for its other users: fusing saves
      // nothing but this consumer's read of it, and computes it again.
      double repeats =
          producerOp && consumerOp ? iterations(consumerOp) / producerIterations : 1;
      Cost extra{alone.flops * repeats, alone.scalarFlops * repeats,
                 -double(intermediate)};
      d.secondsWith = d.secondsWithout + extra.seconds(machine_);
      d.reason = llvm::formatv("{0} users: it stays in memory for the others, "
                               "so fusing would only compute it again",
                               users);
      return d;
    }
    // One user: the intermediate is never written nor read again. The
    // producer's work moves into the consumer's loop nest, vectorized or
    // not as that one is.
    bool scalar = consumerOp && isReduction(consumerOp);
    double moved = alone.flops + alone.scalarFlops;
    Cost fused = with;
    (scalar ? fused.scalarFlops : fused.flops) += moved;
    fused.bytes = alone.bytes + with.bytes - 2.0 * intermediate;
    d.secondsWith = fused.seconds(machine_);
    d.taken = d.secondsWith <= d.secondsWithout;
    d.reason = d.taken
                   ? llvm::formatv("one user: saves writing and reading {0} bytes",
                                   intermediate)
                         .str()
                   : llvm::formatv("one user, but its {0:F0} operations per "
                                   "element would run in the {1} loop, "
                                   "costing more than the {2} bytes saved",
                                   moved / producerIterations,
                                   scalar ? "consumer's scalar reduction"
                                          : "consumer's",
                                   intermediate)
                         .str();
    return d;
  }

  Decision convolutionOverFilters(std::string subject, int64_t filters,
                                  int64_t pixels,
                                  int64_t window) const override {
    Decision d;
    d.pass = "conv-vectors";
    d.subject = std::move(subject);
    // The vectors' lanes the product fills: a 7x7 map fills 49 of 64 over
    // pixels, a multiple of 16 filters all of them over filters.
    auto filled = [&](int64_t n) {
      return double(n) / double((n + machine_.vectorLanes - 1) /
                                machine_.vectorLanes * machine_.vectorLanes);
    };
    double overPixels = filled(pixels), overFilters = filled(filters);
    double flops = 2.0 * filters * pixels * window;
    d.secondsWithout = flops / (machine_.peakGflops * 1e9 * overPixels);
    // The transposed product transposes its tiles as it stores them and
    // packs the windows per call: about 10% on MobileNetV2's and
    // ResNet-50's 7x7 layers (quantc-gemm-bench's transposed shapes).
    constexpr double kTransposedOverhead = 1.10;
    d.secondsWith =
        kTransposedOverhead * flops / (machine_.peakGflops * 1e9 * overFilters);
    // With fewer filters its costs per call ate the gain (64 filters over
    // 49 pixels: no faster, measured).
    constexpr int64_t kMinFilters = 128;
    d.taken = filters >= kMinFilters && d.secondsWith < d.secondsWithout;
    d.reason = llvm::formatv(
                   "{0} filters x {1} pixels: vectors {2:F0}% full "
                   "over filters, {3:F0}% over pixels{4}",
                   filters, pixels, 100 * overFilters, 100 * overPixels,
                   filters < kMinFilters
                       ? llvm::formatv("; under {0} filters", kMinFilters).str()
                       : std::string())
                   .str();
    if (!d.taken)
      d.secondsWith = d.secondsWithout;
    return d;
  }

private:
  Machine machine_;
};

} // namespace

std::unique_ptr<CostModel> createAnalyticalCostModel(Machine machine) {
  return std::make_unique<AnalyticalCostModel>(std::move(machine));
}

} // namespace quantc::costmodel
