//===- QcReductionShapeInference.cpp - result types of reductions ---------===//
//
// Result types, and every refusal, of the ops in QcReductionOps.td: the
// lowering relies on what is checked here (constant axes, supported element
// types, shapes that fit).
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;


/// Signed (signless) or unsigned integers, not bool: the lowering picks the
/// unsigned comparisons and divisions from the element type.
bool isNonBoolInt(Type t) {
  return isa<IntegerType>(t) && !t.isInteger(1) && !t.isSignedInteger();
}

/// Element types an op accepts.
enum class Elements { Float, Numeric, NumericOrBool };

LogicalResult requireElements(Operation *op, RankedTensorType t, Elements kind) {
  Type et = t.getElementType();
  bool ok = isa<FloatType>(et) ||
            (kind != Elements::Float && isNonBoolInt(et)) ||
            (kind == Elements::NumericOrBool && et.isInteger(1));
  if (ok)
    return success();
  StringRef what = kind == Elements::Float ? "floating-point"
                   : kind == Elements::Numeric
                       ? "floating-point or integer"
                       : "floating-point, integer or bool";
  return op->emitOpError() << "supports " << what << " tensors only, got " << t;
}

template <typename ReduceOp>
FailureOr<SmallVector<int64_t>> reducedDimsOf(ReduceOp op) {
  auto data = rankedOperand(op, op.getData(), "data");
  if (failed(data))
    return failure();
  if (op.getAxes() && op.getAxesInput())
    return op.emitOpError() << "has both an 'axes' attribute and an 'axes' input";
  std::optional<SmallVector<int64_t>> axes;
  if (auto attr = op.getAxes()) {
    axes.emplace(attr->begin(), attr->end());
  } else if (op.getAxesInput()) {
    axes = constantInts(op.getAxesInput());
    // An empty list is empty whatever produces it.
    if (!axes && runTimeListLength(op.getAxesInput()) == 0)
      axes.emplace();
    if (!axes)
      return op.emitOpError() << "the 'axes' input must be a constant, or a "
                                 "1-D tensor of static length";
  }
  int64_t rank = data->getRank();
  SmallVector<int64_t> dims;
  if (!axes || axes->empty()) {
    if (!op.getNoopWithEmptyAxes())
      dims = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    return dims;
  }
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return op.emitOpError() << "axis " << a << " is out of range for "
                              << *data;
    dims.push_back(*axis);
  }
  llvm::sort(dims);
  dims.erase(llvm::unique(dims), dims.end());
  return dims;
}

/// The result of a reduction whose `count` axes are only known at run time:
/// a dim of size 1 stays 1, every other kept dim is a run-time dim (it is 1
/// when reduced); without keepdims the rank drops by `count`.
template <typename ReduceOp>
LogicalResult inferRunTimeAxesReduce(ReduceOp op, RankedTensorType data,
                                     int64_t count) {
  int64_t rank = data.getRank();
  if (count > rank)
    return op.emitOpError() << "has " << count << " axes for " << data;
  if (failed(requireFewAxisSets(op, axisSubsets(rank, count).size())))
    return failure();
  bool allReduced = count == rank;
  SmallVector<int64_t> shape;
  if (op.getKeepdims() != 0) {
    for (int64_t d : data.getShape())
      shape.push_back(allReduced || d == 1 ? 1 : kDyn);
  } else {
    shape.assign(rank - count, kDyn);
  }
  op.getReduced().setType(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

template <typename ReduceOp>
LogicalResult inferReduce(ReduceOp op, Elements elements) {
  auto data = rankedOperand(op, op.getData(), "data");
  if (failed(data) || failed(requireElements(op, *data, elements)))
    return failure();
  if (op.getAxesInput() && !op.getAxes()) {
    auto count = runTimeListLength(op.getAxesInput());
    if (count && *count > 0)
      return inferRunTimeAxesReduce(op, *data, *count);
  }
  auto dims = op.getReducedDims();
  if (failed(dims))
    return failure();
  op.getReduced().setType(RankedTensorType::get(
      reducedShape(data->getShape(), *dims, op.getKeepdims() != 0),
      data->getElementType()));
  return success();
}

/// A scale or bias that must broadcast to `x` without changing its shape.
LogicalResult requireBroadcastsTo(Operation *op, Value v, StringRef name,
                                  RankedTensorType x) {
  auto t = rankedOperand(op, v, name);
  if (failed(t))
    return failure();
  SmallVector<int64_t> shape;
  if (t->getElementType() != x.getElementType() ||
      !broadcastShapes(t->getShape(), x.getShape(), shape) ||
      ArrayRef<int64_t>(shape) != x.getShape())
    return op->emitOpError() << name << " " << *t
                             << " does not broadcast to X " << x;
  return success();
}

/// A 1-D tensor of X's element type and size n.
LogicalResult requireVector(Operation *op, Value v, StringRef name, int64_t n,
                            Type elementType) {
  auto t = rankedOperand(op, v, name);
  if (failed(t))
    return failure();
  if (t->getRank() != 1 || t->getElementType() != elementType ||
      (n != kDyn && t->getDimSize(0) != kDyn && t->getDimSize(0) != n))
    return op->emitOpError() << name << " must be 1-D of size " << n
                             << " and X's element type, got " << *t;
  return success();
}

/// stash_type is the precision of the statistics; the ONNX reference
/// implements float32 (1) only, and so does quantc.
LogicalResult requireFloatStash(Operation *op, int64_t stashType) {
  if (stashType != 1)
    return op->emitOpError() << "stash_type " << stashType
                             << " is not supported (only 1, float32)";
  return success();
}

/// Layer and RMS normalization: X float, axis in range, scale (and bias)
/// broadcasting to X.
LogicalResult inferNormalizeFromAxis(Operation *op, Value x, int64_t axis,
                                     int64_t stashType, ValueRange params,
                                     ArrayRef<StringRef> names) {
  auto xt = rankedOperand(op, x, "X");
  if (failed(xt) || failed(requireElements(op, *xt, Elements::Float)) ||
      failed(requireFloatStash(op, stashType)))
    return failure();
  if (!normalizeAxis(axis, xt->getRank()))
    return op->emitOpError() << "axis " << axis << " is out of range for "
                             << *xt;
  for (auto [v, name] : llvm::zip(params, names))
    if (v && failed(requireBroadcastsTo(op, v, name, *xt)))
      return failure();
  op->getResult(0).setType(*xt);
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Reduce*, ArgMax, ArgMin
//===----------------------------------------------------------------------===//

#define QC_REDUCE(OP, ELEMENTS)                                                \
  FailureOr<SmallVector<int64_t>> OP::getReducedDims() {                       \
    return reducedDimsOf(*this);                                               \
  }                                                                            \
  LogicalResult OP::inferShapes() { return inferReduce(*this, ELEMENTS); }
QC_REDUCE(ReduceSumOp, Elements::Numeric)
QC_REDUCE(ReduceMeanOp, Elements::Numeric)
QC_REDUCE(ReduceMaxOp, Elements::NumericOrBool)
QC_REDUCE(ReduceMinOp, Elements::NumericOrBool)
QC_REDUCE(ReduceProdOp, Elements::Numeric)
QC_REDUCE(ReduceL1Op, Elements::Numeric)
QC_REDUCE(ReduceL2Op, Elements::Float)
QC_REDUCE(ReduceLogSumOp, Elements::Float)
QC_REDUCE(ReduceLogSumExpOp, Elements::Float)
QC_REDUCE(ReduceSumSquareOp, Elements::Numeric)
#undef QC_REDUCE

template <typename ArgOp>
static LogicalResult inferArgReduce(ArgOp op) {
  auto data = rankedOperand(op, op.getData(), "data");
  if (failed(data) || failed(requireElements(op, *data, Elements::Numeric)))
    return failure();
  auto axis = normalizeAxis(op.getAxis(), data->getRank());
  if (!axis)
    return op.emitOpError() << "axis " << (int64_t)op.getAxis()
                            << " is out of range for " << *data;
  op.getReduced().setType(RankedTensorType::get(
      reducedShape(data->getShape(), {*axis}, op.getKeepdims() != 0),
      IntegerType::get(op.getContext(), 64)));
  return success();
}

LogicalResult ArgMaxOp::inferShapes() { return inferArgReduce(*this); }
LogicalResult ArgMinOp::inferShapes() { return inferArgReduce(*this); }

//===----------------------------------------------------------------------===//
// LogSoftmax, Hardmax
//===----------------------------------------------------------------------===//

template <typename SoftmaxLikeOp>
static LogicalResult inferSoftmaxLike(SoftmaxLikeOp op) {
  auto x = rankedOperand(op, op.getInput(), "input");
  if (failed(x) || failed(requireElements(op, *x, Elements::Float)))
    return failure();
  if (!normalizeAxis(op.getAxis(), x->getRank()))
    return op.emitOpError() << "axis " << (int64_t)op.getAxis()
                            << " is out of range for " << *x;
  op.getOutput().setType(*x);
  return success();
}

LogicalResult LogSoftmaxOp::inferShapes() { return inferSoftmaxLike(*this); }
LogicalResult HardmaxOp::inferShapes() { return inferSoftmaxLike(*this); }

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

LogicalResult LayerNormalizationOp::inferShapes() {
  if (failed(inferNormalizeFromAxis(*this, getX(), getAxis(), getStashType(),
                                    {getScale(), getB()}, {"Scale", "B"})))
    return failure();
  auto x = cast<RankedTensorType>(getX().getType());
  int64_t axis = *normalizeAxis(getAxis(), x.getRank());
  SmallVector<int64_t> statShape(x.getShape().take_front(axis));
  statShape.append(x.getRank() - axis, 1);
  auto statType = RankedTensorType::get(statShape, Float32Type::get(getContext()));
  getMean().setType(statType);
  getInvStdDev().setType(statType);
  return success();
}

LogicalResult RMSNormalizationOp::inferShapes() {
  return inferNormalizeFromAxis(*this, getX(), getAxis(), getStashType(),
                                {getScale()}, {"scale"});
}

LogicalResult InstanceNormalizationOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Float)))
    return failure();
  if (x->getRank() < 2)
    return emitOpError() << "input must be N x C x D1 x ..., got " << *x;
  int64_t c = x->getDimSize(1);
  if (failed(requireVector(*this, getScale(), "scale", c, x->getElementType())) ||
      failed(requireVector(*this, getB(), "B", c, x->getElementType())))
    return failure();
  getOutput().setType(*x);
  return success();
}

LogicalResult GroupNormalizationOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Float)) ||
      failed(requireFloatStash(*this, getStashType())))
    return failure();
  if (x->getRank() < 2 || x->getDimSize(1) == kDyn)
    return emitOpError() << "X must be N x C x D1 x ... with a static C, got "
                         << *x;
  int64_t c = x->getDimSize(1), groups = getNumGroups();
  if (groups <= 0 || c % groups != 0)
    return emitOpError() << "num_groups " << groups
                         << " does not divide the channels of " << *x;
  // Per channel (opset 21) or per group (opset 18); see the op description.
  for (auto [v, name] : {std::pair{getScale(), "scale"}, std::pair{getBias(), "bias"}}) {
    auto t = rankedOperand(*this, v, name);
    if (failed(t))
      return failure();
    if (t->getRank() != 1 || t->getElementType() != x->getElementType() ||
        (t->getDimSize(0) != c && t->getDimSize(0) != groups))
      return emitOpError() << name << " must be 1-D of size C (" << c
                           << ") or num_groups (" << groups << "), got " << *t;
  }
  getY().setType(*x);
  return success();
}

LogicalResult LpNormalizationOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Float)))
    return failure();
  if (getP() != 1 && getP() != 2)
    return emitOpError() << "p must be 1 or 2, got " << (int64_t)getP();
  if (!normalizeAxis(getAxis(), x->getRank()))
    return emitOpError() << "axis " << (int64_t)getAxis() << " is out of range for "
                         << *x;
  getOutput().setType(*x);
  return success();
}

LogicalResult MeanVarianceNormalizationOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Float)))
    return failure();
  static const int64_t defaultAxes[] = {0, 2, 3};
  for (int64_t a : getAxes().value_or(ArrayRef<int64_t>(defaultAxes)))
    if (!normalizeAxis(a, x->getRank()))
      return emitOpError() << "axis " << a << " is out of range for " << *x;
  getY().setType(*x);
  return success();
}

LogicalResult LRNOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Float)))
    return failure();
  if (x->getRank() < 3)
    return emitOpError() << "X must be N x C x D1 x ..., got " << *x;
  if ((int64_t)getSize() <= 0)
    return emitOpError() << "size must be positive, got " << (int64_t)getSize();
  getY().setType(*x);
  return success();
}

//===----------------------------------------------------------------------===//
// CumSum, CumProd, TopK
//===----------------------------------------------------------------------===//

/// The single value of a constant integer input.
static FailureOr<int64_t> constantScalarInput(Operation *op, Value v,
                                              StringRef name) {
  auto values = constantInts(v);
  if (!values)
    return op->emitOpError() << "the '" << name
                             << "' input must be known at compile time (a "
                                "constant)";
  if (values->size() != 1)
    return op->emitOpError() << "the '" << name
                             << "' input must hold one value, got "
                             << values->size();
  return values->front();
}

/// A one-element integer input (a scalar or a 1-D tensor of one value) that
/// is not a constant: CumSum's axis when it is a graph input.
static bool isRunTimeScalar(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.hasStaticShape() && type.getNumElements() == 1 &&
         type.getRank() <= 1 && isa<IntegerType>(type.getElementType()) &&
         !constantInts(v);
}

template <typename CumulativeOp>
static FailureOr<int64_t> scanAxisOf(CumulativeOp op) {
  auto x = rankedOperand(op, op.getX(), "x");
  if (failed(x))
    return failure();
  if (!constantInts(op.getAxis()))
    return op.emitOpError()
           << "the 'axis' input must be a constant, or hold a single value";
  auto value = constantScalarInput(op, op.getAxis(), "axis");
  if (failed(value))
    return failure();
  auto axis = normalizeAxis(*value, x->getRank());
  if (!axis)
    return op.emitOpError() << "axis " << *value << " is out of range for "
                            << *x;
  return *axis;
}

#define QC_CUMULATIVE(OP)                                                      \
  FailureOr<int64_t> OP::getScanAxis() { return scanAxisOf(*this); }          \
  LogicalResult OP::inferShapes() {                                            \
    auto x = rankedOperand(*this, getX(), "x");                                  \
    if (failed(x) || failed(requireElements(*this, *x, Elements::Numeric)) ||  \
        (!isRunTimeScalar(getAxis()) && failed(getScanAxis())))                \
      return failure();                                                        \
    getY().setType(*x);                                                        \
    return success();                                                          \
  }
QC_CUMULATIVE(CumSumOp)
QC_CUMULATIVE(CumProdOp)
#undef QC_CUMULATIVE

LogicalResult TopKOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x) || failed(requireElements(*this, *x, Elements::Numeric)))
    return failure();
  auto axis = normalizeAxis(getAxis(), x->getRank());
  if (!axis)
    return emitOpError() << "axis " << (int64_t)getAxis() << " is out of range for "
                         << *x;
  // A K only known at run time is a run-time dim (clamped to [0, n] by the
  // lowering).
  int64_t kDim = kDyn;
  if (!isRunTimeScalar(getK())) {
    auto k = constantScalarInput(*this, getK(), "K");
    if (failed(k))
      return failure();
    int64_t n = x->getDimSize(*axis);
    if (*k < 0 || (n != kDyn && *k > n))
      return emitOpError() << "K = " << *k << " is not in [0, " << n
                           << "], the size of dim " << *axis << " of " << *x;
    kDim = *k;
  }
  SmallVector<int64_t> shape(x->getShape());
  shape[*axis] = kDim;
  getValues().setType(RankedTensorType::get(shape, x->getElementType()));
  getIndices().setType(
      RankedTensorType::get(shape, IntegerType::get(getContext(), 64)));
  return success();
}
