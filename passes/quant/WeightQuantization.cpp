//===- WeightQuantization.cpp - constant weights to integers --------------===//
#include "passes/quant/WeightQuantization.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace quantc::quant {

namespace {
// Constants up to this many elements stay inline in the IR (readable in
// lit tests); larger ones are blobs, as the importer makes them.
constexpr int64_t kMaxInlineElements = 1024;
} // namespace

std::optional<std::vector<float>> float32Values(qc::ConstantOp constant) {
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  if (!type || !type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  Attribute value = constant.getValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(value))
    if (std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
        data && int64_t(data->size()) == type.getNumElements())
      return std::vector<float>(data->begin(), data->end());
  return std::nullopt;
}

std::optional<std::vector<int64_t>> integerValues(qc::ConstantOp constant) {
  auto type = dyn_cast<RankedTensorType>(constant.getType());
  auto element = type ? dyn_cast<IntegerType>(type.getElementType()) : nullptr;
  if (!element || !type.hasStaticShape() || element.getWidth() > 64 ||
      element.getWidth() % 8 != 0)
    return std::nullopt;
  auto read = [&](const APInt &v) {
    return element.isUnsigned() ? int64_t(v.getZExtValue()) : v.getSExtValue();
  };
  std::vector<int64_t> out;
  Attribute value = constant.getValue();
  if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
    for (const APInt &v : dense.getValues<APInt>())
      out.push_back(read(v));
    return out;
  }
  auto resource = dyn_cast<DenseResourceElementsAttr>(value);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  unsigned bytes = element.getWidth() / 8;
  if (!blob || int64_t(blob->getData().size()) != type.getNumElements() * bytes)
    return std::nullopt;
  ArrayRef<char> data = blob->getData();
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    uint64_t raw = 0;
    memcpy(&raw, data.data() + i * bytes, bytes); // little-endian host
    out.push_back(read(APInt(element.getWidth(), raw)));
  }
  return out;
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

} // namespace quantc::quant
