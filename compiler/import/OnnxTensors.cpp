//===- OnnxTensors.cpp - ONNX tensors and types as MLIR -------------------===//
#include "compiler/import/OnnxTensors.h"

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
  Builder b(ctx);
  switch (dataType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  // ONNX's unsigned types keep their signedness in the element type, as in
  // ONNX: Div, Cast, comparisons, Max, ... depend on it. qc-lower-to-linalg
  // maps them to signless types and picks the unsigned arith ops.
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getIntegerType(1);
  default:
    break;
  }
  // Debian's libonnx (1.12) predates the 8-, 4- and 2-bit types: name them
  // here so that the message says which type a model uses.
  static const char *newerTypes[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4",
      "INT4",         "FLOAT4E2M1",     "FLOAT8E8M0", "UINT2",          "INT2"};
  std::string name =
      onnx::TensorProto::DataType_Name((onnx::TensorProto::DataType)dataType);
  if (name.empty() && dataType >= 17 && dataType <= 26)
    name = newerTypes[dataType - 17];
  error = "element type " + (name.empty() ? std::to_string(dataType) : name) +
          " is not supported yet";
  return {};
}

/// Bytes per element as stored in raw_data (bool is one byte).
static int64_t storageBytes(Type t) {
  return t.isInteger(1) ? 1 : (int64_t)t.getIntOrFloatBitWidth() / 8;
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
  } else if (et.isInteger(16) || et.isF16()) {
    for (int32_t v : t.int32_data()) {
      uint16_t h = (uint16_t)v;
      append(&h, 2);
    }
  } else if (et.isInteger(8) || et.isInteger(1)) {
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
  int64_t bytes = count * storageBytes(et);

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

  if (count <= kMaxInlineElements) {
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
