//===- LinkLibrary.h - object + runtime -> lib<name>.so ----------*- C++ -*-===//
#ifndef QUANTC_COMPILER_EMIT_LINKLIBRARY_H
#define QUANTC_COMPILER_EMIT_LINKLIBRARY_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace quantc {

/// Links the model's object file with the quantc runtime into a shared
/// library that needs only libc and libm. Every symbol must resolve at link
/// time (`-z defs`), so a missing one is a compile error, not a load error.
/// The linker and the runtime archive can be overridden with the environment
/// variables QUANTC_LD and QUANTC_RUNTIME_LIBRARY.
mlir::LogicalResult linkSharedLibrary(llvm::StringRef objectPath,
                                      llvm::StringRef outputPath,
                                      std::string &error);

} // namespace quantc

#endif
