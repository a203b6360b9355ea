//===- Driver.h - quantc compile, as a library call --------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_DRIVER_H
#define QUANTC_COMPILER_DRIVER_H

#include "compiler/import/OnnxImporter.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/targets/cpu/CpuTarget.h"

#include "passes/quant/StaticQuantization.h"

#include <string>
#include <utility>
#include <vector>

namespace quantc {

/// Where `quantc compile --emit=` stops, in pipeline order (compared with <).
enum class EmitStage { Qc, Linalg, LLVMDialect, LLVMIR, Object, Library };

struct CompileOptions {
  std::string inputPath;
  /// The output file; "-" is stdout (text stages only). For a library the
  /// header `<name>.h` is written beside it.
  std::string outputPath;
  EmitStage emit = EmitStage::Library;
  ImportOptions import;
  CpuTargetOptions cpu;
  /// Print each stage and its wall time to stderr.
  bool verbose = false;
  /// Print every choice the cost model made (fusion, ...) to stderr.
  bool printDecisions = false;
  /// `--quantize=`: none, or which integer scheme.
  QuantizeMode quantize = QuantizeMode::None;
  /// The first of --quantize=int8's two compiles: the float model with every
  /// activation to calibrate as an extra output (qc-calibration-outputs).
  bool calibrationOutputs = false;
  /// The second: each activation's calibrated range [lo, hi], in the order
  /// the first compile's extra outputs have (compiler/calibration).
  std::vector<std::pair<float, float>> calibrationRanges;
  /// --smoothquant=ALPHA (negative: only depthwise Convs' inputs), and for
  /// it each activation's per-channel smallest and largest value
  /// (calibrationChannels, along its channel axis).
  float smoothQuantAlpha = -1.0f;
  /// --int8-error-budget (a fraction; 0: off): how far the outputs may move
  /// from float's (relative RMS) on the calibration inputs; calibration
  /// picks the ops to keep float for it (int8KeepFloat).
  float int8ErrorBudget = 0.0f;
  /// The probe compile of --int8-error-budget: float, with every candidate
  /// switchable to int8 at run time (qc-quantize-static's probe mode).
  bool int8Probe = false;
  /// Per static-int8 candidate in order: why it stays float ("" to
  /// quantize it); empty for all int8.
  std::vector<std::string> int8KeepFloat;
  /// --group-size and --w4-method with --quantize=w4, and for GPTQ and AWQ
  /// each activation's Hessian (mean x^T x over its last dim, row-major)
  /// and mean |x| per channel, indexed as calibrationRanges.
  int64_t w4GroupSize = 32;
  W4Method w4Method = W4Method::Rtn;
  std::vector<std::vector<float>> calibrationHessians, calibrationChannelMeanAbs;
  /// Per activation, as calibrationRanges: its channels' ranges and means.
  std::vector<quant::ChannelStats> calibrationChannels;
  /// Where to draw the memory plan as an SVG picture ("" for nowhere).
  std::string memoryPlanSvgPath;
};

/// Runs the whole compiler. Diagnostics are printed on stderr by the
/// context's handler (set up by the caller); returns failure after them.
mlir::LogicalResult compileModel(const CompileOptions &options,
                                 mlir::MLIRContext &context);

} // namespace quantc

#endif
