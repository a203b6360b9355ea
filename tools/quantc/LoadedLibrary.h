//===- LoadedLibrary.h - A generated library, opened in-process -*- C++ -*-===//
//
// Used by `quantc run` / `quantc inspect` and tests: dlopens a library written
// by `quantc compile`, binds its C API (docs/runtime-abi.md) and holds one
// context on it. Inputs are matched to the model by name, so callers never
// depend on the model's argument order.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_QUANTC_LOADEDLIBRARY_H
#define QUANTC_TOOLS_QUANTC_LOADEDLIBRARY_H

#include "tools/quantc/NpyFile.h"

#include "quantc/runtime.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace quantc {

/// One model input or output, as the library describes it.
struct TensorInfo {
  std::string name;
  qc_dtype_t dtype = QC_DTYPE_F32;
  std::vector<int64_t> dims; ///< -1 for a dim known only at run time
  std::vector<int64_t> minDims, maxDims; ///< per dim; max -1: unbounded
  std::vector<std::string> dimNames;     ///< per dim; "" for none

  bool isStatic() const {
    return llvm::all_of(dims, [](int64_t d) { return d >= 0; });
  }
  /// "[1, seq, 384]": sizes, and the model's name or '?' for run-time dims.
  std::string shapeString() const;
};

class LoadedLibrary {
public:
  /// Loads the library at `path` (RTLD_NOW | RTLD_LOCAL) and creates a
  /// context. Fails if it cannot be loaded, is not a quantc library, or its
  /// context cannot be created.
  static llvm::Expected<std::unique_ptr<LoadedLibrary>>
  open(llvm::StringRef path);

  /// Destroys the context, then unloads the library.
  ~LoadedLibrary();
  LoadedLibrary(const LoadedLibrary &) = delete;
  LoadedLibrary &operator=(const LoadedLibrary &) = delete;

  llvm::StringRef path() const { return path_; }
  llvm::StringRef modelName() const { return modelName_; }
  llvm::ArrayRef<TensorInfo> inputs() const { return inputs_; }
  llvm::ArrayRef<TensorInfo> outputs() const { return outputs_; }
  /// The context's thread count (qc_context_set_threads) and kernel ISA.
  llvm::Error setThreads(int threads);
  int threads() const;
  llvm::StringRef isa() const;

  /// The compiler's memory plan (qc_memory_plan), if the library has one.
  struct MemoryPlan {
    int64_t arenaBytes, lowerBoundBytes, naiveBytes, buffers;
  };
  std::optional<MemoryPlan> memoryPlan() const;

  /// Runs the model once. Each model input must be given exactly once, by
  /// name (order does not matter); a missing or unknown name is an error that
  /// lists the model's inputs, and a wrong dtype or shape is reported by the
  /// runtime. Returns the outputs in model order, named.
  llvm::Expected<std::vector<HostTensor>>
  run(llvm::ArrayRef<HostTensor> inputs);

private:
  struct Api;
  static llvm::Error resolveApi(void *handle, llvm::StringRef path, Api &api);
  LoadedLibrary(std::string path, void *handle, std::unique_ptr<Api> api);
  llvm::Error createContext();
  llvm::Error statusToError(qc_status_t status) const;

  std::string path_;
  void *handle_ = nullptr;
  std::unique_ptr<Api> api_;
  qc_context_t *context_ = nullptr;
  std::string modelName_;
  std::vector<TensorInfo> inputs_;
  std::vector<TensorInfo> outputs_;
};

} // namespace quantc

#endif // QUANTC_TOOLS_QUANTC_LOADEDLIBRARY_H
