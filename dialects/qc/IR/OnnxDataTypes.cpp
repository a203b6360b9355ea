//===- OnnxDataTypes.cpp - ONNX TensorProto data types as element types ---===//
#include "dialects/qc/IR/OnnxDataTypes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

#include <iterator>

using namespace mlir;

namespace quantc::qc {

Type onnxElementType(MLIRContext *ctx, int64_t code) {
  Builder b(ctx);
  switch (code) {
  case 1: return b.getF32Type();
  case 2: return b.getIntegerType(8, /*isSigned=*/false);
  case 3: return b.getIntegerType(8);
  case 4: return b.getIntegerType(16, /*isSigned=*/false);
  case 5: return b.getIntegerType(16);
  case 6: return b.getIntegerType(32);
  case 7: return b.getIntegerType(64);
  case 9: return b.getI1Type();
  case 10: return b.getF16Type();
  case 11: return b.getF64Type();
  case 12: return b.getIntegerType(32, /*isSigned=*/false);
  case 13: return b.getIntegerType(64, /*isSigned=*/false);
  default: return {};
  }
}

StringRef onnxDataTypeName(int64_t code) {
  static const char *names[] = {
      "UNDEFINED", "FLOAT",  "UINT8",       "INT8",           "UINT16",
      "INT16",     "INT32",  "INT64",       "STRING",         "BOOL",
      "FLOAT16",   "DOUBLE", "UINT32",      "UINT64",         "COMPLEX64",
      "COMPLEX128", "BFLOAT16", "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ",
      "FLOAT8E5M2", "FLOAT8E5M2FNUZ", "UINT4", "INT4", "FLOAT4E2M1",
      "FLOAT8E8M0", "UINT2", "INT2"};
  if (code >= 0 && code < (int64_t)std::size(names))
    return names[code];
  return "unknown";
}

StringRef supportedOnnxDataTypes() {
  return "FLOAT, DOUBLE, FLOAT16, INT8, INT16, INT32, INT64, UINT8, UINT16, "
         "UINT32, UINT64, BOOL";
}

} // namespace quantc::qc
