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

// Library-owned output buffers are aligned for the widest vector loads.
constexpr size_t kOutputAlignment = 64;

qc_status_t invalid(const char *kind, const qc::TensorSignature &expected,
                    qc::MessageBuilder &message) {
  qc::MessageBuilder full;
  full.append("%s '%s': %s", kind, expected.name, message.text());
  return full.toStatus(QC_STATUS_INVALID_ARGUMENT);
}

// Checks one caller-provided tensor against the signature.
qc_status_t validateTensor(const char *kind,
                           const qc::TensorSignature &expected,
                           const qc_tensor_t &actual) {
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
    sameDims = actual.dims[i] == expected.dims[i];
  if (!sameDims) {
    message.append("expected dims ");
    message.appendDims(expected.dims, expected.rank);
    message.append(", got ");
    message.appendDims(actual.dims, actual.rank);
    return invalid(kind, expected, message);
  }
  if (!actual.data) {
    message.append("data is NULL");
    return invalid(kind, expected, message);
  }
  if (actual.byte_size < expected.byteSize) {
    message.append("buffer too small: byte_size is %zu, %s", actual.byte_size,
                   qc_dtype_name(expected.dtype));
    message.appendDims(expected.dims, expected.rank);
    message.append(" needs %zu", expected.byteSize);
    return invalid(kind, expected, message);
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

void fillDescriptor(int64_t *descriptor, void *data,
                    const qc::TensorSignature &tensor) {
  memcpy(&descriptor[0], &data, sizeof(void *)); // allocated
  memcpy(&descriptor[1], &data, sizeof(void *)); // aligned
  descriptor[2] = 0;                             // offset
  int64_t *sizes = descriptor + 3;
  int64_t *strides = sizes + tensor.rank;
  int64_t stride = 1;
  for (int32_t i = tensor.rank - 1; i >= 0; --i) {
    sizes[i] = tensor.dims[i];
    strides[i] = stride;
    stride *= tensor.dims[i];
  }
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
  for (size_t i = 0; i < input_count; ++i)
    if (qc_status_t status =
            validateTensor("input", signature.inputs[i], inputs[i]))
      return status;
  for (size_t i = 0; i < output_count; ++i)
    if (outputs[i].data)
      if (qc_status_t status =
              validateTensor("output", signature.outputs[i], outputs[i]))
        return status;
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
  // Input descriptors hold non-const pointers (the memref ABI has no const);
  // the compiled model only reads them.
  for (size_t i = 0; i < input_count; ++i)
    fillDescriptor(static_cast<int64_t *>(context->args[i]), inputs[i].data,
                   signature.inputs[i]);
  for (size_t i = 0; i < output_count; ++i)
    fillDescriptor(static_cast<int64_t *>(context->args[input_count + i]),
                   outputs[i].data, signature.outputs[i]);
  context->entry(context->args);
  return nullptr;
}
