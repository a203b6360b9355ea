//===- OnnxImporter.h - ONNX ModelProto -> qc dialect ------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_IMPORT_ONNXIMPORTER_H
#define QUANTC_COMPILER_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

namespace quantc {

struct ImportOptions {
  /// Input shapes given by the user (`--shape name=1x3x224x224`), replacing
  /// what the model declares. A model's symbolic dims must be fixed this way.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
};

/// Reads a model from a binary `.onnx` file or from ONNX textual syntax (a
/// file whose first non-blank character is `<`) and imports it into a new
/// module with one function, `@qc_main`. Errors (unreadable or malformed
/// file, unsupported ops, listed all at once) are emitted as diagnostics on
/// `context`; the result is null then.
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxFile(llvm::StringRef path, mlir::MLIRContext *context,
               const ImportOptions &options = {});

/// The same, from bytes already in memory (`sourceName` names them in
/// diagnostics).
mlir::OwningOpRef<mlir::ModuleOp>
importOnnxBytes(llvm::StringRef bytes, llvm::StringRef sourceName,
                mlir::MLIRContext *context, const ImportOptions &options = {});

/// Parses a `--shape` value, `name=1x3x224x224`, into `options`.
mlir::LogicalResult parseShapeOption(llvm::StringRef text,
                                     ImportOptions &options,
                                     std::string &error);

} // namespace quantc

#endif
