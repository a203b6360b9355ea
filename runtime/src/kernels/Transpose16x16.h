//===- Transpose16x16.h - A 16 x 16 float transpose in zmm ------*- C++ -*-===//
//
// Used where a tile's rows must become columns: the strided micro-kernels'
// stores (a C whose columns are evenly spaced) and packB's column-major
// panels (a B whose rows are contiguous, as attention's K^T).
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_TRANSPOSE16X16_H
#define QUANTC_RUNTIME_KERNELS_TRANSPOSE16X16_H

#include <immintrin.h>

// GCC 12 warns that AVX-512 intrinsics with a pass-through operand (the
// shuffles here, _mm512_max_ps and _mm512_min_ps) use an uninitialized
// value: that operand is _mm512_undefined_ps(), on purpose. Silenced for
// the files that include this, which are the ones that use them.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace qc::kernels {

// t[i] becomes the i-th column of the 16 x 16 matrix whose rows t holds.
__attribute__((target("avx512f"), always_inline)) inline void
transpose16x16(__m512 (&t)[16]) {
  __m512 u[16];
  // Pairs of rows interleaved, then pairs of pairs, within 128-bit lanes.
#pragma GCC unroll 8
  for (int i = 0; i < 16; i += 2) {
    u[i] = _mm512_unpacklo_ps(t[i], t[i + 1]);
    u[i + 1] = _mm512_unpackhi_ps(t[i], t[i + 1]);
  }
#pragma GCC unroll 4
  for (int i = 0; i < 16; i += 4) {
    __m512d a = _mm512_castps_pd(u[i]), b = _mm512_castps_pd(u[i + 1]);
    __m512d c = _mm512_castps_pd(u[i + 2]), d = _mm512_castps_pd(u[i + 3]);
    t[i] = _mm512_castpd_ps(_mm512_unpacklo_pd(a, c));
    t[i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(a, c));
    t[i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(b, d));
    t[i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(b, d));
  }
  // Then the 128-bit lanes: t[i] holds rows 4(i/4) .. 4(i/4)+3 of column
  // i % 4 in each lane.
#pragma GCC unroll 2
  for (int h = 0; h < 16; h += 8)
#pragma GCC unroll 4
    for (int i = 0; i < 4; ++i) {
      u[h + i] = _mm512_shuffle_f32x4(t[h + i], t[h + i + 4], 0x88);
      u[h + i + 4] = _mm512_shuffle_f32x4(t[h + i], t[h + i + 4], 0xdd);
    }
#pragma GCC unroll 8
  for (int i = 0; i < 8; ++i) {
    t[i] = _mm512_shuffle_f32x4(u[i], u[i + 8], 0x88);
    t[i + 8] = _mm512_shuffle_f32x4(u[i], u[i + 8], 0xdd);
  }
}

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_TRANSPOSE16X16_H
