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
  int64_t *dims;   // `rank` entries, each >= 0; NULL when rank is 0
  size_t byteSize; // product(dims) * element size; checked for overflow
};

struct Signature {
  char *modelName; // percent-decoded, may be empty
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
