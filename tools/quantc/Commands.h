//===- Commands.h - quantc subcommands ---------------------------*- C++ -*-===//
//
// Each subcommand of the `quantc` driver lives in its own file, registers its
// own llvm::cl::SubCommand and options, and exposes one entry point returning
// the process exit status (0 success, 1 user error with a message on stderr).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_QUANTC_COMMANDS_H
#define QUANTC_TOOLS_QUANTC_COMMANDS_H

#include "llvm/Support/CommandLine.h"

namespace quantc {
extern llvm::cl::SubCommand compileSubcommand;
extern llvm::cl::SubCommand runSubcommand;
extern llvm::cl::SubCommand inspectSubcommand;

int runCompileCommand();
int runRunCommand();
int runInspectCommand();
} // namespace quantc

#endif
