//===- Gemm.cpp - The GEMM driver: tasks, packing, edge tiles -------------===//
#include "kernels/Gemm.h"
#include "kernels/Int4Unpack.h"
#include "kernels/PanelLayout.h"
#include "kernels/Transpose16x16.h"

#include <immintrin.h>
#include <string.h>

namespace qc::kernels {
namespace {

// The bias of a C written from zeros (GemmOutput::overwrite): a tile's
// rows or columns, at most 16 * kTileGroups of either.
alignas(64) constexpr float kZeros[16 * kTileGroups] = {};

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }

bool contiguous(const int64_t *offsets, int64_t count) {
  for (int64_t i = 1; i < count; ++i)
    if (offsets[i] != offsets[0] + i)
      return false;
  return true;
}

// Whether offsets[i] == offsets[0] + i * stride for every i; the stride
// (0 for fewer than two offsets) goes to *stride.
bool evenlySpaced(const int64_t *offsets, int64_t count, int64_t *stride) {
  *stride = count > 1 ? offsets[1] - offsets[0] : 0;
  for (int64_t i = 2; i < count; ++i)
    if (offsets[i] - offsets[i - 1] != *stride)
      return false;
  return true;
}

// A panel of nr columns B can be read in place from: all inside the matrix
// and contiguous in memory (every column of a row-major B, a 1x1
// convolution's pixels, a wider one's within an output row).
// `allContiguous`: every column of B is (checked once per product, not
// once per panel and again per tile: a short K's tiles are short).
bool denseColumns(const GemmOperand &b, int64_t first, int64_t n, int nr,
                  bool allContiguous) {
  return first + nr <= n &&
         (allContiguous || contiguous(b.colOffsets + first, nr));
}

// A stretch of a panel's columns evenly spaced in B's rows, 1 or 2 floats
// apart: a convolution's pixels within one output row (stride 1 or 2). A
// panel that crosses output rows is a few such stretches, each copied with
// vector loads rather than one float at a time.
struct ColumnRun {
  int first, count, step;
  int64_t offset; // of the first column
};
constexpr int kMaxRuns = 6;

// The panel's first `valid` columns as at most kMaxRuns runs; 0 when they
// take more (or a spacing other than 1 or 2), and the panel is copied
// column by column.
int columnRuns(const int64_t *cols, int valid, ColumnRun *runs) {
  int count = 0;
  for (int j = 0; j < valid;) {
    int64_t step = j + 1 < valid ? cols[j + 1] - cols[j] : 1;
    if (step != 1 && step != 2)
      step = 1;
    int end = j + 1;
    while (end < valid && cols[end] == cols[end - 1] + step)
      ++end;
    if (count == kMaxRuns)
      return 0;
    runs[count++] = {j, end - j, int(step), cols[j]};
    j = end;
  }
  return count;
}

// `count` floats from `src`, `step` (1 or 2) apart, to `out`: 16 at a time
// with masked loads and stores; a stride of 2 as two loads and a permute.
// No float past the last one needed is read (it may be past the buffer).
__attribute__((target("avx512f"))) void copyRunAvx512(const float *src,
                                                      float *out, int count,
                                                      int step) {
  const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18,
                                         20, 22, 24, 26, 28, 30);
  for (int j = 0; j < count; j += 16) {
    int n = count - j < 16 ? count - j : 16;
    __mmask16 mask = __mmask16((1u << n) - 1);
    __m512 v;
    if (step == 1) {
      v = _mm512_maskz_loadu_ps(mask, src + j);
    } else {
      int needed = 2 * n - 1;
      __m512 lo = _mm512_maskz_loadu_ps(
          __mmask16((1u << (needed < 16 ? needed : 16)) - 1), src + 2 * j);
      __m512 hi = _mm512_maskz_loadu_ps(
          __mmask16(needed > 16 ? (1u << (needed - 16)) - 1 : 0),
          src + 2 * j + 16);
      v = _mm512_permutex2var_ps(lo, even, hi);
    }
    _mm512_mask_storeu_ps(out + j, mask, v);
  }
}

// One row of a panel (a k of A's, a k of B's) from `src`: each run copied
// with vector loads.
void copyRuns(const float *src, const ColumnRun *runs, int count, float *out) {
  for (int r = 0; r < count; ++r)
    copyRunAvx512(src + runs[r].offset, out + runs[r].first, runs[r].count,
                  runs[r].step);
}

// How many of the `width` rows or columns from `first` lie before `end`.
int insideOf(int64_t first, int width, int64_t end) {
  return end - first < width ? int(end - first > 0 ? end - first : 0) : width;
}

// A[m0:m0+mc, k0:k0+kc] as mr-row panels, each kc columns of mr values; rows
// past the matrix are zero. Each row is read front to back where A's
// columns are contiguous (a row-major A); otherwise, on AVX-512, a panel
// whose rows are a few runs of addresses 1 or 2 apart (a transposed
// convolution's windows: its pixels, within an output row) is copied a
// column at a time, a vector per run.
void packA(const GemmOperand &a, int64_t m0, int64_t mc, int64_t m, int64_t k0,
           int64_t kc, int mr, bool avx512, float *dst) {
  const int64_t *cols = a.colOffsets + k0;
  bool denseRows = contiguous(cols, kc);
  for (int64_t ir = 0; ir < mc; ir += mr, dst += mr * kc) {
    int valid = insideOf(m0 + ir, mr, m);
    ColumnRun runs[kMaxRuns];
    int runCount = avx512 && !denseRows
                       ? columnRuns(a.rowOffsets + m0 + ir, valid, runs)
                       : 0;
    if (runCount) {
      for (int64_t k = 0; k < kc; ++k) {
        const float *src = a.base + cols[k];
        float *out = dst + k * mr;
        copyRuns(src, runs, runCount, out);
        for (int i = valid; i < mr; ++i)
          out[i] = 0.0f;
      }
      continue;
    }
    for (int i = 0; i < mr; ++i) {
      int64_t row = m0 + ir + i;
      float *out = dst + i;
      if (row >= m) {
        for (int64_t k = 0; k < kc; ++k)
          out[k * mr] = 0.0f;
        continue;
      }
      const float *src = a.base + a.rowOffsets[row];
      if (denseRows) {
        src += cols[0];
        for (int64_t k = 0; k < kc; ++k)
          out[k * mr] = src[k];
      } else {
        for (int64_t k = 0; k < kc; ++k)
          out[k * mr] = src[cols[k]];
      }
    }
  }
}

// A panel of a column-major B: nr columns (a multiple of 16), column j
// the kc floats from columns + cols[j], as kc rows of nr floats. Each
// 16 x 16 block is loaded a column per vector and transposed in registers
// (one float at a time, this was most of the packing in MiniLM's
// attention). Columns from `valid` on are zero.
__attribute__((target("avx512f"))) void
packColumnsAvx512(const float *columns, const int64_t *cols, int valid, int nr,
                  int64_t kc, float *out) {
  for (int j0 = 0; j0 < nr; j0 += 16)
    for (int64_t k0 = 0; k0 < kc; k0 += 16) {
      int rows = kc - k0 < 16 ? int(kc - k0) : 16;
      __mmask16 mask = __mmask16((1u << rows) - 1);
      __m512 t[16];
      for (int l = 0; l < 16; ++l)
        t[l] = j0 + l < valid
                   ? _mm512_maskz_loadu_ps(mask, columns + cols[j0 + l] + k0)
                   : _mm512_setzero_ps();
      transpose16x16(t);
      for (int i = 0; i < rows; ++i)
        _mm512_storeu_ps(out + (k0 + i) * nr + j0, t[i]);
    }
}

// B[k0:k0+kc, n0:n0+nc] as nr-column panels, each kc rows of nr values;
// columns past the matrix are zero. With `inPlace`, dense panels
// (denseColumns) are not packed: the micro-kernel reads them where they
// are. Row by row, so that a row-major B (and an image row in a
// convolution) is read front to back, not one page per row per panel;
// but column by column where B's rows are contiguous and its columns not
// (a column-major B: attention's K^T, read through the head split's
// strides), so that each column is read front to back rather than every
// value from another row.
void packB(const GemmOperand &b, int64_t k0, int64_t kc, int64_t n0, int64_t nc,
           int64_t n, int nr, bool inPlace, bool columnsContiguous, bool avx512,
           float *dst) {
  constexpr int kMaxPanels = kGemmNc / 4; // nr >= 4 for every micro-kernel
  int64_t panels = nc / nr;
  // skip: read in place, or already packed column by column.
  bool dense[kMaxPanels], skip[kMaxPanels];
  int valid[kMaxPanels], runCount[kMaxPanels];
  ColumnRun runs[kMaxPanels][kMaxRuns];
  bool denseRows = contiguous(b.rowOffsets + k0, kc);
  for (int64_t p = 0; p < panels; ++p) {
    int64_t first = n0 + p * nr;
    valid[p] = insideOf(first, nr, n);
    dense[p] = denseColumns(b, first, n, nr, columnsContiguous);
    skip[p] = inPlace && dense[p];
    runCount[p] = avx512 && !dense[p]
                      ? columnRuns(b.colOffsets + first, valid[p], runs[p])
                      : 0;
    if (dense[p] || runCount[p] || !denseRows)
      continue;
    // Column-major: the whole panel now, a column at a time.
    float *out = dst + p * nr * kc;
    const float *columns = b.base + b.rowOffsets[k0];
    const int64_t *cols = b.colOffsets + first;
    if (avx512) {
      packColumnsAvx512(columns, cols, valid[p], nr, kc, out);
    } else {
      for (int j = 0; j < nr; ++j)
        for (int64_t k = 0; k < kc; ++k)
          out[k * nr + j] = j < valid[p] ? columns[cols[j] + k] : 0.0f;
    }
    skip[p] = true;
  }
  // Every panel read in place (a 1x1 convolution's, a row-major B): no
  // row to go through.
  bool anyLeft = false;
  for (int64_t p = 0; p < panels; ++p)
    anyLeft |= !skip[p];
  if (!anyLeft)
    return;
  for (int64_t k = 0; k < kc; ++k) {
    const float *src = b.base + b.rowOffsets[k0 + k];
    for (int64_t p = 0; p < panels; ++p) {
      if (skip[p])
        continue;
      float *out = dst + p * nr * kc + k * nr;
      const int64_t *cols = b.colOffsets + n0 + p * nr;
      if (dense[p]) {
        const float *row = src + cols[0];
        for (int j = 0; j < nr; ++j)
          out[j] = row[j];
        continue;
      }
      int j = valid[p];
      if (runCount[p]) {
        copyRuns(src, runs[p], runCount[p], out);
      } else {
        for (int i = 0; i < j; ++i)
          out[i] = src[cols[i]];
      }
      for (; j < nr; ++j)
        out[j] = 0.0f;
    }
  }
}

struct GemmJob {
  KernelContext *context;
  int64_t m, n, k;
  const GemmOperand *a, *b;
  const GemmOutput *c;
  // The threads' share of C: a grid of rowShares x colShares parts
  // (partStart), each column part in colBlocks blocks of at most NC
  // columns; a task is one part's column block, numbered part by part, so
  // that a thread's share of the tasks (parallelFor) is whole parts.
  int64_t rowShares = 1, colShares = 1, colBlocks = 1;
  // A row-major A (columns contiguous, rows evenly spaced) is read in place
  // by the micro-kernel; only a last partial row panel is packed.
  bool aInPlace = false;
  int64_t aRowStride = 0;
  // B's dense panels may be read in place (see denseColumns), unless its
  // rows are evenly spaced a multiple of 4 KiB apart: then the kc rows a
  // tile reads share a few L1 sets and evict each other.
  bool bInPlace = false;
  bool bColumnsContiguous = false; // every column of B (denseColumns)
  // C's rows evenly spaced: its tiles are written in place, full ones with
  // plain stores where C's columns are contiguous, others through
  // TileColumns (C's last tile, an image stored inside a wider one).
  bool cRowsEven = false, cColumnsContiguous = false;
  int64_t cRowStride = 0;
  // C's columns evenly spaced, further apart than adjacent (a transposed
  // convolution's filters): its tiles written in place by the
  // micro-kernel's strided variant where it has one (StridedColumns). 0
  // otherwise.
  int64_t cColumnStride = 0;
};

// Where the tile's `cols` (at most 16 * kTileGroups) columns from C's
// column `col` lie, as runs of contiguous floats per group of 16
// (TileColumns); false when they make more runs than a TileColumns holds.
bool tileColumns(const GemmOutput &c, int64_t col, int64_t cols,
                 TileColumns *runs) {
  const int64_t *offsets = c.colOffsets + col;
  runs->columns = int(cols);
  for (int g = 0; g < kTileGroups; ++g)
    runs->pieces[g] = 0;
  int count = 0;
  for (int t = 0; t < cols;) {
    int end = t + 1;
    while (end < cols && offsets[end] == offsets[end - 1] + 1)
      ++end;
    if (count++ == kMaxTileRuns)
      return false;
    // Columns t .. end - 1, in each group they meet.
    for (int g = t / 16; g * 16 < end; ++g) {
      int from = t > g * 16 ? t - g * 16 : 0;
      int to = end < (g + 1) * 16 ? end - g * 16 : 16;
      int &piece = runs->pieces[g];
      runs->lanes[g][piece] =
          uint16_t(((1u << to) - 1) & ~((1u << from) - 1));
      runs->offset[g][piece++] = offsets[t] - t;
    }
    t = end;
  }
  return true;
}

// The operands' panels as the micro-kernel takes them (KernelContext.h): A's
// element (i, k) at p[i * rowStride + k * kStride], B's (k, j) at
// p[k * kStride + (j / 16) * panelStride + j % 16].
struct APanel {
  const float *p;
  int64_t rowStride, kStride;
};
// `rows` set: B read in place, row k of the tile from rows[k].
struct BPanel {
  const float *p;
  int64_t kStride, panelStride;
  const float *const *rows = nullptr;
};
// What the micro-kernel prefetches while it computes a tile: one cache line
// per k, at p + k * stride.
struct Prefetch {
  const float *p;
  int64_t stride;
};

// A tile of a C whose rows are not evenly spaced, whose columns make more
// runs than TileColumns holds (an image under 7 wide stored inside a wider
// one), or that is not full where the micro-kernel has no edge variant
// (AVX2, generic): computed into a zeroed temporary, then added to (or,
// `rowInit` set, written with the bias plus) C element by element, with
// C's addend when `addAddend`, and clamped when `clamp` is set. colInit
// likewise for a bias per column.
__attribute__((noinline)) void
runEdgeTile(const GemmJob &job, int64_t kc, const APanel &a, const BPanel &b,
            int64_t row, int64_t col, int64_t rows, int64_t cols,
            const float *rowInit, const float *colInit, bool addAddend,
            const float *clamp, const Prefetch &next) {
  const GemmMicroKernel &micro = *job.context->gemm;
  const GemmOutput &c = *job.c;
  const int mr = micro.mr, nr = micro.nr;
  const int64_t *rowOff = c.rowOffsets + row, *colOff = c.colOffsets + col;
  alignas(64) float tile[16 * 64];
  memset(tile, 0, sizeof(float) * mr * nr);
  micro.full()(kc, a.p, a.rowStride, a.kStride, b.p, b.kStride, b.panelStride,
               b.rows, tile, nr, nullptr, nullptr, nullptr, next.p,
               next.stride);
  for (int64_t i = 0; i < rows; ++i) {
    float *dst = c.base + rowOff[i];
    const float *add = addAddend ? c.addend + rowOff[i] : nullptr;
    for (int64_t j = 0; j < cols; ++j) {
      float &out = dst[colOff[j]];
      float v = (rowInit   ? rowInit[i]
                 : colInit ? colInit[j]
                           : out) +
                (add ? add[colOff[j]] : 0.0f) + tile[i * nr + j];
      if (clamp)
        v = v < clamp[0] ? clamp[0] : v > clamp[1] ? clamp[1] : v;
      out = v;
    }
  }
}

// One register tile of C; `first`: the first K slice, which writes the
// bias plus its product where C has a bias, and adds to C otherwise;
// `last`: the last one, which clamps where C has a clamp. `runs`: where
// the tile's columns are when they are not nr contiguous floats (NULL when
// they are, or when they make too many runs).
// Inlined into the task's loops: passed by value to a call, the panels'
// descriptors went through the stack, where reloading them stalled on
// store forwarding (5% of MobileNetV2, whose small-K tiles are short).
__attribute__((always_inline)) inline void
runTile(const GemmJob &job, int64_t kc, const APanel &a, const BPanel &b,
        int64_t row, int64_t col, int64_t rows, int64_t cols,
        const TileColumns *runs, bool first, bool last, const Prefetch &next) {
  const GemmMicroKernel &micro = *job.context->gemm;
  const GemmOutput &c = *job.c;
  const float *rowInit = first && c.rowBias ? c.rowBias + row : nullptr;
  const float *colInit = first && c.colBias ? c.colBias + col : nullptr;
  // Written from zeros: a zero bias, per row for the paths that take
  // rowInit, per column for the strided one.
  if (first && c.overwrite && !rowInit && !colInit)
    rowInit = colInit = kZeros;
  const float *clamp = last ? c.clamp : nullptr;
  // The addend, where the tile's C is in it (C's offsets serve both).
  bool addAddend = first && c.addend;
  // A bias per column: only the strided and temporary-tile paths add it.
  if (!c.colBias && job.cRowsEven && job.cColumnsContiguous &&
      cols == micro.nr) {
    int64_t at = c.rowOffsets[row] + c.colOffsets[col];
    micro.forRows[rows](kc, a.p, a.rowStride, a.kStride, b.p, b.kStride,
                        b.panelStride, b.rows, c.base + at, job.cRowStride,
                        rowInit, addAddend ? c.addend + at : nullptr, clamp,
                        next.p, next.stride);
    return;
  }
  // The last column tile (MobileNetV2's 14x14 and 7x7 maps leave 4 and 17
  // of 32 columns there; within 16 columns, half the multiply-adds), or one
  // that crosses the rows of an image stored inside a wider one: in place,
  // its loads and stores masked per run.
  if (!c.colBias && job.cRowsEven && runs && micro.edgeForRows[rows]) {
    int64_t at = c.rowOffsets[row];
    micro.edgeForRows[rows](kc, a.p, a.rowStride, a.kStride, b.p, b.kStride,
                            b.panelStride, b.rows, c.base + at, job.cRowStride,
                            rowInit, addAddend ? c.addend + at : nullptr, clamp,
                            next.p, next.stride, *runs);
    return;
  }
  if (job.cColumnStride && micro.stridedForRows[rows]) {
    int64_t at = c.colOffsets[col];
    StridedColumns strided{c.rowOffsets + row, job.cColumnStride, int(cols),
                           colInit, contiguous(c.rowOffsets + row, rows)};
    micro.stridedForRows[rows](kc, a.p, a.rowStride, a.kStride, b.p, b.kStride,
                               b.panelStride, b.rows, c.base + at,
                               addAddend ? c.addend + at : nullptr, clamp,
                               next.p, next.stride, strided);
    return;
  }
  runEdgeTile(job, kc, a, b, row, col, rows, cols, rowInit, colInit, addAddend,
              clamp, next);
}

// A weight packed at compile time is read from memory once per run (a
// model's weights outlast the caches), in pieces a tile long: too short
// for the hardware's stream prefetcher to catch on. So each tile prefetches
// what a later one will read of it: a packed A's next row panel, or a
// packed B's next column tile (its two 16-column panels, one each during
// the column's first two row tiles). Otherwise a tile prefetches its own A.
Prefetch nextWeights(const GemmJob &job, const APanel &a, const BPanel &b,
                     int64_t rowTile) {
  if (job.a->prepacked)
    return {a.p + panels::kARows * job.k, a.kStride};
  int nr = job.context->gemm->nr;
  if (job.b->prepacked && rowTile < nr / panels::kBCols)
    return {b.p + (nr / panels::kBCols + rowTile) * b.panelStride, b.kStride};
  return {a.p, 0};
}

// Where part `p` of `shares` starts along a dim of `size` elements in
// tiles of `tile`: at the tile boundary nearest p * size / shares. C's
// last tile is often partial; this puts it in a part a tile short of the
// others, where cutting at whole shares of the tile count had put it in a
// part already a tile short (a C of 25 column tiles, the last half full:
// 13 and 11.5 tiles, now 12 and 12.5).
int64_t partStart(int64_t p, int64_t shares, int64_t size, int64_t tile) {
  int64_t at = (p * size / shares + tile / 2) / tile * tile;
  return p >= shares || at > size ? size : at;
}

// How many column panels a row tile runs through before the next row
// tile starts. One panel at a time, a tile writes mr rows of C nr floats
// each and the next tile mr rows further down: a C of 96 rows was written
// in 96 streams advancing 128 bytes a tile, which the hardware does not
// keep up with, and layers with a short K (whose time is mostly writing
// C) ran at half their FMA rate: MobileNetV2's first 1x1 convolutions
// (K = 16 and 32) and the stem took 1.4x as long as with 8 panels, whose
// tiles write a row's 1 KiB at a time (MobileNetV2 1.06x faster end to
// end, ResNet-50 and PP-OCR det 1.01-1.03x). The group's B (8 x nr x kc floats)
// then comes from L2 for each row tile. Where B is a weight packed at compile
// time (a MatMul's, whose C is activations x weights), that made MiniLM
// 2% slower, and the panels go one at a time; so does a C whose columns
// are strided (a transposed convolution's), written a float per filter
// either way.
constexpr int64_t kPanelGroup = 8;

// What the tiles of one column panel share: where B's panel is, and C's
// first column, column count and (where they are not contiguous) runs.
struct ColumnPanel {
  BPanel pb;
  int64_t col, cols;
  TileColumns runs;
  const TileColumns *tileRuns;
};

// A task is one block of at most NC columns and a part's rows, in blocks
// of at most MC: per KC slice, B's block is packed once (unless the
// compiler packed it) and serves every row block of the task.
void runTask(void *raw, int64_t task, int thread) {
  const GemmJob &job = *static_cast<GemmJob *>(raw);
  const GemmMicroKernel &micro = *job.context->gemm;
  const GemmOperand &a = *job.a, &b = *job.b;
  int64_t part = task / job.colBlocks, block = task % job.colBlocks;
  int64_t rowPart = part % job.rowShares, colPart = part / job.rowShares;
  int64_t mFirst = partStart(rowPart, job.rowShares, job.m, micro.mr);
  int64_t mLast = partStart(rowPart + 1, job.rowShares, job.m, micro.mr);
  int64_t partFirst = partStart(colPart, job.colShares, job.n, micro.nr);
  int64_t partLast = partStart(colPart + 1, job.colShares, job.n, micro.nr);
  int64_t blockCols =
      roundUp(ceilDiv(partLast - partFirst, job.colBlocks), micro.nr);
  int64_t n0 = partFirst + block * blockCols;
  int64_t nc = partLast - n0 < blockCols ? partLast - n0 : blockCols;
  if (mFirst >= mLast || nc <= 0)
    return;
  // Row blocks as even as whole tiles make them.
  int64_t rowBlock = roundUp(
      ceilDiv(mLast - mFirst, ceilDiv(mLast - mFirst, kGemmMc)), micro.mr);
  int64_t ncPacked = roundUp(nc, micro.nr);
  float *packedA = job.context->scratch[thread];
  float *packedB = packedA + kGemmMc * kGemmKc;
  for (int64_t k0 = 0; k0 < job.k; k0 += kGemmKc) {
    int64_t kc = job.k - k0 < kGemmKc ? job.k - k0 : kGemmKc;
    if (b.int4)
      packInt4B(*b.int4, k0, kc, n0, ncPacked, job.n, micro.nr,
                job.context->isa == Isa::Avx512, packedB);
    else if (!b.prepacked)
      packB(b, k0, kc, n0, ncPacked, job.n, micro.nr, job.bInPlace,
            job.bColumnsContiguous, job.context->isa == Isa::Avx512, packedB);
    for (int64_t m0 = mFirst; m0 < mLast; m0 += rowBlock) {
      int64_t mc = mLast - m0 < rowBlock ? mLast - m0 : rowBlock;
      int64_t fullPanels = job.aInPlace ? mc / micro.mr * micro.mr : 0;
      if (!a.prepacked && fullPanels < mc)
        packA(a, m0 + fullPanels, roundUp(mc - fullPanels, micro.mr), job.m, k0,
              kc, micro.mr, job.context->isa == Isa::Avx512, packedA);
      // The column panels in groups (kPanelGroup), each group's row tiles
      // the outer loop.
      int64_t group = job.cColumnsContiguous && !b.prepacked ? kPanelGroup : 1;
      for (int64_t jg = 0; jg < nc; jg += group * micro.nr) {
        ColumnPanel panel[kPanelGroup];
        const float *bRowTable[kPanelGroup][kGemmKc];
        int64_t count = 0;
        for (int64_t jr = jg; jr < nc && count < group;
             jr += micro.nr, ++count) {
          ColumnPanel &q = panel[count];
          int64_t col = n0 + jr;
          q.col = col;
          q.pb =
              b.prepacked
                  ? BPanel{b.base +
                               col / panels::kBCols * panels::kBCols * job.k +
                               k0 * panels::kBCols,
                           panels::kBCols, panels::kBCols * job.k}
                  : BPanel{packedB + jr * kc, micro.nr, panels::kBCols};
          // A dense panel (not packed, see packB) is read in place through
          // a table of its rows, which serves every row tile.
          if (job.bInPlace &&
              denseColumns(b, col, job.n, micro.nr, job.bColumnsContiguous)) {
            const float *at = b.base + b.colOffsets[col];
            for (int64_t k = 0; k < kc; ++k)
              bRowTable[count][k] = at + b.rowOffsets[k0 + k];
            q.pb.rows = bRowTable[count];
          }
          q.cols = nc - jr < micro.nr ? nc - jr : micro.nr;
          bool scattered = !job.cColumnsContiguous || q.cols < micro.nr;
          q.tileRuns = scattered && job.cRowsEven &&
                               tileColumns(*job.c, col, q.cols, &q.runs)
                           ? &q.runs
                           : nullptr;
        }
        for (int64_t ir = 0; ir < mc; ir += micro.mr) {
          int64_t row = m0 + ir;
          int64_t rows = mc - ir < micro.mr ? mc - ir : micro.mr;
          APanel pa;
          if (a.prepacked)
            pa = {a.base + row / panels::kARows * panels::kARows * job.k +
                      k0 * panels::kARows + row % panels::kARows,
                  1, panels::kARows};
          else if (ir < fullPanels)
            pa = {a.base + a.rowOffsets[row] + a.colOffsets[k0],
                  job.aRowStride, 1};
          else
            pa = {packedA + (ir - fullPanels) * kc, 1, micro.mr};
          for (int64_t g = 0; g < count; ++g) {
            const ColumnPanel &q = panel[g];
            runTile(job, kc, pa, q.pb, row, q.col, rows, q.cols, q.tileRuns,
                    k0 == 0, k0 + kc == job.k,
                    nextWeights(job, pa, q.pb, ir / micro.mr));
          }
        }
      }
    }
  }
}

} // namespace

void gemmAccumulate(KernelContext &context, int64_t m, int64_t n, int64_t k,
                    const GemmOperand &a, const GemmOperand &b,
                    const GemmOutput &c) {
  if (m <= 0 || n <= 0)
    return;
  if (k <= 0) {
    // An empty product: C's init (its bias, zeros or what it holds), plus
    // the addend, clamped.
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        float &out = c.base[c.rowOffsets[i] + c.colOffsets[j]];
        float v = c.rowBias     ? c.rowBias[i]
                  : c.colBias   ? c.colBias[j]
                  : c.overwrite ? 0.0f
                                : out;
        if (c.addend)
          v += c.addend[c.rowOffsets[i] + c.colOffsets[j]];
        if (c.clamp)
          v = v < c.clamp[0] ? c.clamp[0] : v > c.clamp[1] ? c.clamp[1] : v;
        out = v;
      }
    return;
  }
  const GemmMicroKernel &micro = *context.gemm;
  GemmJob job{&context, m, n, k, &a, &b, &c};
  // Rows a multiple of 4 KiB apart share one L1 set: then the micro-kernel's
  // mr row streams evict each other, and packing is cheaper.
  job.aInPlace = !a.prepacked &&
                 evenlySpaced(a.rowOffsets, m, &job.aRowStride) &&
                 contiguous(a.colOffsets, k) &&
                 (job.aRowStride * int64_t(sizeof(float))) % 4096 != 0;
  job.cRowsEven = evenlySpaced(c.rowOffsets, m, &job.cRowStride);
  job.cColumnsContiguous = contiguous(c.colOffsets, n);
  // The strided kernels' indices are 32-bit: (16 * kTileGroups) strides.
  int64_t cColumnStride = 0;
  if (!job.cColumnsContiguous && n > 1 &&
      evenlySpaced(c.colOffsets, n, &cColumnStride) && cColumnStride > 0 &&
      cColumnStride < (int64_t(1) << 31) / (16 * kTileGroups))
    job.cColumnStride = cColumnStride;
  int64_t bRowStride = 0;
  job.bColumnsContiguous =
      !b.prepacked && !b.int4 && contiguous(b.colOffsets, n);
  job.bInPlace = !b.prepacked && !b.int4 &&
                 !(evenlySpaced(b.rowOffsets, k, &bRowStride) &&
                   (bRowStride * int64_t(sizeof(float))) % 4096 == 0);
  // The threads share the tiles as a grid of rowShares x colShares parts:
  // the grid whose largest part has the fewest tiles, and of those the one
  // that splits the columns most (each thread then packs only its own
  // columns of B, and a weight B is read once in all).
  int64_t rowTiles = ceilDiv(m, micro.mr), colTiles = ceilDiv(n, micro.nr);
  int64_t rowShares = 1, colShares = 1, best = rowTiles * colTiles;
  for (int64_t tm = 1; tm <= context.threads && tm <= rowTiles; ++tm)
    for (int64_t tn = 1; tm * tn <= context.threads && tn <= colTiles; ++tn) {
      int64_t largest = ceilDiv(rowTiles, tm) * ceilDiv(colTiles, tn);
      if (largest < best || (largest == best && tn > colShares)) {
        best = largest;
        rowShares = tm;
        colShares = tn;
      }
    }
  // Each part is then blocked for the caches (runTask): row blocks of at
  // most MC (a task's row blocks share one packed B), column blocks of at
  // most NC, each as even as whole tiles make them. A row part is one task,
  // exactly: its blocks rounded up to whole tiles once made the first part
  // 144 rows of a 256-row C and the second 112, and on two threads the
  // second thread waited for the first some 3.5 ms of ResNet-50's 50.
  job.rowShares = rowShares;
  job.colShares = colShares;
  int64_t widest = 0;
  for (int64_t p = 0; p < colShares; ++p) {
    int64_t width = partStart(p + 1, colShares, n, micro.nr) -
                    partStart(p, colShares, n, micro.nr);
    widest = width > widest ? width : widest;
  }
  job.colBlocks = ceilDiv(widest, kGemmNc);
  parallelFor(context.pool, rowShares * colShares * job.colBlocks, runTask,
              &job);
}

} // namespace qc::kernels
