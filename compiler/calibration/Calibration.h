//===- Calibration.h - quantc compile --quantize=int8, w4 -------*- C++ -*-===//
//
// Static int8 needs each activation's range, measured on the user's inputs:
// the model is compiled once with those activations as extra outputs
// (qc-calibration-outputs), that library is run on every calibration input
// here, in-process, and the model is compiled again with the ranges
// (qc-quantize-static). The ranges (and each channel's range and mean) can
// be saved and reused (--calib-cache). With --int8-error-budget, a third
// compile (a probe that switches ops to int8 at run time) measures what
// each op's int8 costs at the outputs, to choose the ops that stay float.
// `--quantize=w4 --w4-method=gptq|awq` calibrates the same way for each
// MatMul input's Hessian X^T X and mean |x| per channel
// (qc-quantize-weights-int4); those are not cached.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_COMPILER_CALIBRATION_CALIBRATION_H
#define QUANTC_COMPILER_CALIBRATION_CALIBRATION_H

#include "compiler/Driver.h"

#include <string>
#include <vector>

namespace quantc {

/// How an activation's range is taken from what calibration saw.
enum class CalibrationMethod {
  /// The smallest and largest value over every input.
  MinMax,
  /// Per input, the values at the 0.01th and 99.99th percentiles; their
  /// mean over the inputs. Ignores rare outliers that would stretch the
  /// scale.
  Percentile,
  /// From a histogram of every value seen (Histogram.h): the range whose
  /// 256 levels keep the distribution closest (Kullback-Leibler).
  Entropy,
  /// From the same histogram: the range with the least expected squared
  /// quantization error (clipping outside, rounding inside).
  Mse,
};

/// The method's name as --calib-method spells it.
const char *calibrationMethodName(CalibrationMethod method);

struct CalibrationOptions {
  /// --calib: a directory of .npz files (one input set each: every model
  /// input by name; or .npy files for a model with one input), one such
  /// file, or a text file listing them one per line.
  std::string inputs;
  CalibrationMethod method = CalibrationMethod::MinMax;
  /// --calib-cache: where the ranges are read from if it exists (and
  /// --calib is not given; they must have been taken with `method`), else
  /// written to.
  std::string cachePath;
};

/// `quantc compile --quantize=int8` (or w4 with GPTQ or AWQ): calibrates
/// (or, for int8, reads the cache), then compiles `options` with what it
/// measured. Prints progress when verbose.
mlir::LogicalResult compileWithCalibration(CompileOptions options,
                                           const CalibrationOptions &calib,
                                           mlir::MLIRContext &context);

} // namespace quantc

#endif
