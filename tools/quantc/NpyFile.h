//===- NpyFile.h - Tensors in host memory and numpy files -------*- C++ -*-===//
//
// `quantc run` and the tests exchange tensors with numpy through .npy files
// (one array) and .npz files (np.savez: an uncompressed zip of .npy files).
// Only what numpy writes for plain numeric arrays is supported: little-endian
// (or one-byte) element types matching qc_dtype_t, C order. Anything else, and
// any damaged file, is an llvm::Error naming the file and the problem.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TOOLS_QUANTC_NPYFILE_H
#define QUANTC_TOOLS_QUANTC_NPYFILE_H

#include "quantc/runtime.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>
#include <vector>

namespace quantc {

/// A tensor in host memory: row-major, contiguous, little-endian elements.
struct HostTensor {
  std::string name;
  qc_dtype_t dtype = QC_DTYPE_F32;
  std::vector<int64_t> dims;
  std::vector<uint8_t> bytes; ///< numElements() * dtypeSize(dtype) bytes
  /// Read from a numpy void array ('|V1', '<V2': how ml_dtypes saves
  /// bfloat16, float8, int4...): `dtype` is only a placeholder of the right
  /// size until resolveVoidElements gives it the model's type.
  bool voidElements = false;

  /// A zero-filled tensor of the given type and shape.
  static HostTensor zeros(std::string name, qc_dtype_t dtype,
                          std::vector<int64_t> dims);

  /// Product of dims (1 for rank 0). Assumes a consistent tensor.
  int64_t numElements() const;
};

/// Bytes per element of `dtype`; 0 if it is not a qc_dtype_t value.
size_t dtypeSize(qc_dtype_t dtype);
/// The runtime's spelling: "f32", "i64", "bool"...; "unknown" otherwise.
llvm::StringRef dtypeName(qc_dtype_t dtype);
/// "f32[2, 3]" ("f32[]" for rank 0), as the runtime prints types.
std::string formatType(qc_dtype_t dtype, llvm::ArrayRef<int64_t> dims);

/// Checks that `tensor` is well formed: a known dtype, non-negative dims and
/// exactly numElements() * dtypeSize() bytes.
llvm::Error checkTensor(const HostTensor &tensor);

/// Gives a tensor read from a void array the type `declared` (the model's
/// input type), which must be one numpy lacks, of the same element size.
/// Does nothing for other tensors.
llvm::Error resolveVoidElements(HostTensor &tensor, qc_dtype_t declared);

/// Decodes .npy `contents`; `source` names it in errors. The name is left
/// empty: a .npy file does not carry one.
llvm::Expected<HostTensor> parseNpy(llvm::StringRef contents,
                                    llvm::StringRef source);
llvm::Expected<HostTensor> readNpy(llvm::StringRef path);

/// Encodes `tensor` as .npy (format 1.0, or 2.0 for a huge header).
llvm::Error writeNpy(llvm::raw_ostream &os, const HostTensor &tensor);
/// Writes `tensor` to `path` ("-" for stdout) via a temporary file.
llvm::Error writeNpy(llvm::StringRef path, const HostTensor &tensor);

/// Decodes an .npz archive: each "NAME.npy" entry becomes a tensor named
/// NAME, in archive order. Compressed archives (np.savez_compressed) are
/// rejected with a message saying to use np.savez.
llvm::Expected<std::vector<HostTensor>> parseNpz(llvm::StringRef contents,
                                                 llvm::StringRef source);
llvm::Expected<std::vector<HostTensor>> readNpz(llvm::StringRef path);

/// Encodes `tensors` as an uncompressed .npz, entry "NAME.npy" per tensor.
/// Names must be non-empty and distinct. Zip64 records are written where
/// sizes need them, or everywhere with `forceZip64` (used by tests).
llvm::Error writeNpz(llvm::raw_ostream &os, llvm::ArrayRef<HostTensor> tensors,
                     bool forceZip64 = false);
/// Writes `tensors` to `path` ("-" for stdout) via a temporary file.
llvm::Error writeNpz(llvm::StringRef path, llvm::ArrayRef<HostTensor> tensors);

} // namespace quantc

#endif // QUANTC_TOOLS_QUANTC_NPYFILE_H
