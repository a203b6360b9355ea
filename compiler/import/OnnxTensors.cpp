//===- OnnxTensors.cpp - ONNX tensors and types as MLIR -------------------===//
#include "compiler/import/OnnxTensors.h"
#include "dialects/qc/IR/OnnxDataTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/Endian.h"

using namespace mlir;

namespace quantc {

/// Up to this many elements a tensor is a uniqued DenseElementsAttr, visible
/// to folders; beyond it, a dense_resource blob (weights).
static constexpr int64_t kMaxInlineElements = 1024;

Type convertOnnxElementType(int32_t dataType, MLIRContext *ctx,
                            std::string &error) {
  // One table for tensors and for the attributes that name a type (Cast's
  // `to`). ONNX's unsigned types keep their signedness in the element type:
  // Div, Cast, comparisons, Max, ... depend on it. qc-lower-to-linalg maps
  // them to signless types and picks the unsigned arith ops.
  if (Type type = qc::onnxElementType(ctx, dataType))
    return type;
  // Debian's libonnx (1.12) predates the 8-, 4- and 2-bit types, so the name
  // comes from qc's table, not from the protobuf enum.
  StringRef name = qc::onnxDataTypeName(dataType);
  error = "element type " +
          (name == "unknown" ? std::to_string(dataType) : name.str()) +
          " is not supported yet";
  return {};
}

/// Elements packed in one byte of raw_data (and of each int32_data entry):
/// two for the 4-bit types, four for the 2-bit ones, low bits first.
static int64_t elementsPerByte(Type t) {
  if (t.isInteger(1))
    return 1;
  unsigned width = t.getIntOrFloatBitWidth();
  return width < 8 ? 8 / width : 1;
}

/// Bytes per element in memory and in the attribute (bool, the 4- and 2-bit
/// types: one), and in raw_data for the types that are not packed.
static int64_t storageBytes(Type t) {
  return t.isInteger(1) ? 1
                        : std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8);
}

/// The typed repeated fields of a TensorProto as little-endian bytes in the
/// layout raw_data would have.
static bool typedFieldBytes(const onnx::TensorProto &t, Type et,
                            std::vector<char> &out, std::string &error) {
  auto append = [&](const void *p, size_t n) {
    const char *c = static_cast<const char *>(p);
    out.insert(out.end(), c, c + n);
  };
  if (et.isF32()) {
    for (float v : t.float_data())
      append(&v, 4);
  } else if (et.isF64()) {
    for (double v : t.double_data())
      append(&v, 8);
  } else if (et.isUnsignedInteger(64) || et.isUnsignedInteger(32)) {
    // uint32 and uint64 values are both held in uint64_data.
    for (uint64_t v : t.uint64_data())
      append(&v, et.getIntOrFloatBitWidth() / 8);
  } else if (et.isInteger(64)) {
    for (int64_t v : t.int64_data())
      append(&v, 8);
  } else if (et.isInteger(32)) {
    for (int32_t v : t.int32_data())
      append(&v, 4);
  } else if (et.isInteger(16) || et.isF16() || et.isBF16()) {
    for (int32_t v : t.int32_data()) {
      uint16_t h = (uint16_t)v;
      append(&h, 2);
    }
  } else if (et.getIntOrFloatBitWidth() <= 8) {
    // Bytes: int8, bool, the float8 types, and the 4- and 2-bit types packed
    // two or four to an entry.
    for (int32_t v : t.int32_data()) {
      int8_t h = (int8_t)v;
      append(&h, 1);
    }
  } else {
    error = "unsupported element type";
    return false;
  }
  return true;
}

ElementsAttr convertOnnxTensor(const onnx::TensorProto &tensor,
                               const std::shared_ptr<const onnx::ModelProto> &owner,
                               MLIRContext *ctx, std::string &error) {
  Type et = convertOnnxElementType(tensor.data_type(), ctx, error);
  if (!et)
    return {};
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "external data is not supported yet";
    return {};
  }
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = "negative dim " + std::to_string(d);
      return {};
    }
    shape.push_back(d);
    count *= d;
  }
  auto type = RankedTensorType::get(shape, et);
  int64_t perByte = elementsPerByte(et);
  int64_t bytes =
      perByte > 1 ? (count + perByte - 1) / perByte : count * storageBytes(et);

  ArrayRef<char> data;
  std::vector<char> copied;
  if (tensor.has_raw_data()) {
    data = ArrayRef<char>(tensor.raw_data().data(), tensor.raw_data().size());
  } else {
    if (!typedFieldBytes(tensor, et, copied, error))
      return {};
    data = copied;
  }
  if ((int64_t)data.size() != bytes) {
    error = "holds " + std::to_string(data.size()) + " bytes of data, but its "
            "type needs " + std::to_string(bytes);
    return {};
  }
  if (perByte > 1) {
    // One byte per element in memory, the value in the low bits (as
    // ml_dtypes holds int4 arrays).
    unsigned width = et.getIntOrFloatBitWidth();
    std::vector<char> unpacked(count);
    for (int64_t i = 0; i < count; ++i)
      unpacked[i] =
          char((uint8_t(data[i / perByte]) >> (width * (i % perByte))) &
               ((1u << width) - 1));
    copied = std::move(unpacked);
    data = copied;
  }

  // Sub-byte types stay inline however large: MLIR's translation to LLVM IR
  // has no conversion of a dense_resource blob to an array of i4 or i2.
  if (count <= kMaxInlineElements || perByte > 1) {
    if (et.isInteger(1)) {
      SmallVector<bool> values;
      for (char c : data)
        values.push_back(c != 0);
      return DenseElementsAttr::get(type, ArrayRef<bool>(values));
    }
    return DenseElementsAttr::getFromRawBuffer(type, data);
  }

  std::string name = tensor.name().empty() ? "constant" : tensor.name();
  size_t align = storageBytes(et);
  AsmResourceBlob blob;
  if (copied.empty() && owner) {
    // No copy: the blob points into the protobuf and keeps it alive.
    auto keepAlive = owner;
    blob = UnmanagedAsmResourceBlob::allocateWithAlign(
        data, align, [keepAlive](void *, size_t, size_t) {});
  } else {
    blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(data, align);
  }
  return DenseResourceElementsAttr::get(type, name, std::move(blob));
}

} // namespace quantc
