//===- KernelContext.cpp - Threads, scratch, the current context ----------===//
#include "kernels/KernelContext.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

namespace qc::kernels {
namespace {

// initial-exec: a dlopen'ed library gets its few bytes from the static TLS
// surplus and reads them with no call into the dynamic loader.
__thread KernelContext *current __attribute__((tls_model("initial-exec")));

} // namespace

bool initKernelContext(KernelContext *context, int threads) {
  memset(context, 0, sizeof(*context));
  if (threads < 1)
    threads = 1;
  if (threads > kMaxThreads)
    threads = kMaxThreads;
  context->isa = detectIsa();
  context->gemm = &gemmMicroKernel(context->isa);
  context->threads = threads;
  for (int t = 0; t < threads; ++t) {
    void *memory = nullptr;
    if (posix_memalign(&memory, 64, kScratchFloats * sizeof(float))) {
      releaseKernelContext(context);
      return false;
    }
    context->scratch[t] = static_cast<float *>(memory);
  }
  if (threads > 1 && !(context->pool = createThreadPool(threads))) {
    releaseKernelContext(context);
    return false;
  }
  return true;
}

void releaseKernelContext(KernelContext *context) {
  destroyThreadPool(context->pool);
  for (float *&scratch : context->scratch) {
    free(scratch);
    scratch = nullptr;
  }
  context->pool = nullptr;
  context->threads = 0;
  free(context->offsets);
  context->offsets = nullptr;
  context->offsetCapacity = 0;
  releaseHeapCache(&context->heap);
}

int64_t *offsetTable(KernelContext &context, size_t count) {
  if (count <= context.offsetCapacity)
    return context.offsets;
  free(context.offsets);
  context.offsets = static_cast<int64_t *>(malloc(sizeof(int64_t) * count));
  context.offsetCapacity = context.offsets ? count : 0;
  return context.offsets;
}

bool reserveArena(KernelContext *context, size_t bytes) {
  if (bytes <= context->arena.bytes)
    return true;
  // An arena of 2 MiB or more is aligned to 2 MiB and offered to the kernel
  // as huge pages: the kernels stream through several MiB of activations,
  // and 4 KiB pages cost a TLB miss every 4 KiB.
  constexpr size_t kHugePage = size_t(2) << 20;
  bool huge = bytes >= kHugePage;
  void *memory = nullptr;
  if (posix_memalign(&memory, huge ? kHugePage : 64, bytes))
    return false;
  if (huge)
    madvise(memory, bytes / kHugePage * kHugePage, MADV_HUGEPAGE);
  releaseArena(context);
  context->arena = {memory, bytes};
  return true;
}

void releaseArena(KernelContext *context) {
  free(context->arena.base);
  context->arena = {};
}

KernelContext *currentKernelContext() { return current; }

CurrentKernelContext::CurrentKernelContext(KernelContext *context)
    : saved(current) {
  current = context;
}

CurrentKernelContext::~CurrentKernelContext() { current = saved; }

} // namespace qc::kernels
