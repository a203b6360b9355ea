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

struct SmoothQuant : quantc::impl::QcSmoothQuantBase<SmoothQuant> {
  using Base::Base;

  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func)
      return;
    // Readers by activation, in order.
    llvm::MapVector<Value, SmallVector<Operation *>> readers;
    for (const quant::StaticCandidate &c : quant::staticQuantizationCandidates(func))
      readers[c.activation].push_back(c.op);
    for (auto &[activation, ops] : readers)
      smooth(activation, ops);
  }

  void smooth(Value x, ArrayRef<Operation *> ops) {
    // Every reader a MatMul or Gemm with the channel ranges, one K.
    SmallVector<quant::WeightView> weights;
    ArrayRef<float> lo, hi;
    for (Operation *op : ops) {
      auto mn = op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMinAttr);
      auto mx = op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMaxAttr);
      std::optional<quant::WeightView> w = quant::weightOf(op);
      if (!isa<qc::MatMulOp, qc::GemmOp>(op) || !mn || !mx || !w ||
          mn.size() != w->k || mx.size() != w->k)
        return;
      lo = mn.asArrayRef();
      hi = mx.asArrayRef();
      weights.push_back(std::move(*w));
    }
    int64_t k = weights.front().k;
    if (llvm::any_of(weights, [&](const quant::WeightView &w) { return w.k != k; }))
      return;

    // s_j = max|X_j|^alpha / max|W_j|^(1 - alpha).
    std::vector<float> scale(k, 1.0f);
    for (int64_t j = 0; j < k; ++j) {
      float xMax = std::max(std::fabs(lo[j]), std::fabs(hi[j])), wMax = 0.0f;
      for (quant::WeightView &w : weights)
        for (int64_t c = 0; c < w.n; ++c)
          wMax = std::max(wMax, std::fabs(w.at(j, c)));
      if (xMax > 0.0f && wMax > 0.0f)
        scale[j] = std::clamp(
            float(std::pow(xMax, alpha) / std::pow(wMax, 1.0 - alpha)), 1e-5f,
            1e5f);
    }

    Value smoothed = quant::divideChannels(x, scale, "smoothquant_scale");
    // The range of X / s, from the per-channel ranges (s > 0).
    float newLo = 0.0f, newHi = 0.0f;
    for (int64_t j = 0; j < k; ++j) {
      newLo = std::min(newLo, lo[j] / scale[j]);
      newHi = std::max(newHi, hi[j] / scale[j]);
    }
    for (auto [op, w] : llvm::zip_equal(ops, weights)) {
      for (int64_t j = 0; j < k; ++j)
        for (int64_t c = 0; c < w.n; ++c)
          w.at(j, c) *= scale[j];
      OpBuilder wb(op);
      Value weight = quant::createConstant(
          wb, w.constant.getLoc(), cast<RankedTensorType>(w.constant.getType()),
          quant::asBytes(w.values),
          "smoothed_weight");
      op->setOperand(0, smoothed);
      op->setOperand(1, weight);
      op->setAttr(quant::kCalibrationAttr,
                  wb.getDenseF32ArrayAttr({newLo, newHi}));
      op->removeAttr(quant::kChannelMinAttr);
      op->removeAttr(quant::kChannelMaxAttr);
    }
  }
};

} // namespace
