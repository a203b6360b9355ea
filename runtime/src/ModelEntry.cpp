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

extern "C" qc_status_t qc_context_create(qc_context_t **out_context) {
  return qc::createContext(qc_signature, qc_entry, out_context);
}
