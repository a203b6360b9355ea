//===- SmoothQuant.cpp - qc-smooth-quant ----------------------------------===//
//
// Static int8 gives a whole activation one scale. In a transformer a few
// channels of the MatMul inputs carry values a hundred times larger than
// the rest, so that scale leaves the other channels a handful of levels.
// X W = (X / s)(s W) for any positive per-channel s: dividing the outlier
// channels and multiplying the matching weight rows evens the activation
// out, and the weights (quantized per output column, over the rows) take
// the outliers far better.
//
// The same holds for a Conv's input channels. A depthwise Conv's filters
// each read one channel, so their per-filter int8 scale absorbs s_j with no
// loss at all: its activation is always evened out fully (alpha 1), which
// is per-channel activation quantization at the cost of one fused multiply.
//
//===----------------------------------------------------------------------===//
#include "passes/abi/Passes.h"
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/StaticQuantization.h"
#include "passes/quant/WeightQuantization.h"

#include <algorithm>
#include <cmath>

namespace quantc {
#define GEN_PASS_DEF_QCSMOOTHQUANT
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// A reader's constant weight as the channels of its activation see it:
/// which weight elements multiply channel j.
struct ChannelWeights {
  Operation *op;
  qc::ConstantOp constant;
  std::vector<float> values;
  int64_t channels = 0;
  /// A product's weight as op(B) [K, N].
  std::optional<quant::WeightView> product;
  /// A Conv's filters.
  std::optional<quant::ConvFilters> filters;

  /// Each output channel reads one input channel (a depthwise Conv), so
  /// that its per-output-channel int8 scale takes any s_j whole: dividing
  /// the activation costs the weights nothing.
  bool exact() const { return filters && filters->groupChannels == 1; }

  void forChannel(int64_t j, llvm::function_ref<void(float &)> fn) {
    if (product) {
      for (int64_t c = 0; c < product->n; ++c)
        fn(product->at(j, c));
      return;
    }
    int64_t perGroup = filters->outputsPerGroup();
    int64_t g = j / filters->groupChannels, jj = j % filters->groupChannels;
    for (int64_t o = g * perGroup; o < (g + 1) * perGroup; ++o)
      for (int64_t t = 0; t < filters->kernel; ++t)
        fn(values[filters->at(o, jj, t)]);
  }
  ArrayRef<float> all() const { return product ? product->values : values; }
};

std::optional<ChannelWeights> channelWeightsOf(Operation *op) {
  ChannelWeights w;
  w.op = op;
  if (std::optional<quant::WeightView> view = quant::weightOf(op)) {
    w.constant = view->constant;
    w.channels = view->k;
    w.product = std::move(view);
    return w;
  }
  auto conv = dyn_cast<qc::ConvOp>(op);
  auto constant = conv ? conv.getW().getDefiningOp<qc::ConstantOp>() : nullptr;
  auto type = constant ? dyn_cast<RankedTensorType>(constant.getType())
                       : RankedTensorType();
  auto x = conv ? dyn_cast<RankedTensorType>(conv.getX().getType())
                : RankedTensorType();
  if (!type || !type.getElementType().isF32() || !x || x.isDynamicDim(1))
    return std::nullopt;
  std::optional<quant::ConvFilters> filters = quant::convFilters(conv, x.getDimSize(1));
  std::optional<std::vector<float>> values =
      filters ? qc::float32Values(constant.getValue(), type) : std::nullopt;
  if (!values)
    return std::nullopt;
  w.constant = constant;
  w.values = std::move(*values);
  w.channels = filters->channels;
  w.filters = filters;
  return w;
}

struct SmoothQuant : quantc::impl::QcSmoothQuantBase<SmoothQuant> {
  using Base::Base;

  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func)
      return;
    // Readers by activation, in order.
    llvm::MapVector<Value, SmallVector<quant::StaticCandidate>> readers;
    for (const quant::StaticCandidate &c : quant::staticQuantizationCandidates(func))
      readers[c.activation].push_back(c);
    for (auto &[activation, candidates] : readers)
      smooth(activation, candidates);
  }

  void smooth(Value x, ArrayRef<quant::StaticCandidate> candidates) {
    // Every reader with the channel ranges and its weight, one channel count.
    SmallVector<ChannelWeights> weights;
    ArrayRef<float> lo, hi;
    for (const quant::StaticCandidate &c : candidates) {
      auto mn = c.op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMinAttr);
      auto mx = c.op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMaxAttr);
      std::optional<ChannelWeights> w = channelWeightsOf(c.op);
      if (!mn || !mx || !w || int64_t(mn.size()) != w->channels ||
          int64_t(mx.size()) != w->channels)
        return;
      lo = mn.asArrayRef();
      hi = mx.asArrayRef();
      weights.push_back(std::move(*w));
    }
    int64_t k = weights.front().channels;
    if (llvm::any_of(weights, [&](const ChannelWeights &w) { return w.channels != k; }))
      return;
    // Where the weights take s whole, all of the range moves (alpha 1);
    // elsewhere only when asked (--smoothquant), by alpha.
    bool exact = llvm::all_of(weights, [](const ChannelWeights &w) { return w.exact(); });
    double a = exact ? 1.0 : alpha;
    if (a < 0)
      return;

    // s_j = max|X_j|^alpha / max|W_j|^(1 - alpha).
    std::vector<float> scale(k, 1.0f);
    for (int64_t j = 0; j < k; ++j) {
      float xMax = std::max(std::fabs(lo[j]), std::fabs(hi[j])), wMax = 0.0f;
      for (ChannelWeights &w : weights)
        w.forChannel(j, [&](float &v) { wMax = std::max(wMax, std::fabs(v)); });
      if (xMax > 0.0f && wMax > 0.0f)
        scale[j] = std::clamp(
            float(std::pow(xMax, a) / std::pow(wMax, 1.0 - a)), 1e-5f, 1e5f);
    }

    Value smoothed = quant::divideChannels(x, scale, candidates.front().channelAxis,
                                           "smoothquant_scale");
    // The range of X / s, from the per-channel ranges (s > 0).
    float newLo = 0.0f, newHi = 0.0f;
    for (int64_t j = 0; j < k; ++j) {
      newLo = std::min(newLo, lo[j] / scale[j]);
      newHi = std::max(newHi, hi[j] / scale[j]);
    }
    for (ChannelWeights &w : weights) {
      for (int64_t j = 0; j < k; ++j)
        w.forChannel(j, [&](float &v) { v *= scale[j]; });
      OpBuilder wb(w.op);
      Value weight = quant::createConstant(
          wb, w.constant.getLoc(), cast<RankedTensorType>(w.constant.getType()),
          quant::asBytes(w.all()), "smoothed_weight");
      w.op->setOperand(0, smoothed);
      w.op->setOperand(1, weight);
      w.op->setAttr(quant::kCalibrationAttr,
                    wb.getDenseF32ArrayAttr({newLo, newHi}));
      w.op->removeAttr(quant::kChannelMinAttr);
      w.op->removeAttr(quant::kChannelMaxAttr);
      // The means are X / s's from now on.
      if (auto mean = w.op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMeanAttr);
          mean && int64_t(mean.size()) == k) {
        SmallVector<float> scaled(mean.asArrayRef());
        for (int64_t j = 0; j < k; ++j)
          scaled[j] /= scale[j];
        w.op->setAttr(quant::kChannelMeanAttr, wb.getDenseF32ArrayAttr(scaled));
      }
    }
  }
};

} // namespace
