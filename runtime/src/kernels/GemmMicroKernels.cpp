//===- GemmMicroKernels.cpp - Register tiles per ISA ----------------------===//
//
// Each micro-kernel keeps an MR x NR tile of C in vector registers for the
// whole kc loop: per k, NR/W vector loads of B (packed, or read in place
// through a table of row pointers; KernelContext.h), MR broadcasts of A
// (packed, or straight from a row-major matrix), MR * NR/W fused
// multiply-adds. The tiles fill most of the register file while leaving
// room for B and one broadcast:
//   AVX-512: 12 x 32 (24 zmm accumulators of 32; 8 x 32 measured slower),
//   AVX2:    6 x 16 (12 ymm accumulators of 16),
//   generic: 4 x 16 plain C the compiler vectorizes for the baseline ISA.
// Each also comes in every smaller row count, for C's last row tile.
// They are compiled with target attributes, so one runtime carries all of
// them and the context picks one by what the CPU reports (CpuFeatures.h).
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelContext.h"
#include "kernels/PanelLayout.h"
#include "kernels/Transpose16x16.h"

#include <immintrin.h>

namespace qc::kernels {
namespace {

// UnitRow: A is packed (aRow == 1), so its MR broadcasts per k are at
// constant offsets. With a run-time aRow the MR offsets i * aRow do not fit
// in the general registers beside the loop's pointers, and their spills
// and reloads cost about a tenth of the kernel's time.
// RowTable: B's rows come from a table of pointers (bRows), not at a
// stride from b.
// Runs: C's columns are where `runs` says (TileColumns), each run loaded
// and stored with masks: C's last column tile, or one that crosses the
// rows of an image stored inside a wider one, written in place rather than
// through a temporary.
// Strided: C's columns are evenly spaced (StridedColumns): each vector of
// 16 columns transposed in registers and stored a column at a time where
// the tile's rows are contiguous, else gathered and scattered.
template <int MR, int NV, bool UnitRow, bool RowTable, bool Runs = false,
          bool Strided = false>
__attribute__((target("avx512f,fma"), always_inline)) inline void tileAvx512(
    int64_t kc, const float *a, int64_t aRow, int64_t aCol, const float *b,
    int64_t bRow, int64_t bPanel, const float *const *bRows, float *c,
    int64_t ldc, const float *rowInit, const float *addend, const float *clamp,
    const float *next, int64_t nextStride, const TileColumns *runs = nullptr,
    const StridedColumns *strided = nullptr) {
  if (UnitRow)
    aRow = 1;
  if (RowTable)
    bPanel = 16;
  __m512 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j)
      acc[i][j] = _mm512_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m512 bv[NV];
    if (RowTable)
      b = bRows[k];
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j)
      bv[j] = _mm512_loadu_ps(b + bPanel * j);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m512 av = _mm512_set1_ps(a[i * aRow]);
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j)
        acc[i][j] = _mm512_fmadd_ps(av, bv[j], acc[i][j]);
    }
    _mm_prefetch(reinterpret_cast<const char *>(next), _MM_HINT_T0);
    next += nextStride;
    a += aCol;
    b += bRow;
  }
  __m512 lo = _mm512_set1_ps(clamp ? clamp[0] : 0.0f);
  __m512 hi = _mm512_set1_ps(clamp ? clamp[1] : 0.0f);
  if constexpr (Strided) {
    if (strided->rowsContiguous) {
      // Each vector of 16 columns transposed in registers: the tile's MR
      // rows of one column are then one masked load and store.
      __mmask16 rowMask = __mmask16((1u << MR) - 1);
      float *base = c + strided->rowOffsets[0];
      const float *addBase = addend ? addend + strided->rowOffsets[0] : nullptr;
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j) {
        __m512 t[16];
#pragma GCC unroll 16
        for (int i = 0; i < 16; ++i)
          t[i] = i < MR ? acc[i][j] : _mm512_setzero_ps();
        transpose16x16(t);
        int columns = strided->columns - 16 * j;
        for (int l = 0; l < 16 && l < columns; ++l) {
          int64_t at = (16 * j + l) * strided->colStride;
          __m512 old = strided->colInit
                           ? _mm512_set1_ps(strided->colInit[16 * j + l])
                           : _mm512_maskz_loadu_ps(rowMask, base + at);
          if (addBase)
            old = _mm512_add_ps(old,
                                _mm512_maskz_loadu_ps(rowMask, addBase + at));
          __m512 v = _mm512_add_ps(old, t[l]);
          if (clamp)
            v = _mm512_min_ps(hi, _mm512_max_ps(lo, v)); // NaN stays NaN
          _mm512_mask_storeu_ps(base + at, rowMask, v);
        }
      }
      return;
    }
    // Rows apart (an output stored inside a wider one): each vector
    // gathered and scattered.
    __m512i index[NV];
    __mmask16 mask[NV];
    __m512 init[NV];
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
      const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                             11, 12, 13, 14, 15);
      index[j] =
          _mm512_mullo_epi32(_mm512_add_epi32(lane, _mm512_set1_epi32(16 * j)),
                             _mm512_set1_epi32(int(strided->colStride)));
      int left = strided->columns - 16 * j;
      mask[j] = left <= 0 ? 0 : left >= 16 ? 0xffff : (1u << left) - 1;
      if (strided->colInit)
        init[j] = _mm512_maskz_loadu_ps(mask[j], strided->colInit + 16 * j);
    }
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      float *p = c + strided->rowOffsets[i];
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j) {
        __m512 old = strided->colInit
                         ? init[j]
                         : _mm512_mask_i32gather_ps(_mm512_setzero_ps(),
                                                    mask[j], index[j], p, 4);
        if (addend)
          old = _mm512_add_ps(old, _mm512_mask_i32gather_ps(
                                       _mm512_setzero_ps(), mask[j], index[j],
                                       addend + strided->rowOffsets[i], 4));
        __m512 v = _mm512_add_ps(old, acc[i][j]);
        if (clamp)
          v = _mm512_min_ps(hi, _mm512_max_ps(lo, v)); // NaN stays NaN
        _mm512_mask_i32scatter_ps(p, mask[j], index[j], v, 4);
      }
    }
    return;
  }
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    __m512 init = _mm512_set1_ps(rowInit ? rowInit[i] : 0.0f);
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
      float *p = c + i * ldc + 16 * j;
      __m512 old = init;
      if (!rowInit && !Runs)
        old = _mm512_loadu_ps(p);
      if (!rowInit && Runs)
        for (int s = 0; s < runs->pieces[j]; ++s)
          old = _mm512_mask_loadu_ps(old, runs->lanes[j][s],
                                     p + runs->offset[j][s]);
      if (addend) {
        const float *q = addend + i * ldc + 16 * j;
        __m512 add = _mm512_setzero_ps();
        if (!Runs)
          add = _mm512_loadu_ps(q);
        else
          for (int s = 0; s < runs->pieces[j]; ++s)
            add = _mm512_mask_loadu_ps(add, runs->lanes[j][s],
                                       q + runs->offset[j][s]);
        old = _mm512_add_ps(old, add);
      }
      __m512 v = _mm512_add_ps(old, acc[i][j]);
      if (clamp)
        v = _mm512_min_ps(hi, _mm512_max_ps(lo, v)); // NaN stays NaN
      if (Runs)
        for (int s = 0; s < runs->pieces[j]; ++s)
          _mm512_mask_storeu_ps(p + runs->offset[j][s], runs->lanes[j][s], v);
      else
        _mm512_storeu_ps(p, v);
    }
  }
}

// tileAvx512 with A's and B's layouts (UnitRow, RowTable) known at compile
// time, picked from aRow and bRows: the one dispatch every AVX-512 variant
// below goes through. Without `MayReadInPlace` the caller has a packed B
// (bRows null), and the RowTable tiles are not compiled.
template <int MR, int NV, bool Runs = false, bool Strided = false,
          bool MayReadInPlace = true>
__attribute__((target("avx512f,fma"), always_inline)) inline void
dispatchAvx512(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
               const float *b, int64_t bRow, int64_t bPanel,
               const float *const *bRows, float *c, int64_t ldc,
               const float *rowInit, const float *addend, const float *clamp,
               const float *next, int64_t nextStride,
               const TileColumns *runs = nullptr,
               const StridedColumns *strided = nullptr) {
  if constexpr (MayReadInPlace) {
    if (aRow == 1 && bRows)
      return tileAvx512<MR, NV, true, true, Runs, Strided>(
          kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc, rowInit, addend,
          clamp, next, nextStride, runs, strided);
    if (bRows)
      return tileAvx512<MR, NV, false, true, Runs, Strided>(
          kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc, rowInit, addend,
          clamp, next, nextStride, runs, strided);
  }
  if (aRow == 1)
    tileAvx512<MR, NV, true, false, Runs, Strided>(
        kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc, rowInit, addend,
        clamp, next, nextStride, runs, strided);
  else
    tileAvx512<MR, NV, false, false, Runs, Strided>(
        kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc, rowInit, addend,
        clamp, next, nextStride, runs, strided);
}

template <int MR, int NV>
__attribute__((target("avx512f,fma"))) void
microAvx512(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
            const float *b, int64_t bRow, int64_t bPanel,
            const float *const *bRows, float *c, int64_t ldc,
            const float *rowInit, const float *addend, const float *clamp,
            const float *next, int64_t nextStride) {
  dispatchAvx512<MR, NV>(kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc,
                         rowInit, addend, clamp, next, nextStride);
}

// A tile whose columns `cols` describes, in place: one vector of columns
// when they fit in 16 and B is packed (half the multiply-adds of a full
// tile), else two, the loads and stores masked per run.
template <int MR>
__attribute__((target("avx512f,fma"))) void
edgeAvx512(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
           const float *b, int64_t bRow, int64_t bPanel,
           const float *const *bRows, float *c, int64_t ldc,
           const float *rowInit, const float *addend, const float *clamp,
           const float *next, int64_t nextStride, const TileColumns &cols) {
  if (cols.columns <= 16 && !bRows)
    dispatchAvx512<MR, 1, true, false, false>(
        kc, a, aRow, aCol, b, bRow, bPanel, bRows, c, ldc, rowInit, addend,
        clamp, next, nextStride, &cols);
  else
    dispatchAvx512<MR, 2, true>(kc, a, aRow, aCol, b, bRow, bPanel, bRows, c,
                                ldc, rowInit, addend, clamp, next, nextStride,
                                &cols);
}

// A tile whose columns are evenly spaced (StridedColumns).
template <int MR>
__attribute__((target("avx512f,fma"))) void
stridedAvx512(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
              const float *b, int64_t bRow, int64_t bPanel,
              const float *const *bRows, float *c, const float *addend,
              const float *clamp, const float *next, int64_t nextStride,
              const StridedColumns &cols) {
  dispatchAvx512<MR, 2, false, true>(kc, a, aRow, aCol, b, bRow, bPanel, bRows,
                                     c, 0, nullptr, addend, clamp, next,
                                     nextStride, nullptr, &cols);
}

template <int MR, int NV, bool UnitRow, bool RowTable>
__attribute__((target("avx2,fma"), always_inline)) inline void
tileAvx2(int64_t kc, const float *a, int64_t aRow, int64_t aCol, const float *b,
         int64_t bRow, const float *const *bRows, float *c, int64_t ldc,
         const float *rowInit, const float *addend, const float *clamp) {
  if (UnitRow)
    aRow = 1;
  static_assert(8 * NV <= 16, "B's columns past 16 would be in another panel");
  __m256 acc[MR][NV];
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j)
      acc[i][j] = _mm256_setzero_ps();
  for (int64_t k = 0; k < kc; ++k) {
    __m256 bv[NV];
    if (RowTable)
      b = bRows[k];
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j)
      bv[j] = _mm256_loadu_ps(b + 8 * j);
#pragma GCC unroll 16
    for (int i = 0; i < MR; ++i) {
      __m256 av = _mm256_broadcast_ss(a + i * aRow);
#pragma GCC unroll 4
      for (int j = 0; j < NV; ++j)
        acc[i][j] = _mm256_fmadd_ps(av, bv[j], acc[i][j]);
    }
    a += aCol;
    b += bRow;
  }
  __m256 lo = _mm256_set1_ps(clamp ? clamp[0] : 0.0f);
  __m256 hi = _mm256_set1_ps(clamp ? clamp[1] : 0.0f);
#pragma GCC unroll 16
  for (int i = 0; i < MR; ++i) {
    __m256 init = _mm256_set1_ps(rowInit ? rowInit[i] : 0.0f);
#pragma GCC unroll 4
    for (int j = 0; j < NV; ++j) {
      float *p = c + i * ldc + 8 * j;
      __m256 old = rowInit ? init : _mm256_loadu_ps(p);
      if (addend)
        old = _mm256_add_ps(old, _mm256_loadu_ps(addend + i * ldc + 8 * j));
      __m256 v = _mm256_add_ps(old, acc[i][j]);
      if (clamp)
        v = _mm256_min_ps(hi, _mm256_max_ps(lo, v)); // NaN stays NaN
      _mm256_storeu_ps(p, v);
    }
  }
}

template <int MR, int NV>
__attribute__((target("avx2,fma"))) void
microAvx2(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
          const float *b, int64_t bRow, int64_t, const float *const *bRows,
          float *c, int64_t ldc, const float *rowInit, const float *addend,
          const float *clamp, const float *, int64_t) {
  if (aRow == 1 && bRows)
    tileAvx2<MR, NV, true, true>(kc, a, aRow, aCol, b, bRow, bRows, c, ldc,
                                 rowInit, addend, clamp);
  else if (aRow == 1)
    tileAvx2<MR, NV, true, false>(kc, a, aRow, aCol, b, bRow, bRows, c, ldc,
                                  rowInit, addend, clamp);
  else if (bRows)
    tileAvx2<MR, NV, false, true>(kc, a, aRow, aCol, b, bRow, bRows, c, ldc,
                                  rowInit, addend, clamp);
  else
    tileAvx2<MR, NV, false, false>(kc, a, aRow, aCol, b, bRow, bRows, c, ldc,
                                   rowInit, addend, clamp);
}

template <int MR, int NR>
void microGeneric(int64_t kc, const float *a, int64_t aRow, int64_t aCol,
                  const float *b, int64_t bRow, int64_t,
                  const float *const *bRows, float *c, int64_t ldc,
                  const float *rowInit, const float *addend, const float *clamp,
                  const float *, int64_t) {
  static_assert(NR <= 16, "B's columns past 16 would be in another panel");
  float acc[MR][NR] = {};
  for (int64_t k = 0; k < kc; ++k) {
    if (bRows)
      b = bRows[k];
    for (int i = 0; i < MR; ++i)
      for (int j = 0; j < NR; ++j)
        acc[i][j] += a[i * aRow] * b[j];
    a += aCol;
    b += bRow;
  }
  for (int i = 0; i < MR; ++i)
    for (int j = 0; j < NR; ++j) {
      float v = (rowInit ? rowInit[i] : c[i * ldc + j]) +
                (addend ? addend[i * ldc + j] : 0.0f) + acc[i][j];
      if (clamp)
        v = v < clamp[0] ? clamp[0] : v > clamp[1] ? clamp[1] : v;
      c[i * ldc + j] = v;
    }
}

constexpr GemmMicroKernel kAvx512{
    12,
    32,
    "avx512 12x32",
    {nullptr, microAvx512<1, 2>, microAvx512<2, 2>, microAvx512<3, 2>,
     microAvx512<4, 2>, microAvx512<5, 2>, microAvx512<6, 2>, microAvx512<7, 2>,
     microAvx512<8, 2>, microAvx512<9, 2>, microAvx512<10, 2>,
     microAvx512<11, 2>, microAvx512<12, 2>},
    {nullptr, edgeAvx512<1>, edgeAvx512<2>, edgeAvx512<3>, edgeAvx512<4>,
     edgeAvx512<5>, edgeAvx512<6>, edgeAvx512<7>, edgeAvx512<8>, edgeAvx512<9>,
     edgeAvx512<10>, edgeAvx512<11>, edgeAvx512<12>},
    {nullptr, stridedAvx512<1>, stridedAvx512<2>, stridedAvx512<3>,
     stridedAvx512<4>, stridedAvx512<5>, stridedAvx512<6>, stridedAvx512<7>,
     stridedAvx512<8>, stridedAvx512<9>, stridedAvx512<10>, stridedAvx512<11>,
     stridedAvx512<12>}};
constexpr GemmMicroKernel kAvx2{
    6,
    16,
    "avx2 6x16",
    {nullptr, microAvx2<1, 2>, microAvx2<2, 2>, microAvx2<3, 2>,
     microAvx2<4, 2>, microAvx2<5, 2>, microAvx2<6, 2>}};
constexpr GemmMicroKernel kGeneric{
    4,
    16,
    "generic 4x16",
    {nullptr, microGeneric<1, 16>, microGeneric<2, 16>, microGeneric<3, 16>,
     microGeneric<4, 16>}};

// Weights packed at compile time (PanelLayout.h) serve every kernel: a
// panel of A holds whole tiles of rows, and a tile of B is one or two
// panels.
constexpr bool fitsPanels(const GemmMicroKernel &k) {
  return panels::kARows % k.mr == 0 &&
         (k.nr == panels::kBCols || k.nr == 2 * panels::kBCols);
}
constexpr bool hasEveryRowCount(const GemmMicroKernel &k) {
  if (k.mr < 1 || k.mr >= 17)
    return false;
  for (int r = 1; r <= k.mr; ++r)
    if (!k.forRows[r])
      return false;
  return true;
}
static_assert(hasEveryRowCount(kAvx512) && hasEveryRowCount(kAvx2) &&
                  hasEveryRowCount(kGeneric),
              "a micro-kernel lacks a variant for some row count");
static_assert(kAvx512.nr == 16 * kTileGroups,
              "TileColumns does not describe the AVX-512 tile's columns");
static_assert(fitsPanels(kAvx512) && fitsPanels(kAvx2) && fitsPanels(kGeneric),
              "a micro-kernel's tile does not fit PanelLayout.h's panels");

} // namespace

const GemmMicroKernel &gemmMicroKernel(Isa isa) {
  switch (isa) {
  case Isa::Avx512:
    return kAvx512;
  case Isa::Avx2:
    return kAvx2;
  case Isa::Generic:
    break;
  }
  return kGeneric;
}

} // namespace qc::kernels
