//===- Dtype.h - Element type names and sizes -------------------*- C++ -*-===//
#ifndef QUANTC_RUNTIME_DTYPE_H
#define QUANTC_RUNTIME_DTYPE_H

#include "quantc/runtime.h"

#include <stddef.h>

namespace qc {

// Maps a signature dtype spelling ("f32", "bool", ...; `length` bytes, not
// NUL-terminated) to its qc_dtype_t. Returns false if it is not one.
bool parseDtype(const char *text, size_t length, qc_dtype_t *out);

} // namespace qc

#endif // QUANTC_RUNTIME_DTYPE_H
