//===- NpzFileTest.cpp - .npz reading and writing -------------------------===//

#include "NumpyWritten.h"
#include "TestUtils.h"

#include "tools/quantc/NpyFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace quantc;

namespace {

HostTensor makeTensor(std::string name, qc_dtype_t dtype,
                      std::vector<int64_t> dims) {
  HostTensor tensor = HostTensor::zeros(std::move(name), dtype, std::move(dims));
  for (size_t i = 0; i < tensor.bytes.size(); ++i)
    tensor.bytes[i] = uint8_t(i * 13 + 5);
  return tensor;
}

std::vector<HostTensor> sampleTensors() {
  return {makeTensor("x", QC_DTYPE_F32, {2, 3}),
          makeTensor("scalar", QC_DTYPE_I64, {}),
          makeTensor("empty", QC_DTYPE_U8, {0, 4}),
          makeTensor("a name/with spaces:0", QC_DTYPE_BOOL, {3})};
}

std::string encode(llvm::ArrayRef<HostTensor> tensors, bool forceZip64) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  EXPECT_EQ(messageOf(writeNpz(os, tensors, forceZip64)), "");
  return bytes;
}

void expectSameTensors(const std::vector<HostTensor> &actual,
                       const std::vector<HostTensor> &expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].name, expected[i].name);
    EXPECT_EQ(actual[i].dtype, expected[i].dtype);
    EXPECT_EQ(actual[i].dims, expected[i].dims);
    EXPECT_EQ(actual[i].bytes, expected[i].bytes);
  }
}

llvm::StringRef bytesOf(const unsigned char *data, size_t size) {
  return llvm::StringRef(reinterpret_cast<const char *>(data), size);
}

TEST(NpzFileTest, RoundTrips) {
  for (bool zip64 : {false, true}) {
    std::vector<HostTensor> tensors = sampleTensors();
    llvm::Expected<std::vector<HostTensor>> decoded =
        parseNpz(encode(tensors, zip64), "mem.npz");
    ASSERT_EXPECTED(decoded);
    expectSameTensors(*decoded, tensors);
  }
}

TEST(NpzFileTest, RoundTripsAnEmptyArchive) {
  for (bool zip64 : {false, true}) {
    llvm::Expected<std::vector<HostTensor>> decoded =
        parseNpz(encode({}, zip64), "empty.npz");
    ASSERT_EXPECTED(decoded);
    EXPECT_TRUE(decoded->empty());
  }
}

TEST(NpzFileTest, ReadsNumpysSavez) {
  llvm::Expected<std::vector<HostTensor>> tensors = parseNpz(
      bytesOf(numpy_written::kSavez, sizeof(numpy_written::kSavez)), "np.npz");
  ASSERT_EXPECTED(tensors);
  ASSERT_EQ(tensors->size(), 3u);
  const HostTensor &x = (*tensors)[0];
  EXPECT_EQ(x.name, "x");
  EXPECT_EQ(x.dtype, QC_DTYPE_F32);
  EXPECT_EQ(x.dims, (std::vector<int64_t>{2, 3}));
  float values[6];
  ASSERT_EQ(x.bytes.size(), sizeof(values));
  std::memcpy(values, x.bytes.data(), sizeof(values));
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(values[i], float(i));
  const HostTensor &n = (*tensors)[1];
  EXPECT_EQ(n.name, "n");
  EXPECT_EQ(n.dtype, QC_DTYPE_I64);
  EXPECT_TRUE(n.dims.empty());
  int64_t seven;
  std::memcpy(&seven, n.bytes.data(), sizeof(seven));
  EXPECT_EQ(seven, 7);
  const HostTensor &flags = (*tensors)[2];
  EXPECT_EQ(flags.name, "a b/c");
  EXPECT_EQ(flags.dtype, QC_DTYPE_BOOL);
  EXPECT_EQ(flags.bytes, (std::vector<uint8_t>{1, 0}));
}

TEST(NpzFileTest, RejectsCompressedArchives) {
  std::string message = messageOf(parseNpz(
      bytesOf(numpy_written::kSavezCompressed,
              sizeof(numpy_written::kSavezCompressed)),
      "c.npz"));
  EXPECT_CONTAINS(message, "c.npz: entry 'x.npy' is compressed (zip method 8)");
  EXPECT_CONTAINS(message, "save with np.savez, not np.savez_compressed");
}

TEST(NpzFileTest, RejectsNonZipFiles) {
  EXPECT_CONTAINS(messageOf(parseNpz("", "e.npz")), "too short");
  EXPECT_CONTAINS(messageOf(parseNpz(std::string(100, 'x'), "x.npz")),
                  "no zip end-of-central-directory record");
}

TEST(NpzFileTest, RejectsCorruptData) {
  std::vector<HostTensor> tensors = {makeTensor("x", QC_DTYPE_F32, {4})};
  std::string bytes = encode(tensors, false);
  // The last data byte sits just before the central directory.
  size_t centralDirectory = bytes.find("PK\x01\x02");
  ASSERT_NE(centralDirectory, std::string::npos);
  bytes[centralDirectory - 1] ^= 0x40;
  EXPECT_CONTAINS(messageOf(parseNpz(bytes, "x.npz")),
                  "entry 'x.npy' is corrupt (CRC mismatch)");
}

TEST(NpzFileTest, RejectsDuplicateArrays) {
  std::vector<HostTensor> tensors = {makeTensor("a", QC_DTYPE_U8, {1}),
                                     makeTensor("b", QC_DTYPE_U8, {1})};
  std::string bytes = encode(tensors, false);
  for (size_t pos; (pos = bytes.find("b.npy")) != std::string::npos;)
    bytes[pos] = 'a';
  EXPECT_CONTAINS(messageOf(parseNpz(bytes, "d.npz")),
                  "array 'a' appears twice");
}

// Every truncation and every single-byte corruption of a valid archive is
// either read or rejected with a message, never a crash.
TEST(NpzFileTest, SurvivesTruncationAndCorruption) {
  for (bool zip64 : {false, true}) {
    std::string bytes = encode(sampleTensors(), zip64);
    for (size_t length = 0; length < bytes.size(); ++length)
      EXPECT_NE(messageOf(parseNpz(bytes.substr(0, length), "t.npz")),
                "(no error)")
          << "truncated to " << length;
    for (size_t pos = 0; pos < bytes.size(); ++pos) {
      for (uint8_t value : {uint8_t(0x00), uint8_t(0xFF), uint8_t(0x7F)}) {
        std::string damaged = bytes;
        damaged[pos] = char(value);
        llvm::Expected<std::vector<HostTensor>> result =
            parseNpz(damaged, "c.npz");
        if (!result)
          llvm::consumeError(result.takeError());
      }
    }
  }
}

TEST(NpzFileTest, RejectsBadTensorsOnWrite) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  std::vector<HostTensor> twice = {makeTensor("a", QC_DTYPE_U8, {1}),
                                   makeTensor("a", QC_DTYPE_U8, {2})};
  EXPECT_EQ(messageOf(writeNpz(os, twice)), "two tensors are named 'a'");
  std::vector<HostTensor> unnamed = {makeTensor("", QC_DTYPE_U8, {1})};
  EXPECT_EQ(messageOf(writeNpz(os, unnamed)),
            "cannot write an unnamed tensor to an .npz file");
  std::vector<HostTensor> inconsistent = {makeTensor("a", QC_DTYPE_F32, {2})};
  inconsistent[0].bytes.resize(3);
  EXPECT_NE(messageOf(writeNpz(os, inconsistent)), "");
  EXPECT_TRUE(bytes.empty()) << "an invalid archive was partly written";
}

TEST(NpzFileTest, FilesRoundTrip) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npz-test", directory));
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, "t.npz");
  std::vector<HostTensor> tensors = sampleTensors();
  ASSERT_EQ(messageOf(writeNpz(path, tensors)), "");
  llvm::Expected<std::vector<HostTensor>> read = readNpz(path);
  ASSERT_EXPECTED(read);
  expectSameTensors(*read, tensors);
  llvm::sys::fs::remove(path);
  llvm::sys::fs::remove(directory);
  EXPECT_CONTAINS(messageOf(readNpz("/nonexistent.npz")),
                  "cannot read '/nonexistent.npz'");
}

} // namespace
