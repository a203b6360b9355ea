//===- Int4Unpack.cpp - 4-bit weights into the GEMM's float panels --------===//
//
// With AVX-512, a panel of 32 columns (the AVX-512 micro-kernel's) is
// unpacked 16 bytes a row in registers; other panels and the matrix's
// last columns one value at a time.
//
//===----------------------------------------------------------------------===//
#include "kernels/Int4Unpack.h"

#include <immintrin.h>

// GCC 12 warns that the widening and converting intrinsics use an
// uninitialized value: their pass-through operand is undefined, on purpose.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace qc::kernels {
namespace {

float dequantized(const Int4Weights &w, int64_t r, int64_t c) {
  uint8_t byte = w.bytes[r * w.rowBytes + c / 2];
  int q = c % 2 ? byte >> 4 : byte & 15;
  int64_t at = r / w.group * w.n + c;
  return (float(q) - float(w.zeros[at])) * w.scales[at];
}

void packPanelScalar(const Int4Weights &w, int64_t k0, int64_t kc, int64_t c0,
                     int64_t n, int nr, float *out) {
  for (int64_t k = 0; k < kc; ++k)
    for (int j = 0; j < nr; ++j)
      out[k * nr + j] = c0 + j < n ? dequantized(w, k0 + k, c0 + j) : 0.0f;
}

// 16 values from 8 bytes: each byte doubled (its halves go to two lanes),
// widened, shifted by 0 or 4 and masked, then (q - zero) * scale.
__attribute__((target("avx512f"), always_inline)) inline __m512
dequantize16(__m128i eightBytes, __m512 zero, __m512 scale) {
  const __m512i shifts =
      _mm512_setr_epi32(0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4, 0, 4);
  __m512i q = _mm512_and_si512(
      _mm512_srlv_epi32(
          _mm512_cvtepu8_epi32(_mm_unpacklo_epi8(eightBytes, eightBytes)),
          shifts),
      _mm512_set1_epi32(15));
  return _mm512_mul_ps(_mm512_sub_ps(_mm512_cvtepi32_ps(q), zero), scale);
}

// A 32-column panel, all inside the matrix, a row (16 bytes) at a time.
// Panel by panel, so that its stores are sequential: row by row across
// the panels, the stores went kc * 32 floats apart, the same L1 set.
__attribute__((target("avx512f"))) void
packPanel32Avx512(const Int4Weights &w, int64_t k0, int64_t kc, int64_t c0,
                  float *out) {
  const uint8_t *bytes = w.bytes + c0 / 2, *zeros = w.zeros + c0;
  const float *scales = w.scales + c0;
  int64_t rowBytes = w.rowBytes, n = w.n, group = w.group;
  __m512 zero0 = _mm512_setzero_ps(), zero1 = zero0, scale0 = zero0,
         scale1 = zero0;
  int64_t nextGroup = k0;
  for (int64_t k = 0; k < kc; ++k) {
    int64_t r = k0 + k;
    if (r == nextGroup) { // one division a group, not a row
      int64_t g = r / group;
      nextGroup = (g + 1) * group;
      __m128i z =
          _mm_loadu_si128(reinterpret_cast<const __m128i *>(zeros + g * n));
      __m128i z1 = _mm_loadu_si128(
          reinterpret_cast<const __m128i *>(zeros + g * n + 16));
      zero0 = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(z));
      zero1 = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(z1));
      scale0 = _mm512_loadu_ps(scales + g * n);
      scale1 = _mm512_loadu_ps(scales + g * n + 16);
    }
    __m128i row = _mm_loadu_si128(
        reinterpret_cast<const __m128i *>(bytes + r * rowBytes));
    _mm512_storeu_ps(out + k * 32, dequantize16(row, zero0, scale0));
    _mm512_storeu_ps(out + k * 32 + 16,
                     dequantize16(_mm_unpackhi_epi64(row, row), zero1, scale1));
  }
}

} // namespace

void packInt4B(const Int4Weights &w, int64_t k0, int64_t kc, int64_t n0,
               int64_t nc, int64_t n, int nr, bool avx512, float *dst) {
  for (int64_t p = 0; p < nc / nr; ++p) {
    int64_t c0 = n0 + p * nr;
    if (avx512 && nr == 32 && c0 + nr <= n)
      packPanel32Avx512(w, k0, kc, c0, dst + p * nr * kc);
    else
      packPanelScalar(w, k0, kc, c0, n, nr, dst + p * nr * kc);
  }
}

} // namespace qc::kernels
