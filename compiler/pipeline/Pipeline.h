//===- Pipeline.h - quantc's pass pipelines ----------------------*- C++ -*-===//
//
// `quantc compile` and `quantc-opt --pass-pipeline=...` build their pass
// managers from these functions alone, so both produce the same IR. The
// stages match `quantc compile --emit=`:
//   quantc-graph          imported qc -> optimized qc   (--emit=qc)
//   quantc-to-linalg      qc -> linalg on tensors       (--emit=linalg)
//   quantc-linalg-to-llvm linalg -> LLVM dialect        (--emit=llvm-dialect)
//   quantc-cpu            all three in order
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_COMPILER_PIPELINE_PIPELINE_H
#define QUANTC_COMPILER_PIPELINE_PIPELINE_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"

namespace quantc {

/// `quantc compile --quantize=`.
enum class QuantizeMode { None, Int8Dynamic, Int8Static, W4 };
/// How --quantize=w4 rounds (qc-quantize-weights-int4's method).
enum class W4Method { Rtn, Gptq, Awq };

/// What `quantc compile` can ask of the pipelines beyond the IR itself.
struct PipelineOptions {
  /// Passes that choose print each decision (`--print-decisions`).
  bool printDecisions = false;
  QuantizeMode quantize = QuantizeMode::None;
  /// --smoothquant=ALPHA with --quantize=int8; negative: depthwise only.
  float smoothQuantAlpha = -1.0f;
  /// qc-quantize-static's probe mode (--int8-error-budget's measuring).
  bool int8Probe = false;
  /// --group-size with --quantize=w4.
  int64_t w4GroupSize = 32;
  W4Method w4Method = W4Method::Rtn;
};

void buildGraphPipeline(mlir::OpPassManager &pm,
                        const PipelineOptions &options = {});
/// buildGraphPipeline in two halves, between which `--quantize=int8`
/// attaches the calibrated ranges (compiler/Driver.cpp): shape inference,
/// then quantization and clean-up. `calibrationOutputs` makes the second
/// half add qc-calibration-outputs instead of quantizing.
void buildShapePipeline(mlir::OpPassManager &pm);
void buildQuantizationPipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options,
                               bool calibrationOutputs = false);
void buildLowerToLinalgPipeline(mlir::OpPassManager &pm);
void buildLinalgToLLVMPipeline(mlir::OpPassManager &pm,
                               const PipelineOptions &options = {});
void buildCpuPipeline(mlir::OpPassManager &pm);

/// Registers the pipelines above by name (for quantc-opt).
void registerQuantcPipelines();

/// Every dialect, interface and translation quantc's IR can contain.
void registerQuantcDialects(mlir::DialectRegistry &registry);

} // namespace quantc

#endif
