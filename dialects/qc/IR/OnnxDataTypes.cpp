//===- OnnxDataTypes.cpp - ONNX TensorProto data types as element types ---===//
#include "dialects/qc/IR/OnnxDataTypes.h"
#include "dialects/qc/IR/QcOps.h"

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
  // Storage types: Cast, CastLike and data movement only
  // (isStorageOnlyElementType). The 4- and 2-bit ones take a byte per element.
  case 16: return b.getBF16Type();
  case 17: return b.getType<Float8E4M3FNType>();
  case 18: return b.getType<Float8E4M3FNUZType>();
  case 19: return b.getType<Float8E5M2Type>();
  case 20: return b.getType<Float8E5M2FNUZType>();
  case 21: return b.getIntegerType(4, /*isSigned=*/false);
  case 22: return b.getIntegerType(4);
  case 23: return b.getType<Float4E2M1FNType>();
  case 24: return b.getType<Float8E8M0FNUType>();
  case 25: return b.getIntegerType(2, /*isSigned=*/false);
  case 26: return b.getIntegerType(2);
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
         "UINT32, UINT64, BOOL, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, "
         "FLOAT8E5M2, FLOAT8E5M2FNUZ, FLOAT8E8M0, FLOAT4E2M1, INT4, UINT4, INT2, "
         "UINT2";
}

bool isStorageOnlyElementType(Type type) {
  if (auto it = dyn_cast<IntegerType>(type))
    return it.getWidth() == 4 || it.getWidth() == 2;
  return isa<BFloat16Type, Float8E4M3FNType, Float8E4M3FNUZType,
             Float8E5M2Type, Float8E5M2FNUZType, Float8E8M0FNUType,
             Float4E2M1FNType>(type);
}

bool convertsOrMovesOnly(Operation *op) {
  return isa<CastOp, CastLikeOp, IdentityOp, ConstantOp, ReshapeOp, FlattenOp,
             SqueezeOp, UnsqueezeOp, TransposeOp, ConcatOp, SliceOp, SplitOp,
             GatherOp, ExpandOp, TileOp, ShapeOp, SizeOp, IfOp, LoopOp,
             ScanOp, QuantizeLinearOp, DequantizeLinearOp>(op);
}

LogicalResult refuseStorageOnlyType(Operation *op, Type elementType) {
  return op->emitOpError()
         << "element type " << elementType
         << " is supported by Cast, CastLike, QuantizeLinear, "
            "DequantizeLinear and data movement ops (Identity, Reshape, "
            "Transpose, Concat, Slice, Gather, ...) only";
}

} // namespace quantc::qc
