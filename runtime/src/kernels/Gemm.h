//===- Gemm.h - Blocked, packed, threaded f32 GEMM --------------*- C++ -*-===//
//
// C[m, n] += sum_k A[m, k] * B[k, n], where element (r, c) of each matrix is
// at base[rowOffsets[r] + colOffsets[c]]. Offsets rather than two strides let
// one driver serve plain matrices (offsets r * stride), transposed and
// broadcast views, and convolution as an implicit GEMM: B's row k = (channel,
// kernel row, kernel column) and column n = (output row, output column) are
// each an offset into the input, so im2col happens while packing and no
// column matrix is ever built.
//
// The layout is the BLIS one: KC x NC panels of B and MC x KC blocks of A are
// packed into the order the micro-kernel reads (KernelContext.h), and the
// micro-kernel sweeps its register tile over them. Threads take (MC block,
// NC block) tasks of C; each packs what its task reads into its own scratch.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_GEMM_H
#define QUANTC_RUNTIME_KERNELS_GEMM_H

#include "kernels/KernelContext.h"

namespace qc::kernels {

struct GemmOperand {
  const float *base;
  const int64_t *rowOffsets;
  const int64_t *colOffsets;
};

struct GemmOutput {
  float *base;
  const int64_t *rowOffsets;
  const int64_t *colOffsets;
};

void gemmAccumulate(KernelContext &context, int64_t m, int64_t n, int64_t k,
                    const GemmOperand &a, const GemmOperand &b,
                    const GemmOutput &c);

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_GEMM_H
