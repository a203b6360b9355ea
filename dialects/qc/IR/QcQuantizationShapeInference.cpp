//===- QcQuantizationShapeInference.cpp - quantization op result types ----===//
#include "dialects/qc/IR/OnnxDataTypes.h"
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ShapeUtils.h"

using namespace mlir;
using namespace quantc::qc;

namespace {

bool isInteger(Type t, unsigned width) {
  auto i = dyn_cast<IntegerType>(t);
  return i && i.getWidth() == width;
}

/// int8 or uint8: the only inputs of the integer contractions.
bool isByte(Type t) { return isInteger(t, 8); }

bool isSmallFloat(Type t) {
  return isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
             Float8E5M2FNUZType, Float4E2M1FNType>(t);
}

/// The element types QuantizeLinear writes and DequantizeLinear reads
/// (besides int32, which DequantizeLinear also reads).
bool isQuantizedElement(Type t) {
  auto i = dyn_cast<IntegerType>(t);
  if (i)
    return !i.isSigned() && (i.getWidth() == 8 || i.getWidth() == 16 ||
                             i.getWidth() == 4 || i.getWidth() == 2);
  return isSmallFloat(t);
}

/// A zero point fits its scale: the same shape, or one value each (a scalar
/// and a 1-element 1-D tensor).
bool sameLayout(RankedTensorType zeroPoint, RankedTensorType scale) {
  return zeroPoint.getShape() == scale.getShape() ||
         (zeroPoint.getRank() <= 1 && scale.getRank() <= 1 &&
          holdsOneValue(zeroPoint) && holdsOneValue(scale));
}

bool isScaleElement(Type t) { return isa<Float32Type, Float16Type, BFloat16Type>(t); }

/// Checks that a scale or zero point `param` fits `x` with `axis` and
/// `blockSize` (the layouts of the file comment of QcQuantizationOps.td).
LogicalResult checkQuantParam(Operation *op, RankedTensorType x,
                              RankedTensorType param, StringRef name,
                              int64_t axis, int64_t blockSize) {
  if (param.getRank() <= 1 && holdsOneValue(param) && blockSize == 0)
    return success();
  std::optional<int64_t> a = normalizeAxis(axis, x.getRank());
  if (!a)
    return op->emitOpError() << "axis " << axis << " is out of range for "
                             << x;
  if (blockSize == 0) {
    if (param.getRank() != 1 ||
        (!x.isDynamicDim(*a) && param.getDimSize(0) != x.getDimSize(*a)))
      return op->emitOpError()
             << name << " " << param << " is neither one value nor one per "
             << "index of axis " << axis << " of " << x;
    return success();
  }
  if (blockSize < 0)
    return op->emitOpError() << "block_size must be positive, got "
                             << blockSize;
  bool fits = param.getRank() == x.getRank();
  for (int64_t i = 0; fits && i < x.getRank(); ++i) {
    int64_t d = x.getDimSize(i), p = param.getDimSize(i);
    if (d == ShapedType::kDynamic)
      continue;
    fits = i == *a ? p == (d + blockSize - 1) / blockSize : p == d;
  }
  if (!fits)
    return op->emitOpError() << name << " " << param << " does not block " << x
                             << " by " << blockSize << " along axis " << axis;
  return success();
}

/// Per tensor, or one value per index of dim `dim` of `x` (1-D), or `x`'s
/// shape with every other dim 1: the layouts of a zero point or scale of
/// an integer contraction's input.
LogicalResult checkPerTensorOrDim(Operation *op, RankedTensorType x,
                                  Value param, StringRef name, int64_t dim,
                                  StringRef dimName) {
  auto p = rankedOperand(op, param, name);
  if (failed(p))
    return failure();
  if (holdsOneValue(*p))
    return success();
  int64_t n = x.getDimSize(dim);
  if (p->getRank() == 1 && (n == ShapedType::kDynamic || p->getDimSize(0) == n))
    return success();
  if (p->getRank() == x.getRank() && dim >= x.getRank() - 2) {
    bool fits = true;
    for (int64_t i = 0; i < x.getRank(); ++i)
      fits &= p->getDimSize(i) == (i == dim ? n : (i < x.getRank() - 2 ? x.getDimSize(i) : 1));
    if (fits)
      return success();
  }
  return op->emitOpError() << name << " " << *p << " is neither per tensor nor "
                           << "one per " << dimName << " of " << x;
}

LogicalResult requireType(Operation *op, Value v, StringRef name,
                          llvm::function_ref<bool(Type)> allowed,
                          StringRef what) {
  auto t = rankedOperand(op, v, name);
  if (failed(t))
    return failure();
  if (!allowed(t->getElementType()))
    return op->emitOpError() << name << " must be " << what << ", got " << *t;
  return success();
}

LogicalResult requireScalarOf(Operation *op, Value v, StringRef name,
                              llvm::function_ref<bool(Type)> allowed,
                              StringRef what) {
  if (failed(requireType(op, v, name, allowed, what)))
    return failure();
  if (!holdsOneValue(cast<RankedTensorType>(v.getType())))
    return op->emitOpError() << name << " must hold one value, got "
                             << v.getType();
  return success();
}

} // namespace

LogicalResult QuantizeLinearOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  auto scale = rankedOperand(*this, getYScale(), "y_scale");
  if (failed(x) || failed(scale))
    return failure();
  Type xe = x->getElementType();
  if (!isScaleElement(xe) && !isInteger(xe, 32))
    return emitOpError() << "x must be float, float16, bfloat16 or int32, got "
                         << *x;
  if (!isScaleElement(scale->getElementType()))
    return emitOpError() << "y_scale must be float, float16 or bfloat16, got "
                         << *scale;
  if (getPrecision() != 0)
    return emitOpError() << "precision " << getPrecision()
                         << " is not supported (the division is in float32)";
  if (failed(checkQuantParam(*this, *x, *scale, "y_scale", getAxis(),
                             getBlockSize())))
    return failure();
  Type result;
  if (getOutputDtype() != 0) {
    result = onnxElementType(getContext(), getOutputDtype());
    if (!result)
      return emitOpError() << "output_dtype " << getOutputDtype()
                           << " is not a type quantc supports";
  }
  if (Value zp = getYZeroPoint()) {
    auto zpType = rankedOperand(*this, zp, "y_zero_point");
    if (failed(zpType))
      return failure();
    if (!sameLayout(*zpType, *scale))
      return emitOpError() << "y_zero_point " << *zpType
                           << " and y_scale " << *scale
                           << " have different shapes";
    if (result && result != zpType->getElementType())
      return emitOpError() << "output_dtype " << getOutputDtype()
                           << " differs from y_zero_point's type "
                           << zpType->getElementType();
    result = zpType->getElementType();
  }
  if (!result)
    result = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  if (!isQuantizedElement(result))
    return emitOpError() << "cannot quantize to " << result
                         << ": int8/16/4/2, uint8/16/4/2, float8 and "
                            "float4e2m1 are supported";
  setResult(*this, x->getShape(), result);
  return success();
}

LogicalResult DequantizeLinearOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  auto scale = rankedOperand(*this, getXScale(), "x_scale");
  if (failed(x) || failed(scale))
    return failure();
  Type xe = x->getElementType();
  if (!isQuantizedElement(xe) && !isInteger(xe, 32))
    return emitOpError() << "x must be a quantized integer, int32, float8 or "
                            "float4e2m1 tensor, got "
                         << *x;
  if (!isScaleElement(scale->getElementType()))
    return emitOpError() << "x_scale must be float, float16 or bfloat16, got "
                         << *scale;
  if (failed(checkQuantParam(*this, *x, *scale, "x_scale", getAxis(),
                             getBlockSize())))
    return failure();
  if (Value zp = getXZeroPoint()) {
    auto zpType = rankedOperand(*this, zp, "x_zero_point");
    if (failed(zpType))
      return failure();
    if (zpType->getElementType() != xe || !sameLayout(*zpType, *scale))
      return emitOpError() << "x_zero_point " << *zpType
                           << " must have x's type and x_scale's shape "
                           << *scale;
  }
  Type result = scale->getElementType();
  if (getOutputDtype() != 0) {
    result = onnxElementType(getContext(), getOutputDtype());
    if (!result || !isScaleElement(result))
      return emitOpError() << "output_dtype " << getOutputDtype()
                           << " is not float, float16 or bfloat16";
  }
  setResult(*this, x->getShape(), result);
  return success();
}

LogicalResult DynamicQuantizeLinearOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  if (failed(x))
    return failure();
  if (!x->getElementType().isF32())
    return emitOpError() << "x must be float, got " << *x;
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  setResult(*this, x->getShape(), u8, 0);
  setResult(*this, {}, x->getElementType(), 1);
  setResult(*this, {}, u8, 2);
  return success();
}

LogicalResult DynamicQuantizeRowsOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  if (failed(x))
    return failure();
  if (!x->getElementType().isF32() || x->getRank() < 1)
    return emitOpError() << "x must be a float tensor of rank 1 or more, got "
                         << *x;
  Type u8 = IntegerType::get(getContext(), 8, IntegerType::Unsigned);
  SmallVector<int64_t> perRow(x->getShape());
  perRow.back() = 1;
  setResult(*this, x->getShape(), u8, 0);
  setResult(*this, perRow, x->getElementType(), 1);
  setResult(*this, perRow, u8, 2);
  return success();
}

LogicalResult MatMulNBitsOp::inferShapes() {
  auto a = rankedOperand(*this, getA(), "A");
  if (failed(a))
    return failure();
  if (!a->getElementType().isF32() || a->getRank() < 1)
    return emitOpError() << "A must be a float32 tensor of rank 1 or more, got "
                         << *a;
  int64_t k = getK(), n = getN(), block = getBlockSize();
  if (k < 1 || n < 1 || block < 1)
    return emitOpError() << "K, N and block_size must be positive, got " << k
                         << ", " << n << " and " << block;
  int64_t kDim = a->getShape().back();
  if (!ShapedType::isDynamic(kDim) && kDim != k)
    return emitOpError() << "A's last dim is " << kDim << ", but K = " << k;
  SmallVector<int64_t> shape(a->getShape());
  shape.back() = n;
  setResult(*this, shape, a->getElementType(), 0);
  return success();
}

LogicalResult MatMulIntegerOp::inferShapes() {
  auto a = rankedOperand(*this, getA(), "A");
  auto b = rankedOperand(*this, getB(), "B");
  if (failed(a) || failed(b))
    return failure();
  if (!isByte(a->getElementType()) || !isByte(b->getElementType()))
    return emitOpError() << "A and B must be int8 or uint8, got " << *a
                         << " and " << *b;
  auto shape = matMulShape(*this, *a, *b);
  if (failed(shape))
    return failure();
  if (a->getRank() < 2 || b->getRank() < 2)
    return emitOpError() << "1-D inputs are not supported";
  if (Value zp = getAZeroPoint())
    if (failed(requireType(*this, zp, "a_zero_point",
                           [&](Type t) { return t == a->getElementType(); },
                           "of A's type")) ||
        failed(checkPerTensorOrDim(*this, *a, zp, "a_zero_point",
                                   a->getRank() - 2, "row")))
      return failure();
  if (Value zp = getBZeroPoint())
    if (failed(requireType(*this, zp, "b_zero_point",
                           [&](Type t) { return t == b->getElementType(); },
                           "of B's type")) ||
        failed(checkPerTensorOrDim(*this, *b, zp, "b_zero_point",
                                   b->getRank() - 1, "column")))
      return failure();
  setResult(*this, *shape, IntegerType::get(getContext(), 32));
  return success();
}

LogicalResult ConvIntegerOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  auto w = rankedOperand(*this, getW(), "w");
  if (failed(x) || failed(w))
    return failure();
  if (!isByte(x->getElementType()) || !isByte(w->getElementType()))
    return emitOpError() << "x and w must be int8 or uint8, got " << *x
                         << " and " << *w;
  auto shape = convShape(*this, *x, *w, getGroup(), getKernelShape(),
                         getAutoPad(), getPads(), getStrides(), getDilations());
  if (failed(shape))
    return failure();
  if (Value zp = getXZeroPoint())
    if (failed(requireScalarOf(*this, zp, "x_zero_point",
                               [&](Type t) { return t == x->getElementType(); },
                               "of x's type")))
      return failure();
  if (Value zp = getWZeroPoint())
    if (failed(requireType(*this, zp, "w_zero_point",
                           [&](Type t) { return t == w->getElementType(); },
                           "of w's type")) ||
        failed(checkPerTensorOrDim(*this, *w, zp, "w_zero_point", 0,
                                   "output channel")))
      return failure();
  setResult(*this, *shape, IntegerType::get(getContext(), 32));
  return success();
}

LogicalResult QLinearMatMulOp::inferShapes() {
  auto a = rankedOperand(*this, getA(), "a");
  auto b = rankedOperand(*this, getB(), "b");
  auto yzp = rankedOperand(*this, getYZeroPoint(), "y_zero_point");
  if (failed(a) || failed(b) || failed(yzp))
    return failure();
  if (!isByte(a->getElementType()) || !isByte(b->getElementType()) ||
      !isByte(yzp->getElementType()))
    return emitOpError() << "a, b and y_zero_point must be int8 or uint8 "
                            "(float8 is not supported), got "
                         << *a << ", " << *b << " and " << *yzp;
  if (a->getRank() < 2 || b->getRank() < 2)
    return emitOpError() << "1-D inputs are not supported";
  auto shape = matMulShape(*this, *a, *b);
  if (failed(shape))
    return failure();
  auto sameAs = [](Type like) { return [like](Type t) { return t == like; }; };
  if (failed(requireType(*this, getAScale(), "a_scale", isScaleElement, "float")) ||
      failed(requireType(*this, getBScale(), "b_scale", isScaleElement, "float")) ||
      failed(requireScalarOf(*this, getYScale(), "y_scale", isScaleElement, "float")) ||
      failed(requireType(*this, getAZeroPoint(), "a_zero_point",
                         sameAs(a->getElementType()), "of a's type")) ||
      failed(requireType(*this, getBZeroPoint(), "b_zero_point",
                         sameAs(b->getElementType()), "of b's type")) ||
      failed(checkPerTensorOrDim(*this, *a, getAScale(), "a_scale",
                                 a->getRank() - 2, "row")) ||
      failed(checkPerTensorOrDim(*this, *a, getAZeroPoint(), "a_zero_point",
                                 a->getRank() - 2, "row")) ||
      failed(checkPerTensorOrDim(*this, *b, getBScale(), "b_scale",
                                 b->getRank() - 1, "column")) ||
      failed(checkPerTensorOrDim(*this, *b, getBZeroPoint(), "b_zero_point",
                                 b->getRank() - 1, "column")))
    return failure();
  if (!holdsOneValue(*yzp))
    return emitOpError() << "y_zero_point must hold one value, got " << *yzp;
  setResult(*this, *shape, yzp->getElementType());
  return success();
}

LogicalResult QLinearConvOp::inferShapes() {
  auto x = rankedOperand(*this, getX(), "x");
  auto w = rankedOperand(*this, getW(), "w");
  auto yzp = rankedOperand(*this, getYZeroPoint(), "y_zero_point");
  if (failed(x) || failed(w) || failed(yzp))
    return failure();
  if (!isByte(x->getElementType()) || !isByte(w->getElementType()) ||
      !isByte(yzp->getElementType()))
    return emitOpError() << "x, w and y_zero_point must be int8 or uint8, got "
                         << *x << ", " << *w << " and " << *yzp;
  auto shape = convShape(*this, *x, *w, getGroup(), getKernelShape(),
                         getAutoPad(), getPads(), getStrides(), getDilations());
  if (failed(shape))
    return failure();
  auto isF32 = [](Type t) { return t.isF32(); };
  auto sameAs = [](Type like) { return [like](Type t) { return t == like; }; };
  if (failed(requireScalarOf(*this, getXScale(), "x_scale", isF32, "float")) ||
      failed(requireScalarOf(*this, getYScale(), "y_scale", isF32, "float")) ||
      failed(requireScalarOf(*this, getXZeroPoint(), "x_zero_point",
                             sameAs(x->getElementType()), "of x's type")) ||
      failed(requireScalarOf(*this, getYZeroPoint(), "y_zero_point",
                             sameAs(yzp->getElementType()), "int8 or uint8")) ||
      failed(requireType(*this, getWScale(), "w_scale", isF32, "float")) ||
      failed(requireType(*this, getWZeroPoint(), "w_zero_point",
                         sameAs(w->getElementType()), "of w's type")) ||
      failed(checkPerTensorOrDim(*this, *w, getWScale(), "w_scale", 0,
                                 "output channel")) ||
      failed(checkPerTensorOrDim(*this, *w, getWZeroPoint(), "w_zero_point",
                                 0, "output channel")))
    return failure();
  if (Value bias = getB()) {
    auto b = rankedOperand(*this, bias, "B");
    if (failed(b))
      return failure();
    if (b->getRank() != 1 || b->getDimSize(0) != w->getDimSize(0) ||
        !isInteger(b->getElementType(), 32))
      return emitOpError() << "B must be int32 of size " << w->getDimSize(0)
                           << ", got " << *b;
  }
  setResult(*this, *shape, yzp->getElementType());
  return success();
}
