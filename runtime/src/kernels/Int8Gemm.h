//===- Int8Gemm.h - Integer GEMM with zero points ---------------*- C++ -*-===//
//
// C[M, N] (+)= sum_k (A[m, k] - za) * (B[k, n] - zb) in int32, for int8 or
// uint8 A and B (ONNX MatMulInteger, ConvInteger as an implicit GEMM). za
// is one value or one per row, zb one value or one per column.
//
// With AVX-512 VNNI, vpdpbusd multiplies unsigned by signed bytes four at a
// time: A is taken as uint8 and B as int8, an input of the other kind
// flipping its top bit (a ^ 0x80 = a + 128 as uint8, b ^ 0x80 = b - 128 as
// int8) and its zero point moving by 128, which leaves every difference
// a - za and b - zb unchanged. The zero points are then applied once per
// output from the row sums of A and the column sums of B:
//   sum (a - za)(b - zb) = sum ab - za sum b - zb sum a + K za zb.
// Without VNNI a scalar loop computes the same.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_INT8GEMM_H
#define QUANTC_RUNTIME_KERNELS_INT8GEMM_H

#include "kernels/KernelContext.h"

namespace qc::kernels {

struct Int8Matrix {
  const int8_t *data;
  int64_t rowStride, colStride; // in elements
  bool isUnsigned;
  // The zero point: none (count 0), one value, or one per row of A / per
  // column of B; of the matrix's own signedness.
  const int8_t *zeroPoint;
  int64_t zeroPointCount;
  // Already in Int8PanelLayout.h's layout (packed by the compiler: B's
  // panels or A's rows, with their sums; `data` and the strides are then
  // unused), or null.
  const int8_t *packed = nullptr;
  // B only, when set (with `data`, instead of the strides): element (r, c)
  // is data[rowOffsets[r] + colOffsets[c]]. A convolution's windows as
  // columns (row k = channel, kernel row, kernel column; column n = output
  // pixel): the im2col happens while B is packed, and no column matrix is
  // built.
  const int64_t *rowOffsets = nullptr, *colOffsets = nullptr;
};

// What the ops after a quantized convolution or MatMul do with each sum,
// fused so that the int32 sums never reach memory: v = float(sum) * scale
// * colScale + bias + colBias, plus the residual (a float tensor the model
// adds, as ResNet's blocks do), clamped to [lo, hi] (max, then min); then
// stored as a float, and/or requantized: round-half-even(v / outScale) +
// outZero saturated to [qMin, qMax] (max, then min), truncated to a byte
// and stored at
// out[i * rowStride + colOffsets[j]]. The same float operations in the
// same order as the unfused loops, so the same floats and bytes.
// `scale` and `bias` hold one value per row, or one for all (count 1), or
// none (count 0: 1 and 0); `colScale` and `colBias` likewise one per
// column (a MatMul's weight scales and bias, after a dynamically quantized
// row's scale). The float operands' element (i, j) is at i * their row
// stride + j: each row of C (a filter's pixels, a MatMul's row) is dense.
struct Int8Epilogue {
  const float *scale, *bias;
  int64_t scaleCount, biasCount;
  const float *colScale, *colBias;
  int64_t colScaleCount, colBiasCount;
  const float *residual; // or null: nothing added
  int64_t residualRowStride;
  float lo, hi;
  float *floatOut; // or null: no float output
  int64_t floatRowStride;
  float outScale, outZero, qMin, qMax;
  int8_t *out; // or null: no byte output
  int64_t rowStride;
  const int64_t *colOffsets;
};

// Where the sums go, element (i, j) at data[i * rowStride + j * colStride]:
// added to what C holds, or (`overwrite`) written over it, each row starting
// from rowBias[i] (from zero without one); or, with `epilogue` (which
// implies overwrite), put through it instead (data unused).
struct Int8Output {
  int32_t *data;
  int64_t rowStride, colStride;
  bool overwrite = false;
  const int32_t *rowBias = nullptr;
  const Int8Epilogue *epilogue = nullptr;
};

// Whether this CPU (and OS) runs AVX-512 VNNI.
bool int8GemmUsesVnni();

// False when scratch memory cannot be had (C is then untouched). `vnni`
// false takes the scalar loop (tests compare the two).
bool int8Gemm(KernelContext &context, int64_t m, int64_t n, int64_t k,
              const Int8Matrix &a, const Int8Matrix &b, const Int8Output &c,
              bool vnni = int8GemmUsesVnni());

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_INT8GEMM_H
