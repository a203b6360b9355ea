//===- Diagnostics.h - errors in the model's words ---------------*- C++ -*-===//
#ifndef QUANTC_COMPILER_DIAGNOSTICS_H
#define QUANTC_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringRef.h"

namespace quantc {

/// Prints every diagnostic of `context` to stderr as
///   <tool>: error: <model file>: node '<onnx node>': <message>
/// so that users read the names of their own model, while it is alive.
class ModelDiagnosticPrinter {
public:
  ModelDiagnosticPrinter(mlir::MLIRContext &context, llvm::StringRef tool);
  ~ModelDiagnosticPrinter();

private:
  mlir::MLIRContext &context;
  mlir::DiagnosticEngine::HandlerID id;
};

} // namespace quantc

#endif
