//===- Int8Gemm.cpp - Integer GEMM with zero points -----------------------===//
//
// A is in Int8PanelLayout.h's rows (uint8, padded to a multiple of 4
// bytes) and B in its panels (int8, 16 columns of 4 consecutive k, the
// layout of vpdpbusd's signed operand); each is packed per call or, for a
// weight, by the compiler. B's columns may be a convolution's windows
// (offsets into its input), gathered while packing: a panel's 16 columns
// are a few runs of evenly spaced bytes (one per output row it spans, 1 or
// 2 apart for stride 1 or 2), each read with one masked load.
// The padding is zeros, which add nothing to products or sums. A task is a
// block of rows by a block of columns; a micro-kernel keeps R rows x 32
// columns of int32 sums in registers (16 for C's last tile when it has no
// more).
//
//===----------------------------------------------------------------------===//
#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

namespace qc::kernels {
namespace {

using int8_panels::kPanel;         // columns per packed panel of B
using int8_panels::kTileCols;      // two panels per micro-kernel
constexpr int kMr = 8;             // rows per micro-kernel
constexpr int64_t kTaskRows = 64;  // a multiple of kMr
constexpr int64_t kTaskCols = 128; // a multiple of kTileCols

int32_t zeroPointAt(const Int8Matrix &x, int64_t i) {
  if (x.zeroPointCount == 0)
    return 0;
  int8_t v = x.zeroPoint[x.zeroPointCount == 1 ? 0 : i];
  return x.isUnsigned ? int32_t(uint8_t(v)) : int32_t(v);
}

// Whether x's zero point is the same for every row (A) or column (B).
bool zeroPointsUniform(const Int8Matrix &x, int64_t count) {
  for (int64_t i = 1; i < x.zeroPointCount && i < count; ++i)
    if (x.zeroPoint[i] != x.zeroPoint[0])
      return false;
  return true;
}

bool allZero(const int32_t *values, int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    if (values[i])
      return false;
  return true;
}

struct Job {
  int64_t m, n, k, quads; // quads = ceil(k / 4)
  const uint8_t *a;       // [m][4 * quads]
  const int8_t *b;        // [panels][quads][16][4]
  const int32_t *rowSums; // of A, per row
  const int32_t *colSums; // of B, per column
  const int32_t *aZero;   // per row, as A is packed
  const int32_t *bZero;   // per column, as B is packed
  int32_t *c;
  int64_t cRow, cCol;
  bool uniformZeros;      // every aZero alike, and every bZero
  // Every bZero 0 (weights quantized symmetrically, as --quantize makes
  // them): the row term of the zero-point correction is 0 and skipped.
  bool bZerosZero;
  bool overwrite;         // C = rowBias + sums, else C += sums
  const Int8Epilogue *epilogue; // or null: C gets the sums
  const int64_t *outCols;       // epilogue's colOffsets, from column 0
  int64_t colBase;              // column 0's in the epilogue's float rows
  const int32_t *rowBias; // or null: zeros
  int64_t rowTasks, colTasks;
  bool vnni;

  // What row m of C starts from when it is overwritten.
  int32_t rowStart(int64_t m) const { return rowBias ? rowBias[m] : 0; }
};

// x clamped to [lo, hi], max then min: a NaN stays NaN, as through the
// unfused loop's maximumf and minimumf (a Relu, a Clip).
inline float clampKeepingNan(float x, float lo, float hi) {
  x = x < lo ? lo : x;
  return x > hi ? hi : x;
}

// The same, a NaN becoming lo, as through QuantizeLinear's maxnumf and
// minnumf: fmaxf and fminf, without their library calls.
inline float clampNumber(float x, float lo, float hi) {
  x = x > lo ? x : lo;
  return x < hi ? x : hi;
}

// Sum (i, j) of C through the epilogue (Int8Epilogue), in float as the
// unfused loops compute it.
void epilogueOne(const Job &job, int64_t m, int64_t n, int32_t sum) {
  const Int8Epilogue &q = *job.epilogue;
  float v = float(sum);
  int64_t col = job.colBase + n;
  if (q.scaleCount)
    v = v * q.scale[q.scaleCount == 1 ? 0 : m];
  if (q.colScaleCount)
    v = v * q.colScale[q.colScaleCount == 1 ? 0 : col];
  if (q.biasCount)
    v = v + q.bias[q.biasCount == 1 ? 0 : m];
  if (q.colBiasCount)
    v = v + q.colBias[q.colBiasCount == 1 ? 0 : col];
  if (q.residual)
    v = v + q.residual[m * q.residualRowStride + col];
  v = clampKeepingNan(v, q.lo, q.hi);
  if (q.floatOut)
    q.floatOut[m * q.floatRowStride + col] = v;
  if (q.out) {
    v = clampNumber(nearbyintf(v / q.outScale) + q.outZero, q.qMin, q.qMax);
    q.out[m * q.rowStride + job.outCols[n]] = int8_t(int32_t(v));
  }
}

// C (+)= the zero-point-corrected sums of a tile whose raw sums are in
// `tile` (rows x kTileCols), for its valid rows and columns; or those sums
// through the epilogue.
void storeTile(const Job &job, int64_t m0, int64_t n0, int rows,
               const int32_t *tile) {
  int64_t cols = job.n - n0 < kTileCols ? job.n - n0 : kTileCols;
  for (int r = 0; r < rows; ++r) {
    int64_t m = m0 + r;
    int32_t za = job.aZero[m], rowSum = job.rowSums[m];
    int32_t *out = job.c + m * job.cRow + n0 * job.cCol;
    for (int64_t j = 0; j < cols; ++j) {
      int32_t zb = job.bZero[n0 + j];
      int32_t sum = tile[r * kTileCols + j] - za * job.colSums[n0 + j] -
                    zb * rowSum + int32_t(job.k) * za * zb;
      if (job.epilogue) {
        epilogueOne(job, m, n0 + j, job.rowStart(m) + sum);
        continue;
      }
      int32_t &o = out[j * job.cCol];
      o = (job.overwrite ? job.rowStart(m) : o) + sum;
    }
  }
}

// The epilogue's bounds and output quantization (Int8Epilogue) as
// vectors: loaded once per tile, not per row; its per-column scale and
// bias once per 16 columns of the tile (loadColumns).
struct EpilogueVectors {
  __m512 lo, hi, outScale, outZero, qMin, qMax;
  __m512 colScale, colBias;
  // [lo, hi] is not [-inf, inf], where clamping (max, then min, NaN kept)
  // leaves every value as it is.
  bool clamps;

  __attribute__((target("avx512f"), always_inline)) void
  load(const Int8Epilogue &q) {
    clamps = !(q.lo == -INFINITY && q.hi == INFINITY);
    lo = _mm512_set1_ps(q.lo);
    hi = _mm512_set1_ps(q.hi);
    outScale = _mm512_set1_ps(q.outScale);
    outZero = _mm512_set1_ps(q.outZero);
    qMin = _mm512_set1_ps(q.qMin);
    qMax = _mm512_set1_ps(q.qMax);
  }

  // Columns col.. in the lanes `lanes`: one value for all, or their own.
  __attribute__((target("avx512f"), always_inline)) void
  loadColumns(const Int8Epilogue &q, int64_t col, __mmask16 lanes) {
    if (q.colScaleCount)
      colScale = q.colScaleCount == 1
                     ? _mm512_set1_ps(q.colScale[0])
                     : _mm512_maskz_loadu_ps(lanes, q.colScale + col);
    if (q.colBiasCount)
      colBias = q.colBiasCount == 1
                    ? _mm512_set1_ps(q.colBias[0])
                    : _mm512_maskz_loadu_ps(lanes, q.colBias + col);
  }
};

// The first `count` (1 to 16) lanes.
inline __mmask16 firstLanes(int64_t count) {
  return count >= 16 ? __mmask16(0xFFFF) : __mmask16((1u << count) - 1);
}

// Row m's sums from column n, in the lanes `lanes` (the first `count`),
// through the epilogue (Int8Epilogue): the residual and the float output
// 16 consecutive floats; the bytes one store where the columns are
// consecutive bytes of the output, else byte by byte. vmaxps and vminps
// give their second operand when either is NaN: the bound for the
// quantization's saturation (as maxnumf and minnumf), x for the clamp (as
// maximumf and minimumf keep a NaN). (The masked forms with an explicit
// source, here and below: GCC 12 warns on the plain ones' internal
// undefined vector.)
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) inline void
epilogueLanes(const Job &job, const EpilogueVectors &e, int64_t m, int64_t n,
              __m512i sums, __mmask16 lanes, int count) {
  const __mmask16 all = 0xFFFF;
  const __m512 zero = _mm512_setzero_ps();
  const Int8Epilogue &q = *job.epilogue;
  __m512 v = _mm512_mask_cvtepi32_ps(zero, all, sums);
  int64_t col = job.colBase + n;
  if (q.scaleCount)
    v = _mm512_mul_ps(v, _mm512_set1_ps(q.scale[q.scaleCount == 1 ? 0 : m]));
  if (q.colScaleCount)
    v = _mm512_mul_ps(v, e.colScale);
  if (q.biasCount)
    v = _mm512_add_ps(v, _mm512_set1_ps(q.bias[q.biasCount == 1 ? 0 : m]));
  if (q.colBiasCount)
    v = _mm512_add_ps(v, e.colBias);
  if (q.residual)
    v = _mm512_add_ps(
        v, _mm512_maskz_loadu_ps(lanes,
                                 q.residual + m * q.residualRowStride + col));
  if (e.clamps) {
    v = _mm512_mask_max_ps(v, all, e.lo, v);
    v = _mm512_mask_min_ps(v, all, e.hi, v);
  }
  if (q.floatOut)
    _mm512_mask_storeu_ps(q.floatOut + m * q.floatRowStride + col, lanes, v);
  if (!q.out)
    return;
  v = _mm512_mask_roundscale_ps(zero, all, _mm512_div_ps(v, e.outScale),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  v = _mm512_add_ps(v, e.outZero);
  v = _mm512_mask_max_ps(v, all, v, e.qMin);
  v = _mm512_mask_min_ps(v, all, v, e.qMax);
  __m128i bytes = _mm512_mask_cvtepi32_epi8(
      _mm_setzero_si128(), all,
      _mm512_mask_cvttps_epi32(_mm512_setzero_si512(), all, v));
  const int64_t *cols = job.outCols + n;
  int8_t *row = q.out + m * q.rowStride;
  if (cols[count - 1] - cols[0] == count - 1) {
    _mm_mask_storeu_epi8(row + cols[0], lanes, bytes);
    return;
  }
  alignas(16) int8_t values[16];
  _mm_store_si128(reinterpret_cast<__m128i *>(values), bytes);
  for (int j = 0; j < count; ++j)
    row[cols[j]] = values[j];
}

// Row m's corrected sums from column n, in the lanes `lanes` (the first
// `count`): C (+)= them (C contiguous), or through the epilogue.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) inline void
storeSums(const Job &job, const EpilogueVectors *e, int64_t m, int64_t n,
          __m512i sums, __mmask16 lanes, int count) {
  if (e)
    return epilogueLanes(
        job, *e, m, n,
        job.rowBias ? _mm512_add_epi32(sums, _mm512_set1_epi32(job.rowBias[m]))
                    : sums,
        lanes, count);
  int32_t *out = job.c + m * job.cRow + n;
  __m512i prior = job.overwrite ? _mm512_set1_epi32(job.rowStart(m))
                                : _mm512_maskz_loadu_epi32(lanes, out);
  _mm512_mask_storeu_epi32(out, lanes, _mm512_add_epi32(prior, sums));
}

// C (+)= the zero-point-corrected sums of R rows by the 32 columns from n0
// (those of them C has), whose raw sums are in `acc`; or those sums
// through the epilogue.
template <int R>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
storeVnni(const Job &job, int64_t m0, int64_t n0, const __m512i (&acc)[R][2]) {
  if (!job.epilogue && job.cCol != 1) {
    alignas(64) int32_t tile[R * kTileCols];
    for (int r = 0; r < R; ++r) {
      _mm512_store_si512(tile + r * kTileCols, acc[r][0]);
      _mm512_store_si512(tile + r * kTileCols + 16, acc[r][1]);
    }
    storeTile(job, m0, n0, R, tile);
    return;
  }
  EpilogueVectors vectors;
  if (job.epilogue)
    vectors.load(*job.epilogue);
  const EpilogueVectors *e = job.epilogue ? &vectors : nullptr;
  int64_t cols = job.n - n0 < kTileCols ? job.n - n0 : kTileCols;
  // sum (a - za)(b - zb) = acc - za * colSum - zb * (rowSum - K za).
  for (int h = 0; h < 2 && 16 * h < cols; ++h) {
    int count = int(cols - 16 * h < 16 ? cols - 16 * h : 16);
    __mmask16 lanes = firstLanes(count);
    int64_t n = n0 + 16 * h;
    __m512i colSum = _mm512_maskz_loadu_epi32(lanes, job.colSums + n);
    if (e)
      vectors.loadColumns(*job.epilogue, job.colBase + n, lanes);
    if (job.uniformZeros) {
      // One za and one zb: the column term once for the tile, the row
      // term a number per row (no vector multiply per row: with a short
      // K they cost as much as the sums).
      __m512i colTerm = _mm512_sub_epi32(
          _mm512_mullo_epi32(_mm512_set1_epi32(job.aZero[0]), colSum),
          _mm512_set1_epi32(int32_t(job.k) * job.aZero[0] * job.bZero[0]));
      for (int r = 0; r < R; ++r) {
        int64_t m = m0 + r;
        __m512i v = _mm512_sub_epi32(acc[r][h], colTerm);
        if (!job.bZerosZero)
          v = _mm512_sub_epi32(
              v, _mm512_set1_epi32(job.bZero[0] * job.rowSums[m]));
        storeSums(job, e, m, n, v, lanes, count);
      }
      continue;
    }
    __m512i zb = _mm512_maskz_loadu_epi32(lanes, job.bZero + n);
    for (int r = 0; r < R; ++r) {
      int64_t m = m0 + r;
      int32_t za = job.aZero[m];
      __m512i v = _mm512_sub_epi32(
          acc[r][h], _mm512_mullo_epi32(_mm512_set1_epi32(za), colSum));
      if (!job.bZerosZero)
        v = _mm512_sub_epi32(
            v, _mm512_mullo_epi32(zb, _mm512_set1_epi32(job.rowSums[m] -
                                                        int32_t(job.k) * za)));
      storeSums(job, e, m, n, v, lanes, count);
    }
  }
}

// The 4 bytes of row r of A at quad q, broadcast to every lane.
__attribute__((target("avx512f"))) inline __m512i
broadcastQuad(const uint8_t *row, int64_t q) {
  int32_t quad;
  memcpy(&quad, row + 4 * q, 4);
  return _mm512_set1_epi32(quad);
}

// Where a tile's operands start: rows of packed A from m0 (`stride` bytes
// apart) and the two 16-column panels of B from n0.
struct TileOperands {
  const uint8_t *a;
  const int8_t *b0, *b1;
  int64_t stride;

  TileOperands(const Job &job, int64_t m0, int64_t n0)
      : a(job.a + m0 * 4 * job.quads),
        b0(job.b + (n0 / kPanel) * job.quads * 64), b1(b0 + job.quads * 64),
        stride(4 * job.quads) {}

  // Step q's line of each panel. B streams from memory on a panel's first
  // use (a weight packed by the compiler is not in cache): fetch ahead of
  // the loads.
  __attribute__((target("avx512f"), always_inline)) void
  loadPanels(int64_t q, __m512i &v0, __m512i &v1) const {
    v0 = loadFirstPanel(q);
    _mm_prefetch(reinterpret_cast<const char *>(b1 + (q + 16) * 64),
                 _MM_HINT_T0);
    v1 = _mm512_loadu_si512(b1 + q * 64);
  }
  __attribute__((target("avx512f"), always_inline)) __m512i
  loadFirstPanel(int64_t q) const {
    _mm_prefetch(reinterpret_cast<const char *>(b0 + (q + 16) * 64),
                 _MM_HINT_T0);
    return _mm512_loadu_si512(b0 + q * 64);
  }
};

// R rows of A by `Panels` panels of B, all of K: two, or one for C's
// last tile when it has at most 16 columns (a 14x14 map's 196 pixels
// leave 4), at half the multiply-adds; the second panel's sums, zeros
// then, are not stored.
template <int R, int Panels>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
tileVnni(const Job &job, int64_t m0, int64_t n0) {
  static_assert(Panels == 1 || Panels == 2, "a tile is one or two panels");
  __m512i acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  TileOperands t(job, m0, n0);
  for (int64_t q = 0; q < job.quads; ++q) {
    __m512i v0, v1;
    if constexpr (Panels == 2)
      t.loadPanels(q, v0, v1);
    else
      v0 = t.loadFirstPanel(q);
    for (int r = 0; r < R; ++r) {
      __m512i av = broadcastQuad(t.a + r * t.stride, q);
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], av, v0);
      if constexpr (Panels == 2)
        acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], av, v1);
    }
  }
  storeVnni<R>(job, m0, n0, acc);
}

// One row's step of k: its quad of A times both panels' lines.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline)) inline void
rowStep(__m512i &sum0, __m512i &sum1, const uint8_t *row, int64_t q,
        __m512i v0, __m512i v1) {
  __m512i t = broadcastQuad(row, q);
  sum0 = _mm512_dpbusd_epi32(sum0, t, v0);
  sum1 = _mm512_dpbusd_epi32(sum1, t, v1);
}

// The full 8-row tile, the one nearly all the time goes to, with its 16
// sums as named variables: over the array above GCC 12 copies every sum
// between registers twice per step of k (and spills one), which takes as
// many instructions as the multiply-adds themselves.
template <>
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
tileVnni<8, 2>(const Job &job, int64_t m0, int64_t n0) {
  __m512i c00 = _mm512_setzero_si512(), c01 = c00, c10 = c00, c11 = c00,
          c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00,
          c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
  TileOperands t(job, m0, n0);
  const uint8_t *a = t.a;
  int64_t stride = t.stride;
  for (int64_t q = 0; q < job.quads; ++q) {
    __m512i v0, v1;
    t.loadPanels(q, v0, v1);
    rowStep(c00, c01, a, q, v0, v1);
    rowStep(c10, c11, a + stride, q, v0, v1);
    rowStep(c20, c21, a + 2 * stride, q, v0, v1);
    rowStep(c30, c31, a + 3 * stride, q, v0, v1);
    rowStep(c40, c41, a + 4 * stride, q, v0, v1);
    rowStep(c50, c51, a + 5 * stride, q, v0, v1);
    rowStep(c60, c61, a + 6 * stride, q, v0, v1);
    rowStep(c70, c71, a + 7 * stride, q, v0, v1);
  }
  const __m512i acc[8][2] = {{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31},
                             {c40, c41}, {c50, c51}, {c60, c61}, {c70, c71}};
  storeVnni<8>(job, m0, n0, acc);
}

void tileGeneric(const Job &job, int64_t m0, int64_t n0, int rows) {
  int32_t tile[kMr * kTileCols] = {};
  int64_t stride = 4 * job.quads;
  for (int r = 0; r < rows; ++r)
    for (int64_t j = 0; j < kTileCols; ++j) {
      const int8_t *panel =
          job.b + ((n0 + j) / kPanel) * job.quads * 64 + ((n0 + j) % kPanel) * 4;
      const uint8_t *a = job.a + (m0 + r) * stride;
      int32_t sum = 0;
      for (int64_t q = 0; q < job.quads; ++q)
        for (int t = 0; t < 4; ++t)
          sum += int32_t(a[4 * q + t]) * int32_t(panel[q * 64 + t]);
      tile[r * kTileCols + j] = sum;
    }
  storeTile(job, m0, n0, rows, tile);
}

// How B's elements are addressed: (r, c) at data[row(r) + col(c)].
struct BSource {
  const int8_t *data;
  const int64_t *rowOffsets, *colOffsets; // or null: the strides
  int64_t rowStride, colStride;

  explicit BSource(const Int8Matrix &b)
      : data(b.data), rowOffsets(b.rowOffsets), colOffsets(b.colOffsets),
        rowStride(b.rowStride), colStride(b.colStride) {}
  int64_t row(int64_t r) const { return rowOffsets ? rowOffsets[r] : r * rowStride; }
  int64_t col(int64_t c) const { return colOffsets ? colOffsets[c] : c * colStride; }
};

// A run of a panel's lanes [first, first + count) whose bytes are `step`
// (1 or 2) apart in every row of B, lane `first` at col offset `offset`.
struct Run {
  int first, count, step;
  int64_t offset;
};

// The panel's `cols` columns from c0 as runs (at most one per column).
int panelRuns(const BSource &b, int64_t c0, int cols, Run *runs) {
  int count = 0;
  for (int j = 0; j < cols;) {
    Run run{j, 1, 1, b.col(c0 + j)};
    if (j + 1 < cols) {
      int64_t step = b.col(c0 + j + 1) - run.offset;
      if (step == 1 || step == 2) {
        run.step = int(step);
        while (j + run.count < cols &&
               b.col(c0 + j + run.count) == run.offset + step * run.count)
          ++run.count;
      }
    }
    runs[count++] = run;
    j += run.count;
  }
  return count;
}

// How to load a panel's 16 bytes of any row of B: one plain load when its
// columns are 16 consecutive bytes, else a masked load per run (a step-2
// run loads its bytes and the ones between, no further than its last
// byte, and keeps the even ones). `at` is the address lane 0 would have,
// from the row's start; masked-off lanes are not read.
struct PanelLoads {
  bool contiguous;
  int count;
  int64_t at[kPanel];
  __mmask16 lanes[kPanel];
  __mmask32 bytes[kPanel]; // step-2 runs; 0 for step 1
};

PanelLoads planLoads(const BSource &b, int64_t c0, int cols) {
  Run runs[kPanel];
  PanelLoads plan;
  plan.count = panelRuns(b, c0, cols, runs);
  plan.contiguous = plan.count == 1 && runs[0].count == kPanel && runs[0].step == 1;
  for (int i = 0; i < plan.count; ++i) {
    const Run &r = runs[i];
    plan.at[i] = r.offset - int64_t(r.step) * r.first;
    plan.lanes[i] = __mmask16(((1u << r.count) - 1) << r.first);
    plan.bytes[i] = r.step == 1 ? 0
                                : __mmask32(((uint64_t(1) << (2 * r.count - 1)) - 1)
                                            << (2 * r.first));
  }
  return plan;
}

__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) inline __m128i
loadPanelRow(const int8_t *row, const PanelLoads &plan) {
  if (plan.contiguous)
    return _mm_loadu_si128(reinterpret_cast<const __m128i *>(row + plan.at[0]));
  __m128i v = _mm_setzero_si128();
  for (int i = 0; i < plan.count; ++i) {
    if (!plan.bytes[i])
      v = _mm_mask_loadu_epi8(v, plan.lanes[i], row + plan.at[i]);
    else
      v = _mm256_mask_cvtepi16_epi8(
          v, plan.lanes[i], _mm256_maskz_loadu_epi8(plan.bytes[i], row + plan.at[i]));
  }
  return v;
}

// 4 rows of 16 bytes as one 64-byte line: 16 groups of 4, column j's
// bytes of the 4 rows in group j.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline)) inline __m512i
interleave4(__m128i r0, __m128i r1, __m128i r2, __m128i r3) {
  __m128i lo01 = _mm_unpacklo_epi8(r0, r1), hi01 = _mm_unpackhi_epi8(r0, r1);
  __m128i lo23 = _mm_unpacklo_epi8(r2, r3), hi23 = _mm_unpackhi_epi8(r2, r3);
  return _mm512_inserti32x4(
      _mm512_inserti32x4(
          _mm512_inserti32x4(_mm512_castsi128_si512(_mm_unpacklo_epi16(lo01, lo23)),
                             _mm_unpackhi_epi16(lo01, lo23), 1),
          _mm_unpacklo_epi16(hi01, hi23), 2),
      _mm_unpackhi_epi16(hi01, hi23), 3);
}

// One panel (16 columns from c0, `cols` of them valid) of B: each line
// interleaves 4 rows of 16 bytes; the column sums come from vpdpbusd of
// ones against each line.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) void
packPanelVnni(const BSource &b, int64_t k, int64_t quads, int64_t c0, int cols,
              uint8_t flip, int8_t *panel, int32_t *sums) {
  PanelLoads plan = planLoads(b, c0, cols);
  __m512i ones = _mm512_set1_epi8(1), colSums = _mm512_setzero_si512();
  int64_t q = 0;
  if (plan.contiguous) {
    // 16 bytes in a row from each of 4 rows; the whole line flipped at once.
    __m512i flips = _mm512_set1_epi8(char(flip));
    const int8_t *base = b.data + plan.at[0];
    for (; 4 * q + 3 < k; ++q) {
      auto row = [&](int t) {
        return _mm_loadu_si128(
            reinterpret_cast<const __m128i *>(base + b.row(4 * q + t)));
      };
      __m512i line = _mm512_xor_si512(interleave4(row(0), row(1), row(2), row(3)), flips);
      _mm512_storeu_si512(panel + q * 64, line);
      colSums = _mm512_dpbusd_epi32(colSums, ones, line);
    }
  }
  // Flipped where the panel has a column: padding stays zero.
  __m128i flips = _mm_maskz_mov_epi8(__mmask16((1u << cols) - 1),
                                     _mm_set1_epi8(char(flip)));
  for (; q < quads; ++q) {
    __m128i r[4];
    for (int t = 0; t < 4; ++t)
      r[t] = 4 * q + t < k
                 ? _mm_xor_si128(loadPanelRow(b.data + b.row(4 * q + t), plan), flips)
                 : _mm_setzero_si128();
    __m512i line = interleave4(r[0], r[1], r[2], r[3]);
    _mm512_storeu_si512(panel + q * 64, line);
    colSums = _mm512_dpbusd_epi32(colSums, ones, line);
  }
  _mm512_storeu_si512(sums, colSums);
}

// The same element by element (no VNNI).
void packPanelGeneric(const BSource &b, int64_t k, int64_t quads, int64_t c0,
                      int cols, uint8_t flip, int8_t *panel, int32_t *sums) {
  memset(panel, 0, size_t(quads * 64));
  memset(sums, 0, sizeof(int32_t) * kPanel);
  for (int64_t q = 0; q < quads; ++q) {
    int8_t *line = panel + q * 64;
    for (int64_t t = 0; t < 4 && 4 * q + t < k; ++t) {
      const int8_t *src = b.data + b.row(4 * q + t);
      for (int j = 0; j < cols; ++j) {
        auto v = int8_t(uint8_t(src[b.col(c0 + j)]) ^ flip);
        line[j * 4 + t] = v;
        sums[j] += v;
      }
    }
  }
}

// A row of a row-major A as uint8 (xor `flip`), returning its sum; the
// sums come from vpdpbusd against ones.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))) int32_t
packRowVnni(const int8_t *src, uint8_t *row, int64_t k, uint8_t flip) {
  __m512i flips = _mm512_set1_epi8(char(flip)), ones = _mm512_set1_epi8(1);
  __m512i sums = _mm512_setzero_si512();
  int64_t j = 0;
  for (; j + 64 <= k; j += 64) {
    __m512i v = _mm512_xor_si512(_mm512_loadu_si512(src + j), flips);
    _mm512_storeu_si512(row + j, v);
    sums = _mm512_dpbusd_epi32(sums, v, ones);
  }
  // Summed through memory: GCC 12 warns on _mm512_reduce_add_epi32's
  // internal undefined vector.
  alignas(64) int32_t lanes[16];
  _mm512_store_si512(lanes, sums);
  int32_t sum = 0;
  for (int32_t lane : lanes)
    sum += lane;
  for (; j < k; ++j) {
    row[j] = uint8_t(src[j]) ^ flip;
    sum += row[j];
  }
  return sum;
}

// A (strided) into Int8PanelLayout.h's layout at `packed`.
void packA(int64_t m, int64_t k, const Int8Matrix &a, bool vnni,
           uint8_t *packed) {
  int64_t stride = 4 * int8_panels::quads(k);
  auto *rowSums = reinterpret_cast<int32_t *>(packed + int8_panels::rowBytes(m, k));
  uint8_t flip = a.isUnsigned ? 0 : 0x80;
  for (int64_t i = 0; i < m; ++i) {
    uint8_t *__restrict row = packed + i * stride;
    const int8_t *src = a.data + i * a.rowStride;
    int32_t sum = 0;
    if (a.colStride == 1 && vnni) {
      sum = packRowVnni(src, row, k, flip);
    } else {
      for (int64_t j = 0; j < k; ++j) {
        row[j] = uint8_t(src[j * a.colStride]) ^ flip;
        sum += row[j];
      }
    }
    memset(row + k, 0, size_t(stride - k));
    rowSums[i] = sum;
  }
}

using TileFn = void (*)(const Job &, int64_t, int64_t);
constexpr TileFn kVnniTiles[kMr + 1] = {
    nullptr,        tileVnni<1, 2>, tileVnni<2, 2>,
    tileVnni<3, 2>, tileVnni<4, 2>, tileVnni<5, 2>,
    tileVnni<6, 2>, tileVnni<7, 2>, tileVnni<8, 2>};
constexpr TileFn kVnniHalfTiles[kMr + 1] = {
    nullptr,        tileVnni<1, 1>, tileVnni<2, 1>,
    tileVnni<3, 1>, tileVnni<4, 1>, tileVnni<5, 1>,
    tileVnni<6, 1>, tileVnni<7, 1>, tileVnni<8, 1>};

// Rows [mBegin, mEnd) by columns [nBegin, nEnd) of C, tile by tile: for
// each 64 rows, the columns 32 at a time, every 8 rows of A against them.
void runTiles(const Job &job, int64_t mBegin, int64_t mEnd, int64_t nBegin,
              int64_t nEnd) {
  for (int64_t m1 = mBegin; m1 < mEnd; m1 += kTaskRows) {
    int64_t m2 = m1 + kTaskRows < mEnd ? m1 + kTaskRows : mEnd;
    for (int64_t n0 = nBegin; n0 < nEnd; n0 += kTileCols) {
      const TileFn *tiles = job.n - n0 <= kPanel ? kVnniHalfTiles : kVnniTiles;
      for (int64_t m0 = m1; m0 < m2; m0 += kMr) {
        int rows = m2 - m0 < kMr ? int(m2 - m0) : kMr;
        if (job.vnni)
          tiles[rows](job, m0, n0);
        else
          tileGeneric(job, m0, n0, rows);
      }
    }
  }
}

// B packed beforehand: a task is a block of rows by a block of columns.
void runTask(void *arg, int64_t task, int) {
  const Job &job = *static_cast<const Job *>(arg);
  int64_t rowTask = task / job.colTasks, colTask = task % job.colTasks;
  int64_t mEnd = (rowTask + 1) * kTaskRows < job.m ? (rowTask + 1) * kTaskRows : job.m;
  int64_t nEnd = (colTask + 1) * kTaskCols < job.n ? (colTask + 1) * kTaskCols : job.n;
  runTiles(job, rowTask * kTaskRows, mEnd, colTask * kTaskCols, nEnd);
}

// B packed as it is used: a task packs a block of B's columns into its
// thread's scratch (where it stays in cache) and computes that block of C
// for a group of rows. A block is packed once per group; there is more than
// one group only when there are too few blocks to share out.
struct PackingJob {
  Job job; // b, colSums and n unused: each task's own
  BSource source;
  uint8_t flip;
  int64_t blockCols, rowGroups, groupRows;
  int8_t *scratch;     // per thread
  int64_t scratchBytes; // each
};

void runPackingTask(void *arg, int64_t task, int thread) {
  const PackingJob &pj = *static_cast<const PackingJob *>(arg);
  const Job &whole = pj.job;
  int64_t block = task / pj.rowGroups, group = task % pj.rowGroups;
  int64_t n0 = block * pj.blockCols;
  int64_t cols = whole.n - n0 < pj.blockCols ? whole.n - n0 : pj.blockCols;
  int8_t *panels = pj.scratch + thread * pj.scratchBytes;
  auto *sums = reinterpret_cast<int32_t *>(
      panels + int8_panels::panelBytes(whole.k, cols));
  int64_t used = (cols + kPanel - 1) / kPanel;
  for (int64_t p = 0; p < used; ++p) {
    int width = int(cols - p * kPanel < kPanel ? cols - p * kPanel : kPanel);
    (whole.vnni ? packPanelVnni : packPanelGeneric)(
        pj.source, whole.k, whole.quads, n0 + p * kPanel, width, pj.flip,
        panels + p * whole.quads * 64, sums + p * kPanel);
  }
  // The panel a micro-kernel reads past the columns, if any, is zeros.
  if (int8_panels::paddedCols(cols) > used * kPanel) {
    memset(panels + used * whole.quads * 64, 0, size_t(whole.quads * 64));
    memset(sums + used * kPanel, 0, sizeof(int32_t) * kPanel);
  }
  // This block of C as a GEMM of its own.
  Job local = whole;
  local.n = cols;
  local.b = panels;
  local.colSums = sums;
  local.bZero = whole.bZero + n0;
  local.c = whole.c + n0 * whole.cCol;
  if (whole.epilogue) {
    local.outCols = whole.outCols ? whole.outCols + n0 : nullptr;
    local.colBase = whole.colBase + n0;
  }
  int64_t mBegin = group * pj.groupRows;
  int64_t mEnd = mBegin + pj.groupRows < whole.m ? mBegin + pj.groupRows : whole.m;
  runTiles(local, mBegin, mEnd, 0, cols);
}

} // namespace

bool int8GemmUsesVnni() {
  static const bool vnni = detectAvx512Vnni();
  return vnni;
}

bool int8Gemm(KernelContext &context, int64_t m, int64_t n, int64_t k,
              const Int8Matrix &a, const Int8Matrix &b, const Int8Output &c,
              bool vnni) {
  if (m == 0 || n == 0)
    return true;
  int64_t quads = int8_panels::quads(k);
  int threads = context.threads > 0 ? context.threads : 1;
  // Blocks of B packed per call: every block of the same width, the widest
  // that leaves enough of them to share among the threads.
  int64_t blockCols = kTaskCols;
  while (blockCols > kTileCols && (n + blockCols - 1) / blockCols < 2 * threads)
    blockCols /= 2;
  int64_t scratchBytes =
      (int8_panels::panelBytes(k, blockCols) + 4 * int8_panels::paddedCols(blockCols) +
       63) / 64 * 64;
  // A in Int8PanelLayout.h's layout (the caller's when prepacked, else
  // packed here), the zero points, and B: packed, or each thread's block.
  size_t aBytes = a.packed ? 0 : size_t(int8_panels::packedABytes(m, k));
  size_t aRounded = (aBytes + 63) / 64 * 64;
  size_t zeroBytes = (sizeof(int32_t) * size_t(m + n) + 63) / 64 * 64;
  size_t bBytes = b.packed ? 0 : size_t(threads * scratchBytes);
  auto *memory =
      static_cast<char *>(aligned_alloc(64, aRounded + zeroBytes + bBytes));
  if (!memory)
    return false;
  auto *packedA = a.packed ? reinterpret_cast<const uint8_t *>(a.packed)
                           : reinterpret_cast<uint8_t *>(memory);
  auto *aZero = reinterpret_cast<int32_t *>(memory + aRounded);
  int32_t *bZero = aZero + m;
  const auto *rowSums = reinterpret_cast<const int32_t *>(
      packedA + int8_panels::rowBytes(m, k));

  bool vnniHere = vnni && int8GemmUsesVnni();
  // A as uint8: a signed A flips its top bit (+128), and so its zero point;
  // B as int8: an unsigned B flips its top bit (-128), and so its zero point.
  if (!a.packed)
    packA(m, k, a, vnniHere, const_cast<uint8_t *>(packedA));
  for (int64_t i = 0; i < m; ++i)
    aZero[i] = zeroPointAt(a, i) + (a.isUnsigned ? 0 : 128);
  for (int64_t j = 0; j < n; ++j)
    bZero[j] = zeroPointAt(b, j) - (b.isUnsigned ? 128 : 0);

  Job job{m,
          n,
          k,
          quads,
          packedA,
          b.packed,
          rowSums,
          b.packed ? reinterpret_cast<const int32_t *>(
                         b.packed + int8_panels::panelBytes(k, n))
                   : nullptr,
          aZero,
          bZero,
          c.data,
          c.rowStride,
          c.colStride,
          zeroPointsUniform(a, m) && zeroPointsUniform(b, n),
          allZero(bZero, n),
          c.overwrite || c.epilogue,
          c.epilogue,
          c.epilogue ? c.epilogue->colOffsets : nullptr,
          0,
          c.rowBias,
          (m + kTaskRows - 1) / kTaskRows,
          (n + kTaskCols - 1) / kTaskCols,
          vnniHere};
  if (b.packed) {
    parallelFor(context.pool, job.rowTasks * job.colTasks, runTask, &job);
  } else {
    int64_t blocks = (n + blockCols - 1) / blockCols;
    int64_t groups = 1;
    if (blocks < 2 * threads) {
      groups = (2 * threads + blocks - 1) / blocks;
      int64_t rowTiles = (m + kMr - 1) / kMr;
      groups = groups < rowTiles ? groups : rowTiles;
    }
    int64_t groupRows = ((m + groups - 1) / groups + kMr - 1) / kMr * kMr;
    groups = (m + groupRows - 1) / groupRows;
    PackingJob pj{job, BSource(b), uint8_t(b.isUnsigned ? 0x80 : 0),
                  blockCols, groups, groupRows,
                  reinterpret_cast<int8_t *>(memory + aRounded + zeroBytes),
                  scratchBytes};
    parallelFor(context.pool, blocks * groups, runPackingTask, &pj);
  }
  free(memory);
  return true;
}

} // namespace qc::kernels
