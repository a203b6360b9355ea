//===- HeapEntry.cpp - Heap buffers, reused across runs -------------------===//
//
// A buffer with run-time dims cannot be planned into the arena
// (qc-plan-memory), so the model's code allocates and frees it on every
// run. Through malloc, the large ones were mapped afresh each time and
// their pages faulted in and zeroed by the kernel: MiniLM with run-time
// batch and sequence took 39.6 ms a run at 1x128, 31.8 without. The compiler
// lowers memref.alloc/dealloc to MLIR's generic allocation functions
// (finalize-memref-to-llvm, use-generic-functions), and the runtime serves them
// here: on the run's thread, a large freed block goes to the context's
// HeapCache and a later allocation takes the smallest cached block that fits
// it, without wasting more than half of it. Every block is plain malloc memory,
// so whatever frees one with free() (a returned output, Run.cpp) stays right;
// worker threads (no current context) use malloc and free directly.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelContext.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>

namespace qc::kernels {
namespace {

// Smaller blocks come from malloc's own free lists, never mapped afresh.
constexpr size_t kCachedBytes = 64 * 1024;

HeapCache *currentCache() {
  KernelContext *context = currentKernelContext();
  return context ? &context->heap : nullptr;
}

void *takeCached(HeapCache *cache, size_t bytes) {
  int best = -1;
  for (int i = 0; i < cache->count; ++i)
    if (cache->bytes[i] >= bytes && cache->bytes[i] / 2 <= bytes &&
        (best < 0 || cache->bytes[i] < cache->bytes[best]))
      best = i;
  if (best < 0)
    return nullptr;
  void *block = cache->blocks[best];
  --cache->count;
  cache->blocks[best] = cache->blocks[cache->count];
  cache->bytes[best] = cache->bytes[cache->count];
  return block;
}

// Keeps `block` (of usable size `bytes`), evicting the smallest cached
// block when the cache is full and that one is smaller; false when the
// block is not kept.
bool keep(HeapCache *cache, void *block, size_t bytes) {
  if (cache->count == kHeapCacheSlots) {
    int smallest = 0;
    for (int i = 1; i < cache->count; ++i)
      if (cache->bytes[i] < cache->bytes[smallest])
        smallest = i;
    if (cache->bytes[smallest] >= bytes)
      return false;
    free(cache->blocks[smallest]);
    cache->blocks[smallest] = block;
    cache->bytes[smallest] = bytes;
    return true;
  }
  cache->blocks[cache->count] = block;
  cache->bytes[cache->count++] = bytes;
  return true;
}

} // namespace

void releaseHeapCache(HeapCache *cache) {
  for (int i = 0; i < cache->count; ++i)
    free(cache->blocks[i]);
  cache->count = 0;
}

} // namespace qc::kernels

using namespace qc::kernels;

extern "C" {

__attribute__((visibility("hidden"))) void *
_mlir_memref_to_llvm_alloc(uint64_t bytes) {
  HeapCache *cache = currentCache();
  if (cache && bytes >= kCachedBytes)
    if (void *block = takeCached(cache, bytes))
      return block;
  return malloc(bytes);
}

__attribute__((visibility("hidden"))) void
_mlir_memref_to_llvm_free(void *block) {
  if (!block)
    return;
  HeapCache *cache = currentCache();
  size_t bytes = malloc_usable_size(block);
  if (cache && bytes >= kCachedBytes && keep(cache, block, bytes))
    return;
  free(block);
}

} // extern "C"
