//===- Signature.h - Parsing qc_signature -----------------------*- C++ -*-===//
//
// The compiler describes the model's inputs and outputs as text
// (docs/runtime-abi.md, "qc_signature"). It is parsed once, when a context is
// created, into the plain structs below, which the context then owns.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_SIGNATURE_H
#define QUANTC_RUNTIME_SIGNATURE_H

#include "quantc/runtime.h"

#include <stddef.h>
#include <stdint.h>

namespace qc {

struct TensorSignature {
  char *name; // percent-decoded, NUL-terminated, non-empty
  qc_dtype_t dtype;
  int32_t rank;
  // `rank` entries each (one allocation, NULL when rank is 0): the size, or
  // -1 for a dim known only at run time; the smallest and largest size
  // accepted (equal to the size when it is fixed; maxDims -1: unbounded).
  int64_t *dims;
  int64_t *minDims;
  int64_t *maxDims;
  // `rank` names, "" where the model names none (NULL when rank is 0).
  // Inputs whose dims share a name must agree on its size at run time.
  char **dimNames;
  bool isStatic;   // no dim is -1
  size_t byteSize; // product(dims) * element size when static; else 0
};

struct Signature {
  char *modelName; // percent-decoded, may be empty
  // How outputs come back: written into out-param buffers (every output
  // static), or allocated by the model and returned (docs/runtime-abi.md).
  bool resultsReturned;
  TensorSignature *inputs;
  size_t inputCount;
  TensorSignature *outputs;
  size_t outputCount;
};

// Parses the NUL-terminated signature `text` into `*out`. On failure returns
// a QC_STATUS_INTERNAL status naming the offending line (a malformed
// signature means the library is damaged or came from an incompatible
// compiler) or QC_STATUS_OUT_OF_MEMORY, and leaves `*out` empty. On success
// the caller releases `*out` with freeSignature.
qc_status_t parseSignature(const char *text, Signature *out);

// Frees everything parseSignature allocated and zeroes `*signature`.
void freeSignature(Signature *signature);

} // namespace qc

#endif // QUANTC_RUNTIME_SIGNATURE_H
