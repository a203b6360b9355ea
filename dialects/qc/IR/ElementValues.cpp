//===- ElementValues.cpp - the values of a constant attribute -------------===//
#include "dialects/qc/IR/ElementValues.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cstring>

using namespace mlir;

namespace quantc::qc {

namespace {

/// The raw bytes of a resource blob holding exactly `bytes` bytes.
std::optional<ArrayRef<char>> blobBytes(Attribute value, int64_t bytes) {
  auto resource = dyn_cast<DenseResourceElementsAttr>(value);
  AsmResourceBlob *blob = resource ? resource.getRawHandle().getBlob() : nullptr;
  if (!blob || int64_t(blob->getData().size()) != bytes)
    return std::nullopt;
  return blob->getData();
}

} // namespace

std::optional<std::vector<float>> float32Values(Attribute value, ShapedType type) {
  if (!type.getElementType().isF32() || !type.hasStaticShape())
    return std::nullopt;
  int64_t count = type.getNumElements();
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    auto values = dense.getValues<float>();
    return std::vector<float>(values.begin(), values.end());
  }
  std::optional<ArrayRef<char>> data = blobBytes(value, count * sizeof(float));
  if (!data)
    return std::nullopt;
  std::vector<float> out(count);
  memcpy(out.data(), data->data(), data->size());
  return out;
}

std::optional<std::vector<int64_t>> integerValues(Attribute value,
                                                  ShapedType type) {
  auto element = dyn_cast<IntegerType>(type.getElementType());
  if (!element || !type.hasStaticShape() || element.getWidth() > 64 ||
      element.getWidth() % 8 != 0)
    return std::nullopt;
  auto read = [&](const APInt &v) {
    return element.isUnsigned() ? int64_t(v.getZExtValue()) : v.getSExtValue();
  };
  std::vector<int64_t> out;
  if (auto dense = dyn_cast<DenseIntElementsAttr>(value)) {
    for (const APInt &v : dense.getValues<APInt>())
      out.push_back(read(v));
    return out;
  }
  unsigned bytes = element.getWidth() / 8;
  std::optional<ArrayRef<char>> data =
      blobBytes(value, type.getNumElements() * bytes);
  if (!data)
    return std::nullopt;
  for (int64_t i = 0; i < type.getNumElements(); ++i) {
    uint64_t raw = 0;
    memcpy(&raw, data->data() + i * bytes, bytes); // little-endian host
    out.push_back(read(APInt(element.getWidth(), raw)));
  }
  return out;
}

} // namespace quantc::qc
