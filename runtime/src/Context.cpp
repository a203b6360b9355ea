//===- Context.cpp - Creating, destroying and describing contexts ---------===//

#include "Context.h"

#include "Status.h"

#include <stdlib.h>
#include <string.h>

namespace {

void fillInfo(const qc::TensorSignature &tensor, qc_tensor_info_t *info) {
  info->name = tensor.name;
  info->dtype = tensor.dtype;
  info->rank = tensor.rank;
  info->dims = tensor.dims;
  info->min_dims = tensor.minDims;
  info->max_dims = tensor.maxDims;
  info->dim_names = tensor.dimNames;
}

qc_status_t describe(const qc_context_t *context, size_t index,
                     qc_tensor_info_t *outInfo, bool isInput) {
  const char *kind = isInput ? "input" : "output";
  if (!context)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT, "context is NULL");
  if (!outInfo)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT, "out_info is NULL");
  const qc::Signature &signature = context->signature;
  size_t count = isInput ? signature.inputCount : signature.outputCount;
  if (index >= count)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT,
                          "%s index %zu is out of range (the model has %zu "
                          "%ss)",
                          kind, index, count, kind);
  fillInfo(isInput ? signature.inputs[index] : signature.outputs[index],
           outInfo);
  return nullptr;
}

} // namespace

namespace qc {

qc_status_t createContext(const char *signatureText, EntryFunction entry,
                          qc_context_t **out, size_t arenaBytes) {
  if (!out)
    return makeStatus(QC_STATUS_INVALID_ARGUMENT, "out_context is NULL");
  *out = nullptr;
  qc_context_t *context =
      static_cast<qc_context_t *>(calloc(1, sizeof(qc_context_t)));
  if (!context)
    return outOfMemoryStatus();
  context->entry = entry;
  if (qc_status_t status = parseSignature(signatureText, &context->signature)) {
    free(context);
    return status;
  }
  const Signature &signature = context->signature;
  size_t tensorCount = signature.inputCount + signature.outputCount;
  size_t slots = 0, outputDims = 0;
  for (size_t i = 0; i < signature.inputCount; ++i)
    slots += descriptorSlots(signature.inputs[i].rank);
  for (size_t i = 0; i < signature.outputCount; ++i) {
    slots += descriptorSlots(signature.outputs[i].rank);
    outputDims += size_t(signature.outputs[i].rank);
  }
  // calloc(0) may return NULL; ask for at least one element so NULL always
  // means out of memory.
  context->args = static_cast<void **>(calloc(tensorCount + 1, sizeof(void *)));
  context->descriptors =
      static_cast<int64_t *>(calloc(slots + 1, sizeof(int64_t)));
  context->ownedOutputs =
      static_cast<void **>(calloc(signature.outputCount + 1, sizeof(void *)));
  context->outputDims =
      static_cast<int64_t *>(calloc(outputDims + 1, sizeof(int64_t)));
  if (!context->args || !context->descriptors || !context->ownedOutputs ||
      !context->outputDims || !kernels::initKernelContext(&context->kernels, 1) ||
      !kernels::reserveArena(&context->kernels, arenaBytes)) {
    qc_context_destroy(context);
    return outOfMemoryStatus();
  }
  // Descriptors: inputs, then outputs, back to back. Out-params pass one
  // pointer per input then per output; returned results pass the address of
  // the outputs' block (the model writes its results there) then the inputs.
  int64_t *descriptor = context->descriptors;
  void **inputArgs =
      context->args + (signature.resultsReturned ? 1 : 0);
  for (size_t i = 0; i < signature.inputCount; ++i) {
    inputArgs[i] = descriptor;
    descriptor += descriptorSlots(signature.inputs[i].rank);
  }
  context->outputDescriptors = descriptor;
  if (signature.resultsReturned) {
    context->args[0] = descriptor;
  } else {
    for (size_t i = 0; i < signature.outputCount; ++i) {
      context->args[signature.inputCount + i] = descriptor;
      descriptor += descriptorSlots(signature.outputs[i].rank);
    }
  }
  *out = context;
  return nullptr;
}

} // namespace qc

extern "C" {

void qc_context_destroy(qc_context_t *context) {
  if (!context)
    return;
  qc::kernels::releaseKernelContext(&context->kernels);
  qc::kernels::releaseArena(&context->kernels);
  if (context->ownedOutputs)
    for (size_t i = 0; i < context->signature.outputCount; ++i)
      free(context->ownedOutputs[i]);
  free(context->ownedOutputs);
  free(context->outputDims);
  free(context->descriptors);
  free(context->args);
  qc::freeSignature(&context->signature);
  free(context);
}

qc_status_t qc_context_set_threads(qc_context_t *context, int threads) {
  if (!context)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT, "context is NULL");
  if (threads < 1)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT,
                      "the thread count must be at least 1");
  // The arena stays: only the threads and their scratch change.
  qc::kernels::Arena arena = context->kernels.arena;
  qc::kernels::releaseKernelContext(&context->kernels);
  bool created = qc::kernels::initKernelContext(&context->kernels, threads);
  // Else fall back to one thread, which needs no thread and little memory.
  if (!created && !qc::kernels::initKernelContext(&context->kernels, 1))
    context->kernels = {};
  context->kernels.arena = arena;
  if (created)
    return nullptr;
  return qc::makeStatus(QC_STATUS_OUT_OF_MEMORY,
                    "cannot create the threads or their scratch memory");
}

int qc_context_threads(const qc_context_t *context) {
  return context ? context->kernels.threads : 0;
}

const char *qc_context_isa(const qc_context_t *context) {
  return context ? qc::kernels::isaName(context->kernels.isa) : "";
}

const char *qc_context_model_name(const qc_context_t *context) {
  return context ? context->signature.modelName : "";
}

size_t qc_context_input_count(const qc_context_t *context) {
  return context ? context->signature.inputCount : 0;
}

size_t qc_context_output_count(const qc_context_t *context) {
  return context ? context->signature.outputCount : 0;
}

qc_status_t qc_context_input_info(const qc_context_t *context, size_t index,
                                  qc_tensor_info_t *out_info) {
  return describe(context, index, out_info, /*isInput=*/true);
}

qc_status_t qc_context_output_info(const qc_context_t *context, size_t index,
                                   qc_tensor_info_t *out_info) {
  return describe(context, index, out_info, /*isInput=*/false);
}

} // extern "C"
