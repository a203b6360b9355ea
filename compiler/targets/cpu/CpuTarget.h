//===- CpuTarget.h - LLVM dialect -> optimized x86 object --------*- C++ -*-===//
#ifndef QUANTC_COMPILER_TARGETS_CPU_CPUTARGET_H
#define QUANTC_COMPILER_TARGETS_CPU_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <memory>
#include <string>

namespace quantc {

struct CpuTargetOptions {
  /// Target triple; empty means the host's.
  std::string triple;
  /// CPU name (`znver4`, `skylake-avx512`, ...); empty or "native" means the
  /// host's CPU.
  std::string cpu;
};

/// The target machine for `options`: position-independent code at -O3.
/// Null with `error` set when the triple or CPU is unknown.
std::unique_ptr<llvm::TargetMachine>
createCpuTargetMachine(const CpuTargetOptions &options, std::string &error);

/// Translates an LLVM-dialect module to LLVM IR for `tm` and runs LLVM's -O3
/// pipeline on it (the loop vectorizer works on the loops that linalg
/// lowered to). Errors go to the module's diagnostics; null then.
std::unique_ptr<llvm::Module>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &llvmContext,
                     llvm::TargetMachine &tm);

/// Writes `module` as a relocatable, position-independent object file.
mlir::LogicalResult emitObjectFile(llvm::Module &module, llvm::TargetMachine &tm,
                                   llvm::raw_pwrite_stream &os,
                                   std::string &error);

} // namespace quantc

#endif
