//===- ArenaEntry.cpp - The arena as the compiled model asks for it -------===//
//
// qc-plan-memory makes the model's entry function call qc_runtime_arena for
// each intermediate buffer, where the buffer used to be allocated, with the
// arena size it planned and the buffer's offset and size in it, and address
// the buffer as the 1-D i8 memref it gets back. (One call per buffer, so
// that LLVM sees distinct objects: PlanMemory.cpp says why.)
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"

#include <stdio.h>
#include <stdlib.h>

extern "C" __attribute__((visibility("hidden"))) void
_mlir_ciface_qc_runtime_arena(qc::kernels::MemRef<1, uint8_t> *out,
                              int64_t bytes, int64_t offset, int64_t size) {
  using namespace qc::kernels;
  KernelContext *context = currentKernelContext();
  // qc_context_create reserved the model's planned size (qc_memory_plan), so
  // this allocates only for a context made without it (a test's). The model
  // runs only inside qc_context_run; going on without the memory would be a
  // wild write, so a failure here stops the process with a reason.
  if (!context || !reserveArena(context, size_t(bytes))) {
    fprintf(stderr,
            context ? "quantc runtime: cannot allocate the model's %lld-byte "
                      "activation arena\n"
                    : "quantc runtime: the model's code ran outside "
                      "qc_context_run (arena of %lld bytes)\n",
            (long long)bytes);
    abort();
  }
  auto *base = static_cast<uint8_t *>(context->arena.base);
  *out = {base, base + offset, 0, {size}, {1}};
}
