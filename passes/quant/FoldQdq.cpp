//===- FoldQdq.cpp - qc-fold-qdq ------------------------------------------===//
//
// A QDQ model (onnxruntime's quantize_static writes them, and static int8
// makes one of a float model) computes in float between DequantizeLinear
// and QuantizeLinear what is, by definition of the scales, integer
// arithmetic. This pass rewrites it so that it runs on the int8 kernels
// rather than dequantizing the weights on every call:
//
//   Q(Conv(DQ(x), DQ(w), DQ(b)))  ->  QLinearConv(x, .., w, .., y, ..,
//                                     B = round(b / (x_scale * w_scale)))
//   Conv(DQ(x), DQ(w), b)         ->  ConvInteger(x, w) * (x_scale * w_scale) + b
//   MatMul/Gemm(DQ(x), DQ(w))     ->  MatMulInteger(x, w) * (x_scale * w_scale)
//
// (onnxruntime runs these models the same way). Weights and scales must be
// constants (the bias and the multipliers are computed here), x quantized
// per tensor, w per tensor or per output channel; the first form also needs
// y per tensor and the Conv read by the QuantizeLinear alone.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/WeightQuantization.h"

#include "dialects/qc/IR/ShapeUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>

namespace quantc {
#define GEN_PASS_DEF_QCFOLDQDQ
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// The float32 values of a constant tensor (scales), if it is one.
std::optional<std::vector<float>> constantFloats(Value v) {
  auto constant = v.getDefiningOp<qc::ConstantOp>();
  if (!constant)
    return std::nullopt;
  return qc::float32Values(constant.getValue(), constant.getType());
}

/// A DequantizeLinear that reads one scale (and zero point) for the whole
/// tensor.
bool perTensor(qc::DequantizeLinearOp dq) {
  auto scale = cast<RankedTensorType>(dq.getXScale().getType());
  return dq.getBlockSize() == 0 && qc::holdsOneValue(scale);
}

/// The zero point of `dq`, or a zero of its input's type when it has none
/// (QLinearConv takes every zero point as an operand).
Value zeroPointOf(OpBuilder &b, qc::DequantizeLinearOp dq) {
  if (Value zp = dq.getXZeroPoint())
    return zp;
  Type element = getElementTypeOrSelf(dq.getX().getType());
  auto type = RankedTensorType::get({}, element);
  return qc::ConstantOp::create(b, dq.getLoc(), type,
                                DenseElementsAttr::get(type, b.getZeroAttr(element)));
}

struct FoldQdq : quantc::impl::QcFoldQdqBase<FoldQdq> {
  void runOnOperation() override {
    SmallVector<qc::QuantizeLinearOp> quantizes;
    getOperation().walk([&](qc::QuantizeLinearOp q) { quantizes.push_back(q); });
    for (qc::QuantizeLinearOp q : quantizes)
      foldConv(q);
    // Convolutions of DQ inputs whose float result is not quantized again
    // (static int8 makes these).
    SmallVector<qc::ConvOp> convs;
    getOperation().walk([&](qc::ConvOp conv) { convs.push_back(conv); });
    for (qc::ConvOp conv : convs)
      foldConvToFloat(conv);
    SmallVector<Operation *> products;
    getOperation().walk([&](Operation *op) {
      if (isa<qc::MatMulOp, qc::GemmOp>(op))
        products.push_back(op);
    });
    for (Operation *op : products)
      foldProduct(op);
  }

  /// Conv(DQ(x), DQ(w), b) with x per tensor and w a constant per tensor or
  /// per output channel: ConvInteger(x, w) scaled back to float by x_scale *
  /// w_scale per channel, plus b (a constant, or DQ of one). What read the
  /// Conv reads the same float result.
  void foldConvToFloat(qc::ConvOp conv) {
    auto x = conv.getX().getDefiningOp<qc::DequantizeLinearOp>();
    auto w = conv.getW().getDefiningOp<qc::DequantizeLinearOp>();
    auto resultType = dyn_cast<RankedTensorType>(conv.getType());
    if (!x || !w || !perTensor(x) || w.getBlockSize() != 0 || !resultType ||
        resultType.getRank() != 4 || !resultType.getElementType().isF32() ||
        !w.getX().getDefiningOp<qc::ConstantOp>())
      return;
    auto wType = cast<RankedTensorType>(w.getX().getType());
    auto wScaleType = cast<RankedTensorType>(w.getXScale().getType());
    int64_t filters = wType.getDimSize(0);
    bool wPerTensor = qc::holdsOneValue(wScaleType);
    if (!wPerTensor && (wScaleType.getRank() != 1 || w.getAxis() != 0 ||
                        wScaleType.getDimSize(0) != filters))
      return;
    std::optional<std::vector<float>> xScale = constantFloats(x.getXScale());
    std::optional<std::vector<float>> wScale = constantFloats(w.getXScale());
    std::optional<std::vector<float>> bias;
    if (Value b = conv.getB()) {
      auto dq = b.getDefiningOp<qc::DequantizeLinearOp>();
      bias = dq ? dequantizedConstant(dq) : constantFloats(b);
      if (!bias)
        return;
    }
    if (!xScale || !wScale)
      return;

    OpBuilder b(conv);
    Location loc = conv.getLoc();
    OperationState state(loc, qc::ConvIntegerOp::getOperationName());
    state.addOperands({x.getX(), w.getX(), zeroPointOf(b, x), zeroPointOf(b, w)});
    state.addAttribute("operandSegmentSizes", b.getDenseI32ArrayAttr({1, 1, 1, 1}));
    for (StringRef name : {"auto_pad", "dilations", "group", "kernel_shape",
                           "pads", "strides"})
      if (Attribute attr = conv->getAttr(name))
        state.addAttribute(name, attr);
    state.addTypes(resultType.clone(b.getI32Type()));
    Value acc = b.create(state)->getResult(0);
    // Per channel, as [F, 1, 1] against NCHW.
    auto channelType = RankedTensorType::get({filters, 1, 1}, b.getF32Type());
    std::vector<float> scales(filters);
    for (int64_t f = 0; f < filters; ++f)
      scales[f] = (*xScale)[0] * (*wScale)[wPerTensor ? 0 : f];
    auto channelConstant = [&](const std::vector<float> &v, StringRef name) {
      return quant::createConstant(
          b, loc, channelType,
          quant::asBytes(v),
          name);
    };
    Value y = qc::MulOp::create(b, loc, resultType,
                                qc::CastOp::create(b, loc, resultType, acc, 1),
                                channelConstant(scales, "conv_scale"));
    if (bias)
      y = qc::AddOp::create(b, loc, resultType, y,
                            channelConstant(*bias, "conv_bias"));
    conv.getResult().replaceAllUsesWith(y);
    conv.erase();
    ++floatFolds;
  }

  /// MatMul or Gemm (alpha * A x op(B) + beta * C) of DQ(x) and DQ(w), x per
  /// tensor and w a constant per tensor or per output column: the product
  /// runs on the integers, MatMulInteger(x, w) (w stored [K, N]), and is
  /// scaled back to float by x_scale * w_scale (* alpha); beta * C is added
  /// in float. Whatever reads the product (a QuantizeLinear, usually) reads
  /// the float result as before.
  void foldProduct(Operation *op) {
    Value a = op->getOperand(0), bOperand = op->getOperand(1), c;
    bool transB = false;
    float alpha = 1.0f, beta = 1.0f;
    if (auto gemm = dyn_cast<qc::GemmOp>(op)) {
      if (gemm.getTransA())
        return;
      transB = gemm.getTransB() != 0;
      alpha = gemm.getAlpha().convertToFloat();
      beta = gemm.getBeta().convertToFloat();
      c = gemm.getC();
    }
    auto x = a.getDefiningOp<qc::DequantizeLinearOp>();
    auto w = bOperand.getDefiningOp<qc::DequantizeLinearOp>();
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!x || !w || !perTensor(x) || w.getBlockSize() != 0 || !resultType ||
        !resultType.getElementType().isF32())
      return;
    auto wConstant = w.getX().getDefiningOp<qc::ConstantOp>();
    auto wType = cast<RankedTensorType>(w.getX().getType());
    auto aType = cast<RankedTensorType>(x.getX().getType());
    if (!wConstant || wType.getRank() != 2 || aType.getRank() < 2)
      return;
    int64_t k = wType.getDimSize(transB ? 1 : 0), n = wType.getDimSize(transB ? 0 : 1);
    // The output column is w's dim 1, or dim 0 when transposed.
    auto wScaleType = cast<RankedTensorType>(w.getXScale().getType());
    int64_t columnAxis = transB ? 0 : 1;
    bool wPerTensor = qc::holdsOneValue(wScaleType);
    if (!wPerTensor && (wScaleType.getRank() != 1 || wScaleType.getDimSize(0) != n ||
                        w.getAxis() != columnAxis))
      return;
    std::optional<std::vector<float>> xScale = constantFloats(x.getXScale());
    std::optional<std::vector<float>> wScale = constantFloats(w.getXScale());
    std::optional<std::vector<int64_t>> values =
        qc::integerValues(wConstant.getValue(), wConstant.getType());
    if (!xScale || !wScale || !values)
      return;

    OpBuilder b(op);
    Location loc = op->getLoc();
    // w as [K, N], in its own integer type.
    Value wKN = w.getX();
    if (transB) {
      unsigned bytes = wType.getElementTypeBitWidth() / 8;
      if (bytes != 1)
        return;
      std::vector<int8_t> transposed(k * n);
      for (int64_t r = 0; r < k; ++r)
        for (int64_t col = 0; col < n; ++col)
          transposed[r * n + col] = int8_t((*values)[col * k + r]);
      auto type = RankedTensorType::get({k, n}, wType.getElementType());
      wKN = quant::createConstant(
          b, wConstant.getLoc(), type,
          quant::asBytes(transposed),
          "weight_transposed");
    }
    auto accType = resultType.clone(b.getI32Type());
    Value acc = qc::MatMulIntegerOp::create(b, loc, accType, x.getX(), wKN,
                                            zeroPointOf(b, x), zeroPointOf(b, w));
    auto f32 = b.getF32Type();
    std::vector<float> scales(n);
    for (int64_t col = 0; col < n; ++col)
      scales[col] = (*xScale)[0] * (*wScale)[wPerTensor ? 0 : col] * alpha;
    Value scale = quant::createConstant(
        b, loc, RankedTensorType::get({n}, f32),
        quant::asBytes(scales),
        "product_scale");
    Value y = qc::MulOp::create(
        b, loc, resultType, qc::CastOp::create(b, loc, resultType, acc, 1), scale);
    if (c) {
      if (beta != 1.0f) {
        Value betaValue = quant::createConstant(
            b, loc, RankedTensorType::get({}, f32),
            quant::asBytes(ArrayRef(beta)), "beta");
        c = qc::MulOp::create(b, loc, c.getType(), c, betaValue);
      }
      y = qc::AddOp::create(b, loc, resultType, y, c);
    }
    op->getResult(0).replaceAllUsesWith(y);
    op->erase();
    ++productFolds;
  }

  void foldConv(qc::QuantizeLinearOp q) {
    auto conv = q.getX().getDefiningOp<qc::ConvOp>();
    if (!conv || !conv->hasOneUse() || !q.getYZeroPoint() ||
        !getElementTypeOrSelf(conv.getType()).isF32() ||
        !qc::holdsOneValue(cast<RankedTensorType>(q.getYScale().getType())))
      return;
    auto x = conv.getX().getDefiningOp<qc::DequantizeLinearOp>();
    auto w = conv.getW().getDefiningOp<qc::DequantizeLinearOp>();
    if (!x || !w || !perTensor(x) || w.getBlockSize() != 0 ||
        !w.getX().getDefiningOp<qc::ConstantOp>())
      return;
    auto wType = cast<RankedTensorType>(w.getX().getType());
    auto wScaleType = cast<RankedTensorType>(w.getXScale().getType());
    // w per tensor, or per output channel (axis 0).
    if (!qc::holdsOneValue(wScaleType) &&
        (wScaleType.getRank() != 1 || w.getAxis() != 0 ||
         wScaleType.getDimSize(0) != wType.getDimSize(0)))
      return;
    std::optional<std::vector<float>> xScale = constantFloats(x.getXScale());
    std::optional<std::vector<float>> wScale = constantFloats(w.getXScale());
    if (!xScale || !wScale)
      return;

    OpBuilder b(q);
    Location loc = conv.getLoc();
    Value bias;
    if (Value floatBias = conv.getB()) {
      // The bias in float32 (a constant, or DequantizeLinear of one), then
      // in units of x_scale * w_scale.
      std::optional<std::vector<float>> values;
      if (auto dq = floatBias.getDefiningOp<qc::DequantizeLinearOp>())
        values = dequantizedConstant(dq);
      else
        values = constantFloats(floatBias);
      if (!values)
        return;
      int64_t filters = wType.getDimSize(0);
      std::vector<int32_t> units(filters);
      for (int64_t f = 0; f < filters; ++f) {
        double unit = double((*xScale)[0]) * (*wScale)[wScale->size() == 1 ? 0 : f];
        units[f] = int32_t(std::nearbyint((*values)[f] / unit));
      }
      auto type = RankedTensorType::get({filters}, b.getI32Type());
      bias = quant::createConstant(
          b, floatBias.getLoc(), type,
          quant::asBytes(units),
          "bias_int32");
    }
    OperationState state(loc, qc::QLinearConvOp::getOperationName());
    state.addOperands({x.getX(), x.getXScale(), zeroPointOf(b, x), w.getX(),
                       w.getXScale(), zeroPointOf(b, w), q.getYScale(),
                       q.getYZeroPoint()});
    if (bias)
      state.addOperands(bias);
    for (StringRef name : {"auto_pad", "dilations", "group", "kernel_shape",
                           "pads", "strides"})
      if (Attribute attr = conv->getAttr(name))
        state.addAttribute(name, attr);
    state.addTypes(q.getType());
    Operation *folded = b.create(state);
    q.getResult().replaceAllUsesWith(folded->getResult(0));
    q.erase();
    conv.erase();
    ++folds;
  }

  /// DequantizeLinear of constants, per tensor or per axis of a 1-D tensor
  /// (a bias), computed here.
  std::optional<std::vector<float>> dequantizedConstant(qc::DequantizeLinearOp dq) {
    auto constant = dq.getX().getDefiningOp<qc::ConstantOp>();
    std::optional<std::vector<float>> scale = constantFloats(dq.getXScale());
    auto type = dyn_cast<RankedTensorType>(dq.getX().getType());
    if (!constant || !scale || !type || type.getRank() != 1 ||
        dq.getBlockSize() != 0)
      return std::nullopt;
    std::optional<std::vector<int64_t>> values =
        qc::integerValues(constant.getValue(), constant.getType());
    std::optional<std::vector<int64_t>> zeroPoints = std::vector<int64_t>{0};
    if (Value zp = dq.getXZeroPoint()) {
      auto zpConstant = zp.getDefiningOp<qc::ConstantOp>();
      zeroPoints = zpConstant ? qc::integerValues(zpConstant.getValue(),
                                                  zpConstant.getType())
                              : std::nullopt;
    }
    auto fits = [&](size_t size) { return size == 1 || size == values->size(); };
    if (!values || !zeroPoints || !fits(scale->size()) || !fits(zeroPoints->size()))
      return std::nullopt;
    auto at = [](const auto &v, size_t i) { return v[v.size() == 1 ? 0 : i]; };
    std::vector<float> out;
    for (size_t i = 0; i < values->size(); ++i)
      out.push_back(float((*values)[i] - at(*zeroPoints, i)) * at(*scale, i));
    return out;
  }
};

} // namespace
