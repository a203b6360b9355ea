//===- TestUtils.h - Checking llvm::Error in GoogleTest ---------*- C++ -*-===//
//
// LLVM's own matchers (llvm/Testing/Support) live in a library Debian does
// not ship with libLLVM, so these few helpers stand in for them.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_TEST_UNIT_HOSTIO_TESTUTILS_H
#define QUANTC_TEST_UNIT_HOSTIO_TESTUTILS_H

#include "llvm/Support/Error.h"

#include <gtest/gtest.h>

#include <string>

// The message of `error`, or "" for success.
inline std::string messageOf(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

// The message of a failed `value`, or "(no error)" if it succeeded.
template <typename T> std::string messageOf(llvm::Expected<T> value) {
  return value ? std::string("(no error)") : llvm::toString(value.takeError());
}

// Fails the test (fatally) if `value`, an llvm::Expected, holds an error.
#define ASSERT_EXPECTED(value)                                                 \
  ASSERT_TRUE(bool(value)) << llvm::toString((value).takeError())

// Expects `text` to contain `fragment`.
#define EXPECT_CONTAINS(text, fragment)                                        \
  EXPECT_NE(std::string(text).find(fragment), std::string::npos)               \
      << "message: " << (text)

#endif
