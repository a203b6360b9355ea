//===- PanelLayout.h - Weights packed at compile time -----------*- C++ -*-===//
//
// The GEMM reads each operand in panels: A as row panels whose rows are
// adjacent per k, B as column panels whose columns are adjacent per k. An
// operand that changes every run (an activation) is packed per call
// (Gemm.cpp); a constant one (a weight) is packed once, by the compiler
// (qc-prepack-weights), into the layout below, and the library carries it
// that way. This header is that contract: the compiler packs with these
// functions and the runtime's GEMM reads what they write.
//
// The layout must not depend on the ISA the library meets at load time, so
// its panel sizes are common multiples of every micro-kernel's tile
// (GemmMicroKernels.cpp: AVX-512 12 x 32, AVX2 6 x 16, generic 4 x 16):
//
//   A (M x K): row panels of 12 rows. Element (r, c) is at
//     (r / 12) * 12 * K + c * 12 + r % 12
//   A tile of mr rows starting at a row that is a multiple of mr lies in one
//   panel, with its rows 1 apart and its k steps 12 apart.
//
//   B (K x N): column panels of 16 columns, their count rounded up to even.
//     Element (r, c) is at (c / 16) * 16 * K + r * 16 + c % 16
//   A tile of 16 columns is one panel (rows 16 apart); the AVX-512 tile of
//   32 is two adjacent panels, 16 * K apart. The even count means a tile
//   never reads past the end.
//
// Padding rows and columns are zero, so an edge tile multiplies zeros.
//
// Header-only and free of the C++ library beyond <stdint.h>: the runtime is
// built without it (runtime/CMakeLists.txt).
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_PANELLAYOUT_H
#define QUANTC_RUNTIME_KERNELS_PANELLAYOUT_H

#include <stdint.h>

namespace qc::kernels::panels {

constexpr int64_t kARows = 12; // rows per A panel
constexpr int64_t kBCols = 16; // columns per B panel

constexpr int64_t roundUpTo(int64_t a, int64_t b) { return (a + b - 1) / b * b; }

constexpr int64_t packedAFloats(int64_t m, int64_t k) {
  return roundUpTo(m, kARows) * k;
}
constexpr int64_t packedBFloats(int64_t k, int64_t n) {
  return roundUpTo(n, 2 * kBCols) * k;
}

// `at(r, c)` is the unpacked operand's element; `dst` holds packedAFloats
// (packedBFloats) floats.
template <typename At>
void packA(int64_t m, int64_t k, At at, float *dst) {
  for (int64_t r = 0; r < roundUpTo(m, kARows); ++r)
    for (int64_t c = 0; c < k; ++c)
      dst[(r / kARows) * kARows * k + c * kARows + r % kARows] =
          r < m ? at(r, c) : 0.0f;
}

template <typename At>
void packB(int64_t k, int64_t n, At at, float *dst) {
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c < roundUpTo(n, 2 * kBCols); ++c)
      dst[(c / kBCols) * kBCols * k + r * kBCols + c % kBCols] =
          c < n ? at(r, c) : 0.0f;
}

// A convolution's filter [F, C*KH*KW] comes packed for one of the two ways
// the runtime computes the convolution (the packed kernels' last argument):
//   kFiltersAsA: as A of Y[F, pixels] = W * windows, the vectors running
//     over pixels;
//   kFiltersAsB: as B of the transposed product, Y^T[pixels, F] = windows^T
//     * W^T (element (k, f) of B is W's (f, k)), the vectors running over
//     filters: better filled where an output has few pixels (a 7x7 map
//     fills 49 of 64 lanes, a multiple of 16 filters all of them).
enum FilterLayout : int64_t { kFiltersAsA = 0, kFiltersAsB = 1 };

constexpr int64_t packedFilterFloats(FilterLayout layout, int64_t filters,
                                     int64_t k) {
  return layout == kFiltersAsB ? packedBFloats(k, filters)
                               : packedAFloats(filters, k);
}

// `at(f, c)` is the filter's element (f, c) of [F, C*KH*KW].
template <typename At>
void packFilter(FilterLayout layout, int64_t filters, int64_t k, At at,
                float *dst) {
  if (layout == kFiltersAsB)
    packB(
        k, filters, [&](int64_t r, int64_t c) { return at(c, r); }, dst);
  else
    packA(filters, k, at, dst);
}

} // namespace qc::kernels::panels

#endif // QUANTC_RUNTIME_KERNELS_PANELLAYOUT_H
