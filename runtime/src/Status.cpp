//===- Status.cpp - qc_status_t and message building ----------------------===//

#include "Status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

namespace {
// Returned when the status itself cannot be allocated. It is never written,
// and qc_status_free recognises and keeps it, so it is not mutable state.
const qc_status_s kOutOfMemory = {QC_STATUS_OUT_OF_MEMORY,
                                  "out of memory while reporting an error"};

qc_status_t newStatus(qc_status_code_t code, const char *text, size_t length) {
  void *memory = malloc(sizeof(qc_status_s) + length + 1);
  if (!memory)
    return qc::outOfMemoryStatus();
  qc_status_s *status = static_cast<qc_status_s *>(memory);
  char *message = static_cast<char *>(memory) + sizeof(qc_status_s);
  memcpy(message, text, length);
  message[length] = '\0';
  status->code = code;
  status->message = message;
  return status;
}
} // namespace

namespace qc {

qc_status_t outOfMemoryStatus() {
  return const_cast<qc_status_s *>(&kOutOfMemory);
}

MessageBuilder::~MessageBuilder() { free(data_); }

bool MessageBuilder::reserve(size_t extra) {
  if (failed_)
    return false;
  size_t needed = size_ + extra + 1;
  if (needed <= capacity_)
    return true;
  size_t newCapacity = capacity_ ? capacity_ * 2 : 128;
  while (newCapacity < needed)
    newCapacity *= 2;
  char *grown = static_cast<char *>(realloc(data_, newCapacity));
  if (!grown) {
    failed_ = true;
    return false;
  }
  data_ = grown;
  capacity_ = newCapacity;
  return true;
}

void MessageBuilder::appendV(const char *format, va_list args) {
  va_list measure;
  va_copy(measure, args);
  int length = vsnprintf(nullptr, 0, format, measure);
  va_end(measure);
  if (length < 0) {
    failed_ = true;
    return;
  }
  if (!reserve(static_cast<size_t>(length)))
    return;
  vsnprintf(data_ + size_, capacity_ - size_, format, args);
  size_ += static_cast<size_t>(length);
}

void MessageBuilder::append(const char *format, ...) {
  va_list args;
  va_start(args, format);
  appendV(format, args);
  va_end(args);
}

void MessageBuilder::appendDims(const int64_t *dims, int32_t rank) {
  append("[");
  for (int32_t i = 0; i < rank; ++i)
    append(i ? ", %lld" : "%lld", static_cast<long long>(dims[i]));
  append("]");
}

qc_status_t MessageBuilder::toStatus(qc_status_code_t code) const {
  if (failed_)
    return outOfMemoryStatus();
  return newStatus(code, text(), size_);
}

qc_status_t makeStatus(qc_status_code_t code, const char *format, ...) {
  MessageBuilder message;
  va_list args;
  va_start(args, format);
  message.appendV(format, args);
  va_end(args);
  return message.toStatus(code);
}

} // namespace qc

extern "C" {

qc_status_code_t qc_status_code(qc_status_t status) {
  return status ? status->code : QC_STATUS_OK;
}

const char *qc_status_message(qc_status_t status) {
  return status ? status->message : "";
}

void qc_status_free(qc_status_t status) {
  if (status && status != qc::outOfMemoryStatus())
    free(status);
}

} // extern "C"
