//===- quantc.cpp - the quantc command-line driver ------------------------===//
//
// `quantc <command> ...`: each command lives in its own file (Commands.h).
//
//===----------------------------------------------------------------------===//
#include "tools/quantc/Commands.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // `quantc --help` lists the commands; LLVM's own options (registered by
  // the libraries quantc links) stay out of it. Each command's options
  // belong to its subcommand and are listed by `quantc <command> --help`.
  llvm::cl::OptionCategory none("quantc");
  llvm::cl::HideUnrelatedOptions(none);
  llvm::cl::ParseCommandLineOptions(
      argc, argv,
      "quantc: ahead-of-time compiler from ONNX models to native libraries\n\n"
      "  quantc compile MODEL.onnx -o libMODEL.so   compile (writes MODEL.h too)\n"
      "  quantc run libMODEL.so --input x=x.npy     run a compiled model\n"
      "  quantc inspect MODEL.onnx|libMODEL.so      describe a model or library\n\n"
      "Run `quantc <command> --help` for a command's options.\n");
  if (quantc::compileSubcommand)
    return quantc::runCompileCommand();
  if (quantc::runSubcommand)
    return quantc::runRunCommand();
  if (quantc::inspectSubcommand)
    return quantc::runInspectCommand();
  llvm::errs() << "quantc: error: no command given (compile, run, inspect); "
                  "see quantc --help\n";
  return 1;
}
