//===- Context.h - The qc_context_t object ----------------------*- C++ -*-===//
#ifndef QUANTC_RUNTIME_CONTEXT_H
#define QUANTC_RUNTIME_CONTEXT_H

#include "Signature.h"
#include "kernels/KernelContext.h"

namespace qc {
// The model's compiled code; its arguments are qc_context_s::args.
using EntryFunction = void (*)(void **args);
} // namespace qc

struct qc_context_s {
  qc::Signature signature;
  qc::EntryFunction entry;
  // The entry's arguments (docs/runtime-abi.md): with out-params, one pointer
  // per input then output, each to its descriptor below; with returned
  // results, the address of the outputs' descriptors, then one per input.
  void **args;
  // All memref descriptors back to back, inputs then outputs: {allocated,
  // aligned, offset, sizes[rank], strides[rank]}, every field 8 bytes.
  int64_t *descriptors;
  int64_t *outputDescriptors; // where the outputs' part begins
  // The dims of library-owned outputs with run-time dims, `rank` per output
  // back to back; valid until the next run.
  int64_t *outputDims;
  // Per output, the library-owned buffer (64-byte aligned) or NULL. Kept and
  // reused across runs: a caller may pass a buffer it got from the previous
  // run back in as its own, so freeing it early would be a use-after-free.
  void **ownedOutputs;
  // Threads, scratch and the micro-kernel choice of the runtime's kernels.
  qc::kernels::KernelContext kernels;
};

namespace qc {

// Creates a context for a model given its signature text and entry point.
// qc_context_create passes the linked model's; tests pass their own.
// `arenaBytes` is the activation arena the model's plan asks for
// (qc_memory_plan), reserved here so that running never allocates it.
qc_status_t createContext(const char *signatureText, EntryFunction entry,
                          qc_context_t **out, size_t arenaBytes = 0);

// Number of int64 slots of a rank-`rank` memref descriptor.
inline size_t descriptorSlots(int32_t rank) { return 3 + 2 * size_t(rank); }

} // namespace qc

#endif // QUANTC_RUNTIME_CONTEXT_H
