//===- Int8Gemm.cpp - Integer GEMM with zero points -----------------------===//
//
// A is packed per call as uint8 rows padded to a multiple of 4 bytes; B is
// in Int8PanelLayout.h's panels (int8, 16 columns of 4 consecutive k, the
// layout of vpdpbusd's signed operand), packed per call or, for a weight,
// by the compiler.
// The padding is zeros, which add nothing to products or sums. A task is a
// block of rows by a block of columns; a micro-kernel keeps R rows x 32
// columns of int32 sums in registers.
//
//===----------------------------------------------------------------------===//
#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"

#include <immintrin.h>
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
  int64_t rowTasks, colTasks;
  bool vnni;
};

// C += the zero-point-corrected sums of a tile whose raw sums are in
// `tile` (rows x kTileCols), for its valid rows and columns.
void storeTile(const Job &job, int64_t m0, int64_t n0, int rows,
               const int32_t *tile) {
  int64_t cols = job.n - n0 < kTileCols ? job.n - n0 : kTileCols;
  for (int r = 0; r < rows; ++r) {
    int64_t m = m0 + r;
    int32_t za = job.aZero[m], rowSum = job.rowSums[m];
    int32_t *out = job.c + m * job.cRow + n0 * job.cCol;
    for (int64_t j = 0; j < cols; ++j) {
      int32_t zb = job.bZero[n0 + j];
      out[j * job.cCol] += tile[r * kTileCols + j] - za * job.colSums[n0 + j] -
                           zb * rowSum + int32_t(job.k) * za * zb;
    }
  }
}

// C += the zero-point-corrected sums of R rows by the 32 columns from n0,
// whose raw sums are in `acc`.
template <int R>
__attribute__((target("avx512f,avx512vnni"))) void
storeVnni(const Job &job, int64_t m0, int64_t n0, const __m512i (&acc)[R][2]) {
  if (job.cCol == 1 && n0 + kTileCols <= job.n) {
    // sum (a - za)(b - zb) = acc - za * colSum - zb * (rowSum - K za).
    for (int h = 0; h < 2; ++h) {
      __m512i colSum = _mm512_loadu_si512(job.colSums + n0 + 16 * h);
      __m512i zb = _mm512_loadu_si512(job.bZero + n0 + 16 * h);
      for (int r = 0; r < R; ++r) {
        int64_t m = m0 + r;
        int32_t za = job.aZero[m];
        __m512i v = _mm512_sub_epi32(
            acc[r][h], _mm512_mullo_epi32(_mm512_set1_epi32(za), colSum));
        v = _mm512_sub_epi32(
            v, _mm512_mullo_epi32(
                   zb, _mm512_set1_epi32(job.rowSums[m] - int32_t(job.k) * za)));
        int32_t *out = job.c + m * job.cRow + n0 + 16 * h;
        _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_loadu_si512(out), v));
      }
    }
    return;
  }
  alignas(64) int32_t tile[R * kTileCols];
  for (int r = 0; r < R; ++r) {
    _mm512_store_si512(tile + r * kTileCols, acc[r][0]);
    _mm512_store_si512(tile + r * kTileCols + 16, acc[r][1]);
  }
  storeTile(job, m0, n0, R, tile);
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
    _mm_prefetch(reinterpret_cast<const char *>(b0 + (q + 16) * 64), _MM_HINT_T0);
    _mm_prefetch(reinterpret_cast<const char *>(b1 + (q + 16) * 64), _MM_HINT_T0);
    v0 = _mm512_loadu_si512(b0 + q * 64);
    v1 = _mm512_loadu_si512(b1 + q * 64);
  }
};

// R rows of A by two panels of B, all of K.
template <int R>
__attribute__((target("avx512f,avx512vnni"))) void
tileVnni(const Job &job, int64_t m0, int64_t n0) {
  __m512i acc[R][2];
  for (int r = 0; r < R; ++r)
    acc[r][0] = acc[r][1] = _mm512_setzero_si512();
  TileOperands t(job, m0, n0);
  for (int64_t q = 0; q < job.quads; ++q) {
    __m512i v0, v1;
    t.loadPanels(q, v0, v1);
    for (int r = 0; r < R; ++r) {
      __m512i av = broadcastQuad(t.a + r * t.stride, q);
      acc[r][0] = _mm512_dpbusd_epi32(acc[r][0], av, v0);
      acc[r][1] = _mm512_dpbusd_epi32(acc[r][1], av, v1);
    }
  }
  storeVnni<R>(job, m0, n0, acc);
}

// One row's step of k: its quad of A times both panels' lines.
__attribute__((target("avx512f,avx512vnni"), always_inline)) inline void
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
__attribute__((target("avx512f,avx512vnni"))) void
tileVnni<8>(const Job &job, int64_t m0, int64_t n0) {
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

// A row of a row-major A as uint8 (xor `flip`), returning its sum; the
// sums come from vpdpbusd against ones.
__attribute__((target("avx512f,avx512vnni"))) int32_t
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

// A full panel (16 columns) of a row-major B: each line interleaves 4 rows
// of 16 bytes into 16 groups of 4; the column sums come from vpdpbusd of
// ones against each line.
__attribute__((target("avx512f,avx512vnni"))) void
packPanelVnni(const int8_t *src, int64_t rowStride, int64_t k, int64_t quads,
              uint8_t flip, int8_t *panel, int32_t *sums) {
  __m128i flips = _mm_set1_epi8(char(flip));
  __m512i ones = _mm512_set1_epi8(1), colSums = _mm512_setzero_si512();
  for (int64_t q = 0; q < quads; ++q) {
    __m128i r[4];
    for (int t = 0; t < 4; ++t)
      r[t] = 4 * q + t < k
                 ? _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i *>(
                                     src + (4 * q + t) * rowStride)),
                                 flips)
                 : _mm_setzero_si128();
    __m128i lo01 = _mm_unpacklo_epi8(r[0], r[1]), hi01 = _mm_unpackhi_epi8(r[0], r[1]);
    __m128i lo23 = _mm_unpacklo_epi8(r[2], r[3]), hi23 = _mm_unpackhi_epi8(r[2], r[3]);
    __m512i line = _mm512_inserti32x4(
        _mm512_inserti32x4(
            _mm512_inserti32x4(
                _mm512_castsi128_si512(_mm_unpacklo_epi16(lo01, lo23)),
                _mm_unpackhi_epi16(lo01, lo23), 1),
            _mm_unpacklo_epi16(hi01, hi23), 2),
        _mm_unpackhi_epi16(hi01, hi23), 3);
    _mm512_storeu_si512(panel + q * 64, line);
    colSums = _mm512_dpbusd_epi32(colSums, ones, line);
  }
  _mm512_storeu_si512(sums, colSums);
}

using TileFn = void (*)(const Job &, int64_t, int64_t);
constexpr TileFn kVnniTiles[kMr + 1] = {
    nullptr,      tileVnni<1>, tileVnni<2>, tileVnni<3>, tileVnni<4>,
    tileVnni<5>, tileVnni<6>, tileVnni<7>, tileVnni<8>};

void runTask(void *arg, int64_t task, int) {
  const Job &job = *static_cast<const Job *>(arg);
  int64_t rowTask = task / job.colTasks, colTask = task % job.colTasks;
  int64_t mEnd = (rowTask + 1) * kTaskRows < job.m ? (rowTask + 1) * kTaskRows : job.m;
  int64_t nEnd = (colTask + 1) * kTaskCols < job.n ? (colTask + 1) * kTaskCols : job.n;
  for (int64_t n0 = colTask * kTaskCols; n0 < nEnd; n0 += kTileCols)
    for (int64_t m0 = rowTask * kTaskRows; m0 < mEnd; m0 += kMr) {
      int rows = mEnd - m0 < kMr ? int(mEnd - m0) : kMr;
      if (job.vnni)
        kVnniTiles[rows](job, m0, n0);
      else
        tileGeneric(job, m0, n0, rows);
    }
}

// B (row-major or strided) into Int8PanelLayout.h's layout at `packed`:
// one 64-byte line of a full panel from 4 rows of 16 bytes when B's rows
// are contiguous and VNNI is there, else element by element.
void packB(int64_t k, int64_t n, int64_t quads, const Int8Matrix &b,
           bool vnni, int8_t *packed) {
  memset(packed, 0, size_t(int8_panels::packedBBytes(k, n)));
  auto *colSums = reinterpret_cast<int32_t *>(packed + int8_panels::panelBytes(k, n));
  uint8_t bFlip = b.isUnsigned ? 0x80 : 0;
  for (int64_t p = 0; p * kPanel < n; ++p) {
    int64_t cols = n - p * kPanel < kPanel ? n - p * kPanel : kPanel;
    int32_t *sums = colSums + p * kPanel;
    if (cols == kPanel && b.colStride == 1 && vnni) {
      packPanelVnni(b.data + p * kPanel, b.rowStride, k, quads, bFlip,
                    packed + p * quads * 64, sums);
      continue;
    }
    for (int64_t q = 0; q < quads; ++q) {
      int8_t *line = packed + (p * quads + q) * 64;
      for (int64_t t = 0; t < 4 && 4 * q + t < k; ++t) {
        const int8_t *src = b.data + (4 * q + t) * b.rowStride +
                            p * kPanel * b.colStride;
        for (int64_t j = 0; j < cols; ++j) {
          int8_t v = int8_t(uint8_t(src[j * b.colStride]) ^ bFlip);
          line[j * 4 + t] = v;
          sums[j] += v;
        }
      }
    }
  }
}

} // namespace

bool int8GemmUsesVnni() {
  static const bool vnni = detectAvx512Vnni();
  return vnni;
}

bool int8GemmAccumulate(KernelContext &context, int64_t m, int64_t n,
                        int64_t k, const Int8Matrix &a, const Int8Matrix &b,
                        int32_t *c, int64_t cRowStride, int64_t cColStride,
                        bool vnni) {
  if (m == 0 || n == 0)
    return true;
  int64_t quads = int8_panels::quads(k);
  // B in Int8PanelLayout.h's layout: the caller's when prepacked, else
  // packed here.
  size_t aBytes = size_t(m) * 4 * quads;
  size_t bBytes = b.packed ? 0 : size_t(int8_panels::packedBBytes(k, n));
  size_t intBytes = sizeof(int32_t) * size_t(2 * m + n);
  auto *memory = static_cast<char *>(
      aligned_alloc(64, (aBytes + bBytes + intBytes + 63) / 64 * 64));
  if (!memory)
    return false;
  auto *packedA = reinterpret_cast<uint8_t *>(memory);
  auto *packedB = b.packed ? b.packed : reinterpret_cast<int8_t *>(memory + aBytes);
  auto *rowSums = reinterpret_cast<int32_t *>(memory + aBytes + bBytes);
  int32_t *aZero = rowSums + m, *bZero = aZero + m;
  const auto *colSums = reinterpret_cast<const int32_t *>(
      packedB + int8_panels::panelBytes(k, n));

  bool vnniHere = vnni && int8GemmUsesVnni();
  // A as uint8: a signed A flips its top bit (+128), and so its zero point.
  uint8_t aFlip = a.isUnsigned ? 0 : 0x80;
  for (int64_t i = 0; i < m; ++i) {
    uint8_t *__restrict row = packedA + i * 4 * quads;
    const int8_t *src = a.data + i * a.rowStride;
    int32_t sum = 0;
    if (a.colStride == 1 && vnniHere) {
      sum = packRowVnni(src, row, k, aFlip);
    } else {
      for (int64_t j = 0; j < k; ++j) {
        row[j] = uint8_t(src[j * a.colStride]) ^ aFlip;
        sum += row[j];
      }
    }
    memset(row + k, 0, 4 * quads - k);
    rowSums[i] = sum;
    aZero[i] = zeroPointAt(a, i) + (a.isUnsigned ? 0 : 128);
  }
  // B as int8: an unsigned B flips its top bit (-128), and so its zero
  // point.
  for (int64_t j = 0; j < n; ++j)
    bZero[j] = zeroPointAt(b, j) - (b.isUnsigned ? 128 : 0);
  if (!b.packed)
    packB(k, n, quads, b, vnniHere, const_cast<int8_t *>(packedB));

  Job job{m, n, k, quads, packedA, packedB, rowSums, colSums, aZero, bZero,
          c, cRowStride, cColStride,
          (m + kTaskRows - 1) / kTaskRows, (n + kTaskCols - 1) / kTaskCols,
          vnniHere};
  parallelFor(context.pool, job.rowTasks * job.colTasks, runTask, &job);
  free(memory);
  return true;
}

} // namespace qc::kernels
