//===- NpyFileTest.cpp - .npy reading and writing -------------------------===//

#include "NumpyWritten.h"
#include "TestUtils.h"

#include "tools/quantc/NpyFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace quantc;

namespace {

std::string encode(const HostTensor &tensor) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  EXPECT_EQ(messageOf(writeNpy(os, tensor)), "");
  return bytes;
}

HostTensor makeTensor(qc_dtype_t dtype, std::vector<int64_t> dims) {
  HostTensor tensor = HostTensor::zeros("t", dtype, std::move(dims));
  for (size_t i = 0; i < tensor.bytes.size(); ++i)
    tensor.bytes[i] = uint8_t(i * 7 + 1);
  return tensor;
}

std::string headerOf(const std::string &npy) {
  return npy.substr(10, npy.find('\n') - 10);
}

// A .npy file with `dict` as its header and `dataBytes` zero bytes of data.
std::string npyWithHeader(const std::string &dict, size_t dataBytes = 0,
                          char major = 1) {
  std::string file("\x93NUMPY", 6);
  file += major;
  file += '\0';
  std::string header = dict + "\n";
  uint16_t length = uint16_t(header.size());
  file += char(length & 0xFF);
  file += char(length >> 8);
  if (major != 1)
    file += std::string(2, '\0');
  return file + header + std::string(dataBytes, '\0');
}

TEST(NpyFileTest, RoundTripsEveryDtypeAndRank) {
  qc_dtype_t dtypes[] = {QC_DTYPE_F32, QC_DTYPE_F64, QC_DTYPE_F16,
                         QC_DTYPE_I8,  QC_DTYPE_I16, QC_DTYPE_I32,
                         QC_DTYPE_I64, QC_DTYPE_U8,  QC_DTYPE_U16,
                         QC_DTYPE_U32, QC_DTYPE_U64, QC_DTYPE_BOOL};
  std::vector<std::vector<int64_t>> shapes = {{}, {5}, {2, 3, 4}, {0, 3}};
  for (qc_dtype_t dtype : dtypes) {
    for (const auto &shape : shapes) {
      HostTensor tensor = makeTensor(dtype, shape);
      std::string bytes = encode(tensor);
      // numpy aligns the data to 64 bytes.
      EXPECT_EQ((bytes.size() - tensor.bytes.size()) % 64, 0u);
      llvm::Expected<HostTensor> decoded = parseNpy(bytes, "mem");
      ASSERT_EXPECTED(decoded);
      EXPECT_EQ(decoded->dtype, dtype);
      EXPECT_EQ(decoded->dims, shape);
      EXPECT_EQ(decoded->bytes, tensor.bytes);
      EXPECT_EQ(decoded->name, "");
    }
  }
}

TEST(NpyFileTest, WritesNumpysHeader) {
  auto expectHeader = [](const HostTensor &tensor, llvm::StringRef dict) {
    std::string header = headerOf(encode(tensor));
    EXPECT_EQ(llvm::StringRef(header).rtrim(' '), dict);
  };
  expectHeader(makeTensor(QC_DTYPE_F32, {2, 3}),
               "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
  expectHeader(makeTensor(QC_DTYPE_BOOL, {5}),
               "{'descr': '|b1', 'fortran_order': False, 'shape': (5,), }");
  expectHeader(makeTensor(QC_DTYPE_I8, {}),
               "{'descr': '|i1', 'fortran_order': False, 'shape': (), }");
}

TEST(NpyFileTest, ReadsNumpysFile) {
  llvm::StringRef file(reinterpret_cast<const char *>(numpy_written::kSaveF16),
                       sizeof(numpy_written::kSaveF16));
  llvm::Expected<HostTensor> tensor = parseNpy(file, "f16.npy");
  ASSERT_EXPECTED(tensor);
  EXPECT_EQ(tensor->dtype, QC_DTYPE_F16);
  EXPECT_EQ(tensor->dims, (std::vector<int64_t>{2, 2}));
  ASSERT_EQ(tensor->bytes.size(), 8u);
  uint16_t first;
  std::memcpy(&first, tensor->bytes.data(), 2);
  EXPECT_EQ(first, 0x3E00); // 1.5 in IEEE half
  // Our encoding of the same tensor is byte-identical to numpy's.
  EXPECT_EQ(encode(*tensor), file.str());
}

TEST(NpyFileTest, AcceptsHeaderVariants) {
  // Version 2.0, double quotes, keys in another order, no trailing comma,
  // native byte order, Python 2 longs.
  std::string file = npyWithHeader(
      "{\"shape\": (2L,3L), \"fortran_order\": False, \"descr\": \"=i2\"}", 12,
      2);
  llvm::Expected<HostTensor> tensor = parseNpy(file, "v2.npy");
  ASSERT_EXPECTED(tensor);
  EXPECT_EQ(tensor->dtype, QC_DTYPE_I16);
  EXPECT_EQ(tensor->dims, (std::vector<int64_t>{2, 3}));
}

// numpy has no bfloat16, float8 or int4: ml_dtypes arrays are saved as raw
// void ('<V1', '<V2'; float8_e5m2 as '<f1'), and take the type of the model's
// input they are given for.
TEST(NpyFileTest, VoidArraysTakeTheModelsType) {
  EXPECT_EQ(headerOf(encode(makeTensor(QC_DTYPE_F8E4M3FN, {3}))).substr(0, 15),
            "{'descr': '|V1'");
  EXPECT_EQ(headerOf(encode(makeTensor(QC_DTYPE_BF16, {3}))).substr(0, 15),
            "{'descr': '<V2'");
  EXPECT_EQ(headerOf(encode(makeTensor(QC_DTYPE_I4, {3}))).substr(0, 15),
            "{'descr': '|V1'");
  for (const char *descr : {"<V1", "|V1", "<f1"}) {
    llvm::Expected<HostTensor> t = parseNpy(
        npyWithHeader(std::string("{'descr': '") + descr +
                          "', 'fortran_order': False, 'shape': (3,), }",
                      3),
        "v.npy");
    ASSERT_EXPECTED(t);
    EXPECT_TRUE(t->voidElements) << descr;
    t->name = "w";
    ASSERT_FALSE(bool(resolveVoidElements(*t, QC_DTYPE_I4)));
    EXPECT_EQ(t->dtype, QC_DTYPE_I4);
    EXPECT_FALSE(t->voidElements);
  }
  auto parseVoid = [](const char *descr, int64_t bytes) {
    llvm::Expected<HostTensor> t = parseNpy(
        npyWithHeader(std::string("{'descr': '") + descr +
                          "', 'fortran_order': False, 'shape': (2,), }",
                      bytes),
        "v.npy");
    EXPECT_TRUE(bool(t));
    HostTensor tensor = t ? std::move(*t) : HostTensor();
    tensor.name = "w";
    return tensor;
  };
  HostTensor bf16 = parseVoid("<V2", 4);
  ASSERT_FALSE(bool(resolveVoidElements(bf16, QC_DTYPE_BF16)));
  EXPECT_EQ(bf16.dtype, QC_DTYPE_BF16);
  HostTensor wrongSize = parseVoid("<V2", 4);
  EXPECT_CONTAINS(messageOf(resolveVoidElements(wrongSize, QC_DTYPE_F8E5M2)),
                  "input 'w' is a numpy void array of 2-byte elements, but "
                  "the model's input is f8e5m2 (1 byte per element)");
  HostTensor wrongType = parseVoid("|V1", 2);
  EXPECT_CONTAINS(messageOf(resolveVoidElements(wrongType, QC_DTYPE_U8)),
                  "is a numpy void array ('V1'), but the model's input is u8");
  EXPECT_CONTAINS(messageOf(parseNpy(npyWithHeader("{'descr': '|V4', "
                                                   "'fortran_order': False, "
                                                   "'shape': (2,), }",
                                                   8),
                                     "v.npy")),
                  "unsupported dtype '|V4'");
}

TEST(NpyFileTest, RejectsMalformedFiles) {
  auto rejects = [](const std::string &file, const std::string &fragment) {
    std::string message = messageOf(parseNpy(file, "bad.npy"));
    EXPECT_CONTAINS(message, fragment);
    EXPECT_EQ(message.rfind("bad.npy", 0), 0u) << "message: " << message;
  };
  const std::string good =
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  rejects("", "bad magic");
  rejects("PK\x03\x04", "bad magic");
  rejects(std::string("\x93NUMPY\x01", 7), "truncated .npy header");
  rejects(npyWithHeader(good, 8).substr(0, 30), "truncated .npy header");
  rejects(npyWithHeader(good, 8, 4), "unsupported .npy format version 4.0");
  rejects(npyWithHeader(good, 7), "needs 8 bytes of data, but the file is "
                                  "truncated at 7");
  rejects(npyWithHeader(good, 9), "but the file has 9");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': True, "
                        "'shape': (2,), }", 8),
          "Fortran-order");
  rejects(npyWithHeader("{'descr': '>f4', 'fortran_order': False, "
                        "'shape': (2,), }", 8),
          "big-endian dtype '>f4'");
  rejects(npyWithHeader("{'descr': '<c8', 'fortran_order': False, "
                        "'shape': (2,), }", 16),
          "unsupported dtype '<c8'");
  rejects(npyWithHeader("{'descr': '|O', 'fortran_order': False, "
                        "'shape': (2,), }", 16),
          "unsupported dtype '|O'");
  rejects(npyWithHeader("{'descr': '<M8[ns]', 'fortran_order': False, "
                        "'shape': (2,), }", 16),
          "unsupported dtype");
  rejects(npyWithHeader("{'descr': [('a', '<f4')], 'fortran_order': False, "
                        "'shape': (2,), }", 8),
          "structured arrays");
  rejects(npyWithHeader("{'descr': '<f4', 'shape': (2,), }", 8),
          "missing 'descr'");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (2,), 'extra': 1}", 8),
          "unknown key 'extra'");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (-2,), }", 8),
          "non-negative integer dim");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (2 3), }", 8),
          "expected ',' or ')'");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': Maybe, "
                        "'shape': (2,), }", 8),
          "expected True or False");
  rejects(npyWithHeader("{'descr': '<f4, 'fortran_order': False}", 8),
          "invalid .npy header");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (2,), } x", 8),
          "unexpected text after the dict");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (4294967296, 4294967296), }"),
          "too large");
  rejects(npyWithHeader("{'descr': '<f4', 'fortran_order': False, "
                        "'shape': (99999999999999999999,), }"),
          "non-negative integer dim");
}

TEST(NpyFileTest, RejectsInconsistentTensorsOnWrite) {
  std::string bytes;
  llvm::raw_string_ostream os(bytes);
  HostTensor tensor = makeTensor(QC_DTYPE_F32, {2});
  tensor.bytes.pop_back();
  EXPECT_EQ(messageOf(writeNpy(os, tensor)),
            "tensor 't' (f32[2]) needs 8 bytes but holds 7");
  tensor = makeTensor(QC_DTYPE_F32, {2});
  tensor.dtype = qc_dtype_t(42);
  EXPECT_NE(messageOf(writeNpy(os, tensor)), "");
  tensor = makeTensor(QC_DTYPE_F32, {2});
  tensor.dims = {-2};
  EXPECT_NE(messageOf(writeNpy(os, tensor)), "");
  EXPECT_TRUE(bytes.empty());
}

TEST(NpyFileTest, FilesRoundTrip) {
  llvm::SmallString<128> directory;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("npy-test", directory));
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, "t.npy");
  HostTensor tensor = makeTensor(QC_DTYPE_I32, {3, 1});
  ASSERT_EQ(messageOf(writeNpy(path, tensor)), "");
  llvm::Expected<HostTensor> read = readNpy(path);
  ASSERT_EXPECTED(read);
  EXPECT_EQ(read->bytes, tensor.bytes);
  llvm::sys::fs::remove(path);
  llvm::sys::fs::remove(directory);

  EXPECT_NE(messageOf(readNpy("/nonexistent/x.npy"))
                .find("cannot read '/nonexistent/x.npy'"),
            std::string::npos);
}

TEST(NpyFileTest, FormatsTypes) {
  EXPECT_EQ(formatType(QC_DTYPE_F32, {1, 3, 224}), "f32[1, 3, 224]");
  EXPECT_EQ(formatType(QC_DTYPE_BOOL, {}), "bool[]");
  EXPECT_EQ(dtypeName(qc_dtype_t(99)), "unknown");
  EXPECT_EQ(dtypeSize(QC_DTYPE_F16), 2u);
}

} // namespace
