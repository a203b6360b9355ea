//===- QuantizeWeightsInt4.cpp - qc-quantize-weights-int4 -----------------===//
//
// `--quantize=w4`: the weights of MatMul and Gemm in 4 bits, one scale and
// zero point per group of K rows of each column (as onnxruntime's
// MatMulNBits quantizer groups them), rounded by RTN, GPTQ or AWQ
// (Int4Rounding.h). The representation is ONNX's own blocked
// DequantizeLinear, so that an imported model quantized this way and one
// quantized here are the same IR.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Int4Rounding.h"
#include "passes/quant/Passes.h"
#include "passes/quant/StaticQuantization.h"
#include "passes/quant/WeightQuantization.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/Support/FormatVariadic.h"

#include <string>

namespace quantc {
#define GEN_PASS_DEF_QCQUANTIZEWEIGHTSINT4
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// What calibration left on an op for GPTQ and AWQ (StaticQuantization.h).
struct Calibrated {
  std::vector<float> hessian; // [k, k]
  std::vector<float> meanAbs; // [k]
};

/// op's K x K Hessian attribute, or null.
DenseElementsAttr hessianOf(Operation *op, int64_t k) {
  auto hessian = op->getAttrOfType<DenseElementsAttr>(quant::kHessianAttr);
  if (!hessian || hessian.getType().getShape() != ArrayRef<int64_t>{k, k})
    return {};
  return hessian;
}

std::optional<Calibrated> calibrationOf(Operation *op, int64_t k) {
  DenseElementsAttr hessian = hessianOf(op, k);
  auto meanAbs = op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMeanAbsAttr);
  if (!hessian)
    return std::nullopt;
  std::optional<std::vector<float>> h = qc::float32Values(hessian, hessian.getType());
  if (!h)
    return std::nullopt;
  Calibrated c{std::move(*h), {}};
  if (meanAbs && int64_t(meanAbs.size()) == k)
    c.meanAbs.assign(meanAbs.asArrayRef().begin(), meanAbs.asArrayRef().end());
  return c;
}

struct QuantizeWeightsInt4
    : quantc::impl::QcQuantizeWeightsInt4Base<QuantizeWeightsInt4> {
  using Base::Base;

  std::vector<std::string> decisions;

  void runOnOperation() override {
    if (groupSize < 1) {
      getOperation().emitError("qc-quantize-weights-int4: group-size must be "
                               "positive, got ")
          << groupSize;
      return signalPassFailure();
    }
    if (method != "rtn" && method != "gptq" && method != "awq") {
      getOperation().emitError("qc-quantize-weights-int4: unknown method '")
          << method << "' (rtn, gptq or awq)";
      return signalPassFailure();
    }
    // The weights, grouped by the activation they multiply: AWQ gives the
    // readers of one activation one channel scale (a single division of it).
    llvm::MapVector<Value, SmallVector<std::pair<Operation *, quant::WeightView>>>
        readers;
    SmallVector<qc::GatherOp> gathers;
    getOperation().walk([&](Operation *op) {
      if (std::optional<quant::WeightView> w = quant::weightOf(op))
        readers[op->getOperand(0)].emplace_back(op, std::move(*w));
      if (auto gather = dyn_cast<qc::GatherOp>(op))
        gathers.push_back(gather);
    });
    for (auto &[activation, weights] : readers) {
      if (method == "awq" && awq(activation, weights))
        continue;
      for (auto &[op, w] : weights)
        roundOne(op, w);
    }
    for (qc::GatherOp gather : gathers)
      quantizeGather(gather);
    getOperation().walk([](Operation *op) {
      op->removeAttr(quant::kHessianAttr);
      op->removeAttr(quant::kChannelMeanAbsAttr);
    });
    if (printDecisions) {
      llvm::errs() << "w4 quantization decisions (g" << groupSize << ", "
                   << method << "; output error = |X (B' - B)|^2 / |X B|^2 "
                   << "over the calibration inputs):\n";
      for (const std::string &line : decisions)
        llvm::errs() << line << "\n";
    }
  }

  /// RTN, or GPTQ where calibration reached the op. The output errors
  /// (three more products of the Hessian) are only worked out to be printed.
  void roundOne(Operation *op, const quant::WeightView &w) {
    std::vector<float> b = w.kByN();
    std::optional<Calibrated> calibrated =
        method == "rtn" ? std::nullopt : calibrationOf(op, w.k);
    if (!calibrated || method != "gptq") {
      replaceWeight(op, w, quant::roundToNearestInt4(b, w.k, w.n, groupSize));
      decide(op, w,
             method == "rtn" ? "rtn"
             : !calibrated   ? "rtn (no calibration data reached it)"
                             : "rtn (AWQ needs every reader of its input "
                               "calibrated, with one K)");
      return;
    }
    quant::Int4Weights gptq = quant::gptqInt4(b, calibrated->hessian, w.k, w.n, groupSize);
    replaceWeight(op, w, gptq);
    if (!printDecisions)
      return;
    const std::vector<float> &h = calibrated->hessian;
    double energy = quant::outputEnergy(b, w.k, w.n, h);
    quant::Int4Weights rtn = quant::roundToNearestInt4(b, w.k, w.n, groupSize);
    decide(op, w,
           llvm::formatv("gptq, output error {0:e2} (rtn {1:e2})",
                         quant::outputError(gptq, b, h) / energy,
                         quant::outputError(rtn, b, h) / energy)
               .str());
  }

  /// AWQ over every reader of `x`; false (nothing done) unless each was
  /// calibrated.
  bool awq(Value x, ArrayRef<std::pair<Operation *, quant::WeightView>> weights) {
    int64_t k = weights.front().second.k;
    std::optional<Calibrated> calibrated = calibrationOf(weights.front().first, k);
    if (!calibrated || calibrated->meanAbs.empty())
      return false;
    std::vector<std::vector<float>> bs;
    SmallVector<int64_t> columns;
    for (auto &[op, w] : weights) {
      if (w.k != k || !hessianOf(op, k))
        return false;
      bs.push_back(w.kByN());
      columns.push_back(w.n);
    }
    quant::AwqResult result = quant::awqInt4(bs, k, columns, calibrated->hessian,
                                             calibrated->meanAbs, groupSize);
    // X / s, once for all readers.
    Value scaled = quant::divideChannels(
        x, result.scales, cast<RankedTensorType>(x.getType()).getRank() - 1,
        "awq_scale");
    std::string how;
    if (printDecisions) {
      double energy = 0.0;
      for (auto [b, n] : llvm::zip_equal(bs, columns))
        energy += quant::outputEnergy(b, k, n, calibrated->hessian);
      how = llvm::formatv("awq alpha {0:F2} over {1} reader(s) of this input, "
                          "output error {2:e2} (rtn {3:e2})",
                          result.alpha, weights.size(), result.error / energy,
                          result.rtnError / energy);
    }
    for (auto [reader, q] : llvm::zip_equal(weights, result.weights)) {
      reader.first->setOperand(0, scaled);
      replaceWeight(reader.first, reader.second, q);
      decide(reader.first, reader.second, how);
    }
    return true;
  }

  /// An embedding, Gather(D, indices) of rows of a constant float32 table
  /// D [V, C]: each row in uint4 groups of `group-size` along C (RTN, as
  /// weights), packed two a byte, and only the gathered rows dequantized:
  /// Gather the bytes [V, C/g, g/2, 1], the scales and zero points
  /// [V, C/g, 1, 1]; split the bytes into halves; (q - zero point) * scale;
  /// reshape to [..., C].
  void quantizeGather(qc::GatherOp gather) {
    auto table = gather.getData().getDefiningOp<qc::ConstantOp>();
    auto type = dyn_cast<RankedTensorType>(gather.getData().getType());
    auto resultType = dyn_cast<RankedTensorType>(gather.getType());
    auto indicesType = dyn_cast<RankedTensorType>(gather.getIndices().getType());
    if (!table || !type || !resultType || !indicesType || type.getRank() != 2 ||
        !type.getElementType().isF32())
      return; // a gather of shapes or indices, not an embedding
    std::string name = quant::onnxNameOr(gather, "?");
    auto keep = [&](StringRef why) {
      decisions.push_back(
          llvm::formatv("  qc.Gather '{0}': float32 ({1})", name, why).str());
    };
    if (gather.getAxis() != 0)
      return keep("it gathers along axis 1, not rows");
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    if (cols % groupSize != 0 || groupSize % 2 != 0)
      return keep(llvm::formatv("its rows of {0} are not whole groups of an even "
                                "group size", cols).str());
    std::optional<std::vector<float>> values =
        qc::float32Values(table.getValue(), type);
    if (!values)
      return keep("its values cannot be read");
    // Groups run along a row: round the table transposed, [C, V].
    std::vector<float> columns(values->size());
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        columns[c * rows + r] = (*values)[r * cols + c];
    quant::Int4Weights q = quant::roundToNearestInt4(columns, cols, rows, groupSize);
    int64_t groups = q.groups();
    std::vector<uint8_t> byRow(rows * cols), zeroPoints(rows * groups);
    std::vector<float> scales(rows * groups);
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c)
        byRow[r * cols + c] = q.q[c * rows + r];
      for (int64_t g = 0; g < groups; ++g) {
        scales[r * groups + g] = q.scales[g * rows + r];
        zeroPoints[r * groups + g] = q.zeroPoints[g * rows + r];
      }
    }

    OpBuilder b(gather);
    Location loc = gather.getLoc();
    auto f32 = b.getF32Type();
    auto u8 = IntegerType::get(&getContext(), 8, IntegerType::Unsigned);
    std::string tableName = quant::onnxNameOr(table, "table");
    int64_t half = groupSize / 2;
    Value packed = quant::createConstant(
        b, table.getLoc(), RankedTensorType::get({rows, groups, half, 1}, u8),
        quant::asBytes(quant::packNibbles(byRow)), tableName + "_int4");
    Value scale = quant::createConstant(
        b, table.getLoc(), RankedTensorType::get({rows, groups, 1, 1}, f32),
        quant::asBytes(scales), tableName + "_scale");
    Value zeroPoint = quant::createConstant(
        b, table.getLoc(), RankedTensorType::get({rows, groups, 1, 1}, u8),
        quant::asBytes(zeroPoints), tableName + "_zero_point");
    // Shapes: the indices', then the group structure.
    auto gathered = [&](ArrayRef<int64_t> tail, Type element) {
      SmallVector<int64_t> shape(indicesType.getShape());
      shape.append(tail.begin(), tail.end());
      return RankedTensorType::get(shape, element);
    };
    Value indices = gather.getIndices();
    Value rowBytes = qc::GatherOp::create(b, loc, gathered({groups, half, 1}, u8),
                                          packed, indices, 0);
    Value rowScales = qc::GatherOp::create(b, loc, gathered({groups, 1, 1}, f32),
                                           scale, indices, 0);
    Value rowZeroPoints = qc::GatherOp::create(
        b, loc, gathered({groups, 1, 1}, u8), zeroPoint, indices, 0);
    Value nibbles = quant::unpackNibbles(b, loc, rowBytes);
    auto full = gathered({groups, half, 2}, f32);
    Value levels = qc::CastOp::create(b, loc, full, nibbles, quant::kOnnxFloat);
    Value zeros = qc::CastOp::create(b, loc, gathered({groups, 1, 1}, f32),
                                     rowZeroPoints, quant::kOnnxFloat);
    Value centered = qc::SubOp::create(b, loc, full, levels, zeros);
    Value dequantized = qc::MulOp::create(b, loc, full, centered, rowScales);
    // Reshape's 0 keeps the indices' dims, run-time ones included.
    SmallVector<int64_t> shape(indicesType.getRank(), 0);
    shape.push_back(cols);
    Value target = quant::createConstant(
        b, loc, RankedTensorType::get({int64_t(shape.size())}, b.getI64Type()),
        quant::asBytes(shape), "shape");
    Value y = qc::ReshapeOp::create(b, loc, resultType, dequantized, target);
    gather.getResult().replaceAllUsesWith(y);
    gather.erase();
    decisions.push_back(llvm::formatv("  qc.Gather '{0}' [{1} x {2}]: rtn, rows "
                                      "in groups of {3}", name, rows, cols, groupSize)
                            .str());
    ++quantized;
  }

  void decide(Operation *op, const quant::WeightView &w, StringRef how) {
    if (!printDecisions)
      return;
    decisions.push_back(llvm::formatv("  {0} '{1}' [{2} x {3}]: {4}", op->getName(),
                                      quant::onnxNameOr(op, "?"), w.k, w.n, how)
                            .str());
  }

  /// op's weight becomes `q` dequantized (quant::dequantizedInt4).
  void replaceWeight(Operation *op, const quant::WeightView &w,
                     const quant::Int4Weights &q) {
    OpBuilder b(op);
    qc::ConstantOp original = w.constant;
    Value dq = quant::dequantizedInt4(b, original.getLoc(), q,
                                      quant::onnxNameOr(original, "weight"));
    op->setOperand(1, dq);
    if (auto gemm = dyn_cast<qc::GemmOp>(op))
      gemm.setTransB(0);
    ++quantized;
  }
};

} // namespace
