//===- DataMovementRules.h - ONNX rules of Slice, Split, Pad, Resize ------===//
//
// The index arithmetic of the data-movement ops, computed once from the
// op's attributes and constant inputs, so that shape inference, folding and
// the lowering to linalg use the same numbers. Each function emits an error
// at the op and fails when the op is invalid or an input that decides the
// result's shape is not a constant.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_DATAMOVEMENTRULES_H
#define QUANTC_DIALECTS_QC_IR_DATAMOVEMENTRULES_H

#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ResizeRules.h"

namespace quantc::qc {

/// The values of a constant operand of any int or float type, as doubles.
std::optional<llvm::SmallVector<double>> constantDoubles(mlir::Value v);

/// Slice per dim of the data: element i of the result reads data index
/// starts[d] + i * steps[d] (starts already clamped), for i < sizes[d].
/// Per dim of the data: where the slice starts, its step and its size. An
/// axis whose start or end is only known at run time (or that slices a
/// run-time dim) has size ShapedType::kDynamic and is listed in
/// `runTimeAxes` (with its index into starts/ends); its start is not known
/// here.
/// When the axes or steps themselves are only known at run time (graph
/// inputs of static length), any dim may be sliced: `fullyRunTime` is set,
/// every size is kDynamic and starts/steps are kDynamic too; the lowering
/// computes all of them from the values.
struct SliceGeometry {
  llvm::SmallVector<int64_t> starts, steps, sizes;
  llvm::SmallVector<std::pair<int64_t, int64_t>> runTimeAxes;
  bool fullyRunTime = false;
};
mlir::FailureOr<SliceGeometry> computeSlice(SliceOp op);

/// The size of every output of a Split along its axis; kDynamic for all of
/// them when the `split` input is only known at run time.
mlir::FailureOr<llvm::SmallVector<int64_t>> computeSplitSizes(SplitOp op);

/// The pads of a Pad for every dim of the data: [begin_0, ..., end_0, ...].
/// Negative pads remove elements. A pad only known at run time is kDynamic,
/// and so is every pad when the axes are only known at run time.
mlir::FailureOr<llvm::SmallVector<int64_t>> computePads(PadOp op);

/// How one axis of a Resize maps output positions to input positions: output
/// position o is sum_t weights[o * taps + t] * input[indices[o * taps + t]]
/// (indices clamped into the input), or the extrapolation value when
/// extrapolated[o] (tf_crop_and_resize outside the input).
struct ResizeAxis {
  int64_t outputSize = 0;
  bool identity = true; // the axis is not resized at all
  int64_t taps = 1;
  llvm::SmallVector<int64_t> indices;
  llvm::SmallVector<double> weights;
  llvm::SmallVector<bool> extrapolated;
};

/// Resize and Upsample as one plan per axis of the input, with the kernel's
/// mode: "nearest", "linear" or "cubic". Needs hasConstantResizeTables.
struct ResizePlan {
  llvm::SmallVector<ResizeAxis> axes;
  std::string mode;
  double extrapolationValue = 0;
  bool anyExtrapolated = false;
};
mlir::FailureOr<ResizePlan> computeResize(ResizeOp op);
mlir::FailureOr<ResizePlan> computeResize(UpsampleOp op);

/// Whether the input's shape is static and roi, scales and sizes are
/// constants, so that computeResize applies; otherwise computeRunTimeResize.
bool hasConstantResizeTables(ResizeOp op);
bool hasConstantResizeTables(UpsampleOp op);

/// Resize or Upsample whose tables are computed at run time (with the same
/// rules, ResizeRules.h), because roi, scales or sizes, or a dim of the
/// input, are known only then. Every axis that scales or sizes covers gets
/// a run-time dim, except one whose constant scale is exactly 1 (`unchanged`:
/// the input along it, whatever its size) or static from a constant scale
/// and a static input dim.
struct RunTimeResize {
  resize::Kernel kernel;
  llvm::StringRef policy; // keep_aspect_ratio_policy
  double extrapolationValue = 0;
  llvm::SmallVector<int64_t> axes; // the axes scales/sizes cover, in order
  llvm::SmallVector<bool> unchanged; // per covered axis
  /// Exactly one of scales and sizes; roi for tf_crop_and_resize. Each is a
  /// 1-D tensor of a static length (one value per covered axis, two for roi).
  mlir::Value scales, sizes, roi;
  llvm::SmallVector<int64_t> outputShape;
};
mlir::FailureOr<RunTimeResize> computeRunTimeResize(ResizeOp op);
mlir::FailureOr<RunTimeResize> computeRunTimeResize(UpsampleOp op);

} // namespace quantc::qc

#endif
