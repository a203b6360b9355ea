//===- OnnxTensors.h - ONNX tensors and types as MLIR ------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_IMPORT_ONNXTENSORS_H
#define QUANTC_COMPILER_IMPORT_ONNXTENSORS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "onnx/onnx_pb.h"
#include <memory>
#include <string>

namespace quantc {

/// The MLIR element type of an ONNX TensorProto data type, or null (with
/// `error` set) for types quantc does not support yet.
mlir::Type convertOnnxElementType(int32_t dataType, mlir::MLIRContext *ctx,
                                  std::string &error);

/// Converts an initializer or a Constant's tensor. Small tensors become
/// DenseElementsAttr (so that shape arithmetic can fold); large ones become
/// dense_resource blobs that point into `owner`'s raw_data without a copy
/// and keep `owner` alive. Null with `error` set on failure.
mlir::ElementsAttr
convertOnnxTensor(const onnx::TensorProto &tensor,
                  const std::shared_ptr<const onnx::ModelProto> &owner,
                  mlir::MLIRContext *ctx, std::string &error);

} // namespace quantc

#endif
