//===- AnalyticalCostModel.cpp - Roofline over FLOPs and bytes ------------===//
#include "compiler/costmodel/CostModel.h"
#include "dialects/qc/IR/QcOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
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

// The size the model assumes for a dim known only at run time: the cost
// model's comparisons need some size, and with none a run-time dim counted
// as 1 element (or its tensor as 0 bytes), so that a producer broadcast
// along it seemed as large as its consumer (PP-OCR det's Resize index
// vectors, fused into the gathers, were computed in f64 at every pixel).
constexpr int64_t kRunTimeDimGuess = 64;

int64_t sizeOrGuess(int64_t size) {
  return ShapedType::isDynamic(size) ? kRunTimeDimGuess : size;
}

double bytesOf(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasRank())
    return 0;
  Type element = shaped.getElementType();
  int64_t bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 64;
  double count = 1;
  for (int64_t size : shaped.getShape())
    count *= double(sizeOrGuess(size));
  return count * double(std::max<int64_t>(1, bits / 8));
}

// Scalar operations per iteration of a generic's body; transcendental math
// counts as the ~10 FMAs of its polynomial (qc-approximate-math).
double bodyFlops(linalg::GenericOp generic) {
  double flops = 0;
  for (Operation &op : generic.getBody()->without_terminator())
    flops += isa<math::MathDialect>(op.getDialect()) ? 20 : 1;
  return flops;
}

// Whether `v`, a value in a generic's body, changes along the innermost
// loop: that loop's index, an input read through a map that uses it, or
// something computed from them.
bool variesAlongInnermostLoop(linalg::GenericOp generic, Value v) {
  unsigned innermost = generic.getNumLoops() - 1;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (arg.getOwner() != generic.getBody())
      return false;
    AffineMap map = generic.getMatchingIndexingMap(
        &generic->getOpOperand(arg.getArgNumber()));
    return map.isFunctionOfDim(innermost);
  }
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != generic.getBody())
    return false;
  if (auto index = dyn_cast<linalg::IndexOp>(def))
    return index.getDim() == innermost;
  return llvm::any_of(def->getOperands(), [&](Value operand) {
    return variesAlongInnermostLoop(generic, operand);
  });
}

// Whether the op's loop nest stays scalar: a reduction, whose accumulator
// LLVM keeps in memory (it cannot prove it unaliased), or a gather: a
// tensor.extract whose indices vary along the innermost loop other than
// as its last index being that loop's (an embedding row read along the
// loop, or a per-row scale, vectorize; Resize's pixels at computed
// columns do not).
bool staysScalar(linalg::LinalgOp op) {
  if (op.getNumReductionLoops() > 0)
    return true;
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic)
    return false;
  unsigned innermost = generic.getNumLoops() - 1;
  auto gathers = [&](tensor::ExtractOp extract) {
    ValueRange indices = extract.getIndices();
    for (auto [i, index] : llvm::enumerate(indices)) {
      auto loopIndex = index.getDefiningOp<linalg::IndexOp>();
      if (i + 1 == indices.size() && loopIndex &&
          loopIndex.getDim() == innermost)
        continue; // consecutive elements
      if (variesAlongInnermostLoop(generic, index))
        return true;
    }
    return false;
  };
  return llvm::any_of(generic.getBody()->getOps<tensor::ExtractOp>(), gathers);
}

double iterations(linalg::LinalgOp op) {
  double count = 1;
  for (int64_t size : op.getStaticLoopRanges())
    if (size != 0)
      count *= double(sizeOrGuess(size));
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
    // A generic with a reduction or a gather stays scalar (staysScalar);
    // any other vectorizes. Contractions (named or generic) run in the
    // runtime's GEMM.
    auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
    if (!linalgOp)
      return cost;
    if (linalg::isaContractionOpInterface(linalgOp) ||
        !isa<linalg::GenericOp>(op))
      cost.flops = 2 * iterations(linalgOp);
    else
      (staysScalar(linalgOp) ? cost.scalarFlops : cost.flops) =
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
    int64_t intermediate = int64_t(bytesOf(result.getType()));
    double producerIterations =
        producerOp ? std::max(1.0, iterations(producerOp)) : 1.0;
    // Ops, not uses: a consumer reading the result through two operands gets
    // it fused into both, and canonicalization then computes it once.
    llvm::SmallPtrSet<Operation *, 4> userOps(result.getUsers().begin(),
                                              result.getUsers().end());
    unsigned users = userOps.size();
    // How often the consumer's loop nest, fused, computes each element of
    // the result: more than once where it broadcasts it (a Resize's index
    // vector, read at every pixel).
    double repeats =
        producerOp && consumerOp
            ? std::max(1.0, iterations(consumerOp) / producerIterations)
            : 1.0;
    if (users > 1) {
      // The result stays materialized for its other users: fusing saves
      // nothing but this consumer's read of it, and computes it again.
      Cost extra{alone.flops * repeats, alone.scalarFlops * repeats,
                 -double(intermediate)};
      d.secondsWith = d.secondsWithout + extra.seconds(machine_);
      d.reason = llvm::formatv("{0} users: it stays in memory for the others, "
                               "so fusing would only compute it again",
                               users);
      return d;
    }
    // One user: the intermediate is never written nor read again. The
    // producer's body moves into the consumer's loop nest, vectorized or
    // not as that one is, and runs `repeats` times per element there.
    bool scalar = consumerOp && staysScalar(consumerOp);
    double perElement = (alone.flops + alone.scalarFlops) / producerIterations;
    Cost fused = with;
    (scalar ? fused.scalarFlops : fused.flops) +=
        (alone.flops + alone.scalarFlops) * repeats;
    fused.bytes = alone.bytes + with.bytes - 2.0 * intermediate;
    d.secondsWith = fused.seconds(machine_);
    d.taken = d.secondsWith <= d.secondsWithout;
    std::string where =
        (repeats > 1
             ? llvm::formatv("{0:F0} times per element in the ", repeats).str()
             : std::string("in the ")) +
        (scalar ? "consumer's scalar loop" : "consumer's loop");
    d.reason =
        d.taken ? llvm::formatv("one user: saves writing and reading {0} bytes",
                                intermediate)
                      .str()
                : llvm::formatv("one user, but its {0:F0} operations per "
                                "element would run {1}, costing more than "
                                "the {2} bytes saved",
                                perElement, where, intermediate)
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
