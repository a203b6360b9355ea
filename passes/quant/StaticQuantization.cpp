//===- StaticQuantization.cpp - qc-calibration-outputs, qc-quantize-static ===//
//
// `--quantize=int8` in two compiles of the same model (compiler/calibration
// drives them):
//
//   1. qc-calibration-outputs returns, as extra outputs, every activation
//      that a candidate op (a Conv, MatMul or Gemm with a constant float32
//      weight) reads; the calibration runs that library on the user's inputs
//      and records each activation's range, and its channels' ranges and
//      means.
//   2. The ranges come back as a `qc.calibration` attribute [lo, hi] on each
//      candidate (the channels' as qc.channel_*), qc-smooth-quant evens the
//      channels out where it can, and qc-quantize-static puts
//      QuantizeLinear and DequantizeLinear around it: the activation uint8
//      with the scale and zero point of its range, the weight int8
//      symmetric per output channel (a Conv's bias corrected for it).
//      qc-fold-qdq then runs the op on the integers.
//
// With --int8-error-budget, a compile in between (qc-quantize-static's
// probe mode) makes each candidate switchable to int8 at run time, so that
// calibration can measure what each costs at the outputs.
//
// Both passes find the candidates with the one function below, so that the
// n-th extra output of the first compile is the n-th activation of the
// second.
//
//===----------------------------------------------------------------------===//
#include "passes/abi/Passes.h"
#include "dialects/qc/IR/ElementValues.h"
#include "passes/quant/Passes.h"
#include "passes/quant/StaticQuantization.h"
#include "passes/quant/WeightQuantization.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

namespace quantc {
#define GEN_PASS_DEF_QCCALIBRATIONOUTPUTS
#define GEN_PASS_DEF_QCQUANTIZESTATIC
#include "passes/quant/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace quantc::quant {

namespace {

bool isConstantF32(Value v, int64_t rank) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return v.getDefiningOp<qc::ConstantOp>() && type && type.getRank() == rank &&
         type.getElementType().isF32() && type.hasStaticShape();
}

bool isF32Tensor(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getElementType().isF32();
}

} // namespace

SmallVector<StaticCandidate> staticQuantizationCandidates(func::FuncOp func) {
  SmallVector<StaticCandidate> candidates;
  DenseMap<Value, unsigned> activationIndex;
  for (Operation &op : func.getBody().front()) {
    Value activation;
    if (auto conv = dyn_cast<qc::ConvOp>(op)) {
      if (isConstantF32(conv.getW(), 4) && isF32Tensor(conv.getX()))
        activation = conv.getX();
    } else if (auto mm = dyn_cast<qc::MatMulOp>(op)) {
      if (isConstantF32(mm.getB(), 2) && isF32Tensor(mm.getA()) &&
          cast<RankedTensorType>(mm.getA().getType()).getRank() >= 2)
        activation = mm.getA();
    } else if (auto gemm = dyn_cast<qc::GemmOp>(op)) {
      if (!gemm.getTransA() && isConstantF32(gemm.getB(), 2) &&
          isF32Tensor(gemm.getA()))
        activation = gemm.getA();
    }
    if (!activation)
      continue;
    auto [it, inserted] =
        activationIndex.try_emplace(activation, activationIndex.size());
    int64_t axis = isa<qc::ConvOp>(op)
                       ? 1
                       : cast<RankedTensorType>(activation.getType()).getRank() - 1;
    if (!inserted) // the first reader's, for every reader
      axis = llvm::find_if(candidates, [&](const StaticCandidate &c) {
               return c.activation == activation;
             })->channelAxis;
    candidates.push_back({&op, activation, it->second, axis});
  }
  return candidates;
}

namespace {

// The candidates of `module`'s entry function, or nullopt when it has none;
// and how many activations they read (their indices are dense from 0).
std::optional<SmallVector<StaticCandidate>> entryCandidates(ModuleOp module) {
  auto func = module.lookupSymbol<func::FuncOp>(kEntryFunctionName);
  if (!func)
    return std::nullopt;
  return staticQuantizationCandidates(func);
}
unsigned activationCount(ArrayRef<StaticCandidate> candidates) {
  unsigned activations = 0;
  for (const StaticCandidate &c : candidates)
    activations = std::max(activations, c.activationIndex + 1);
  return activations;
}

} // namespace

bool annotateCalibration(ModuleOp module,
                         ArrayRef<std::pair<float, float>> ranges,
                         ArrayRef<ChannelStats> channels,
                         ArrayRef<std::string> keepFloat) {
  std::optional<SmallVector<StaticCandidate>> candidates =
      entryCandidates(module);
  if (!candidates)
    return ranges.empty();
  unsigned activations = activationCount(*candidates);
  if (activations != ranges.size() ||
      (!channels.empty() && channels.size() != activations) ||
      (!keepFloat.empty() && keepFloat.size() != candidates->size()))
    return false;
  Builder b(module.getContext());
  for (auto [index, c] : llvm::enumerate(*candidates)) {
    if (!keepFloat.empty() && !keepFloat[index].empty()) {
      c.op->setAttr(kKeepFloatAttr, b.getStringAttr(keepFloat[index]));
      continue;
    }
    auto [lo, hi] = ranges[c.activationIndex];
    c.op->setAttr(kCalibrationAttr, b.getDenseF32ArrayAttr({lo, hi}));
    if (!channels.empty() && !channels[c.activationIndex].min.empty()) {
      const ChannelStats &stats = channels[c.activationIndex];
      c.op->setAttr(kChannelMinAttr, b.getDenseF32ArrayAttr(stats.min));
      c.op->setAttr(kChannelMaxAttr, b.getDenseF32ArrayAttr(stats.max));
      c.op->setAttr(kChannelMeanAttr, b.getDenseF32ArrayAttr(stats.mean));
    }
  }
  return true;
}

bool annotateHessians(ModuleOp module, ArrayRef<std::vector<float>> hessians,
                      ArrayRef<std::vector<float>> meanAbs) {
  std::optional<SmallVector<StaticCandidate>> candidates =
      entryCandidates(module);
  if (!candidates)
    return hessians.empty();
  unsigned activations = activationCount(*candidates);
  if (activations != hessians.size() || activations != meanAbs.size())
    return false;
  Builder b(module.getContext());
  for (const StaticCandidate &c : *candidates) {
    if (!isa<qc::MatMulOp, qc::GemmOp>(c.op))
      continue;
    int64_t k = cast<ShapedType>(c.activation.getType()).getShape().back();
    const std::vector<float> &h = hessians[c.activationIndex];
    const std::vector<float> &m = meanAbs[c.activationIndex];
    if (ShapedType::isDynamic(k) || int64_t(h.size()) != k * k ||
        int64_t(m.size()) != k)
      continue;
    auto type = RankedTensorType::get({k, k}, b.getF32Type());
    c.op->setAttr(kHessianAttr, DenseElementsAttr::get(type, ArrayRef<float>(h)));
    c.op->setAttr(kChannelMeanAbsAttr, b.getDenseF32ArrayAttr(m));
  }
  return true;
}

QuantParams activationParams(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  QuantParams p;
  p.scale = hi > lo ? (hi - lo) / 255.0f : 1.0f;
  p.zeroPoint = uint8_t(std::clamp(std::nearbyint(-lo / p.scale), 0.0f, 255.0f));
  return p;
}

} // namespace quantc::quant

namespace {

/// The ONNX name of `op`'s node, for output names and messages.
std::string nodeName(Operation *op) {
  return quant::onnxNameOr(op, op->getName().getStringRef());
}

struct CalibrationOutputs
    : quantc::impl::QcCalibrationOutputsBase<CalibrationOutputs> {
  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func)
      return;
    SmallVector<quant::StaticCandidate> candidates =
        quant::staticQuantizationCandidates(func);
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    SmallVector<Value> results(ret.getOperands());
    SmallVector<Type> types(func.getResultTypes());
    unsigned first = results.size();
    OpBuilder b(ret);
    SmallVector<std::string> names;
    for (const quant::StaticCandidate &c : candidates) {
      if (c.activationIndex != results.size() - first)
        continue; // a value already returned for an earlier candidate
      results.push_back(c.activation);
      types.push_back(c.activation.getType());
      names.push_back(std::string(quant::kCalibrationOutputPrefix) +
                      std::to_string(c.activationIndex) + "." +
                      std::to_string(c.channelAxis) + "." + nodeName(c.op));
    }
    func::ReturnOp::create(b, ret.getLoc(), results);
    ret.erase();
    func.setType(FunctionType::get(&getContext(), func.getArgumentTypes(), types));
    for (auto [i, name] : llvm::enumerate(names))
      func.setResultAttr(first + i, kOnnxNameAttr, b.getStringAttr(name));
  }
};

struct QuantizeStatic : quantc::impl::QcQuantizeStaticBase<QuantizeStatic> {
  using Base::Base;

  void runOnOperation() override {
    auto func = getOperation().lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func)
      return;
    SmallVector<quant::StaticCandidate> candidates =
        quant::staticQuantizationCandidates(func);
    Value mask = probe ? addProbeMask(func, candidates.size()) : Value();
    if (probe && !mask)
      return signalPassFailure();
    DenseMap<Value, Value> quantized; // activation -> DQ(Q(activation))
    std::vector<std::string> decisions;
    for (auto [index, c] : llvm::enumerate(candidates)) {
      std::string node = c.op->getName().getStringRef().str() + " '" +
                         nodeName(c.op) + "'";
      if (auto why = c.op->getAttrOfType<StringAttr>(quant::kKeepFloatAttr)) {
        decisions.push_back("  " + node + ": float32 (" + why.str() + ")");
        c.op->removeAttr(quant::kKeepFloatAttr);
        continue;
      }
      decisions.push_back("  " + node + ": int8");
      auto range = c.op->getAttrOfType<DenseF32ArrayAttr>(quant::kCalibrationAttr);
      if (!range || range.size() != 2) {
        c.op->emitError("has no calibrated range (") << quant::kCalibrationAttr << ")";
        return signalPassFailure();
      }
      c.op->removeAttr(quant::kCalibrationAttr);
      // Left where qc-smooth-quant did not smooth this activation.
      c.op->removeAttr(quant::kChannelMinAttr);
      c.op->removeAttr(quant::kChannelMaxAttr);
      Value &dq = quantized[c.activation];
      if (!dq)
        dq = quantizeActivation(c, range[0], range[1]);
      FailureOr<QuantizedWeight> weight = quantizedWeight(c.op);
      if (failed(weight))
        return signalPassFailure();
      auto mean = c.op->getAttrOfType<DenseF32ArrayAttr>(quant::kChannelMeanAttr);
      c.op->removeAttr(quant::kChannelMeanAttr);
      auto conv = dyn_cast<qc::ConvOp>(c.op);
      std::optional<Value> bias;
      if (conv && mean)
        bias = correctedBias(conv, weight->error, mean.asArrayRef());
      if (!probe) {
        c.op->setOperand(0, dq);
        c.op->setOperand(1, weight->dequantized);
        if (bias)
          conv.getBMutable().assign(*bias);
        continue;
      }
      // x + m (DQ(Q(x)) - x), m = mask[index]: float where m is 0.
      OpBuilder b(c.op);
      Location loc = c.op->getLoc();
      Value at = quant::createConstant(
          b, loc, RankedTensorType::get({}, b.getI64Type()),
          quant::asBytes(ArrayRef(int64_t(index))), "probe_index");
      Value m = qc::GatherOp::create(
          b, loc, RankedTensorType::get({}, b.getF32Type()), mask, at, 0);
      auto blend = [&](Value x, Value q) {
        Value d = qc::SubOp::create(b, loc, x.getType(), q, x);
        Value md = qc::MulOp::create(b, loc, x.getType(), d, m);
        return qc::AddOp::create(b, loc, x.getType(), x, md).getResult();
      };
      c.op->setOperand(0, blend(c.activation, dq));
      c.op->setOperand(1, blend(c.op->getOperand(1), weight->dequantized));
      if (bias) {
        Value original = conv.getB();
        if (!original) // none: zeros
          original = quant::createConstant(
              b, loc, cast<RankedTensorType>(bias->getType()),
              quant::asBytes(std::vector<float>(
                  cast<RankedTensorType>(bias->getType()).getNumElements())),
              "bias");
        conv.getBMutable().assign(blend(original, *bias));
      }
    }
    if (probe)
      measureLogits(func);
    if (printDecisions && !probe) {
      llvm::errs() << "int8 static quantization decisions:\n";
      for (const std::string &line : decisions)
        llvm::errs() << line << "\n";
    }
  }

  /// A Conv's bias (zeros if it has none) corrected for the shift its int8
  /// weights cause on average: b_o - sum over filter o of
  /// (w_int8 - w) * the mean of the channel each tap reads (bias correction,
  /// Nagel et al. 2019; the means from calibration, zero padding ignored).
  /// An input channel that is nearly constant makes that shift large next
  /// to what varies, which is what the next layers read. Nothing for a
  /// bias that is not a constant, or means that do not fit.
  std::optional<Value>
  correctedBias(qc::ConvOp conv, ArrayRef<float> error, ArrayRef<float> mean) {
    std::optional<quant::ConvFilters> filters =
        quant::convFilters(conv, int64_t(mean.size()));
    if (!filters)
      return std::nullopt;
    int64_t outputs = filters->outputs;
    std::vector<float> bias(outputs, 0.0f);
    if (Value b = conv.getB()) {
      auto constant = b.getDefiningOp<qc::ConstantOp>();
      std::optional<std::vector<float>> values =
          constant ? qc::float32Values(constant.getValue(), constant.getType())
                   : std::nullopt;
      if (!values || int64_t(values->size()) != outputs)
        return std::nullopt;
      bias = std::move(*values);
    }
    std::vector<float> corrected = bias;
    for (int64_t o = 0; o < outputs; ++o) {
      double shift = 0.0;
      int64_t first = filters->firstChannel(o);
      for (int64_t j = 0; j < filters->groupChannels; ++j)
        for (int64_t t = 0; t < filters->kernel; ++t)
          shift += double(error[filters->at(o, j, t)]) * double(mean[first + j]);
      corrected[o] -= float(shift);
    }
    OpBuilder b(conv);
    return quant::createConstant(
        b, conv.getLoc(), RankedTensorType::get({outputs}, b.getF32Type()),
        quant::asBytes(corrected), "corrected_bias");
  }

  /// A probe output that is a Softmax returns its input instead: the
  /// logits, where int8 noise that leaves the decision alone stays small
  /// (a near tie between two probabilities swings them a lot).
  void measureLogits(func::FuncOp func) {
    Operation *ret = func.getBody().front().getTerminator();
    for (OpOperand &result : ret->getOpOperands())
      if (auto softmax = result.get().getDefiningOp<qc::SoftmaxOp>()) {
        result.set(softmax.getOperand());
        if (softmax->use_empty())
          softmax->erase();
      }
  }

  /// The probe's extra input: f32 [candidates], named kProbeMaskInput.
  Value addProbeMask(func::FuncOp func, int64_t candidates) {
    Builder b(&getContext());
    unsigned position = func.getNumArguments();
    auto type = RankedTensorType::get({candidates}, b.getF32Type());
    if (failed(func.insertArgument(position, type, {}, func.getLoc())))
      return Value();
    func.setArgAttr(position, kOnnxNameAttr,
                    b.getStringAttr(quant::kProbeMaskInput));
    return func.getArgument(position);
  }

  /// DQ(Q(x)) with the uint8 scale and zero point of [lo, hi], after x.
  Value quantizeActivation(const quant::StaticCandidate &c, float lo, float hi) {
    OpBuilder b(c.op);
    if (Operation *def = c.activation.getDefiningOp())
      b.setInsertionPointAfter(def);
    else
      b.setInsertionPointToStart(Value(c.activation).getParentBlock());
    Location loc = c.activation.getLoc();
    quant::QuantParams p = quant::activationParams(lo, hi);
    auto f32 = b.getF32Type();
    auto u8 = IntegerType::get(&getContext(), 8, IntegerType::Unsigned);
    auto scalar = [&](Type t) { return RankedTensorType::get({}, t); };
    Value scale = quant::createConstant(
        b, loc, scalar(f32),
        quant::asBytes(ArrayRef(p.scale)), "scale");
    Value zp = quant::createConstant(
        b, loc, scalar(u8),
        quant::asBytes(ArrayRef(p.zeroPoint)), "zero_point");
    auto type = cast<RankedTensorType>(c.activation.getType());
    Value q = qc::QuantizeLinearOp::create(b, loc, type.clone(u8), c.activation,
                                           scale, zp);
    return qc::DequantizeLinearOp::create(b, loc, type, q, scale, zp);
  }

  /// The constant weight (operand 1) as DQ(int8), symmetric per output
  /// channel: Conv's filters (axis 0), MatMul's columns (axis 1), Gemm's
  /// columns of op(B) (axis 0 with transB).
  /// The int8 weight, and what rounding did to each value (w_int8 - w, in
  /// the weight's layout).
  struct QuantizedWeight {
    Value dequantized;
    std::vector<float> error;
  };

  FailureOr<QuantizedWeight> quantizedWeight(Operation *op) {
    auto weight = op->getOperand(1).getDefiningOp<qc::ConstantOp>();
    std::optional<std::vector<float>> values =
        qc::float32Values(weight.getValue(), weight.getType());
    if (!values) {
      op->emitError("cannot read the weight's values to quantize them");
      return failure();
    }
    auto type = cast<RankedTensorType>(weight.getType());
    int64_t axis = 0;
    if (isa<qc::MatMulOp>(op))
      axis = 1;
    else if (auto gemm = dyn_cast<qc::GemmOp>(op))
      axis = gemm.getTransB() ? 0 : 1;
    // As a matrix: rows = the dims before and including `axis` folded...
    // per output channel c, over all other elements.
    int64_t channels = type.getDimSize(axis);
    int64_t inner = 1;
    for (int64_t d = axis + 1; d < type.getRank(); ++d)
      inner *= type.getDimSize(d);
    int64_t outer = type.getNumElements() / (channels * inner);
    // (outer, channel, inner) -> row = channel, column = (outer, inner).
    quant::SymmetricInt8 q = quant::quantizeSymmetricInt8(
        channels, outer * inner,
        [&](int64_t ch, int64_t col) {
          int64_t o = col / inner, i = col % inner;
          return (*values)[(o * channels + ch) * inner + i];
        },
        /*perRow=*/true);
    std::vector<int8_t> stored(type.getNumElements());
    std::vector<float> error(type.getNumElements());
    for (int64_t ch = 0; ch < channels; ++ch)
      for (int64_t col = 0; col < outer * inner; ++col) {
        int64_t o = col / inner, i = col % inner, at = (o * channels + ch) * inner + i;
        stored[at] = q.values[ch * outer * inner + col];
        error[at] = float(stored[at]) * q.scales[ch] - (*values)[at];
      }
    OpBuilder b(op);
    Location loc = weight.getLoc();
    std::string name = quant::onnxNameOr(weight, "weight");
    Value qWeight = quant::createConstant(
        b, loc, type.clone(b.getI8Type()),
        quant::asBytes(stored),
        name + "_int8");
    Value scales = quant::createConstant(
        b, loc, RankedTensorType::get({channels}, b.getF32Type()),
        quant::asBytes(q.scales),
        name + "_scale");
    Value dq = qc::DequantizeLinearOp::create(b, loc, type, qWeight, scales,
                                              Value(), axis);
    return QuantizedWeight{dq, std::move(error)};
  }
};

} // namespace
