//===- Status.h - Building qc_status_t errors -------------------*- C++ -*-===//
//
// The runtime links with libc only, so messages are built with vsnprintf into
// malloc'd memory rather than std::string.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_RUNTIME_STATUS_H
#define QUANTC_RUNTIME_STATUS_H

#include "quantc/runtime.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct qc_status_s {
  qc_status_code_t code;
  const char *message; // points just past this struct, same allocation
};

namespace qc {

// Accumulates a message. Allocation failures are remembered and turn the
// final status into QC_STATUS_OUT_OF_MEMORY rather than crashing.
class MessageBuilder {
public:
  MessageBuilder() = default;
  MessageBuilder(const MessageBuilder &) = delete;
  MessageBuilder &operator=(const MessageBuilder &) = delete;
  ~MessageBuilder();

  void append(const char *format, ...) __attribute__((format(printf, 2, 3)));
  void appendV(const char *format, va_list args)
      __attribute__((format(printf, 2, 0)));
  // Appends "[d0, d1, ...]" ("[]" for rank 0).
  void appendDims(const int64_t *dims, int32_t rank);

  const char *text() const { return data_ ? data_ : ""; }

  // Returns a status with `code` and the accumulated text.
  qc_status_t toStatus(qc_status_code_t code) const;

private:
  bool reserve(size_t extra);

  char *data_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
  bool failed_ = false;
};

// A status with a printf-style message.
qc_status_t makeStatus(qc_status_code_t code, const char *format, ...)
    __attribute__((format(printf, 2, 3)));

// The status returned when even the error message cannot be allocated.
qc_status_t outOfMemoryStatus();

} // namespace qc

#endif // QUANTC_RUNTIME_STATUS_H
