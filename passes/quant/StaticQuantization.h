//===- StaticQuantization.h - what static int8 quantizes --------*- C++ -*-===//
//
// Shared by the two passes of `--quantize=int8` (StaticQuantization.cpp)
// and by the calibration that runs between them (compiler/calibration).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_QUANT_STATICQUANTIZATION_H
#define QUANTC_PASSES_QUANT_STATICQUANTIZATION_H

#include "dialects/qc/IR/QcOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace quantc::quant {

/// The attribute qc-quantize-static reads on a candidate op: the range
/// [lo, hi] (array<f32>) of the activation it reads, from calibration.
inline constexpr llvm::StringLiteral kCalibrationAttr = "qc.calibration";

/// qc-calibration-outputs names the extra output for activation i
/// "<prefix><i>.<channel axis>.<ONNX node name of its first reader>".
inline constexpr llvm::StringLiteral kCalibrationOutputPrefix = "qc_calibration.";

/// An op static int8 quantizes: a Conv, MatMul or Gemm (transA = 0) in the
/// entry function's body with a constant float32 weight (operand 1) and a
/// float32 activation (operand 0). Ops reading one activation share its
/// index, numbered in order of first use. The activation's channels are
/// along `channelAxis`: 1 for a Conv (NCHW), the last dim for a product
/// (its K); for a shared activation, its first reader's.
struct StaticCandidate {
  mlir::Operation *op;
  mlir::Value activation;
  unsigned activationIndex;
  int64_t channelAxis;
};
llvm::SmallVector<StaticCandidate>
staticQuantizationCandidates(mlir::func::FuncOp func);

/// The per-channel (along its candidate's channelAxis) smallest, largest
/// and mean values of a candidate's activation (array<f32> each):
/// qc-smooth-quant reads the ranges, qc-quantize-static the means (to
/// correct a Conv's bias for its weights' rounding).
inline constexpr llvm::StringLiteral kChannelMinAttr = "qc.channel_min";
inline constexpr llvm::StringLiteral kChannelMaxAttr = "qc.channel_max";
inline constexpr llvm::StringLiteral kChannelMeanAttr = "qc.channel_mean";

/// What calibration measured of one activation's channels: each one's
/// smallest, largest and mean value (all empty when not measured).
struct ChannelStats {
  std::vector<float> min, max, mean;
};

/// Set instead of kCalibrationAttr on a candidate that stays in float: why
/// (a string, which --print-decisions shows).
inline constexpr llvm::StringLiteral kKeepFloatAttr = "qc.keep_float";

/// Sets kCalibrationAttr on every candidate of `module`'s entry function from
/// `ranges`, indexed by activation, and kChannelMin/Max/MeanAttr from
/// `channels` when given (same indexing; an empty entry sets none). `keepFloat`, when given, is indexed by candidate: a non-empty
/// entry (why) sets kKeepFloatAttr instead. False (nothing set) when the
/// counts do not fit the candidates.
bool annotateCalibration(mlir::ModuleOp module,
                         llvm::ArrayRef<std::pair<float, float>> ranges,
                         llvm::ArrayRef<ChannelStats> channels = {},
                         llvm::ArrayRef<std::string> keepFloat = {});

/// The input qc-quantize-static's probe mode adds: f32 [candidates], where
/// 1 quantizes candidate i (its activation and weight) and 0 keeps it float.
inline constexpr llvm::StringLiteral kProbeMaskInput = "qc_probe_mask";

/// What `--quantize=w4 --w4-method=gptq|awq` reads on a MatMul or Gemm:
/// the Hessian X^T X of its activation X [rows, K] over the calibration
/// inputs (a K x K f32 tensor) and, for AWQ, the mean |x| of each of
/// X's K channels (array<f32>). qc-quantize-weights-int4 removes both.
inline constexpr llvm::StringLiteral kHessianAttr = "qc.hessian";
inline constexpr llvm::StringLiteral kChannelMeanAbsAttr = "qc.channel_mean_abs";

/// Sets kHessianAttr and kChannelMeanAbsAttr on every MatMul and Gemm
/// candidate of `module`'s entry function from `hessians` (row-major K x K)
/// and `meanAbs` (K), indexed by activation as the calibration outputs are.
/// An activation whose entries are empty or of another size than its
/// reader's K gets nothing. False when the counts do not fit the
/// activations.
bool annotateHessians(mlir::ModuleOp module,
                      llvm::ArrayRef<std::vector<float>> hessians,
                      llvm::ArrayRef<std::vector<float>> meanAbs);

/// uint8 quantization of the range [lo, hi], widened to include 0:
/// scale = (hi - lo) / 255 (1 for an empty range), zero point
/// round(-lo / scale).
struct QuantParams {
  float scale;
  uint8_t zeroPoint;
};
QuantParams activationParams(float lo, float hi);

} // namespace quantc::quant

#endif
