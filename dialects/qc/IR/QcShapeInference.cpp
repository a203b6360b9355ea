//===- QcShapeInference.cpp - result types of qc ops ----------------------===//
//
// Each op computes its result type from its operand types (and, for Reshape,
// Squeeze and Unsqueeze, the constant value of a shape operand), following
// the ONNX operator specification. Errors are reported at the op in ONNX's
// terms. Dynamic dims (ShapedType::kDynamic) propagate where the rule allows.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;


LogicalResult inferSameAsInput(Operation *op, StringRef name) {
  auto x = rankedOperand(op, op->getOperand(0), name);
  if (failed(x))
    return failure();
  op->getResult(0).setType(*x);
  return success();
}

LogicalResult requireFloat(Operation *op, RankedTensorType t) {
  if (!isa<FloatType>(t.getElementType()))
    return op->emitOpError() << "supports floating-point tensors only, got "
                             << t;
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Simple ops
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferShapes() {
  auto type = cast<ShapedType>(getValue().getType());
  getResult().setType(RankedTensorType::get(type.getShape(), type.getElementType()));
  return success();
}

LogicalResult IdentityOp::inferShapes() { return inferSameAsInput(*this, "input"); }
LogicalResult ClipOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x))
    return failure();
  for (auto [value, name] : {std::pair{getMin(), "min"}, std::pair{getMax(), "max"}}) {
    if (!value)
      continue;
    auto bound = rankedOperand(*this, value, name);
    if (failed(bound))
      return failure();
    if (bound->getRank() != 0 || bound->getElementType() != x->getElementType())
      return emitOpError() << name << " must be a scalar of the input's type, got "
                           << *bound;
  }
  getOutput().setType(*x);
  return success();
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>>
quantc::qc::matMulShape(Operation *op, RankedTensorType a, RankedTensorType b) {
  if (a.getRank() == 0 || b.getRank() == 0)
    return op->emitOpError() << "inputs must have rank >= 1, got " << a
                             << " and " << b;
  // Numpy matmul: a 1-D A is a row vector, a 1-D B a column vector, and the
  // added dim is removed from the result.
  SmallVector<int64_t> as(a.getShape()), bs(b.getShape());
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec)
    as.insert(as.begin(), 1);
  if (bVec)
    bs.push_back(1);
  int64_t k1 = as.back(), k2 = bs[bs.size() - 2];
  if (k1 != kDyn && k2 != kDyn && k1 != k2)
    return op->emitOpError() << "contraction dims differ: A is " << a
                             << " and B is " << b;
  SmallVector<int64_t> batch;
  if (!broadcastShapes(ArrayRef(as).drop_back(2), ArrayRef(bs).drop_back(2),
                       batch))
    return op->emitOpError() << "batch dims of " << a << " and " << b
                             << " do not broadcast";
  SmallVector<int64_t> shape(batch);
  if (!aVec)
    shape.push_back(as[as.size() - 2]);
  if (!bVec)
    shape.push_back(bs.back());
  return shape;
}

LogicalResult MatMulOp::inferShapes() {
  auto a = rankedOperand(*this, getA(), "A");
  auto b = rankedOperand(*this, getB(), "B");
  if (failed(a) || failed(b))
    return failure();
  if (a->getElementType() != b->getElementType())
    return emitOpError() << "inputs have different element types";
  auto shape = matMulShape(*this, *a, *b);
  if (failed(shape))
    return failure();
  setResult(*this, *shape, a->getElementType());
  return success();
}

LogicalResult GemmOp::inferShapes() {
  auto a = rankedOperand(*this, getA(), "A");
  auto b = rankedOperand(*this, getB(), "B");
  if (failed(a) || failed(b))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2)
    return emitOpError() << "A and B must be 2-D, got " << *a << " and " << *b;
  if (failed(requireFloat(*this, *a)))
    return failure();
  int64_t m = a->getDimSize(getTransA() ? 1 : 0);
  int64_t k1 = a->getDimSize(getTransA() ? 0 : 1);
  int64_t k2 = b->getDimSize(getTransB() ? 1 : 0);
  int64_t n = b->getDimSize(getTransB() ? 0 : 1);
  if (k1 != kDyn && k2 != kDyn && k1 != k2)
    return emitOpError() << "contraction dims differ (transA=" << getTransA()
                         << ", transB=" << getTransB() << "): " << *a << " and "
                         << *b;
  if (getC()) {
    auto c = rankedOperand(*this, getC(), "C");
    if (failed(c))
      return failure();
    SmallVector<int64_t> out;
    if (c->getRank() > 2 ||
        !broadcastShapes(c->getShape(), {m, n}, out) || out.size() != 2 ||
        (out[0] != m && m != kDyn) || (out[1] != n && n != kDyn))
      return emitOpError() << "C " << *c << " does not broadcast to [" << m
                           << ", " << n << "]";
  }
  setResult(*this, {m, n}, a->getElementType());
  return success();
}

FailureOr<SmallVector<int64_t>> quantc::qc::convShape(
    Operation *op, RankedTensorType x, RankedTensorType w, int64_t group,
    std::optional<ArrayRef<int64_t>> kernelShape, StringRef autoPad,
    std::optional<ArrayRef<int64_t>> pads,
    std::optional<ArrayRef<int64_t>> strides,
    std::optional<ArrayRef<int64_t>> dilations) {
  if (x.getRank() < 3 || w.getRank() != x.getRank())
    return op->emitOpError() << "X must be N x C x D1 x ... and W M x C/group "
                                "x k1 x ...; got "
                             << x << " and " << w;
  // N and the spatial dims may be run-time dims (computeWindowGeometry).
  if (x.isDynamicDim(1) || !w.hasStaticShape())
    return op->emitOpError() << "needs X's channels and W static, got " << x
                             << " and " << w;
  int64_t c = x.getDimSize(1), m = w.getDimSize(0);
  if (group <= 0 || c % group != 0 || m % group != 0 ||
      w.getDimSize(1) * group != c)
    return op->emitOpError() << "group " << group << " does not fit X " << x
                             << " and W " << w;
  ArrayRef<int64_t> kernel = w.getShape().drop_front(2);
  if (kernelShape && *kernelShape != kernel)
    return op->emitOpError() << "kernel_shape does not match W " << w;
  auto geometry = computeWindowGeometry(op, x.getShape().drop_front(2), kernel,
                                        autoPad, pads, strides, dilations,
                                        false);
  if (failed(geometry))
    return failure();
  SmallVector<int64_t> shape{x.getDimSize(0), m};
  llvm::append_range(shape, geometry->outputSizes);
  return shape;
}

LogicalResult ConvOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "X");
  auto w = rankedOperand(*this, getW(), "W");
  if (failed(x) || failed(w) || failed(requireFloat(*this, *x)))
    return failure();
  auto shape = convShape(*this, *x, *w, getGroup(), getKernelShape(),
                         getAutoPad(), getPads(), getStrides(), getDilations());
  if (failed(shape))
    return failure();
  if (getB()) {
    auto b = rankedOperand(*this, getB(), "B");
    if (failed(b))
      return failure();
    int64_t m = w->getDimSize(0);
    if (b->getRank() != 1 || b->getDimSize(0) != m)
      return emitOpError() << "B must be 1-D of size " << m << ", got " << *b;
  }
  setResult(*this, *shape, x->getElementType());
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling and normalization
//===----------------------------------------------------------------------===//

/// MaxPool also takes integers (ONNX: int8 and uint8), the other pools
/// floats only.
template <typename PoolOp>
static LogicalResult inferPool(PoolOp op, bool allowIntegers = false) {
  auto x = rankedOperand(op, op.getX(), "X");
  if (failed(x))
    return failure();
  Type et = x->getElementType();
  if (allowIntegers ? !isa<FloatType, IntegerType>(et) || et.isInteger(1)
                    : !isa<FloatType>(et))
    return op.emitOpError() << "supports floating-point"
                            << (allowIntegers ? " or integer" : "")
                            << " tensors only, got " << *x;
  // Run-time dims give run-time output dims (computeWindowGeometry).
  if (x->getRank() < 3)
    return op.emitOpError() << "X must be N x C x D1 x ..., got " << *x;
  auto geometry = computeWindowGeometry(
      op, x->getShape().drop_front(2), op.getKernelShape(), op.getAutoPad(),
      op.getPads(), op.getStrides(), op.getDilations(), op.getCeilMode() != 0);
  if (failed(geometry))
    return failure();
  SmallVector<int64_t> shape{x->getDimSize(0), x->getDimSize(1)};
  llvm::append_range(shape, geometry->outputSizes);
  setResult(op, shape, x->getElementType());
  return success();
}

LogicalResult MaxPoolOp::inferShapes() {
  if (getStorageOrder() != 0 && getStorageOrder() != 1)
    return emitOpError() << "storage_order must be 0 or 1";
  if (failed(inferPool(*this, /*allowIntegers=*/true)))
    return failure();
  getIndices().setType(getY().getType().clone(IntegerType::get(getContext(), 64)));
  return success();
}

LogicalResult AveragePoolOp::inferShapes() { return inferPool(*this); }

LogicalResult LpPoolOp::inferShapes() {
  if (getP() < 1)
    return emitOpError() << "p must be at least 1, got " << getP();
  return inferPool(*this);
}

/// Global pooling keeps N and C and makes every spatial dim 1.
static LogicalResult inferGlobalPool(Operation *op, Value input) {
  auto x = rankedOperand(op, input, "X");
  if (failed(x) || failed(requireFloat(op, *x)))
    return failure();
  if (x->getRank() < 3)
    return op->emitOpError() << "X must be N x C x D1 x ..., got " << *x;
  SmallVector<int64_t> shape(x->getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  setResult(op, shape, x->getElementType());
  return success();
}

LogicalResult GlobalAveragePoolOp::inferShapes() {
  return inferGlobalPool(*this, getX());
}

LogicalResult GlobalMaxPoolOp::inferShapes() {
  return inferGlobalPool(*this, getX());
}

LogicalResult BatchNormalizationOp::inferShapes() {
  if (getTrainingMode() != 0 && getTrainingMode() != 1)
    return emitOpError() << "training_mode must be 0 or 1";
  auto x = rankedOperand(*this, getX(), "X");
  if (failed(x) || failed(requireFloat(*this, *x)))
    return failure();
  if (x->getRank() < 2)
    return emitOpError() << "X must have rank >= 2, got " << *x;
  int64_t c = x->getDimSize(1);
  const char *names[] = {"scale", "B", "input_mean", "input_var"};
  for (unsigned i = 1; i < 5; ++i) {
    auto p = rankedOperand(*this, getOperand(i), names[i - 1]);
    if (failed(p))
      return failure();
    if (p->getRank() != 1 || (c != kDyn && p->getDimSize(0) != c))
      return emitOpError() << names[i - 1] << " must be 1-D of size " << c
                           << ", got " << *p;
  }
  getY().setType(*x);
  getRunningMean().setType(getInputMean().getType());
  getRunningVar().setType(getInputVar().getType());
  return success();
}

LogicalResult SoftmaxOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x) || failed(requireFloat(*this, *x)))
    return failure();
  if (!normalizeAxis(getAxis(), x->getRank()))
    return emitOpError() << "axis " << (int64_t)getAxis() << " is out of range for "
                         << *x;
  getOutput().setType(*x);
  return success();
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  if (failed(data))
    return failure();
  // Entries only known at run time give run-time dims.
  auto target = shapeInts(getShape());
  if (!target)
    return emitOpError() << "the 'shape' input must be a 1-D tensor of a "
                            "known length";
  SmallVector<int64_t> shape;
  int64_t inferIndex = -1, known = 1;
  bool unknownEntry = false;
  for (auto [i, d] : llvm::enumerate(*target)) {
    unknownEntry |= d == kDyn;
    if (d == 0 && !getAllowzero()) {
      if ((int64_t)i >= data->getRank())
        return emitOpError() << "shape has 0 at index " << i
                             << " beyond the input's rank";
      d = data->getDimSize(i);
    }
    if (d == -1) {
      if (inferIndex >= 0)
        return emitOpError() << "shape has more than one -1";
      inferIndex = i;
    } else if (d < 0 && d != kDyn) {
      return emitOpError() << "shape has invalid dim " << d;
    } else if (d != kDyn) {
      known *= d;
    }
    shape.push_back(d);
  }
  if (unknownEntry) {
    // An unknown entry may be 0 or -1 at run time: nothing to check here.
    if (inferIndex >= 0)
      shape[inferIndex] = kDyn;
  } else if (data->hasStaticShape()) {
    int64_t total = product(data->getShape());
    if (inferIndex >= 0) {
      if (known == 0 || total % known != 0)
        return emitOpError() << "cannot reshape " << *data << " to "
                             << "the requested shape";
      shape[inferIndex] = total / known;
    } else if (total != known) {
      return emitOpError() << "cannot reshape " << *data << " ("
                           << total << " elements) to " << known
                           << " elements";
    }
  } else if (inferIndex >= 0) {
    shape[inferIndex] = kDyn;
  }
  setResult(*this, shape, data->getElementType());
  return success();
}

LogicalResult FlattenOp::inferShapes() {
  auto x = rankedOperand(*this, getInput(), "input");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank(), axis = getAxis();
  if (axis < -rank || axis > rank)
    return emitOpError() << "axis " << axis << " is out of range for " << *x;
  if (axis < 0)
    axis += rank;
  auto prod = [&](ArrayRef<int64_t> dims) {
    return llvm::is_contained(dims, kDyn) ? kDyn : product(dims);
  };
  setResult(*this,
            {prod(x->getShape().take_front(axis)),
             prod(x->getShape().drop_front(axis))},
            x->getElementType());
  return success();
}

/// The permutation of a Transpose, defaulted to reversing the dims.
static FailureOr<SmallVector<int64_t>> getPermutation(TransposeOp op,
                                                       int64_t rank) {
  SmallVector<int64_t> perm;
  if (auto p = op.getPerm()) {
    perm.assign(p->begin(), p->end());
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  SmallVector<bool> seen(rank, false);
  if ((int64_t)perm.size() != rank)
    return op.emitOpError() << "perm has " << perm.size()
                            << " entries for rank " << rank;
  for (int64_t &p : perm) {
    auto axis = normalizeAxis(p, rank);
    if (!axis || seen[*axis])
      return op.emitOpError() << "perm is not a permutation of 0.." << rank - 1;
    seen[*axis] = true;
    p = *axis;
  }
  return perm;
}

LogicalResult TransposeOp::inferShapes() {
  auto x = rankedOperand(*this, getData(), "data");
  if (failed(x))
    return failure();
  auto perm = getPermutation(*this, x->getRank());
  if (failed(perm))
    return failure();
  SmallVector<int64_t> shape;
  for (int64_t p : *perm)
    shape.push_back(x->getDimSize(p));
  setResult(*this, shape, x->getElementType());
  return success();
}

LogicalResult ConcatOp::inferShapes() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one input";
  auto first = rankedOperand(*this, getInputs()[0], "inputs");
  if (failed(first))
    return failure();
  auto axis = normalizeAxis(getAxis(), first->getRank());
  if (!axis)
    return emitOpError() << "axis " << (int64_t)getAxis() << " is out of range for "
                         << *first;
  SmallVector<int64_t> shape(first->getShape());
  for (Value v : getInputs().drop_front()) {
    auto t = rankedOperand(*this, v, "inputs");
    if (failed(t))
      return failure();
    if (t->getRank() != first->getRank() ||
        t->getElementType() != first->getElementType())
      return emitOpError() << "inputs differ in rank or element type: "
                           << *first << " and " << *t;
    for (int64_t i = 0; i < t->getRank(); ++i) {
      int64_t d = t->getDimSize(i);
      if (i == *axis) {
        shape[i] = (shape[i] == kDyn || d == kDyn) ? kDyn : shape[i] + d;
      } else if (shape[i] != kDyn && d != kDyn && shape[i] != d) {
        return emitOpError() << "inputs differ outside the concat axis: "
                             << *first << " and " << *t;
      }
    }
  }
  setResult(*this, shape, first->getElementType());
  return success();
}

LogicalResult GatherOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  auto indices = rankedOperand(*this, getIndices(), "indices");
  if (failed(data) || failed(indices))
    return failure();
  if (!indices->getElementType().isSignlessInteger(64) &&
      !indices->getElementType().isSignlessInteger(32))
    return emitOpError() << "indices must be int32 or int64, got " << *indices;
  auto axis = normalizeAxis(getAxis(), data->getRank());
  if (!axis)
    return emitOpError() << "axis " << (int64_t)getAxis() << " is out of range for "
                         << *data;
  SmallVector<int64_t> shape(data->getShape().take_front(*axis));
  llvm::append_range(shape, indices->getShape());
  llvm::append_range(shape, data->getShape().drop_front(*axis + 1));
  setResult(*this, shape, data->getElementType());
  return success();
}

LogicalResult ShapeOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  if (failed(data))
    return failure();
  setResult(*this, {(int64_t)selectDims(data->getShape()).size()},
            IntegerType::get(getContext(), 64));
  return success();
}

/// The axes of Squeeze/Unsqueeze: the attribute (opset < 13) or the constant
/// second input (opset >= 13). nullopt (no error) when neither is given.
template <typename OpTy>
static FailureOr<std::optional<SmallVector<int64_t>>> axesOf(OpTy op) {
  if (auto attr = op.getAxes())
    return std::optional<SmallVector<int64_t>>(
        SmallVector<int64_t>(attr->begin(), attr->end()));
  if (!op.getAxesInput())
    return std::optional<SmallVector<int64_t>>();
  auto values = constantInts(op.getAxesInput());
  if (!values)
    return op.emitOpError() << "the 'axes' input must be a constant, or a "
                               "1-D tensor of static length";
  return std::optional<SmallVector<int64_t>>(*values);
}

/// The axis sets a Squeeze or Unsqueeze whose axes are only known at run
/// time may name, or an error when there are none or too many.
template <typename OpTy>
static FailureOr<SmallVector<SmallVector<int64_t>>>
runTimeReshapeAxisSets(OpTy op, RankedTensorType data, int64_t count,
                       bool squeeze) {
  auto sets = squeeze ? squeezeAxisSets(data.getShape(), count)
                      : axisSubsets(data.getRank() + count, count);
  if (squeeze && !data.hasStaticShape())
    return op.emitOpError() << "with 'axes' only known at run time needs "
                               "static dims, got "
                            << data;
  if (sets.empty())
    return op.emitOpError() << "cannot take " << count << " axes of " << data;
  if (failed(requireFewAxisSets(op, sets.size())))
    return failure();
  return sets;
}

/// The result of a Squeeze or Unsqueeze with run-time axes: what the shapes
/// of every possible axis set share.
template <typename OpTy>
static FailureOr<bool> inferRunTimeReshapeAxes(OpTy op, RankedTensorType data,
                                               bool squeeze) {
  if (op.getAxes() || !op.getAxesInput())
    return false;
  auto count = runTimeListLength(op.getAxesInput());
  if (!count || *count == 0)
    return false;
  auto sets = runTimeReshapeAxisSets(op, data, *count, squeeze);
  if (failed(sets))
    return failure();
  SmallVector<SmallVector<int64_t>> shapes;
  for (auto &set : *sets)
    shapes.push_back(squeeze ? reducedShape(data.getShape(), set, false)
                             : unsqueezedShape(data.getShape(), set));
  setResult(op, commonShape(shapes), data.getElementType());
  return true;
}

LogicalResult UnsqueezeOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  if (failed(data))
    return failure();
  auto runTime = inferRunTimeReshapeAxes(*this, *data, /*squeeze=*/false);
  if (failed(runTime))
    return failure();
  if (*runTime)
    return success();
  auto axes = axesOf(*this);
  if (failed(axes))
    return failure();
  if (!*axes)
    return emitOpError() << "needs axes";
  int64_t rank = data->getRank() + (*axes)->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : **axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || inserted[*axis])
      return emitOpError() << "axes are out of range or repeated";
    inserted[*axis] = true;
  }
  SmallVector<int64_t> shape;
  auto it = data->getShape().begin();
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : *it++);
  setResult(*this, shape, data->getElementType());
  return success();
}

LogicalResult SqueezeOp::inferShapes() {
  auto data = rankedOperand(*this, getData(), "data");
  if (failed(data))
    return failure();
  auto runTime = inferRunTimeReshapeAxes(*this, *data, /*squeeze=*/true);
  if (failed(runTime))
    return failure();
  if (*runTime)
    return success();
  auto axes = axesOf(*this);
  if (failed(axes))
    return failure();
  int64_t rank = data->getRank();
  SmallVector<bool> removed(rank, false);
  if (*axes) {
    for (int64_t a : **axes) {
      auto axis = normalizeAxis(a, rank);
      if (!axis)
        return emitOpError() << "axis " << a << " is out of range for "
                             << *data;
      if (data->getDimSize(*axis) != 1)
        return emitOpError() << "cannot squeeze dim " << *axis << " of "
                             << *data << ": it is not 1";
      removed[*axis] = true;
    }
  } else {
    for (int64_t i = 0; i < rank; ++i) {
      if (data->getDimSize(i) == kDyn)
        return emitOpError() << "Squeeze without axes needs static dims";
      removed[i] = data->getDimSize(i) == 1;
    }
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!removed[i])
      shape.push_back(data->getDimSize(i));
  setResult(*this, shape, data->getElementType());
  return success();
}
