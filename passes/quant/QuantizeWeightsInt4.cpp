//===- QuantizeWeightsInt4.cpp - qc-quantize-weights-int4 -----------------===//
//
// `--quantize=w4 --w4-method=rtn`: the weights of MatMul and Gemm rounded
// to 4 bits, one scale and zero point per group of K rows of each column
// (as onnxruntime's MatMulNBits quantizer groups them). The representation
// is ONNX's own blocked DequantizeLinear, so that an imported model
// quantized this way and one quantized here are the same IR.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/WeightQuantization.h"

#include "llvm/ADT/TypeSwitch.h"

#include <algorithm>
#include <cmath>

namespace quantc {
#define GEN_PASS_DEF_QCQUANTIZEWEIGHTSINT4
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

struct QuantizeWeightsInt4
    : quantc::impl::QcQuantizeWeightsInt4Base<QuantizeWeightsInt4> {
  using Base::Base;

  void runOnOperation() override {
    if (groupSize < 1) {
      getOperation().emitError("qc-quantize-weights-int4: group-size must be "
                               "positive, got ")
          << groupSize;
      return signalPassFailure();
    }
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<qc::MatMulOp, qc::GemmOp>(op))
        ops.push_back(op);
    });
    for (Operation *op : ops)
      quantize(op);
  }

  void quantize(Operation *op) {
    auto gemm = dyn_cast<qc::GemmOp>(op);
    if (gemm && gemm.getTransA())
      return;
    bool transB = gemm && gemm.getTransB();
    auto constant = op->getOperand(1).getDefiningOp<qc::ConstantOp>();
    auto type = constant ? dyn_cast<RankedTensorType>(constant.getType())
                         : RankedTensorType();
    if (!type || type.getRank() != 2 || !type.getElementType().isF32())
      return;
    std::optional<std::vector<float>> values =
        qc::float32Values(constant.getValue(), type);
    if (!values)
      return;
    int64_t k = type.getDimSize(transB ? 1 : 0), n = type.getDimSize(transB ? 0 : 1);
    auto at = [&](int64_t r, int64_t c) {
      return transB ? (*values)[c * k + r] : (*values)[r * n + c];
    };
    int64_t groups = (k + groupSize - 1) / groupSize;
    std::vector<uint8_t> q(k * n), zeroPoints(groups * n);
    std::vector<float> scales(groups * n);
    for (int64_t g = 0; g < groups; ++g) {
      int64_t r0 = g * groupSize, r1 = std::min(k, r0 + groupSize);
      for (int64_t c = 0; c < n; ++c) {
        float lo = 0.0f, hi = 0.0f;
        for (int64_t r = r0; r < r1; ++r) {
          lo = std::min(lo, at(r, c));
          hi = std::max(hi, at(r, c));
        }
        float scale = hi > lo ? (hi - lo) / 15.0f : 1.0f;
        float zp = std::clamp(std::nearbyint(-lo / scale), 0.0f, 15.0f);
        scales[g * n + c] = scale;
        zeroPoints[g * n + c] = uint8_t(zp);
        for (int64_t r = r0; r < r1; ++r)
          q[r * n + c] = uint8_t(
              std::clamp(std::nearbyint(at(r, c) / scale) + zp, 0.0f, 15.0f));
      }
    }

    OpBuilder b(op);
    Location loc = constant.getLoc();
    auto u4 = IntegerType::get(&getContext(), 4, IntegerType::Unsigned);
    std::string name = quant::onnxNameOr(constant, "weight");
    Value weight = quant::createConstant(
        b, loc, RankedTensorType::get({k, n}, u4),
        ArrayRef(reinterpret_cast<const char *>(q.data()), q.size()), name + "_int4");
    Value scale = quant::createConstant(
        b, loc, RankedTensorType::get({groups, n}, b.getF32Type()),
        ArrayRef(reinterpret_cast<const char *>(scales.data()),
                 scales.size() * sizeof(float)),
        name + "_scale");
    Value zeroPoint = quant::createConstant(
        b, loc, RankedTensorType::get({groups, n}, u4),
        ArrayRef(reinterpret_cast<const char *>(zeroPoints.data()),
                 zeroPoints.size()),
        name + "_zero_point");
    Value dq = qc::DequantizeLinearOp::create(
        b, loc, RankedTensorType::get({k, n}, b.getF32Type()), weight, scale,
        zeroPoint, /*axis=*/0, /*block_size=*/groupSize);
    op->setOperand(1, dq);
    if (transB)
      gemm.setTransB(0);
    ++quantized;
  }
};

} // namespace
