//===- WriteHeader.h - <name>.h for a generated library ----------*- C++ -*-===//
#ifndef QUANTC_COMPILER_EMIT_WRITEHEADER_H
#define QUANTC_COMPILER_EMIT_WRITEHEADER_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace quantc {

/// Writes the C header of a generated library: the runtime's C API
/// (docs/runtime-abi.md) plus a description of this model's inputs and
/// outputs and their positions, from the model's signature text.
mlir::LogicalResult writeLibraryHeader(llvm::StringRef headerPath,
                                       llvm::StringRef libraryName,
                                       llvm::StringRef signature,
                                       std::string &error);

} // namespace quantc

#endif
