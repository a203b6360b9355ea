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
// The layout is the BLIS one: KC x NC panels of B are packed into the order
// the micro-kernel reads (KernelContext.h) and the micro-kernel sweeps its
// register tile over them; a panel whose columns are contiguous in memory
// (a row-major B, a 1x1 convolution's pixels, a convolution's within one
// output row) is read where it is instead, through a table of its rows. A
// is read where it is when it is row-major, else packed in MC x KC blocks
// too. Neither is read in place when its rows are evenly spaced a multiple
// of 4 KiB apart (they would share L1 sets).
// The threads split C as an even grid of tiles, preferring to split the
// columns (no B column is packed twice); each part is one or more tasks,
// a task one NC block of columns and a run of MC blocks of rows, so that
// one packed B serves several row blocks. Each task packs into its own
// thread's scratch.
//
// A constant operand (a weight) comes packed at compile time instead
// (PanelLayout.h) and is read where it is. A B of 4-bit weights
// (--quantize=w4) is unpacked into floats as it is packed, a KC x NC block
// at a time, so that no float copy of the whole weight is ever made.
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_GEMM_H
#define QUANTC_RUNTIME_KERNELS_GEMM_H

#include "kernels/KernelContext.h"

namespace qc::kernels {

// A K x N matrix (N even) of 4-bit weights in groups of `group` rows
// (ONNX's blocked DequantizeLinear along K, as --quantize=w4 and
// MatMulNBits make them): element (r, c) is (q - zeros[g * N + c]) *
// scales[g * N + c] with g = r / group and q the 4 bits of bytes[r *
// rowBytes + c / 2], the low half for an even c.
struct Int4Weights {
  const uint8_t *bytes;
  int64_t rowBytes;
  const float *scales;
  const uint8_t *zeros;
  int64_t group, n;
};

// Either a matrix addressed by offsets, or (`prepacked`) one already in
// panels: `base` holds packedAFloats(M, K) floats for A, packedBFloats(K, N)
// for B (PanelLayout.h), and the offsets are not used; or (B only) 4-bit
// weights, `int4`, and nothing else is used.
struct GemmOperand {
  const float *base;
  const int64_t *rowOffsets = nullptr;
  const int64_t *colOffsets = nullptr;
  bool prepacked = false;
  const Int4Weights *int4 = nullptr;
};

// With rowBias set, C = rowBias[m] + A * B, whatever C held before (the
// product writes C rather than adding to it); colBias likewise with
// colBias[n] (at most one of the two); else, with `overwrite`, C = A * B
// (C not read), and otherwise C += A * B. With addend
// set, its element (r, c) at addend[rowOffsets[r] + colOffsets[c]] (laid
// out as C) is added too, once: a residual add after the product. It may be
// C itself. With clamp set, C's final values are clamped to [clamp[0],
// clamp[1]] (a Relu or Clip after the product).
struct GemmOutput {
  float *base;
  const int64_t *rowOffsets;
  const int64_t *colOffsets;
  const float *rowBias = nullptr;
  const float *clamp = nullptr;
  const float *addend = nullptr;
  const float *colBias = nullptr;
  bool overwrite = false;
};

void gemmAccumulate(KernelContext &context, int64_t m, int64_t n, int64_t k,
                    const GemmOperand &a, const GemmOperand &b,
                    const GemmOutput &c);

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_GEMM_H
