//===- ShapeUtils.h - ONNX shape rules shared by inference and lowering ---===//
//
// The arithmetic of ONNX shapes (broadcasting, axes, convolution and pooling
// windows) in one place, so that shape inference and the lowering to linalg
// can never disagree about an output size or a padding.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_SHAPEUTILS_H
#define QUANTC_DIALECTS_QC_IR_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>

namespace quantc::qc {

/// Whether a tensor (or memref) type holds exactly one value: a static shape
/// of one element. Per-tensor quantization parameters are these; a `?` dim
/// may hold any number.
inline bool holdsOneValue(mlir::ShapedType type) {
  return type.hasStaticShape() && type.getNumElements() == 1;
}

/// ONNX axes may be negative (counted from the end). Returns the axis in
/// [0, rank) or nullopt when it is out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Numpy-style multidirectional broadcast of two shapes; false if they do not
/// broadcast. Dynamic dims stay dynamic.
bool broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b,
                     llvm::SmallVectorImpl<int64_t> &result);

/// The geometry of a sliding window (Conv, MaxPool, AveragePool) over the
/// spatial dims of an input.
struct WindowGeometry {
  llvm::SmallVector<int64_t> kernel, strides, dilations;
  llvm::SmallVector<int64_t> padsBegin, padsEnd;
  /// Output size per spatial dim.
  llvm::SmallVector<int64_t> outputSizes;
  /// Padding past padsEnd that ceil_mode windows reach (pooling only); such
  /// positions are never counted as elements of the window.
  llvm::SmallVector<int64_t> extraEnd;
  /// How a run-time spatial dim (ShapedType::kDynamic in `spatial`) is
  /// sized: its outputSizes and extraEnd are kDynamic, and so are its pads
  /// under SAME_* auto_pad; the lowering computes them from the input's size
  /// with the same rules (windowSizes in the QcToLinalg lowering).
  bool same = false, sameUpper = false, ceilMode = false;
};

/// Computes the window geometry from ONNX attributes. `spatial` are the input
/// spatial sizes; a run-time one (kDynamic) gives kDynamic sizes (see
/// WindowGeometry). Emits an error at `op` and fails on invalid
/// attributes (wrong lengths, non-positive strides, windows larger than the
/// padded input).
mlir::FailureOr<WindowGeometry>
computeWindowGeometry(mlir::Operation *op, llvm::ArrayRef<int64_t> spatial,
                      llvm::ArrayRef<int64_t> kernel, llvm::StringRef autoPad,
                      std::optional<llvm::ArrayRef<int64_t>> pads,
                      std::optional<llvm::ArrayRef<int64_t>> strides,
                      std::optional<llvm::ArrayRef<int64_t>> dilations,
                      bool ceilMode);

/// The result shape of ONNX MatMul (numpy matmul: 1-D promotion, batch
/// broadcasting) of A and B, or an error at `op`. Shared by MatMul,
/// MatMulInteger and QLinearMatMul.
mlir::FailureOr<llvm::SmallVector<int64_t>>
matMulShape(mlir::Operation *op, mlir::RankedTensorType a,
            mlir::RankedTensorType b);

/// The result shape of ONNX Conv of X (N x C x D...) and W (M x C/group x
/// k...) with its attributes, or an error at `op`. Shared by Conv,
/// ConvInteger and QLinearConv.
mlir::FailureOr<llvm::SmallVector<int64_t>>
convShape(mlir::Operation *op, mlir::RankedTensorType x,
          mlir::RankedTensorType w, int64_t group,
          std::optional<llvm::ArrayRef<int64_t>> kernelShape,
          llvm::StringRef autoPad, std::optional<llvm::ArrayRef<int64_t>> pads,
          std::optional<llvm::ArrayRef<int64_t>> strides,
          std::optional<llvm::ArrayRef<int64_t>> dilations);

/// Product of static dims.
int64_t product(llvm::ArrayRef<int64_t> dims);

/// The ranked type of operand `v` of `op`, or an error naming it (`name`,
/// the ONNX input's name).
mlir::FailureOr<mlir::RankedTensorType> rankedOperand(mlir::Operation *op, mlir::Value v,
                                                      llvm::StringRef name);

/// Sets result `index` of `op` to a ranked tensor type.
void setResult(mlir::Operation *op, llvm::ArrayRef<int64_t> shape,
               mlir::Type elementType, unsigned index = 0);

/// An input that decides the result's shape: its constant integer values, or
/// an error saying it must be known at compile time.
mlir::FailureOr<llvm::SmallVector<int64_t>> requireInts(mlir::Operation *op, mlir::Value v,
                                                        llvm::StringRef name);

/// Refuses operands of unsigned integer types (ONNX's UINT8 ... UINT64) for
/// an op that does not take them, with an error at the op.
mlir::LogicalResult requireNoUnsignedOperands(mlir::Operation *op);

/// The integer values of a constant operand, if it is one.
std::optional<llvm::SmallVector<int64_t>> constantInts(mlir::Value v);

/// What is known at compile time about a small integer tensor computed from
/// shapes (Shape -> Gather -> Unsqueeze -> Concat -> Reshape): one entry per
/// element, ShapedType::kDynamic where the element is only known at run time
/// (a graph input, a run-time dim, or anything computed from one). nullopt
/// when even the number of elements is unknown. Looks through Constant, Shape, Gather,
/// Slice, Concat, Unsqueeze, Squeeze, Reshape, Identity, Cast, ConstantOfShape
/// and integer Neg/Add/Sub/Mul/Div.
std::optional<llvm::SmallVector<int64_t>> shapeInts(mlir::Value v);

/// The number of values of an integer list input (a Reduce's axes, say)
/// whose values are only known at run time: a 1-D tensor of static length.
/// nullopt when it is a constant, not 1-D, or of run-time length.
std::optional<int64_t> runTimeListLength(mlir::Value v);

/// Every sorted set of `count` distinct axes of [0, rank), in lexicographic
/// order: what an axes list of `count` values known only at run time may
/// name. Ops lower such a list to a run-time choice among these sets.
llvm::SmallVector<llvm::SmallVector<int64_t>> axisSubsets(int64_t rank,
                                                          int64_t count);

/// The axis sets Squeeze's run-time axes list of `count` values may name:
/// sets of the dims of static size 1 of `shape`.
llvm::SmallVector<llvm::SmallVector<int64_t>>
squeezeAxisSets(llvm::ArrayRef<int64_t> shape, int64_t count);

/// `shape` with the dims in `dims` made 1 (keepDims) or removed (Squeeze, a
/// reduction without keepdims).
llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> shape,
                                        llvm::ArrayRef<int64_t> dims,
                                        bool keepDims);

/// `shape` with size-1 dims inserted at the result positions `axes`
/// (Unsqueeze).
llvm::SmallVector<int64_t> unsqueezedShape(llvm::ArrayRef<int64_t> shape,
                                           llvm::ArrayRef<int64_t> axes);

/// The shape the shapes of several run-time choices share (all of one
/// rank): a dim on which they differ is a run-time dim.
llvm::SmallVector<int64_t>
commonShape(llvm::ArrayRef<llvm::SmallVector<int64_t>> shapes);

/// The most axis sets a run-time choice may have to pick among; more is
/// refused (a rank-8 tensor reduced over 4 run-time axes has 70).
constexpr size_t kMaxRunTimeAxisSets = 64;

/// Refuses, with an error at `op`, an 'axes' input only known at run time
/// that may name more than kMaxRunTimeAxisSets sets.
mlir::LogicalResult requireFewAxisSets(mlir::Operation *op, size_t sets);

} // namespace quantc::qc

#endif
