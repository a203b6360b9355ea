//===- ModelEntry.cpp - Binding the runtime to the linked model -----------===//
//
// The only file that names the model's symbols. Keeping it apart lets the
// unit tests build contexts from signatures of their own (qc::createContext)
// without linking a model at all.
//
//===----------------------------------------------------------------------===//

#include "Context.h"

// Defined by the object the compiler emits (docs/runtime-abi.md).
extern "C" void qc_entry(void **args);
extern "C" const char qc_signature[];
// {arena bytes, liveness lower bound, naive sum, buffers} (qc-plan-memory);
// weak, as a model with nothing to plan (or a test's) may not define it.
extern "C" const int64_t qc_memory_plan[] __attribute__((weak));

extern "C" qc_status_t qc_context_create(qc_context_t **out_context) {
  size_t arenaBytes = qc_memory_plan ? size_t(qc_memory_plan[0]) : 0;
  return qc::createContext(qc_signature, qc_entry, out_context, arenaBytes);
}
