//===- KernelContext.cpp - Threads, scratch, the current context ----------===//
#include "kernels/KernelContext.h"

#include <stdlib.h>
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
}

bool reserveArena(KernelContext *context, size_t bytes) {
  if (bytes <= context->arena.bytes)
    return true;
  void *memory = nullptr;
  if (posix_memalign(&memory, 64, bytes))
    return false;
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
