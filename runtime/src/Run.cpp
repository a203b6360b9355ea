//===- Run.cpp - qc_context_run: validate, bind, call the model -----------===//
//
// Everything the caller passes is checked before the model's code runs: the
// compiled code trusts its descriptors completely, so a wrong shape here would
// be an out-of-bounds access there.
//
//===----------------------------------------------------------------------===//

#include "Context.h"
#include "Status.h"

#include <stdlib.h>
#include <string.h>

namespace {

// The model's code, with this context's kernels current on this thread
// and its threads awake.
void callModel(qc_context_t *context) {
  qc::kernels::CurrentKernelContext current(&context->kernels);
  qc::kernels::PoolRun run(context->kernels.pool);
  context->entry(context->args);
}

// Library-owned output buffers are aligned for the widest vector loads.
constexpr size_t kOutputAlignment = 64;

// "[1, seq, 384]": fixed sizes as numbers, run-time dims by name or '?'.
void appendExpectedDims(qc::MessageBuilder &message,
                        const qc::TensorSignature &tensor) {
  message.append("[");
  for (int32_t i = 0; i < tensor.rank; ++i) {
    message.append(i ? ", " : "");
    if (tensor.dims[i] >= 0)
      message.append("%lld", (long long)tensor.dims[i]);
    else
      message.append("%s", tensor.dimNames[i][0] ? tensor.dimNames[i] : "?");
  }
  message.append("]");
}

qc_status_t invalid(const char *kind, const qc::TensorSignature &expected,
                    qc::MessageBuilder &message) {
  qc::MessageBuilder full;
  full.append("%s '%s': %s", kind, expected.name, message.text());
  return full.toStatus(QC_STATUS_INVALID_ARGUMENT);
}

// Checks one caller-provided tensor against the signature: dtype, rank, each
// dim (equal when fixed, within bounds when known at run time), data and
// byte_size. `runDims` says whether run-time dims are checked here (inputs;
// an output's are only known after the run). On success stores the byte size
// the tensor needs in *byteSize (0 when an output's dims are not known yet).
qc_status_t validateTensor(const char *kind,
                           const qc::TensorSignature &expected,
                           const qc_tensor_t &actual, bool runDims,
                           size_t *byteSize) {
  qc::MessageBuilder message;
  if (actual.dtype != expected.dtype) {
    message.append("expected dtype %s, got %s", qc_dtype_name(expected.dtype),
                   qc_dtype_name(actual.dtype));
    if (qc_dtype_size(actual.dtype) == 0)
      message.append(" (%d)", int(actual.dtype));
    return invalid(kind, expected, message);
  }
  if (actual.rank < 0 || (actual.rank > 0 && !actual.dims)) {
    message.append("expected rank %d, got rank %d", int(expected.rank),
                   int(actual.rank));
    if (actual.rank > 0)
      message.append(" with dims NULL");
    return invalid(kind, expected, message);
  }
  bool sameDims = actual.rank == expected.rank;
  for (int32_t i = 0; sameDims && i < expected.rank; ++i)
    sameDims = expected.dims[i] < 0 || actual.dims[i] == expected.dims[i];
  if (!sameDims) {
    message.append("expected dims ");
    appendExpectedDims(message, expected);
    message.append(", got ");
    message.appendDims(actual.dims, actual.rank);
    return invalid(kind, expected, message);
  }
  for (int32_t i = 0; runDims && i < expected.rank; ++i) {
    int64_t d = actual.dims[i], min = expected.minDims[i],
            max = expected.maxDims[i];
    if (d >= min && (max < 0 || d <= max))
      continue;
    message.append("dim %d", int(i));
    if (expected.dimNames[i][0])
      message.append(" ('%s')", expected.dimNames[i]);
    message.append(" is %lld, outside the compiled bounds %lld..",
                   (long long)d, (long long)min);
    if (max >= 0)
      message.append("%lld", (long long)max);
    message.append(" (recompile with another --shape or --dim to change "
                   "them)");
    return invalid(kind, expected, message);
  }
  if (!actual.data) {
    message.append("data is NULL");
    return invalid(kind, expected, message);
  }
  *byteSize = 0;
  if (!runDims && !expected.isStatic)
    return nullptr;
  size_t needed = qc_dtype_size(expected.dtype);
  for (int32_t i = 0; i < expected.rank; ++i)
    if (__builtin_mul_overflow(needed, size_t(actual.dims[i]), &needed)) {
      message.append("dims ");
      message.appendDims(actual.dims, actual.rank);
      message.append(" are too large");
      return invalid(kind, expected, message);
    }
  if (actual.byte_size < needed) {
    message.append("buffer too small: byte_size is %zu, %s", actual.byte_size,
                   qc_dtype_name(expected.dtype));
    message.appendDims(actual.dims, actual.rank);
    message.append(" needs %zu", needed);
    return invalid(kind, expected, message);
  }
  *byteSize = needed;
  return nullptr;
}

// Inputs' dims that share a name (e.g. "batch") must agree: the compiled code
// takes them to be one size.
qc_status_t checkNamedDims(const qc::Signature &signature,
                           const qc_tensor_t *inputs) {
  for (size_t i = 0; i < signature.inputCount; ++i) {
    const qc::TensorSignature &a = signature.inputs[i];
    for (int32_t d = 0; d < a.rank; ++d) {
      if (!a.dimNames[d][0])
        continue;
      for (size_t j = 0; j <= i; ++j) {
        const qc::TensorSignature &b = signature.inputs[j];
        for (int32_t e = 0; e < (j == i ? d : b.rank); ++e) {
          if (strcmp(a.dimNames[d], b.dimNames[e]) != 0 ||
              inputs[i].dims[d] == inputs[j].dims[e])
            continue;
          return qc::makeStatus(
              QC_STATUS_INVALID_ARGUMENT,
              "input '%s': dim %d ('%s') is %lld, but input '%s' dim %d, "
              "which the model names the same, is %lld",
              a.name, int(d), a.dimNames[d], (long long)inputs[i].dims[d],
              b.name, int(e), (long long)inputs[j].dims[e]);
        }
      }
    }
  }
  return nullptr;
}

qc_status_t checkList(const char *kind, const void *tensors, size_t count,
                      size_t expected) {
  if (count != expected)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT,
                          "expected %zu %ss, got %zu", expected, kind, count);
  if (count > 0 && !tensors)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT,
                          "%ss is NULL but %s_count is %zu", kind, kind, count);
  return nullptr;
}

// Gives every output that asked for one (data == NULL) a library-owned buffer.
// Only buffers are allocated here; outputs are filled in once all succeed, so
// a failed run leaves the caller's array untouched.
qc_status_t allocateOwnedOutputs(qc_context_t *context,
                                 const qc_tensor_t *outputs) {
  const qc::Signature &signature = context->signature;
  for (size_t i = 0; i < signature.outputCount; ++i) {
    if (outputs[i].data || context->ownedOutputs[i])
      continue;
    // aligned_alloc wants a multiple of the alignment; a zero-element output
    // still gets a real pointer because NULL means "please allocate".
    size_t size = signature.outputs[i].byteSize;
    size_t rounded = (size + kOutputAlignment - 1) / kOutputAlignment *
                     kOutputAlignment;
    if (rounded < size)
      return qc::outOfMemoryStatus();
    void *buffer =
        aligned_alloc(kOutputAlignment, rounded ? rounded : kOutputAlignment);
    if (!buffer)
      return qc::makeStatus(QC_STATUS_OUT_OF_MEMORY,
                            "output '%s': cannot allocate %zu bytes",
                            signature.outputs[i].name, size);
    context->ownedOutputs[i] = buffer;
  }
  return nullptr;
}

void fillDescriptor(int64_t *descriptor, void *data, const int64_t *dims,
                    int32_t rank) {
  memcpy(&descriptor[0], &data, sizeof(void *)); // allocated
  memcpy(&descriptor[1], &data, sizeof(void *)); // aligned
  descriptor[2] = 0;                             // offset
  int64_t *sizes = descriptor + 3;
  int64_t *strides = sizes + rank;
  int64_t stride = 1;
  for (int32_t i = rank - 1; i >= 0; --i) {
    sizes[i] = dims[i];
    strides[i] = stride;
    stride *= dims[i];
  }
}

// One output the model allocated and returned (results "returned").
struct ReturnedResult {
  void *allocated; // what free() takes
  char *data;      // the first element
  const int64_t *sizes;
  size_t byteSize;
};

// Reads the returned descriptors. Their buffers are the model's own fresh
// allocations with row-major strides (qc-export-entry-point and the
// deallocation pipeline see to it); anything else is a compiler bug, reported
// rather than trusted.
qc_status_t readResults(qc_context_t *context, ReturnedResult *results) {
  const qc::Signature &signature = context->signature;
  int64_t *descriptor = context->outputDescriptors;
  qc_status_t status = nullptr;
  for (size_t i = 0; i < signature.outputCount; ++i) {
    const qc::TensorSignature &tensor = signature.outputs[i];
    ReturnedResult &r = results[i];
    char *aligned;
    memcpy(&r.allocated, &descriptor[0], sizeof(void *));
    memcpy(&aligned, &descriptor[1], sizeof(void *));
    r.sizes = descriptor + 3;
    const int64_t *strides = r.sizes + tensor.rank;
    size_t elementSize = qc_dtype_size(tensor.dtype);
    r.data = aligned + descriptor[2] * int64_t(elementSize);
    size_t elements = 1;
    int64_t stride = 1;
    for (int32_t d = tensor.rank - 1; d >= 0; --d) {
      bool fixedDimDiffers = tensor.dims[d] >= 0 && r.sizes[d] != tensor.dims[d];
      if (r.sizes[d] < 0 || fixedDimDiffers ||
          (r.sizes[d] > 1 && strides[d] != stride))
        status = status ? status
                        : qc::makeStatus(QC_STATUS_INTERNAL,
                                         "output '%s': the model returned a "
                                         "buffer of unexpected shape or "
                                         "layout (a quantc bug)",
                                         tensor.name);
      stride *= r.sizes[d];
      elements *= size_t(r.sizes[d] > 0 ? r.sizes[d] : 0);
    }
    r.byteSize = elements * elementSize;
    descriptor += qc::descriptorSlots(tensor.rank);
  }
  return status;
}

void freeResults(ReturnedResult *results, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    free(results[i].allocated);
    results[i].allocated = nullptr;
  }
}

// Hands the returned results over: copied into the caller's buffers, or kept
// by the context as its owned buffers. Caller buffers are all checked before
// any is written.
qc_status_t deliverResults(qc_context_t *context, qc_tensor_t *outputs,
                           ReturnedResult *results) {
  const qc::Signature &signature = context->signature;
  for (size_t i = 0; i < signature.outputCount; ++i) {
    if (!outputs[i].data)
      continue;
    const qc::TensorSignature &tensor = signature.outputs[i];
    bool same = true;
    for (int32_t d = 0; d < tensor.rank; ++d)
      same = same && outputs[i].dims[d] == results[i].sizes[d];
    if (same && outputs[i].byte_size >= results[i].byteSize)
      continue;
    qc::MessageBuilder message;
    message.append("output '%s': the run produced dims ", tensor.name);
    message.appendDims(results[i].sizes, tensor.rank);
    message.append(" (%zu bytes), but the caller's buffer has dims ",
                   results[i].byteSize);
    message.appendDims(outputs[i].dims, tensor.rank);
    message.append(" and byte_size %zu; pass data NULL to get a buffer of "
                   "the right size",
                   outputs[i].byte_size);
    return message.toStatus(QC_STATUS_INVALID_ARGUMENT);
  }
  // Copies first: a caller may pass a buffer it got from the previous run
  // as its own, and that buffer is freed below when its output is replaced.
  for (size_t i = 0; i < signature.outputCount; ++i) {
    if (!outputs[i].data)
      continue;
    if (results[i].byteSize)
      memcpy(outputs[i].data, results[i].data, results[i].byteSize);
    free(results[i].allocated);
    results[i].allocated = nullptr;
  }
  int64_t *dims = context->outputDims;
  for (size_t i = 0; i < signature.outputCount; ++i) {
    const qc::TensorSignature &tensor = signature.outputs[i];
    ReturnedResult &r = results[i];
    int64_t *ownDims = dims;
    dims += tensor.rank;
    if (outputs[i].data)
      continue;
    // NULL data means "please allocate", so even an empty output gets a real
    // pointer.
    if (!r.allocated) {
      r.allocated = aligned_alloc(kOutputAlignment, kOutputAlignment);
      if (!r.allocated)
        return qc::outOfMemoryStatus();
      r.data = static_cast<char *>(r.allocated);
    }
    free(context->ownedOutputs[i]);
    context->ownedOutputs[i] = r.allocated;
    r.allocated = nullptr;
    memcpy(ownDims, r.sizes, sizeof(int64_t) * size_t(tensor.rank));
    outputs[i].dtype = tensor.dtype;
    outputs[i].rank = tensor.rank;
    outputs[i].dims = ownDims;
    outputs[i].data = r.data;
    outputs[i].byte_size = r.byteSize;
  }
  return nullptr;
}

} // namespace

extern "C" qc_status_t qc_context_run(qc_context_t *context,
                                      const qc_tensor_t *inputs,
                                      size_t input_count, qc_tensor_t *outputs,
                                      size_t output_count) {
  if (!context)
    return qc::makeStatus(QC_STATUS_INVALID_ARGUMENT, "context is NULL");
  const qc::Signature &signature = context->signature;
  if (qc_status_t status =
          checkList("input", inputs, input_count, signature.inputCount))
    return status;
  if (qc_status_t status =
          checkList("output", outputs, output_count, signature.outputCount))
    return status;
  size_t byteSize;
  for (size_t i = 0; i < input_count; ++i)
    if (qc_status_t status = validateTensor("input", signature.inputs[i],
                                            inputs[i], true, &byteSize))
      return status;
  if (qc_status_t status = checkNamedDims(signature, inputs))
    return status;
  for (size_t i = 0; i < output_count; ++i)
    if (outputs[i].data)
      if (qc_status_t status = validateTensor("output", signature.outputs[i],
                                              outputs[i], false, &byteSize))
        return status;

  // Input descriptors hold non-const pointers (the memref ABI has no const);
  // the compiled model only reads them.
  int64_t *descriptor = context->descriptors;
  for (size_t i = 0; i < input_count; ++i) {
    fillDescriptor(descriptor, inputs[i].data, inputs[i].dims,
                   inputs[i].rank);
    descriptor += qc::descriptorSlots(inputs[i].rank);
  }

  if (signature.resultsReturned) {
    ReturnedResult stack[8];
    ReturnedResult *results = stack;
    if (output_count > 8) {
      results = static_cast<ReturnedResult *>(
          calloc(output_count, sizeof(ReturnedResult)));
      if (!results)
        return qc::outOfMemoryStatus();
    }
    callModel(context);
    qc_status_t status = readResults(context, results);
    if (!status)
      status = deliverResults(context, outputs, results);
    freeResults(results, output_count);
    if (results != stack)
      free(results);
    return status;
  }

  if (qc_status_t status = allocateOwnedOutputs(context, outputs))
    return status;
  for (size_t i = 0; i < output_count; ++i) {
    if (outputs[i].data)
      continue;
    const qc::TensorSignature &tensor = signature.outputs[i];
    outputs[i].dtype = tensor.dtype;
    outputs[i].rank = tensor.rank;
    outputs[i].dims = tensor.dims;
    outputs[i].data = context->ownedOutputs[i];
    outputs[i].byte_size = tensor.byteSize;
  }
  for (size_t i = 0; i < output_count; ++i) {
    fillDescriptor(descriptor, outputs[i].data, signature.outputs[i].dims,
                   signature.outputs[i].rank);
    descriptor += qc::descriptorSlots(signature.outputs[i].rank);
  }
  callModel(context);
  return nullptr;
}
