//===- KernelContext.h - What a run's kernels share -------------*- C++ -*-===//
//
// Every context owns one KernelContext: its threads, the GEMM micro-kernel
// chosen for this CPU when the context was created, per-thread scratch
// memory for packed operands, allocated up front so that a kernel never
// allocates (nor fails) there in the middle of a run, and the kernels'
// offset tables, allocated by the first call that needs them that large.
//
// The compiled model calls the kernels (KernelEntries.cpp) without passing a
// context; qc_context_run makes its context the current one of the calling
// thread for the duration of the run (CurrentKernelContext). It is
// thread-local, not global: runs on separate contexts from separate threads
// never see each other's.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_KERNELS_KERNELCONTEXT_H
#define QUANTC_RUNTIME_KERNELS_KERNELCONTEXT_H

#include "kernels/CpuFeatures.h"
#include "kernels/ThreadPool.h"

#include <stddef.h>
#include <stdint.h>

namespace qc::kernels {

// C[0:mr, 0:nr] += A * B for one register tile. A's element (i, k) is at
// a[i * aRow + k * aCol]: packed per call (aRow 1, aCol mr), packed at compile
// time (aRow 1, aCol 12, PanelLayout.h) or read in place from a row-major
// matrix (aRow its row stride, aCol 1). B's element (k, j) is at
// b[k * bRow + (j / 16) * bPanel + j % 16], 16 columns being one AVX-512
// vector: packed per call (bRow nr, bPanel 16) or at compile time (bRow 16,
// bPanel 16 * K). C is row-major with row stride ldc. With rowInit set, the
// tile is written rather than added to: C[i, j] = rowInit[i] + (A * B)[i, j]
// (the first K slice of a product with a bias per row). With addend set,
// the values it holds, laid out as C's (addend[i * ldc + j]), are added
// too (the first K slice of a convolution with its residual add fused).
// Per k, the kernel may prefetch the cache line at next + k * nextStride:
// what a later tile reads from memory (a kernel without prefetch ignores
// it).
// With bRows set, B is read where it is: row k's nr values are contiguous
// from bRows[k] (b and bRow are then not used; bPanel is 16). With clamp
// set, every value stored is clamped to [clamp[0], clamp[1]] (a fused
// Relu or Clip, on the last K slice); a NaN stays NaN, as in Relu and Clip.
using GemmMicroKernelFn = void (*)(int64_t kc, const float *a, int64_t aRow,
                                   int64_t aCol, const float *b, int64_t bRow,
                                   int64_t bPanel, const float *const *bRows,
                                   float *c, int64_t ldc, const float *rowInit,
                                   const float *addend, const float *clamp,
                                   const float *next, int64_t nextStride);

// Where a tile's columns lie in C when they are not nr contiguous floats:
// C's last column tile (fewer columns), or a tile that crosses the rows of
// an image written into a wider one (a convolution's output stored into
// the interior of the next one's padded input). The columns are contiguous
// runs of C (at most kMaxTileRuns), told per group of 16 columns (one
// AVX-512 vector): group g meets pieces[g] runs, the s-th holding the
// group's columns t whose bit t % 16 of lanes[g][s] is set, each at
// c + offset[g][s] + t in a row of C. Worked out once per column tile
// (Gemm.cpp), it serves every row tile and K slice. `columns` is how many
// of the tile's columns there are.
constexpr int kTileGroups = 2;  // 32 columns: the widest tile
constexpr int kMaxTileRuns = 6; // a 32-column tile of a 7-wide image
struct TileColumns {
  int columns;
  int pieces[kTileGroups];
  uint16_t lanes[kTileGroups][kMaxTileRuns];
  int64_t offset[kTileGroups][kMaxTileRuns];
};
// The same as GemmMicroKernelFn for such a tile: `c` is the start of the
// tile's first row, and only the columns `cols` describes are loaded and
// stored. B's columns past `columns` are zero (packed).
using GemmEdgeKernelFn = void (*)(int64_t kc, const float *a, int64_t aRow,
                                  int64_t aCol, const float *b, int64_t bRow,
                                  int64_t bPanel, const float *const *bRows,
                                  float *c, int64_t ldc, const float *rowInit,
                                  const float *addend, const float *clamp,
                                  const float *next, int64_t nextStride,
                                  const TileColumns &cols);

// A tile of a C whose columns are evenly spaced `colStride` floats apart
// rather than adjacent: a convolution computed transposed, C[pixel,
// filter] = sum over k of window[pixel, k] * filter[k, filter], so that
// the vectors run over filters (kFiltersAsB, PanelLayout.h) and C is
// the NCHW output, a filter's plane apart. Row i of the tile is at
// c + rowOffsets[i]; `columns` (1 .. nr) of its columns are stored. With
// colInit set (the first K slice of a product with a bias per column),
// the tile is written, colInit[j] + (A * B)[i, j], rather than added to.
// addend as for GemmMicroKernelFn, at C's offsets; clamp likewise.
struct StridedColumns {
  const int64_t *rowOffsets;
  int64_t colStride;
  int columns;
  const float *colInit;
  bool rowsContiguous; // rowOffsets[i] == rowOffsets[0] + i
};
using GemmStridedKernelFn = void (*)(int64_t kc, const float *a, int64_t aRow,
                                     int64_t aCol, const float *b, int64_t bRow,
                                     int64_t bPanel, const float *const *bRows,
                                     float *c, const float *addend,
                                     const float *clamp, const float *next,
                                     int64_t nextStride,
                                     const StridedColumns &cols);

struct GemmMicroKernel {
  int mr, nr;
  const char *name;
  // forRows[r] (1 <= r <= mr) computes the tile's first r rows only: the
  // last row tile of a C whose rows are not a multiple of mr (a 64-filter
  // convolution, a 1-row GEMV), written in place without the wasted rows.
  GemmMicroKernelFn forRows[17];
  // edgeForRows[r]: the same for a tile whose columns TileColumns
  // describes, in place, where the ISA has one (else the driver computes
  // it in a temporary).
  GemmEdgeKernelFn edgeForRows[17] = {};
  // stridedForRows[r]: the same for a tile whose columns are evenly spaced
  // (StridedColumns), where the ISA has one (AVX-512: transposes in
  // registers, or gathers and scatters).
  GemmStridedKernelFn stridedForRows[17] = {};
  // The full mr x nr tile.
  GemmMicroKernelFn full() const { return forRows[mr]; }
};

// The micro-kernel for an ISA (GemmMicroKernels.cpp).
const GemmMicroKernel &gemmMicroKernel(Isa isa);

// GEMM blocking (Gemm.cpp): KC columns of A and rows of B are packed at a
// time, MC rows of A (a block that stays in L2) and NC columns of B.
constexpr int64_t kGemmKc = 256;
constexpr int64_t kGemmMc = 96;  // a multiple of every micro-kernel's mr
constexpr int64_t kGemmNc = 512; // a multiple of every micro-kernel's nr
constexpr size_t kScratchFloats = kGemmMc * kGemmKc + kGemmKc * kGemmNc;

// A thread count beyond this is clamped (qc_context_set_threads).
constexpr int kMaxThreads = 64;

// The activation arena: every intermediate buffer the compiler planned
// (qc-plan-memory) is an offset in it. Allocated when the context is created
// and kept across runs, so a run neither allocates nor page-faults.
struct Arena {
  void *base; // 64-byte aligned; NULL when `bytes` is 0
  size_t bytes;
};

// Blocks the model's code freed that had run-time sizes (HeapEntry.cpp):
// kept for the next allocation of about their size, so that a model with
// run-time dims, whose buffers the compiler cannot plan into the arena,
// does not map and fault in fresh pages on every run.
constexpr int kHeapCacheSlots = 32;
struct HeapCache {
  void *blocks[kHeapCacheSlots];
  size_t bytes[kHeapCacheSlots]; // each block's usable size
  int count;
};

struct KernelContext {
  int threads;
  ThreadPool *pool; // NULL with one thread
  Isa isa;
  const GemmMicroKernel *gemm;
  float *scratch[kMaxThreads]; // kScratchFloats each, 64-byte aligned
  Arena arena; // empty after initKernelContext; see reserveArena
  // The offset tables of the kernel being called (offsetTable).
  int64_t *offsets;
  size_t offsetCapacity;
  HeapCache heap; // for the run's thread only
};

// Sets up `threads` threads (1 creates none) and their scratch, with no
// arena; false when memory or threads cannot be had (the context is then
// left released). releaseKernelContext leaves the arena alone.
bool initKernelContext(KernelContext *context, int threads);
void releaseKernelContext(KernelContext *context);

// Makes the arena at least `bytes` large (its contents are not kept); false
// when the memory cannot be had. releaseArena frees it.
bool reserveArena(KernelContext *context, size_t bytes);
void releaseArena(KernelContext *context);

// Room for `count` int64 offsets (a GEMM's or convolution's row and column
// offsets, Gemm.h), kept by the context and grown when a call needs more:
// a run allocates it once rather than on every call, where fresh memory
// for a 12544-pixel convolution's tables cost page faults and cache misses
// while the other threads waited. NULL when the memory cannot be had. For
// the kernel entry on the run's thread; valid until its next call.
int64_t *offsetTable(KernelContext &context, size_t count);

// Frees the blocks `cache` keeps (releaseKernelContext does).
void releaseHeapCache(HeapCache *cache);

// The context of the run on this thread; NULL outside a run.
KernelContext *currentKernelContext();

class CurrentKernelContext {
public:
  explicit CurrentKernelContext(KernelContext *context);
  ~CurrentKernelContext();

private:
  KernelContext *saved;
};

} // namespace qc::kernels

#endif // QUANTC_RUNTIME_KERNELS_KERNELCONTEXT_H
