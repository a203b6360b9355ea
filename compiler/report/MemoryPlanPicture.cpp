//===- MemoryPlanPicture.cpp - The arena plan as an SVG ---------------------===//
#include "compiler/report/MemoryPlanPicture.h"
#include "passes/memory/Passes.h"

#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

namespace quantc {
namespace {

struct PlannedBuffer {
  int64_t first, last, offset, bytes;
  std::string name;
};

struct Plan {
  int64_t arenaBytes = 0, lowerBoundBytes = 0, naiveBytes = 0;
  std::vector<PlannedBuffer> buffers;
};

std::optional<Plan> readPlan(ModuleOp module) {
  auto dict = module->getAttrOfType<DictionaryAttr>(kMemoryPlanAttr);
  if (!dict)
    return std::nullopt;
  auto integer = [&](StringRef key) {
    auto attr = dict.getAs<IntegerAttr>(key);
    return attr ? attr.getInt() : 0;
  };
  Plan plan;
  plan.arenaBytes = integer("arena_bytes");
  plan.lowerBoundBytes = integer("lower_bound_bytes");
  plan.naiveBytes = integer("naive_bytes");
  auto spans = dict.getAs<DenseI64ArrayAttr>("buffers");
  auto names = dict.getAs<ArrayAttr>("names");
  if (!spans || !names || spans.size() != 4 * int64_t(names.size()))
    return std::nullopt;
  for (size_t i = 0; i < names.size(); ++i) {
    ArrayRef<int64_t> s = spans.asArrayRef().slice(4 * i, 4);
    auto name = dyn_cast<StringAttr>(names[i]);
    plan.buffers.push_back(
        {s[0], s[1], s[2], s[3], name ? name.getValue().str() : ""});
  }
  return plan;
}

std::string escapeXml(StringRef text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    default: out += c;
    }
  }
  return out;
}

} // namespace

std::string formatMiB(int64_t bytes) {
  return llvm::formatv("{0:F2} MiB", double(bytes) / (1 << 20)).str();
}

std::string memoryPlanSummary(ModuleOp module) {
  std::optional<Plan> plan = readPlan(module);
  if (!plan)
    return "no memory plan";
  std::string ratio =
      plan->lowerBoundBytes
          ? llvm::formatv(" (x{0:F3})", double(plan->arenaBytes) /
                                            plan->lowerBoundBytes)
                .str()
          : "";
  return llvm::formatv("arena {0}{1}, liveness lower bound {2}, naive sum {3}, "
                       "{4} buffers",
                       formatMiB(plan->arenaBytes), ratio, formatMiB(plan->lowerBoundBytes),
                       formatMiB(plan->naiveBytes), plan->buffers.size())
      .str();
}

LogicalResult writeMemoryPlanSvg(ModuleOp module, llvm::raw_ostream &os) {
  std::optional<Plan> plan = readPlan(module);
  if (!plan)
    return module.emitError() << "no memory plan to draw (qc-plan-memory did "
                                 "not run)";
  int64_t positions = 1;
  for (const PlannedBuffer &b : plan->buffers)
    positions = std::max(positions, b.last + 1);
  const double width = 1200, height = 600, left = 80, top = 40;
  double arena = std::max<int64_t>(1, plan->arenaBytes);
  double xScale = width / positions, yScale = height / arena;
  os << llvm::formatv("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" "
                      "height=\"{1}\" font-family=\"sans-serif\" font-size=\"11\">\n",
                      width + left + 20, height + top + 40);
  os << "<title>" << escapeXml(memoryPlanSummary(module)) << "</title>\n";
  os << llvm::formatv("<text x=\"{0}\" y=\"20\">{1}</text>\n", left,
                      escapeXml(memoryPlanSummary(module)));
  os << llvm::formatv("<rect x=\"{0}\" y=\"{1}\" width=\"{2}\" height=\"{3}\" "
                      "fill=\"none\" stroke=\"black\"/>\n",
                      left, top, width, height);
  os << llvm::formatv("<text x=\"{0}\" y=\"{1}\">program position (0 to {2}) "
                      "&#8594;</text>\n",
                      left, top + height + 25, positions - 1);
  os << llvm::formatv("<text x=\"10\" y=\"{0}\" transform=\"rotate(-90 10 {0})\">"
                      "arena offset (0 to {1}) &#8595;</text>\n",
                      top + height, escapeXml(formatMiB(plan->arenaBytes)));
  for (auto [i, b] : llvm::enumerate(plan->buffers)) {
    // A hue per buffer, spread so that neighbours differ.
    int hue = int((i * 137) % 360);
    os << llvm::formatv(
        "<rect x=\"{0:F1}\" y=\"{1:F1}\" width=\"{2:F1}\" height=\"{3:F1}\" "
        "fill=\"hsl({4},60%,70%)\" stroke=\"hsl({4},60%,35%)\" stroke-width=\"0.5\">"
        "<title>{5}: {6} bytes at offset {7}, positions {8} to {9}</title></rect>\n",
        left + b.first * xScale, top + b.offset * yScale,
        std::max(1.0, (b.last - b.first + 1) * xScale),
        std::max(0.5, b.bytes * yScale), hue,
        escapeXml(b.name.empty() ? "buffer " + std::to_string(i) : b.name),
        b.bytes, b.offset, b.first, b.last);
  }
  os << "</svg>\n";
  return success();
}

} // namespace quantc
