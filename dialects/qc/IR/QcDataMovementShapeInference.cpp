//===- QcDataMovementShapeInference.cpp - result types of data movement ---===//
//
// Result types of the ops in QcDataMovementOps.td. Inputs that decide a
// shape (starts, pads, repeats, sizes, depth, ...) must be constants; the
// index rules shared with the lowering are in DataMovementRules.cpp.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/OnnxDataTypes.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

LogicalResult requireIndices(Operation *op, RankedTensorType t) {
  if (!t.getElementType().isSignlessInteger(64) &&
      !t.getElementType().isSignlessInteger(32))
    return op->emitOpError() << "indices must be int32 or int64, got " << t;
  return success();
}

/// Indices into an empty dim can never be valid: refuse them rather than
/// read or write outside the tensor.
LogicalResult requireIndexable(Operation *op, RankedTensorType data,
                               int64_t dim, RankedTensorType indices) {
  if (data.getDimSize(dim) == 0 && indices.hasStaticShape() &&
      indices.getNumElements() != 0)
    return op->emitOpError() << "indexes dim " << dim << " of " << data
                             << ", which is empty";
  return success();
}

/// A scalar or one-element input (Range's bounds, Trilu's k, ...).
LogicalResult requireScalar(Operation *op, RankedTensorType t, StringRef name) {
  if (t.getRank() > 1 || (t.hasStaticShape() && t.getNumElements() != 1))
    return op->emitOpError() << "'" << name << "' must be a scalar, got " << t;
  return success();
}

} // namespace

LogicalResult SliceOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto g = computeSlice(*this);
  if (failed(data) || failed(g))
    return failure();
  setResult(*this, g->sizes, data->getElementType());
  return success();
}

LogicalResult SplitOp::inferShapes() {
  auto input = rankedOperand(*this, getInput(), "input");
  auto sizes = computeSplitSizes(*this);
  if (failed(input) || failed(sizes))
    return failure();
  int64_t axis = *normalizeAxis(getAxis(), input->getRank());
  SmallVector<int64_t> shape(input->getShape());
  for (auto [i, size] : llvm::enumerate(*sizes)) {
    shape[axis] = size;
    setResult(*this, shape, input->getElementType(), i);
  }
  return success();
}

LogicalResult PadOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto pads = computePads(*this);
  if (failed(data) || failed(pads))
    return failure();
  if (getConstantValue()) {
    auto value = rankedOperand(*this, getConstantValue(), "constant_value");
    if (failed(value) || failed(requireScalar(*this, *value, "constant_value")))
      return failure();
    if (value->getElementType() != data->getElementType())
      return emitOpError() << "constant_value must have the data's type";
  }
  int64_t rank = data->getRank();
  SmallVector<int64_t> shape(data->getShape());
  for (int64_t d = 0; d < rank; ++d) {
    int64_t lo = (*pads)[d], hi = (*pads)[d + rank];
    if (shape[d] != kDyn)
      shape[d] = lo == kDyn || hi == kDyn ? kDyn : shape[d] + lo + hi;
  }
  setResult(*this, shape, data->getElementType());
  return success();
}

LogicalResult TileOp::inferShapes() {
  auto input = rankedOperand(*this, getInput(), "input");
  if (failed(input))
    return failure();
  // Repeats only known at run time give run-time dims.
  auto repeats = shapeInts(getRepeats());
  if (!repeats)
    return emitOpError()
           << "the 'repeats' input must be a 1-D tensor of a known length";
  if ((int64_t)repeats->size() != input->getRank())
    return emitOpError() << "repeats has " << repeats->size()
                         << " values for rank " << input->getRank();
  SmallVector<int64_t> shape;
  for (auto [d, r] : llvm::zip(input->getShape(), *repeats)) {
    if (r < 0 && r != kDyn)
      return emitOpError() << "repeats must be non-negative";
    shape.push_back(d == kDyn || r == kDyn ? kDyn : d * r);
  }
  setResult(*this, shape, input->getElementType());
  return success();
}

LogicalResult ExpandOp::inferShapes() {
  auto input = rankedOperand(*this, getInput(), "input");
  if (failed(input))
    return failure();
  // Entries only known at run time give run-time dims.
  auto target = shapeInts(getShape());
  if (!target)
    return emitOpError()
           << "the 'shape' input must be a 1-D tensor of a known length";
  SmallVector<int64_t> shape;
  if (!broadcastShapes(input->getShape(), *target, shape))
    return emitOpError() << "cannot expand " << *input << " to the given shape";
  setResult(*this, shape, input->getElementType());
  return success();
}

LogicalResult RangeOp::inferShapes() {
  auto start = rankedOperand(*this, getStart(), "start");
  auto limit = rankedOperand(*this, getLimit(), "limit");
  auto delta = rankedOperand(*this, getDelta(), "delta");
  if (failed(start) || failed(limit) || failed(delta) ||
      failed(requireNoUnsignedOperands(*this)))
    return failure();
  for (auto [t, name] : {std::pair{*start, "start"}, std::pair{*limit, "limit"},
                         std::pair{*delta, "delta"}}) {
    if (failed(requireScalar(*this, t, name)))
      return failure();
    if (t.getElementType() != start->getElementType())
      return emitOpError() << "start, limit and delta must have one type";
  }
  auto values = [&](Value v) { return constantDoubles(v); };
  auto s = values(getStart()), l = values(getLimit()), d = values(getDelta());
  if (!s || !l || !d) {
    // Computed at run time (RangeLowering).
    setResult(*this, {kDyn}, start->getElementType());
    return success();
  }
  double step = (*d)[0];
  if (step == 0)
    return emitOpError() << "delta must not be 0";
  // ONNX: max(ceil((limit - start) / delta), 0) elements. For integers the
  // division is exact in double for the sizes tensors have.
  int64_t n = std::max<int64_t>(
      (int64_t)std::ceil(((*l)[0] - (*s)[0]) / step), 0);
  setResult(*this, {n}, start->getElementType());
  return success();
}

LogicalResult ConstantOfShapeOp::inferShapes() {
  auto input = rankedOperand(*this, getInput(), "input");
  if (failed(input))
    return failure();
  auto shape = shapeInts(getInput());
  if (!shape)
    return emitOpError()
           << "the 'input' (shape) must be a 1-D tensor of a known length";
  for (int64_t d : *shape)
    if (d < 0 && d != ShapedType::kDynamic)
      return emitOpError() << "the shape has a negative dim " << d;
  Type elementType = Float32Type::get(getContext());
  if (auto value = getValue()) {
    if (value->getNumElements() != 1)
      return emitOpError() << "value must hold exactly one element";
    elementType = value->getElementType();
  }
  setResult(*this, *shape, elementType);
  return success();
}

LogicalResult SizeOp::inferShapes() {
  if (failed(rankedOperand(*this, getData(), "data")))
    return failure();
  setResult(*this, {}, IntegerType::get(getContext(), 64));
  return success();
}

LogicalResult NonZeroOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x))
    return failure();
  Type et = x->getElementType();
  if (!isa<FloatType>(et) && !isa<IntegerType>(et))
    return emitOpError() << "X must be numbers or bools, got " << *x;
  // How many elements are non-zero is only known at run time.
  setResult(*this, {x->getRank(), kDyn}, IntegerType::get(getContext(), 64));
  return success();
}

LogicalResult GatherElementsOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto indices = rankedOperand(*this, getIndices(), "indices");
  if (failed(data) || failed(indices) || failed(requireIndices(*this, *indices)))
    return failure();
  if (data->getRank() != indices->getRank() || data->getRank() == 0)
    return emitOpError() << "data and indices must have the same rank >= 1, got "
                         << *data << " and " << *indices;
  auto axis = normalizeAxis(getAxis(), data->getRank());
  if (!axis)
    return emitOpError() << "axis " << getAxis() << " is out of range for "
                         << *data;
  if (failed(requireIndexable(*this, *data, *axis, *indices)))
    return failure();
  setResult(*this, indices->getShape(), data->getElementType());
  return success();
}

LogicalResult GatherNDOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto indices = rankedOperand(*this, getIndices(), "indices");
  if (failed(data) || failed(indices) || failed(requireIndices(*this, *indices)))
    return failure();
  int64_t r = data->getRank(), q = indices->getRank(), b = getBatchDims();
  if (q < 1 || r < 1 || b < 0 || b >= std::min(q, r))
    return emitOpError() << "batch_dims " << b << " does not fit " << *data
                         << " and " << *indices;
  int64_t m = indices->getDimSize(q - 1);
  if (m == kDyn || m < 1 || b + m > r)
    return emitOpError() << "the last dim of indices must be static and in [1, "
                         << r - b << "], got " << *indices;
  for (int64_t i = 0; i < b; ++i)
    if (data->getDimSize(i) != indices->getDimSize(i))
      return emitOpError() << "batch dims of " << *data << " and " << *indices
                           << " differ";
  for (int64_t k = 0; k < m; ++k)
    if (failed(requireIndexable(*this, *data, b + k, *indices)))
      return failure();
  SmallVector<int64_t> shape(indices->getShape().drop_back());
  llvm::append_range(shape, data->getShape().drop_front(b + m));
  setResult(*this, shape, data->getElementType());
  return success();
}

/// Bool data takes no reduction. Unsigned data is scattered on its bits
/// (Qc_SignednessAgnostic), which is right for none, add and mul only.
static LogicalResult requireScatterReduction(Operation *op, StringRef reduction,
                                             RankedTensorType data) {
  Type et = data.getElementType();
  if (reduction != "none" && et.isInteger(1))
    return op->emitOpError() << "reduction '" << reduction
                             << "' is not supported on bool tensors";
  if ((reduction == "max" || reduction == "min") && et.isUnsignedInteger())
    return op->emitOpError() << "reduction '" << reduction
                             << "' is not supported on unsigned tensors yet";
  return success();
}

/// ScatterElements and Scatter: indices and updates of one shape, the rank of
/// data.
static LogicalResult inferScatterElements(Operation *op, int64_t axis,
                                          StringRef reduction) {
  auto data = rankedOperand(op, op->getOperand(0), "data");
  auto indices = rankedOperand(op, op->getOperand(1), "indices");
  auto updates = rankedOperand(op, op->getOperand(2), "updates");
  if (failed(data) || failed(indices) || failed(updates) ||
      failed(requireIndices(op, *indices)))
    return failure();
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, reduction))
    return op->emitOpError() << "reduction '" << reduction
                             << "' is not one of none, add, mul, max, min";
  if (updates->getElementType() != data->getElementType() ||
      indices->getShape() != updates->getShape() ||
      indices->getRank() != data->getRank() || data->getRank() == 0)
    return op->emitOpError() << "indices and updates must have one shape, of "
                                "the rank of data, and updates the data's "
                                "type; got "
                             << *data << ", " << *indices << ", " << *updates;
  if (failed(requireScatterReduction(op, reduction, *data)))
    return failure();
  auto normalized = normalizeAxis(axis, data->getRank());
  if (!normalized)
    return op->emitOpError() << "axis " << axis << " is out of range for "
                             << *data;
  if (failed(requireIndexable(op, *data, *normalized, *indices)))
    return failure();
  op->getResult(0).setType(*data);
  return success();
}

LogicalResult ScatterElementsOp::inferShapes() {
  return inferScatterElements(*this, getAxis(), getReduction());
}

LogicalResult ScatterOp::inferShapes() {
  return inferScatterElements(*this, getAxis(), "none");
}

LogicalResult ScatterNDOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto indices = rankedOperand(*this, getIndices(), "indices");
  auto updates = rankedOperand(*this, getUpdates(), "updates");
  if (failed(data) || failed(indices) || failed(updates) ||
      failed(requireIndices(*this, *indices)))
    return failure();
  if (!llvm::is_contained({"none", "add", "mul", "max", "min"}, getReduction()))
    return emitOpError() << "reduction '" << getReduction()
                         << "' is not one of none, add, mul, max, min";
  if (failed(requireScatterReduction(*this, getReduction(), *data)))
    return failure();
  int64_t r = data->getRank(), q = indices->getRank();
  int64_t m = q >= 1 ? indices->getDimSize(q - 1) : kDyn;
  if (r < 1 || q < 1 || m == kDyn || m < 1 || m > r)
    return emitOpError() << "indices " << *indices << " do not fit data "
                         << *data;
  SmallVector<int64_t> expected(indices->getShape().drop_back());
  llvm::append_range(expected, data->getShape().drop_front(m));
  for (int64_t k = 0; k < m; ++k)
    if (failed(requireIndexable(*this, *data, k, *indices)))
      return failure();
  if (updates->getShape() != ArrayRef(expected) ||
      updates->getElementType() != data->getElementType())
    return emitOpError() << "updates " << *updates
                         << " must have the shape indices.shape[:-1] + "
                            "data.shape[indices.shape[-1]:] and the data's type";
  getOutput().setType(*data);
  return success();
}

LogicalResult TriluOp::inferShapes() {
  auto input = rankedOperand(*this, getInput(), "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 2)
    return emitOpError() << "input must have rank >= 2, got " << *input;
  if (getK()) {
    auto k = rankedOperand(*this, getK(), "k");
    if (failed(k) || failed(requireScalar(*this, *k, "k")))
      return failure();
    if (!k->getElementType().isSignlessInteger(64))
      return emitOpError() << "k must be int64, got " << *k;
  }
  getOutput().setType(*input);
  return success();
}

/// DepthToSpace and SpaceToDepth: 4-D NCHW with a positive blocksize.
static FailureOr<RankedTensorType> blockInput(Operation *op, Value v,
                                              int64_t blocksize,
                                              StringRef mode) {
  auto x = rankedOperand(op, v, "input");
  if (failed(x))
    return failure();
  if (x->getRank() != 4 || !x->hasStaticShape())
    return op->emitOpError() << "input must be a static 4-D NCHW tensor, got "
                             << *x;
  if (blocksize <= 0)
    return op->emitOpError() << "blocksize must be positive";
  if (mode != "DCR" && mode != "CRD")
    return op->emitOpError() << "mode '" << mode << "' is not DCR or CRD";
  return x;
}

LogicalResult DepthToSpaceOp::inferShapes() {
  int64_t b = getBlocksize();
  auto x = blockInput(*this, getInput(), b, getMode());
  if (failed(x))
    return failure();
  auto s = x->getShape();
  if (s[1] % (b * b) != 0)
    return emitOpError() << "channels " << s[1] << " do not divide by blocksize^2";
  setResult(*this, {s[0], s[1] / (b * b), s[2] * b, s[3] * b},
            x->getElementType());
  return success();
}

LogicalResult SpaceToDepthOp::inferShapes() {
  int64_t b = getBlocksize();
  auto x = blockInput(*this, getInput(), b, getMode());
  if (failed(x))
    return failure();
  auto s = x->getShape();
  if (s[2] % b != 0 || s[3] % b != 0)
    return emitOpError() << "height and width of " << *x
                         << " do not divide by the blocksize";
  setResult(*this, {s[0], s[1] * b * b, s[2] / b, s[3] / b},
            x->getElementType());
  return success();
}

LogicalResult EyeLikeOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x))
    return failure();
  if (x->getRank() != 2)
    return emitOpError() << "input must be 2-D, got " << *x;
  Type elementType = x->getElementType();
  if (auto dtype = getDtype()) {
    elementType = onnxElementType(getContext(), *dtype);
    if (!elementType)
      return emitOpError() << "dtype " << onnxDataTypeName(*dtype)
                           << " (TensorProto data type " << *dtype
                           << ") is not supported; supported: "
                           << supportedOnnxDataTypes();
  }
  setResult(*this, x->getShape(), elementType);
  return success();
}

/// A window's length from its scalar `size` input; kDyn when only known at
/// run time.
template <typename WindowOp>
static LogicalResult inferWindow(WindowOp op) {
  auto size = rankedOperand(op, op.getSize(), "size");
  if (failed(size))
    return failure();
  if (!size->hasStaticShape() || size->getNumElements() != 1 ||
      !isa<IntegerType>(size->getElementType()))
    return op.emitOpError() << "size must be one integer, got " << *size;
  Type elementType = onnxElementType(op.getContext(), op.getOutputDatatype());
  if (!elementType || elementType.isInteger(1) ||
      elementType.isUnsignedInteger())
    return op.emitOpError() << "output_datatype "
                            << onnxDataTypeName(op.getOutputDatatype())
                            << " is not a supported numeric type";
  int64_t length = kDyn;
  if (auto values = constantInts(op.getSize())) {
    length = values->front();
    if (length < 0)
      return op.emitOpError() << "size must not be negative, got " << length;
  }
  setResult(op, {length}, elementType);
  return success();
}
LogicalResult HannWindowOp::inferShapes() { return inferWindow(*this); }
LogicalResult HammingWindowOp::inferShapes() { return inferWindow(*this); }
LogicalResult BlackmanWindowOp::inferShapes() { return inferWindow(*this); }

LogicalResult CenterCropPadOp::inferShapes() {
  auto data = rankedOperand(*this, getInputData(), "input_data");
  if (failed(data))
    return failure();
  int64_t rank = data->getRank();
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  if (auto attr = getAxes()) {
    axes.clear();
    for (int64_t a : *attr) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return emitOpError() << "axis " << a << " is out of range for " << *data;
      axes.push_back(*axis);
    }
  }
  auto shape = shapeInts(getShape());
  if (!shape || shape->size() != axes.size())
    return emitOpError() << "the 'shape' input must be a 1-D tensor of "
                         << axes.size() << " values";
  SmallVector<int64_t> result(data->getShape());
  for (auto [axis, size] : llvm::zip(axes, *shape)) {
    if (size < 0 && size != kDyn)
      return emitOpError() << "shape has a negative size " << size;
    result[axis] = size;
  }
  setResult(*this, result, data->getElementType());
  return success();
}

LogicalResult OneHotOp::inferShapes() {
  auto indices = rankedOperand(*this, getIndices(), "indices");
  auto depthType = rankedOperand(*this, getDepth(), "depth");
  auto values = rankedOperand(*this, getValues(), "values");
  if (failed(indices) || failed(depthType) || failed(values) ||
      failed(requireScalar(*this, *depthType, "depth")) ||
      failed(requireNoUnsignedOperands(*this)))
    return failure();
  if (indices->getElementType().isInteger(1))
    return emitOpError() << "indices must be numeric, got " << *indices;
  if (values->getRank() != 1 || values->getDimSize(0) != 2)
    return emitOpError() << "values must be [off_value, on_value], got "
                         << *values;
  // A depth only known at run time is a run-time dim (OneHotLowering).
  int64_t d = kDyn;
  if (auto depth = constantDoubles(getDepth())) {
    d = (int64_t)(*depth)[0];
    if (d < 1)
      return emitOpError() << "depth must be positive, got " << d;
  }
  int64_t rank = indices->getRank() + 1;
  auto axis = normalizeAxis(getAxis(), rank);
  if (!axis)
    return emitOpError() << "axis " << getAxis() << " is out of range for rank "
                         << rank;
  SmallVector<int64_t> shape(indices->getShape());
  shape.insert(shape.begin() + *axis, d);
  setResult(*this, shape, values->getElementType());
  return success();
}

/// Resize and Upsample: the output size of every axis from the plan, or,
/// when scales, sizes, roi or a dim of the input are known only at run time,
/// run-time dims for the resized axes.
template <typename OpTy>
static LogicalResult inferResize(OpTy op) {
  Type et = cast<TensorType>(op.getX().getType()).getElementType();
  if (!hasConstantResizeTables(op)) {
    auto r = computeRunTimeResize(op);
    if (failed(r))
      return failure();
    setResult(op, r->outputShape, et);
    return success();
  }
  auto plan = computeResize(op);
  if (failed(plan))
    return failure();
  SmallVector<int64_t> shape;
  for (const ResizeAxis &axis : plan->axes)
    shape.push_back(axis.outputSize);
  setResult(op, shape, et);
  return success();
}

LogicalResult ResizeOp::inferShapes() { return inferResize(*this); }
LogicalResult UpsampleOp::inferShapes() { return inferResize(*this); }
