//===- OnnxDataTypes.h - ONNX TensorProto data types as element types -----===//
//
// Attributes that name an element type by its ONNX TensorProto code (Cast's
// `to`, EyeLike's `dtype`) are read here, so that every op accepts the same
// types. The importer maps the types of tensors (compiler/import) the same
// way: unsigned ONNX types are MLIR's unsigned integer types.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_ONNXDATATYPES_H
#define QUANTC_DIALECTS_QC_IR_ONNXDATATYPES_H

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Types.h"
#include "llvm/ADT/StringRef.h"

namespace quantc::qc {

/// The element type of an ONNX TensorProto data type code, or null for the
/// types quantc does not support (string, complex).
mlir::Type onnxElementType(mlir::MLIRContext *ctx, int64_t code);

/// ONNX's name of a data type code ("UINT8", "BFLOAT16"), or "unknown".
llvm::StringRef onnxDataTypeName(int64_t code);

/// The names of the supported types, for messages: "FLOAT, DOUBLE, ...".
llvm::StringRef supportedOnnxDataTypes();
/// bfloat16, the float8 and float4 types and the 4- and 2-bit integers:
/// quantc converts them (Cast, CastLike, QuantizeLinear, DequantizeLinear)
/// and moves them (Identity, Reshape,
/// Transpose, Concat, Gather, Slice, ...), but no kernel computes with them.
/// bfloat16 arithmetic is widened to float32 by qc-widen-bf16 instead.
bool isStorageOnlyElementType(mlir::Type type);

/// Whether `op` only converts (or quantizes) or moves elements, and so takes the
/// storage-only types as they are.
bool convertsOrMovesOnly(mlir::Operation *op);

/// The error at `op`, which computes with `elementType`, a storage-only type.
mlir::LogicalResult refuseStorageOnlyType(mlir::Operation *op,
                                          mlir::Type elementType);

} // namespace quantc::qc

#endif
