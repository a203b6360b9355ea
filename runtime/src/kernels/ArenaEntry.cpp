//===- ArenaEntry.cpp - The arena as the compiled model asks for it -------===//
//
// qc-plan-memory makes the model's entry function call qc_runtime_arena once,
// with the arena size it planned, and address every intermediate buffer as
// an offset in the 1-D i8 memref it gets back.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"

#include <stdio.h>
#include <stdlib.h>

extern "C" __attribute__((visibility("hidden"))) void
_mlir_ciface_qc_runtime_arena(qc::kernels::MemRef<1, uint8_t> *out,
                              int64_t bytes) {
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
  *out = {base, base, 0, {bytes}, {1}};
}
