//===- QcFolds.cpp - constant folding of qc ops ---------------------------===//
//
// Folding evaluates the small integer tensors that shape subgraphs compute
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) so that shapes become
// known at compile time, and removes ops that do nothing. Weights stored as
// dense_resource blobs are never folded (they are not DenseElementsAttr),
// and folding is capped at kMaxFoldElements so that it stays cheap.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

constexpr int64_t kMaxFoldElements = 1 << 16;

/// The static result type of a fold, or null when the op is not yet typed or
/// too large to fold.
RankedTensorType foldableType(Value result) {
  auto t = dyn_cast<RankedTensorType>(result.getType());
  if (!t || !t.hasStaticShape() || t.getNumElements() > kMaxFoldElements)
    return {};
  return t;
}

DenseElementsAttr dense(Attribute a) {
  return dyn_cast_if_present<DenseElementsAttr>(a);
}

/// Row-major strides of a static shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = (int64_t)shape.size() - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Index into a broadcast operand for the result's flat index `flat`.
int64_t broadcastIndex(int64_t flat, ArrayRef<int64_t> outShape,
                       ArrayRef<int64_t> outStrides, ArrayRef<int64_t> inShape,
                       ArrayRef<int64_t> inStrides) {
  int64_t index = 0, offset = outShape.size() - inShape.size();
  for (size_t d = 0; d < outShape.size(); ++d) {
    int64_t coord = (flat / outStrides[d]) % outShape[d];
    if ((int64_t)d >= offset && inShape[d - offset] != 1)
      index += coord * inStrides[d - offset];
  }
  return index;
}

using IntFn = std::function<std::optional<APInt>(const APInt &, const APInt &)>;
using FloatFn = std::function<APFloat(const APFloat &, const APFloat &)>;

/// Evaluates a broadcasting binary op on constants.
OpFoldResult foldBinary(Operation *op, ArrayRef<Attribute> operands,
                        IntFn intFn, FloatFn floatFn) {
  auto type = foldableType(op->getResult(0));
  auto a = dense(operands[0]), b = dense(operands[1]);
  if (!type || !a || !b)
    return {};
  auto outStrides = stridesOf(type.getShape());
  auto aShape = a.getType().getShape(), bShape = b.getType().getShape();
  auto aStrides = stridesOf(aShape), bStrides = stridesOf(bShape);
  int64_t n = type.getNumElements();
  if (isa<IntegerType>(type.getElementType())) {
    auto av = llvm::to_vector(a.getValues<APInt>());
    auto bv = llvm::to_vector(b.getValues<APInt>());
    SmallVector<APInt> out;
    for (int64_t i = 0; i < n; ++i) {
      auto r = intFn(av[broadcastIndex(i, type.getShape(), outStrides, aShape, aStrides)],
                     bv[broadcastIndex(i, type.getShape(), outStrides, bShape, bStrides)]);
      if (!r)
        return {};
      out.push_back(*r);
    }
    return DenseElementsAttr::get(type, out);
  }
  if (isa<FloatType>(type.getElementType())) {
    auto av = llvm::to_vector(a.getValues<APFloat>());
    auto bv = llvm::to_vector(b.getValues<APFloat>());
    SmallVector<APFloat> out;
    for (int64_t i = 0; i < n; ++i)
      out.push_back(floatFn(
          av[broadcastIndex(i, type.getShape(), outStrides, aShape, aStrides)],
          bv[broadcastIndex(i, type.getShape(), outStrides, bShape, bStrides)]));
    return DenseElementsAttr::get(type, out);
  }
  return {};
}

OpFoldResult foldGather(RankedTensorType type, DenseElementsAttr input,
                        function_ref<int64_t(ArrayRef<int64_t>)> inputIndex);

/// A fold that only changes the shape: the input itself when the types agree,
/// or the reshaped constant.
OpFoldResult foldReshapeLike(Value input, Value result, Attribute constant) {
  if (input.getType() == result.getType())
    return input;
  auto type = foldableType(result);
  if (auto c = dense(constant); type && c)
    return c.reshape(type);
  return {};
}

} // namespace

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult IdentityOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return std::optional(a + b); },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return std::optional(a - b); },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b) { return std::optional(a * b); },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  bool isUnsigned = getElementTypeOrSelf(getType()).isUnsignedInteger();
  return foldBinary(
      *this, adaptor.getOperands(),
      [isUnsigned](const APInt &a, const APInt &b) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt; // leave division by zero to run time
        return isUnsigned ? a.udiv(b) : a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) { return a / b; });
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  // Integers and bools only: shape subgraphs compare shapes (torch's
  // expand(-1) is Where(Equal(shape, -1), 1, shape)).
  auto a = dense(adaptor.getA()), b = dense(adaptor.getB());
  if (!a || !b || !isa<IntegerType>(a.getElementType()) ||
      a.getElementType() != b.getElementType())
    return {};
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &x, const APInt &y) { return std::optional(APInt(1, x == y)); },
      [](const APFloat &x, const APFloat &) { return x; });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  auto cond = dense(adaptor.getCondition()), x = dense(adaptor.getX()),
       y = dense(adaptor.getY());
  if (!type || !cond || !x || !y || !cond.getElementType().isInteger(1))
    return {};
  auto outShape = type.getShape();
  auto outStrides = stridesOf(outShape);
  auto cShape = cond.getType().getShape(), xShape = x.getType().getShape(),
       yShape = y.getType().getShape();
  auto cStrides = stridesOf(cShape), xStrides = stridesOf(xShape),
       yStrides = stridesOf(yShape);
  auto cv = llvm::to_vector(cond.getValues<bool>());
  auto xv = llvm::to_vector(x.getValues<Attribute>());
  auto yv = llvm::to_vector(y.getValues<Attribute>());
  SmallVector<Attribute> out;
  for (int64_t i = 0; i < type.getNumElements(); ++i)
    out.push_back(cv[broadcastIndex(i, outShape, outStrides, cShape, cStrides)]
                      ? xv[broadcastIndex(i, outShape, outStrides, xShape, xStrides)]
                      : yv[broadcastIndex(i, outShape, outStrides, yShape, yStrides)]);
  return DenseElementsAttr::get(type, out);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), getReshaped(), adaptor.getData());
}

OpFoldResult FlattenOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getInput(), getOutput(), adaptor.getInput());
}

OpFoldResult UnsqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), getExpanded(), adaptor.getData());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldReshapeLike(getData(), getSqueezed(), adaptor.getData());
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  auto inType = dyn_cast<RankedTensorType>(getData().getType());
  if (!inType)
    return {};
  int64_t rank = inType.getRank();
  SmallVector<int64_t> perm;
  if (auto p = getPerm())
    perm.assign(p->begin(), p->end());
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  if ((int64_t)perm.size() != rank)
    return {};
  if (inType == getType() && llvm::all_of(llvm::enumerate(perm), [](auto ip) {
        return (int64_t)ip.index() == ip.value();
      }))
    return getData();
  // A transpose of a transpose is one transpose, in place: out[i] =
  // mid[perm[i]] = x[inner[perm[i]]]. (Then perhaps the identity above.)
  if (auto inner = getData().getDefiningOp<TransposeOp>()) {
    auto innerPerm = inner.getPerm();
    auto inRange = [&](int64_t d) { return d >= 0 && d < rank; };
    if (innerPerm && (int64_t)innerPerm->size() == rank &&
        llvm::all_of(perm, inRange) && llvm::all_of(*innerPerm, inRange)) {
      SmallVector<int64_t> composed;
      for (int64_t d : perm)
        composed.push_back((*innerPerm)[d]);
      getDataMutable().assign(inner.getData());
      setPerm(composed);
      return getResult();
    }
  }
  // A constant (torch's F.pad computes its pads as Reshape -> Slice ->
  // Transpose of a small constant): out[c] = in[c permuted back].
  auto type = foldableType(getResult());
  auto data = dense(adaptor.getData());
  if (!type || !data)
    return {};
  auto inStrides = stridesOf(data.getType().getShape());
  return foldGather(type, data, [&](ArrayRef<int64_t> coords) {
    int64_t index = 0;
    for (int64_t d = 0; d < rank; ++d)
      index += coords[d] * inStrides[perm[d]];
    return index;
  });
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto data = dyn_cast<RankedTensorType>(getData().getType());
  auto type = foldableType(getShape());
  if (!data || !data.hasStaticShape() || !type)
    return {};
  return DenseElementsAttr::get(type, ArrayRef(selectDims(data.getShape())));
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  if (!type)
    return {};
  if (getInputs().size() == 1 && getInputs()[0].getType() == type)
    return getInputs()[0];
  int64_t axis = *normalizeAxis(getAxis(), type.getRank());
  int64_t outer = product(type.getShape().take_front(axis));
  SmallVector<SmallVector<Attribute>> values;
  SmallVector<int64_t> blocks;
  for (Attribute a : adaptor.getInputs()) {
    auto c = dense(a);
    if (!c)
      return {};
    values.push_back(llvm::to_vector(c.getValues<Attribute>()));
    blocks.push_back(product(c.getType().getShape().drop_front(axis)));
  }
  SmallVector<Attribute> out;
  for (int64_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < values.size(); ++i)
      out.append(values[i].begin() + o * blocks[i],
                 values[i].begin() + (o + 1) * blocks[i]);
  return DenseElementsAttr::get(type, out);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  auto data = dense(adaptor.getData()), indices = dense(adaptor.getIndices());
  if (!type || !data || !indices)
    return {};
  auto shape = data.getType().getShape();
  int64_t axis = *normalizeAxis(getAxis(), shape.size());
  int64_t outer = product(shape.take_front(axis));
  int64_t inner = product(shape.drop_front(axis + 1));
  int64_t dim = shape[axis];
  auto values = llvm::to_vector(data.getValues<Attribute>());
  SmallVector<Attribute> out;
  for (int64_t o = 0; o < outer; ++o)
    for (const APInt &index : indices.getValues<APInt>()) {
      int64_t i = index.getSExtValue();
      if (i < 0)
        i += dim;
      if (i < 0 || i >= dim)
        return {}; // out of range: leave it for a run-time error path
      auto begin = values.begin() + (o * dim + i) * inner;
      out.append(begin, begin + inner);
    }
  return DenseElementsAttr::get(type, out);
}

//===----------------------------------------------------------------------===//
// Data movement (QcDataMovementOps.td): the ops shape subgraphs use
//===----------------------------------------------------------------------===//

namespace {

/// Evaluates an op whose result element at `coords` is the constant input's
/// element at `inputIndex(coords)` (a flat index into the input).
OpFoldResult foldGather(RankedTensorType type, DenseElementsAttr input,
                        function_ref<int64_t(ArrayRef<int64_t>)> inputIndex) {
  if (input.isSplat())
    return DenseElementsAttr::get(type, input.getSplatValue<Attribute>());
  auto values = llvm::to_vector(input.getValues<Attribute>());
  auto strides = stridesOf(type.getShape());
  SmallVector<Attribute> out;
  SmallVector<int64_t> coords(type.getRank());
  for (int64_t flat = 0; flat < type.getNumElements(); ++flat) {
    for (int64_t d = 0; d < type.getRank(); ++d)
      coords[d] = (flat / strides[d]) % type.getDimSize(d);
    out.push_back(values[inputIndex(coords)]);
  }
  return DenseElementsAttr::get(type, out);
}

} // namespace

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  if (!type)
    return {};
  if (getData().getType() == type) {
    // Slices that keep every element in order do nothing.
    auto g = computeSlice(*this);
    if (succeeded(g) && !g->fullyRunTime &&
        llvm::all_of(g->steps, [](int64_t s) { return s == 1; }))
      return getData();
  }
  auto data = dense(adaptor.getData());
  if (!data)
    return {};
  auto g = computeSlice(*this);
  if (failed(g) || g->fullyRunTime)
    return {};
  auto inStrides = stridesOf(data.getType().getShape());
  return foldGather(type, data, [&](ArrayRef<int64_t> coords) {
    int64_t index = 0;
    for (size_t d = 0; d < coords.size(); ++d)
      index += (g->starts[d] + coords[d] * g->steps[d]) * inStrides[d];
    return index;
  });
}

OpFoldResult TileOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  if (!type)
    return {};
  if (getInput().getType() == type)
    return getInput();
  auto input = dense(adaptor.getInput());
  if (!input)
    return {};
  auto inShape = input.getType().getShape();
  auto inStrides = stridesOf(inShape);
  return foldGather(type, input, [&](ArrayRef<int64_t> coords) {
    int64_t index = 0;
    for (size_t d = 0; d < coords.size(); ++d)
      index += (coords[d] % inShape[d]) * inStrides[d];
    return index;
  });
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  if (!type)
    return {};
  if (getInput().getType() == type)
    return getInput();
  auto input = dense(adaptor.getInput());
  if (!input)
    return {};
  auto outStrides = stridesOf(type.getShape());
  auto inShape = input.getType().getShape();
  auto inStrides = stridesOf(inShape);
  return foldGather(type, input, [&](ArrayRef<int64_t> coords) {
    int64_t flat = 0;
    for (size_t d = 0; d < coords.size(); ++d)
      flat += coords[d] * outStrides[d];
    return broadcastIndex(flat, type.getShape(), outStrides, inShape, inStrides);
  });
}

OpFoldResult RangeOp::fold(FoldAdaptor adaptor) {
  auto type = foldableType(getResult());
  auto start = dense(adaptor.getStart()), delta = dense(adaptor.getDelta());
  if (!type || !start || !delta)
    return {};
  int64_t n = type.getNumElements();
  if (auto it = dyn_cast<IntegerType>(type.getElementType())) {
    int64_t s = (*start.getValues<APInt>().begin()).getSExtValue();
    int64_t d = (*delta.getValues<APInt>().begin()).getSExtValue();
    SmallVector<APInt> out;
    for (int64_t i = 0; i < n; ++i)
      out.push_back(APInt(it.getWidth(), s + i * d, /*isSigned=*/true,
                          /*implicitTrunc=*/true));
    return DenseElementsAttr::get(type, out);
  }
  auto ft = dyn_cast<FloatType>(type.getElementType());
  if (!ft)
    return {};
  // As numpy's arange: start + i * delta in double, then rounded once.
  double s = (*start.getValues<APFloat>().begin()).convertToDouble();
  double d = (*delta.getValues<APFloat>().begin()).convertToDouble();
  SmallVector<APFloat> out;
  for (int64_t i = 0; i < n; ++i) {
    APFloat v(s + i * d);
    bool lost;
    v.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
    out.push_back(v);
  }
  return DenseElementsAttr::get(type, out);
}

OpFoldResult ConstantOfShapeOp::fold(FoldAdaptor) {
  auto type = foldableType(getResult());
  if (!type)
    return {};
  if (auto value = getValue()) {
    auto values = dyn_cast<DenseElementsAttr>(*value);
    if (!values)
      return {};
    return DenseElementsAttr::get(type, *values.getValues<Attribute>().begin());
  }
  return DenseElementsAttr::get(type, FloatAttr::get(type.getElementType(), 0.0));
}

OpFoldResult SizeOp::fold(FoldAdaptor) {
  auto data = dyn_cast<RankedTensorType>(getData().getType());
  auto type = foldableType(getSize());
  if (!data || !data.hasStaticShape() || !type)
    return {};
  return DenseElementsAttr::get(type, ArrayRef<int64_t>{data.getNumElements()});
}
