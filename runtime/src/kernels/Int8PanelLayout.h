//===- Int8PanelLayout.h - int8 weights packed at compile time --*- C++ -*-===//
//
// The int8 GEMM (Int8Gemm.cpp) reads B (K x N) as int8 panels of 16
// columns, each column holding 4 consecutive k (the layout of vpdpbusd's
// signed operand), and needs B's column sums for the zero-point correction;
// it reads A (M x K) as uint8 rows (vpdpbusd's unsigned operand, broadcast
// 4 bytes at a time) and needs A's row sums. An operand that changes every
// run is packed per call; a constant one (a weight: B of a MatMul, A of a
// convolution) is packed once by the compiler (qc-prepack-weights) with the
// functions below, and the library carries it packed. This header is that
// contract.
//
//   panels: [N' / 16][ceil(K / 4)][16][4] int8, N' = N rounded up to 32 (a
//     micro-kernel reads two panels); element (k, n) is at
//     ((n / 16) * quads + k / 4) * 64 + (n % 16) * 4 + k % 4.
//   then the column sums: N' int32, 64-byte aligned after the panels.
//
// The values stored are B's as int8: an unsigned B has its top bit flipped
// (b - 128), as the kernel takes every B, and the sums are of those values.
// Padding is zero.
//
//   A: [M][4 * quads(K)] uint8, each row's K bytes then zeros; then the row
//     sums: M int32, 64-byte aligned after the rows. A signed A is stored
//     with its top bit flipped (a + 128), and the sums are of the stored
//     bytes.
//
// Header-only and free of the C++ library beyond <stdint.h>: the runtime is
// built without it (runtime/CMakeLists.txt).
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_INT8PANELLAYOUT_H
#define QUANTC_RUNTIME_KERNELS_INT8PANELLAYOUT_H

#include <stdint.h>

namespace qc::kernels::int8_panels {

constexpr int64_t kPanel = 16;    // columns per panel
constexpr int64_t kTileCols = 32; // columns per micro-kernel: two panels

inline int64_t quads(int64_t k) { return (k + 3) / 4; }
inline int64_t paddedCols(int64_t n) {
  return (n + kTileCols - 1) / kTileCols * kTileCols;
}
// Bytes of the panels; a multiple of 64 (128 per quad of k).
inline int64_t panelBytes(int64_t k, int64_t n) {
  return paddedCols(n) * 4 * quads(k);
}
// Bytes of the whole packed B: panels, then the column sums.
inline int64_t packedBBytes(int64_t k, int64_t n) {
  return panelBytes(k, n) + 4 * paddedCols(n);
}

// Packs B, element (r, c) = at(r, c) as stored (int8 or uint8 bits), into
// `packed` (packedBBytes, zeroed by the caller), flipping the top bit of an
// unsigned B.
template <typename At>
void packB(int64_t k, int64_t n, At at, bool isUnsigned, int8_t *packed) {
  int64_t q = quads(k);
  auto *sums = reinterpret_cast<int32_t *>(packed + panelBytes(k, n));
  uint8_t flip = isUnsigned ? 0x80 : 0;
  for (int64_t c = 0; c < n; ++c)
    for (int64_t r = 0; r < k; ++r) {
      auto v = int8_t(uint8_t(at(r, c)) ^ flip);
      packed[((c / kPanel) * q + r / 4) * 64 + (c % kPanel) * 4 + r % 4] = v;
      sums[c] += v;
    }
}

// Bytes of A's rows, rounded up to 64 (where the row sums start).
inline int64_t rowBytes(int64_t m, int64_t k) {
  return (m * 4 * quads(k) + 63) / 64 * 64;
}
// Bytes of the whole packed A: rows, then the row sums.
inline int64_t packedABytes(int64_t m, int64_t k) {
  return rowBytes(m, k) + 4 * m;
}

// Packs A, element (r, c) = at(r, c) as stored (int8 or uint8 bits), into
// `packed` (packedABytes, zeroed by the caller), flipping the top bit of a
// signed A.
template <typename At>
void packA(int64_t m, int64_t k, At at, bool isUnsigned, int8_t *packed) {
  int64_t stride = 4 * quads(k);
  auto *sums = reinterpret_cast<int32_t *>(packed + rowBytes(m, k));
  uint8_t flip = isUnsigned ? 0 : 0x80;
  for (int64_t r = 0; r < m; ++r)
    for (int64_t c = 0; c < k; ++c) {
      uint8_t v = uint8_t(at(r, c)) ^ flip;
      packed[r * stride + c] = int8_t(v);
      sums[r] += v;
    }
}

} // namespace qc::kernels::int8_panels

#endif // QUANTC_RUNTIME_KERNELS_INT8PANELLAYOUT_H
