//===- Int4Unpack.h - 4-bit weights into float panels -----------*- C++ -*-===//
//
// The GEMM (Gemm.cpp) packs each KC x NC block of B into nr-column panels
// before its micro-kernel reads them. A B of 4-bit weights (Gemm.h's
// Int4Weights) is unpacked and dequantized on the way: the block's bytes
// are read once per call and the float values exist only in the panel
// buffer, which stays in cache.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_INT4UNPACK_H
#define QUANTC_RUNTIME_KERNELS_INT4UNPACK_H

#include "kernels/Gemm.h"

namespace qc::kernels {

// B[k0:k0+kc, n0:n0+nc] of the K x N weights `w` as nc / nr panels, each
// kc rows of nr floats (columns at or past n zero), computed exactly as
// DequantizeLinear does: (q - zero) * scale in float32. n0 and nr are even.
void packInt4B(const Int4Weights &w, int64_t k0, int64_t kc, int64_t n0,
               int64_t nc, int64_t n, int nr, bool avx512, float *dst);

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_INT4UNPACK_H
