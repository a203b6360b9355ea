//===- LoweringUtils.h - shared pieces of the qc -> linalg lowering -------===//
#ifndef QUANTC_PASSES_CONVERSION_QCTOLINALG_LOWERINGUTILS_H
#define QUANTC_PASSES_CONVERSION_QCTOLINALG_LOWERINGUTILS_H

#include "dialects/qc/IR/ShapeUtils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace quantc {

/// Builds the scalar body of an elementwise op from the block arguments (one
/// per input, in order).
using ScalarBodyFn =
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange)>;

/// The indexing map that reads `input` while iterating over `outShape`, with
/// numpy broadcasting (trailing dims aligned; size-1 dims read at 0).
mlir::AffineMap broadcastMap(mlir::RankedTensorType input,
                             llvm::ArrayRef<int64_t> outShape);

/// One elementwise linalg.generic over `resultType` (all loops parallel) that
/// reads input i through `inputMaps[i]`.
mlir::Value buildElementwiseWithMaps(mlir::OpBuilder &b, mlir::Location loc,
                                     mlir::RankedTensorType resultType,
                                     mlir::ValueRange inputs,
                                     llvm::ArrayRef<mlir::AffineMap> inputMaps,
                                     ScalarBodyFn body);

/// The same writing into `init` (a tensor of the result's type), for results
/// whose run-time sizes come from elsewhere than the inputs.
mlir::Value buildElementwiseInto(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value init, mlir::ValueRange inputs,
                                 llvm::ArrayRef<mlir::AffineMap> inputMaps,
                                 ScalarBodyFn body);

/// The same with numpy broadcasting of every input (broadcastMap).
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::RankedTensorType resultType,
                             mlir::ValueRange inputs, ScalarBodyFn body);

/// Lowers a single-result elementwise qc op to one linalg.generic that
/// broadcasts all its operands (buildElementwise). `Body` computes one
/// element: `Value Body(QcOp op, OpBuilder &, Location, ValueRange scalars)`
/// (or with `Operation *op` when it needs no attribute). Each elementwise op
/// is then one line in a pattern list, not a pattern of its own. The scalars
/// are signless (SignlessTypes.h); `op` keeps the qc types, from which a body
/// reads whether its integers are unsigned.
template <typename QcOp, auto Body>
struct ElementwiseLowering : mlir::OpConversionPattern<QcOp> {
  using Base = mlir::OpConversionPattern<QcOp>;
  using Base::Base;
  mlir::LogicalResult
  matchAndRewrite(QcOp op, typename Base::OpAdaptor adaptor,
                  mlir::ConversionPatternRewriter &rewriter) const override {
    auto type = mlir::dyn_cast_if_present<mlir::RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
    if (!type)
      return mlir::failure();
    mlir::Value result = buildElementwise(
        rewriter, op.getLoc(), type, adaptor.getOperands(),
        [&](mlir::OpBuilder &b, mlir::Location loc, mlir::ValueRange args) {
          return Body(op, b, loc, args);
        });
    rewriter.replaceOp(op, result);
    return mlir::success();
  }
};

/// Converts a scalar between the supported element types with ONNX Cast
/// semantics: to bool is "nonzero" (NaN is true), from bool is 0/1, floats
/// round to nearest, floats to integers truncate toward zero, integers wrap.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x, mlir::Type to);

/// The same where `x` is the signless form of a qc element type `from`, and
/// `to` a qc element type, either of which may be unsigned: unsigned sources
/// zero-extend and convert with uitofp, unsigned targets with fptoui. The
/// result is signless.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value x, mlir::Type from, mlir::Type to);

/// An f32 scalar converted to a float8 type `to`, overflow clamped to its
/// largest finite value (+-inf too; NaN stays NaN): ONNX's saturate = 1.
mlir::Value saturatingFloat8Cast(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value wide, mlir::Type to);

/// A scalar constant of a float or integer type.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// The constant -inf of a float type (the identity of max).
mlir::Value negativeInfinity(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::FloatType type);

/// tensor.empty + linalg.fill with `value`; `dynamicSizes` has one index per
/// `?` dim of `type`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value,
                         mlir::ValueRange dynamicSizes = {});

//===-- Dims known only at run time (Qc_RunTimeDims) ----------------------===//

/// The size of dim `i` of a ranked tensor, as an index: a constant when it
/// is static, else tensor.dim.
mlir::Value dimSize(mlir::OpBuilder &b, mlir::Location loc, mlir::Value tensor,
                    int64_t i);

/// All dims of a ranked tensor as index values (dimSize).
llvm::SmallVector<mlir::Value> dimSizes(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::Value tensor);

/// Element `i` of a 1-D integer tensor (a shape, starts, ends), as an index.
mlir::Value indexElement(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value tensor, int64_t i);

/// The sizes of `type`'s `?` dims, in order, taking each from `sizeOf(i)`.
llvm::SmallVector<mlir::Value>
dynamicSizes(mlir::RankedTensorType type,
             llvm::function_ref<mlir::Value(int64_t)> sizeOf);

/// The sizes of the `?` dims of a linalg.generic result written through
/// `resultMap`: each from an input dim that the same loop indexes directly
/// (through `inputMaps`). A run-time dim is never broadcast, so any such
/// input has the loop's size.
llvm::SmallVector<mlir::Value>
dynamicSizesFromMaps(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::RankedTensorType resultType,
                     mlir::AffineMap resultMap, mlir::ValueRange inputs,
                     llvm::ArrayRef<mlir::AffineMap> inputMaps);

/// Reshapes `input` to `resultType`, which differs from it only by dims of
/// static size 1 (Squeeze, Unsqueeze, keepdims): its run-time dims are the
/// input's, in order.
mlir::Value reshapeUnitDims(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Value input,
                            mlir::RankedTensorType resultType);

/// Reshapes `input` to `resultType` whose dims are `dims` (index values, one
/// per result dim): views through reshapeStatic when both are static, else
/// tensor.reshape.
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value input, mlir::RankedTensorType resultType,
                      mlir::ValueRange dims);

/// Pads the trailing spatial dims (after the first two) of a static tensor.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input, llvm::ArrayRef<int64_t> low,
                       llvm::ArrayRef<int64_t> high, mlir::Value padValue);

/// The same with pads that may be index values (run-time dims, SAME pads):
/// a spatial dim of the result is static when the input's is and both of
/// its pads are constants.
mlir::Value padSpatial(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value input,
                       llvm::ArrayRef<mlir::OpFoldResult> low,
                       llvm::ArrayRef<mlir::OpFoldResult> high,
                       mlir::Value padValue);

/// A sliding window's sizes over the spatial dims of `x` (N x C x D...),
/// per spatial dim: the pads before and after (the latter with what
/// ceil_mode windows reach, qc::WindowGeometry::extraEnd) and the output
/// size. Constants where `g` knows them; for a run-time dim they are
/// computed from tensor.dim with computeWindowGeometry's rules.
struct WindowSizes {
  llvm::SmallVector<mlir::OpFoldResult> low, high;
  llvm::SmallVector<mlir::Value> out;
};
WindowSizes windowSizes(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                        const qc::WindowGeometry &g);

/// Reshapes a static tensor to another static shape with the same number of
/// elements, through collapse_shape/expand_shape (views, no copy).
mlir::Value reshapeStatic(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, mlir::RankedTensorType resultType);

/// An ONNX index (any integer type) into a dim of size `dim` as an `index`:
/// negative values count from the end, and out-of-range values are clamped
/// so that a bad index can never read or write outside the tensor.
mlir::Value clampedIndex(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value index, int64_t dim);
/// The same for a dim whose size is an index value.
mlir::Value clampedIndex(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value index, mlir::Value dim);

/// The single element of a scalar or one-element tensor.
mlir::Value extractScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value tensor);

/// The number of linalg loops: parallel everywhere except the given ones.
llvm::SmallVector<mlir::utils::IteratorType>
iteratorTypes(unsigned numLoops, llvm::ArrayRef<unsigned> reductionLoops = {});

/// acc + a * b (args = a, b, acc) for float or integer elements: the body
/// of contractions and convolutions.
mlir::Value multiplyAccumulate(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::ValueRange args);

/// ONNX MatMul of `a` and `b` (float or integer elements of `outType`'s
/// type) as one contraction linalg.generic: numpy batch broadcasting and
/// 1-D promotion are in its indexing maps.
mlir::Value buildMatMul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value a,
                        mlir::Value bMatrix, mlir::RankedTensorType outType);

/// The output a convolution accumulates into: the 1-D `bias` broadcast
/// along the channel dim (1), or zeros without one; `outDynamic` has the
/// sizes of `outType`'s run-time dims.
mlir::Value convInit(mlir::OpBuilder &b, mlir::Location loc,
                     mlir::RankedTensorType outType, mlir::Value bias,
                     mlir::ValueRange outDynamic = {});

/// ONNX Conv of `x` and `w` (float or integer elements, those of `outType`)
/// plus `bias` (1-D, or null), with Conv's attributes; errors at `op`.
mlir::FailureOr<mlir::Value>
buildConvolution(mlir::Operation *op, mlir::OpBuilder &b, mlir::Value x,
                 mlir::Value w, mlir::Value bias,
                 mlir::RankedTensorType outType, llvm::StringRef autoPad,
                 std::optional<llvm::ArrayRef<int64_t>> pads,
                 std::optional<llvm::ArrayRef<int64_t>> strides,
                 std::optional<llvm::ArrayRef<int64_t>> dilations,
                 int64_t groups);

/// Populate functions, one per op family.
void populateElementwisePatterns(mlir::RewritePatternSet &patterns,
                                 const mlir::TypeConverter &converter);
void populateActivationPatterns(mlir::RewritePatternSet &patterns,
                                const mlir::TypeConverter &converter);
void populateContractionPatterns(mlir::RewritePatternSet &patterns);
void populateQuantizationPatterns(mlir::RewritePatternSet &patterns,
                                  const mlir::TypeConverter &converter);
void populateConvPatterns(mlir::RewritePatternSet &patterns);
void populatePoolingPatterns(mlir::RewritePatternSet &patterns,
                             const mlir::TypeConverter &converter);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);
void populateSliceAndPadPatterns(mlir::RewritePatternSet &patterns);
void populateGatherScatterPatterns(mlir::RewritePatternSet &patterns);
void populateGeneratorPatterns(mlir::RewritePatternSet &patterns);
void populateResizePatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns,
                               const mlir::TypeConverter &converter);
void populateFeatureNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populateScanAndTopKPatterns(mlir::RewritePatternSet &patterns,
                                 const mlir::TypeConverter &converter);
void populateAttentionPatterns(mlir::RewritePatternSet &patterns);
void populateLossPatterns(mlir::RewritePatternSet &patterns);
void populateEinsumPatterns(mlir::RewritePatternSet &patterns);
void populateRecurrentPatterns(mlir::RewritePatternSet &patterns);
void populateDetectionPatterns(mlir::RewritePatternSet &patterns);
void populateGridSamplePatterns(mlir::RewritePatternSet &patterns);
void populateSpectralPatterns(mlir::RewritePatternSet &patterns);
void populateControlFlowPatterns(mlir::RewritePatternSet &patterns,
                                 const mlir::TypeConverter &converter);
void populateLoopPatterns(mlir::RewritePatternSet &patterns,
                          const mlir::TypeConverter &converter);

} // namespace quantc

#endif
