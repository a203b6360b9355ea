//===- LinkLibrary.cpp - object + runtime -> lib<name>.so -----------------===//
#include "compiler/emit/LinkLibrary.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include <cstdlib>

using namespace mlir;

namespace quantc {

static std::string fromEnvOr(const char *name, const char *fallback) {
  const char *value = std::getenv(name);
  return value && *value ? value : fallback;
}

LogicalResult linkSharedLibrary(StringRef objectPath, StringRef outputPath,
                                std::string &error) {
  std::string linker = fromEnvOr("QUANTC_LD", QUANTC_LD_LLD);
  std::string runtime = fromEnvOr("QUANTC_RUNTIME_LIBRARY", QUANTC_RUNTIME_LIBRARY);
  if (!llvm::sys::fs::exists(runtime)) {
    error = "the quantc runtime library is missing: " + runtime;
    return failure();
  }
  std::vector<std::string> args = {
      linker, "-shared", "-o", outputPath.str(),
      // The library's own definitions win over any other loaded library's.
      "-Bsymbolic", "-z", "defs", "-z", "noexecstack", "-z", "now",
      "--gc-sections", "--build-id", objectPath.str(),
      // Nothing in the model references the C API: take the whole runtime.
      "--whole-archive", runtime, "--no-whole-archive"};
  for (const char *dir : {"/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
                          "/usr/lib64", "/usr/lib"})
    if (llvm::sys::fs::is_directory(dir))
      args.push_back(std::string("-L") + dir);
  args.push_back("-lm");
  args.push_back("-lc");

  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(linker, argRefs, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = "linking " + outputPath.str() + " with " + linker + " failed" +
            (message.empty() ? "" : ": " + message) + " (exit status " +
            std::to_string(rc) + ")";
    return failure();
  }
  return success();
}

} // namespace quantc
