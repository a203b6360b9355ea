//===- OnnxImporter.h - ONNX ModelProto -> qc dialect ------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_IMPORT_ONNXIMPORTER_H
#define QUANTC_COMPILER_IMPORT_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"

namespace quantc {

/// One dim of an input as the user gives it: fixed (`value`), or only known
/// at run time (`value` is ShapedType::kDynamic) within [min, max]; max -1
/// means unbounded.
struct DimSpec {
  int64_t value;
  int64_t min = 0;
  int64_t max = -1;
};

struct ImportOptions {
  /// Input shapes given by the user (`--shape name=1x?x128`), replacing what
  /// the model declares. A `?` keeps the model's name for that dim.
  llvm::StringMap<llvm::SmallVector<DimSpec>> inputShapes;
  /// Named (dim_param) dims fixed or bounded by the user (`--dim batch=1`,
  /// `--dim seq=1..512`), for every input that uses the name.
  llvm::StringMap<DimSpec> namedDims;
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

/// Parses a `--shape` value into `options`: `name=1x3x224x224`, where a dim
/// may also be `?` (any size) or `MIN..MAX` (a size known at run time within
/// bounds), and `scalar` means rank 0.
mlir::LogicalResult parseShapeOption(llvm::StringRef text,
                                     ImportOptions &options,
                                     std::string &error);

/// Parses a `--dim` value, `NAME=8` or `NAME=1..512`, into `options`.
mlir::LogicalResult parseDimOption(llvm::StringRef text,
                                   ImportOptions &options, std::string &error);

} // namespace quantc

#endif
