//===- WeightQuantization.cpp - constant weights to integers --------------===//
#include "passes/quant/WeightQuantization.h"
#include "dialects/qc/IR/ElementValues.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>

using namespace mlir;

namespace quantc::quant {

namespace {
// Constants up to this many elements stay inline in the IR (readable in
// lit tests); larger ones are blobs, as the importer makes them.
constexpr int64_t kMaxInlineElements = 1024;
} // namespace

std::string onnxNameOr(Operation *op, StringRef fallback) {
  StringRef name = qc::getOnnxNodeName(op);
  return (name.empty() ? fallback : name).str();
}

std::vector<float> WeightView::kByN() const {
  if (!transposed)
    return values;
  std::vector<float> out(values.size());
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < n; ++c)
      out[r * n + c] = values[c * k + r];
  return out;
}

std::optional<WeightView> weightOf(Operation *op) {
  auto gemm = dyn_cast<qc::GemmOp>(op);
  if (!isa<qc::MatMulOp>(op) && !(gemm && !gemm.getTransA()))
    return std::nullopt;
  auto constant = op->getOperand(1).getDefiningOp<qc::ConstantOp>();
  auto type = constant ? dyn_cast<RankedTensorType>(constant.getType())
                       : RankedTensorType();
  if (!type || type.getRank() != 2 || !type.getElementType().isF32())
    return std::nullopt;
  std::optional<std::vector<float>> values =
      qc::float32Values(constant.getValue(), type);
  if (!values)
    return std::nullopt;
  bool transposed = gemm && gemm.getTransB();
  ArrayRef<int64_t> shape = type.getShape();
  return WeightView{constant, std::move(*values),
                    transposed ? shape[1] : shape[0],
                    transposed ? shape[0] : shape[1], transposed};
}

std::optional<ConvFilters> convFilters(qc::ConvOp conv, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(conv.getW().getType());
  if (!type || !type.hasStaticShape() || type.getRank() < 3)
    return std::nullopt;
  int64_t outputs = type.getDimSize(0), groupChannels = type.getDimSize(1);
  if (outputs <= 0 || groupChannels <= 0 || channels % groupChannels ||
      channels / groupChannels != conv.getGroup() ||
      outputs % (channels / groupChannels))
    return std::nullopt;
  return ConvFilters{outputs, groupChannels,
                     type.getNumElements() / (outputs * groupChannels), channels};
}

SymmetricInt8 quantizeSymmetricInt8(int64_t rows, int64_t cols,
                                    function_ref<float(int64_t, int64_t)> at,
                                    bool perRow) {
  SymmetricInt8 q;
  q.values.resize(rows * cols);
  q.scales.assign(perRow ? rows : cols, 0.0f);
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      float &m = q.scales[perRow ? r : c];
      m = std::max(m, std::fabs(at(r, c)));
    }
  for (float &s : q.scales)
    s = s > 0.0f ? s / 127.0f : 1.0f;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      float scaled = at(r, c) / q.scales[perRow ? r : c];
      // nearbyint rounds half to even in the default rounding mode.
      float rounded = std::nearbyint(std::clamp(scaled, -127.0f, 127.0f));
      q.values[r * cols + c] = int8_t(rounded);
    }
  return q;
}

qc::ConstantOp createConstant(OpBuilder &b, Location loc,
                              RankedTensorType type, ArrayRef<char> bytes,
                              StringRef name) {
  ElementsAttr value;
  // Sub-byte integers (one per byte here) stay inline however large: MLIR's
  // translation to LLVM IR has no conversion of a resource blob of i4.
  if (type.getNumElements() <= kMaxInlineElements ||
      type.getElementTypeBitWidth() < 8) {
    value = DenseElementsAttr::getFromRawBuffer(type, bytes);
  } else {
    size_t align = std::max<size_t>(1, type.getElementTypeBitWidth() / 8);
    value = DenseResourceElementsAttr::get(
        type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, align));
  }
  return qc::ConstantOp::create(b, loc, type, value);
}

std::vector<uint8_t> packNibbles(ArrayRef<uint8_t> values) {
  std::vector<uint8_t> packed((values.size() + 1) / 2, 0);
  for (size_t i = 0; i < values.size(); ++i)
    packed[i / 2] |= uint8_t((values[i] & 15) << (i % 2 ? 4 : 0));
  return packed;
}

Value unpackNibbles(OpBuilder &b, Location loc, Value packed) {
  auto type = cast<RankedTensorType>(packed.getType());
  auto u8 = type.getElementType();
  SmallVector<int64_t> shape(type.getShape());
  shape.back() = 2;
  auto unpacked = RankedTensorType::get(shape, u8);
  const uint8_t shifts[2] = {0, 4}, mask = 15;
  Value shift = createConstant(b, loc, RankedTensorType::get({2}, u8),
                               asBytes(shifts),
                               "nibble_shift");
  Value low = createConstant(b, loc, RankedTensorType::get({}, u8),
                             asBytes(ArrayRef(mask)),
                             "nibble_mask");
  Value shifted = qc::BitShiftOp::create(b, loc, unpacked, packed, shift,
                                         b.getStringAttr("RIGHT"));
  return qc::BitwiseAndOp::create(b, loc, unpacked, shifted, low);
}

Value divideChannels(Value x, ArrayRef<float> s, int64_t axis, StringRef name) {
  OpBuilder b(x.getContext());
  if (Operation *def = x.getDefiningOp())
    b.setInsertionPointAfter(def);
  else
    b.setInsertionPointToStart(x.getParentBlock());
  std::vector<float> inverse(s.size());
  for (size_t j = 0; j < s.size(); ++j)
    inverse[j] = 1.0f / s[j];
  // [C, 1, ...]: C, then a 1 for each dim after `axis`.
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  SmallVector<int64_t> shape(rank - axis, 1);
  shape.front() = int64_t(s.size());
  Value divisor = createConstant(
      b, x.getLoc(), RankedTensorType::get(shape, b.getF32Type()),
      asBytes(inverse), name);
  return qc::MulOp::create(b, x.getLoc(), x.getType(), x, divisor);
}

Value reshapeConstantShape(OpBuilder &b, Location loc, Value x,
                           ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  Value target = createConstant(
      b, loc, RankedTensorType::get({int64_t(shape.size())}, b.getI64Type()),
      asBytes(shape),
      "shape");
  return qc::ReshapeOp::create(b, loc,
                               RankedTensorType::get(shape, type.getElementType()),
                               x, target);
}

Value dequantizedInt4(OpBuilder &b, Location loc, const Int4Weights &q,
                      StringRef name) {
  MLIRContext *ctx = b.getContext();
  auto f32 = b.getF32Type();
  int64_t groups = q.groups();
  if (q.n % 2 == 0) {
    auto u8 = IntegerType::get(ctx, 8, IntegerType::Unsigned);
    int64_t half = q.n / 2;
    Value packed = createConstant(b, loc, RankedTensorType::get({q.k, half, 1}, u8),
                                  asBytes(packNibbles(q.q)), (name + "_int4").str());
    Value scale = createConstant(b, loc, RankedTensorType::get({groups, half, 2}, f32),
                                 asBytes(q.scales), (name + "_scale").str());
    Value zeroPoint =
        createConstant(b, loc, RankedTensorType::get({groups, half, 2}, u8),
                       asBytes(q.zeroPoints), (name + "_zero_point").str());
    Value values = unpackNibbles(b, loc, packed);
    Value blocks = qc::DequantizeLinearOp::create(
        b, loc, RankedTensorType::get({q.k, half, 2}, f32), values, scale,
        zeroPoint, /*axis=*/0, /*block_size=*/q.groupSize);
    return reshapeConstantShape(b, loc, blocks, {q.k, q.n});
  }
  auto u4 = IntegerType::get(ctx, 4, IntegerType::Unsigned);
  Value weight = createConstant(b, loc, RankedTensorType::get({q.k, q.n}, u4),
                                asBytes(q.q), (name + "_int4").str());
  Value scale = createConstant(b, loc, RankedTensorType::get({groups, q.n}, f32),
                               asBytes(q.scales), (name + "_scale").str());
  Value zeroPoint = createConstant(b, loc, RankedTensorType::get({groups, q.n}, u4),
                                   asBytes(q.zeroPoints), (name + "_zero_point").str());
  return qc::DequantizeLinearOp::create(b, loc, RankedTensorType::get({q.k, q.n}, f32),
                                        weight, scale, zeroPoint, /*axis=*/0,
                                        /*block_size=*/q.groupSize);
}

} // namespace quantc::quant
