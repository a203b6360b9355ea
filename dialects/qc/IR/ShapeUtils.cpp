//===- ShapeUtils.cpp - ONNX shape rules ----------------------------------===//
#include "dialects/qc/IR/ShapeUtils.h"
#include "dialects/qc/IR/QcOps.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <functional>

using namespace mlir;

namespace quantc::qc {

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

bool broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                     SmallVectorImpl<int64_t> &result) {
  return mlir::OpTrait::util::getBroadcastedShape(a, b, result);
}

int64_t product(ArrayRef<int64_t> dims) {
  int64_t n = 1;
  for (int64_t d : dims)
    n *= d;
  return n;
}

std::optional<SmallVector<int64_t>> constantInts(Value v) {
  DenseIntElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<int64_t> values;
  for (const APInt &x : attr.getValues<APInt>())
    values.push_back(x.getSExtValue());
  return values;
}

/// Elementwise integer arithmetic on partly known values, with broadcasting
/// of a single element.
template <typename Fn>
static std::optional<SmallVector<int64_t>>
combineInts(Value a, Value b, Fn fn) {
  auto x = shapeInts(a), y = shapeInts(b);
  if (!x || !y || (x->size() != y->size() && x->size() != 1 && y->size() != 1))
    return std::nullopt;
  size_t n = std::max(x->size(), y->size());
  SmallVector<int64_t> out;
  for (size_t i = 0; i < n; ++i) {
    int64_t u = (*x)[x->size() == 1 ? 0 : i], v = (*y)[y->size() == 1 ? 0 : i];
    out.push_back(u == ShapedType::kDynamic || v == ShapedType::kDynamic
                      ? ShapedType::kDynamic
                      : fn(u, v));
  }
  return out;
}

std::optional<SmallVector<int64_t>> shapeInts(Value v) {
  if (auto values = constantInts(v))
    return values;
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() > 1 || !type.hasStaticShape() ||
      !type.getElementType().isSignlessInteger())
    return std::nullopt;
  constexpr int64_t kDyn = ShapedType::kDynamic;
  // Whatever is not recognised below (a graph input, a computation) is known
  // only at run time, element by element.
  SmallVector<int64_t> unknown(type.getNumElements(), kDyn);
  Operation *op = v.getDefiningOp();
  if (!op)
    return unknown;
  if (auto shape = dyn_cast<ShapeOp>(op)) {
    auto data = dyn_cast<RankedTensorType>(shape.getData().getType());
    if (!data)
      return std::nullopt;
    return shape.selectDims(data.getShape());
  }
  if (isa<IdentityOp, UnsqueezeOp, SqueezeOp, ReshapeOp, CastOp>(op)) {
    // Same elements in the same order (Cast between integer types of shape
    // values does not change them).
    auto in = shapeInts(op->getOperand(0));
    if (!in || (int64_t)in->size() != type.getNumElements())
      return unknown;
    return in;
  }
  if (isa<NegOp>(op)) {
    auto in = shapeInts(op->getOperand(0));
    if (!in || (int64_t)in->size() != type.getNumElements())
      return unknown;
    for (int64_t &x : *in)
      x = x == kDyn ? kDyn : -x;
    return in;
  }
  if (auto fill = dyn_cast<ConstantOfShapeOp>(op)) {
    // A 1-D fill of a known length: its value (0 by default) everywhere.
    int64_t value = 0;
    if (auto attr = fill.getValue()) {
      auto dense = dyn_cast<DenseIntElementsAttr>(*attr);
      if (!dense || dense.getNumElements() != 1)
        return unknown;
      value = (*dense.getValues<APInt>().begin()).getSExtValue();
    }
    return SmallVector<int64_t>(type.getNumElements(), value);
  }
  if (auto gather = dyn_cast<GatherOp>(op)) {
    auto data = shapeInts(gather.getData());
    auto indices = constantInts(gather.getIndices());
    if (!data || !indices)
      return unknown;
    SmallVector<int64_t> out;
    int64_t n = data->size();
    for (int64_t i : *indices) {
      if (i < -n || i >= n)
        return unknown;
      out.push_back((*data)[i < 0 ? i + n : i]);
    }
    return out;
  }
  if (auto concat = dyn_cast<ConcatOp>(op)) {
    SmallVector<int64_t> out;
    for (Value in : concat.getInputs()) {
      auto part = shapeInts(in);
      if (!part)
        return unknown;
      out.append(*part);
    }
    return (int64_t)out.size() == type.getNumElements() ? out : unknown;
  }
  if (auto slice = dyn_cast<SliceOp>(op)) {
    // Known entries of a 1-D slice with constant parameters.
    auto data = shapeInts(slice.getData());
    auto starts = constantInts(slice.getStarts());
    auto ends = constantInts(slice.getEnds());
    std::optional<SmallVector<int64_t>> steps =
        slice.getSteps() ? constantInts(slice.getSteps())
                         : SmallVector<int64_t>{1};
    if (!data || !starts || !ends || !steps || starts->size() != 1 ||
        ends->size() != 1 || steps->size() != 1 || (*steps)[0] <= 0)
      return unknown;
    int64_t n = data->size(), step = (*steps)[0];
    int64_t s = (*starts)[0] < 0 ? (*starts)[0] + n : (*starts)[0];
    int64_t e = (*ends)[0] < 0 ? (*ends)[0] + n : (*ends)[0];
    s = std::clamp<int64_t>(s, 0, n);
    e = std::clamp<int64_t>(e, 0, n);
    SmallVector<int64_t> out;
    for (int64_t i = s; i < e; i += step)
      out.push_back((*data)[i]);
    if ((int64_t)out.size() != type.getNumElements())
      return unknown;
    return out;
  }
  std::optional<SmallVector<int64_t>> out;
  if (isa<AddOp>(op))
    out = combineInts(op->getOperand(0), op->getOperand(1),
                      [](int64_t a, int64_t b) { return a + b; });
  else if (isa<SubOp>(op))
    out = combineInts(op->getOperand(0), op->getOperand(1),
                      [](int64_t a, int64_t b) { return a - b; });
  else if (isa<MulOp>(op))
    out = combineInts(op->getOperand(0), op->getOperand(1),
                      [](int64_t a, int64_t b) { return a * b; });
  else if (isa<DivOp>(op))
    out = combineInts(op->getOperand(0), op->getOperand(1),
                      [](int64_t a, int64_t b) {
                        return b == 0 ? kDyn : a / b;
                      });
  if (!out || (int64_t)out->size() != type.getNumElements())
    return unknown;
  return out;
}

LogicalResult requireNoUnsignedOperands(Operation *op) {
  for (Value v : op->getOperands())
    if (getElementTypeOrSelf(v.getType()).isUnsignedInteger())
      return op->emitOpError()
             << "does not support unsigned integer tensors yet, got "
             << v.getType();
  return success();
}

static int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

FailureOr<WindowGeometry>
computeWindowGeometry(Operation *op, ArrayRef<int64_t> spatial,
                      ArrayRef<int64_t> kernel, StringRef autoPad,
                      std::optional<ArrayRef<int64_t>> pads,
                      std::optional<ArrayRef<int64_t>> strides,
                      std::optional<ArrayRef<int64_t>> dilations,
                      bool ceilMode) {
  size_t n = spatial.size();
  WindowGeometry g;
  g.kernel.assign(kernel.begin(), kernel.end());
  if (kernel.size() != n)
    return op->emitOpError() << "kernel_shape has " << kernel.size()
                             << " dims but the input has " << n
                             << " spatial dims";
  auto fill = [&](std::optional<ArrayRef<int64_t>> attr, size_t expected,
                  int64_t dflt, StringRef name,
                  SmallVectorImpl<int64_t> &out) -> LogicalResult {
    if (!attr) {
      out.assign(expected, dflt);
      return success();
    }
    if (attr->size() != expected)
      return op->emitOpError() << name << " has " << attr->size()
                               << " values, expected " << expected;
    out.assign(attr->begin(), attr->end());
    return success();
  };
  SmallVector<int64_t> padValues;
  if (failed(fill(strides, n, 1, "strides", g.strides)) ||
      failed(fill(dilations, n, 1, "dilations", g.dilations)) ||
      failed(fill(pads, 2 * n, 0, "pads", padValues)))
    return failure();
  for (size_t i = 0; i < n; ++i) {
    if (g.strides[i] <= 0 || g.dilations[i] <= 0 || g.kernel[i] <= 0)
      return op->emitOpError()
             << "kernel_shape, strides and dilations must be positive";
    if (padValues[i] < 0 || padValues[i + n] < 0)
      return op->emitOpError() << "pads must be non-negative";
  }
  g.padsBegin.assign(padValues.begin(), padValues.begin() + n);
  g.padsEnd.assign(padValues.begin() + n, padValues.end());
  g.extraEnd.assign(n, 0);

  bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
  if (!same && autoPad != "NOTSET" && autoPad != "VALID")
    return op->emitOpError() << "auto_pad '" << autoPad
                             << "' is not one of NOTSET, SAME_UPPER, "
                                "SAME_LOWER, VALID";
  g.same = same;
  g.sameUpper = autoPad == "SAME_UPPER";
  g.ceilMode = ceilMode;
  for (size_t i = 0; i < n; ++i) {
    int64_t in = spatial[i];
    int64_t window = (g.kernel[i] - 1) * g.dilations[i] + 1;
    if (in == ShapedType::kDynamic) {
      // Known at run time only: the lowering computes the sizes (and SAME
      // pads) from the input's size with the rules below.
      if (same)
        g.padsBegin[i] = g.padsEnd[i] = ShapedType::kDynamic;
      else if (autoPad == "VALID")
        g.padsBegin[i] = g.padsEnd[i] = 0;
      g.outputSizes.push_back(ShapedType::kDynamic);
      g.extraEnd[i] = ceilMode ? ShapedType::kDynamic : 0;
      continue;
    }
    if (same) {
      int64_t out = ceilDiv(in, g.strides[i]);
      int64_t total = std::max<int64_t>((out - 1) * g.strides[i] + window - in, 0);
      int64_t small = total / 2;
      g.padsBegin[i] = autoPad == "SAME_UPPER" ? small : total - small;
      g.padsEnd[i] = total - g.padsBegin[i];
      g.outputSizes.push_back(out);
      continue;
    }
    if (autoPad == "VALID")
      g.padsBegin[i] = g.padsEnd[i] = 0;
    int64_t span = in + g.padsBegin[i] + g.padsEnd[i] - window;
    if (span < 0)
      return op->emitOpError()
             << "the window (" << window << ") is larger than the padded input ("
             << in + g.padsBegin[i] + g.padsEnd[i] << ") in spatial dim " << i;
    int64_t out = (ceilMode ? ceilDiv(span, g.strides[i]) : span / g.strides[i]) + 1;
    // As PyTorch and onnxruntime do: a ceil_mode window must start inside the
    // input or its begin padding.
    if (ceilMode && (out - 1) * g.strides[i] >= in + g.padsBegin[i])
      --out;
    g.outputSizes.push_back(out);
    int64_t reach = (out - 1) * g.strides[i] + window;
    g.extraEnd[i] =
        std::max<int64_t>(0, reach - (in + g.padsBegin[i] + g.padsEnd[i]));
  }
  return g;
}

FailureOr<RankedTensorType> rankedOperand(Operation *op, Value v, StringRef name) {
  if (auto t = dyn_cast<RankedTensorType>(v.getType()))
    return t;
  return op->emitOpError() << "input '" << name << "' has an unknown shape";
}

void setResult(Operation *op, ArrayRef<int64_t> shape, Type elementType,
               unsigned index) {
  op->getResult(index).setType(RankedTensorType::get(shape, elementType));
}

FailureOr<SmallVector<int64_t>> requireInts(Operation *op, Value v, StringRef name) {
  if (auto values = constantInts(v))
    return *values;
  return op->emitOpError() << "the '" << name
                           << "' input must be known at compile time (a "
                              "constant, or computed from static shapes)";
}

std::optional<int64_t> runTimeListLength(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != 1 || type.isDynamicDim(0) ||
      !isa<IntegerType>(type.getElementType()) || constantInts(v))
    return std::nullopt;
  return type.getDimSize(0);
}

SmallVector<SmallVector<int64_t>> axisSubsets(int64_t rank, int64_t count) {
  SmallVector<SmallVector<int64_t>> sets;
  SmallVector<int64_t> current;
  // Depth-first over the next axis to take, so the sets come out sorted.
  std::function<void(int64_t)> extend = [&](int64_t next) {
    if ((int64_t)current.size() == count) {
      sets.push_back(current);
      return;
    }
    for (int64_t axis = next; axis < rank; ++axis) {
      current.push_back(axis);
      extend(axis + 1);
      current.pop_back();
    }
  };
  if (count >= 0 && count <= rank)
    extend(0);
  return sets;
}

SmallVector<SmallVector<int64_t>> squeezeAxisSets(ArrayRef<int64_t> shape,
                                                  int64_t count) {
  SmallVector<int64_t> ones;
  for (auto [i, d] : llvm::enumerate(shape))
    if (d == 1)
      ones.push_back(i);
  SmallVector<SmallVector<int64_t>> sets;
  for (auto &positions : axisSubsets(ones.size(), count)) {
    SmallVector<int64_t> set;
    for (int64_t p : positions)
      set.push_back(ones[p]);
    sets.push_back(set);
  }
  return sets;
}

SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> dims, bool keepDims) {
  SmallVector<int64_t> result;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (!llvm::is_contained(dims, (int64_t)i))
      result.push_back(d);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

LogicalResult requireFewAxisSets(Operation *op, size_t sets) {
  if (sets <= kMaxRunTimeAxisSets)
    return success();
  return op->emitOpError()
         << "the 'axes' input is only known at run time and may name any of "
         << sets << " axis sets (at most " << kMaxRunTimeAxisSets
         << " are supported)";
}

SmallVector<int64_t> unsqueezedShape(ArrayRef<int64_t> shape,
                                     ArrayRef<int64_t> axes) {
  SmallVector<int64_t> result;
  const int64_t *next = shape.begin();
  for (int64_t i = 0, e = shape.size() + axes.size(); i < e; ++i)
    result.push_back(llvm::is_contained(axes, i) ? 1 : *next++);
  return result;
}

SmallVector<int64_t> commonShape(ArrayRef<SmallVector<int64_t>> shapes) {
  SmallVector<int64_t> result(shapes.front());
  for (auto &shape : shapes.drop_front())
    for (auto [r, d] : llvm::zip(result, shape))
      if (r != d)
        r = ShapedType::kDynamic;
  return result;
}

} // namespace quantc::qc
