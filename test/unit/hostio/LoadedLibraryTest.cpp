//===- LoadedLibraryTest.cpp - Loading and running a generated library ----===//
//
// Uses the fake model library built by test/unit/runtime (inputs x f32[2, 3]
// and "scale factor" f32[]; outputs y = x * scale + 1, positives i64[2],
// total f64[]).
//
//===----------------------------------------------------------------------===//

#include "TestUtils.h"

#include "tools/quantc/LoadedLibrary.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace quantc;

namespace {

HostTensor floats(std::string name, std::vector<int64_t> dims,
                  std::vector<float> values) {
  HostTensor tensor = HostTensor::zeros(std::move(name), QC_DTYPE_F32, dims);
  EXPECT_EQ(tensor.bytes.size(), values.size() * sizeof(float));
  std::memcpy(tensor.bytes.data(), values.data(), tensor.bytes.size());
  return tensor;
}

class LoadedLibraryTest : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::Expected<std::unique_ptr<LoadedLibrary>> opened =
        LoadedLibrary::open(QUANTC_FAKE_MODEL_LIBRARY);
    ASSERT_EXPECTED(opened);
    library = std::move(*opened);
  }
  std::unique_ptr<LoadedLibrary> library;
  HostTensor x = floats("x", {2, 3}, {1, -2, 3, 0, 5, -6});
  HostTensor scale = floats("scale factor", {}, {2});
};

TEST_F(LoadedLibraryTest, Describes) {
  EXPECT_EQ(library->modelName(), "fake model");
  ASSERT_EQ(library->inputs().size(), 2u);
  EXPECT_EQ(library->inputs()[0].name, "x");
  EXPECT_EQ(library->inputs()[0].dims, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(library->inputs()[1].name, "scale factor");
  EXPECT_TRUE(library->inputs()[1].dims.empty());
  ASSERT_EQ(library->outputs().size(), 3u);
  EXPECT_EQ(library->outputs()[1].name, "positives");
  EXPECT_EQ(library->outputs()[1].dtype, QC_DTYPE_I64);
}

TEST_F(LoadedLibraryTest, RunsWithInputsInAnyOrder) {
  llvm::Expected<std::vector<HostTensor>> outputs = library->run({scale, x});
  ASSERT_EXPECTED(outputs);
  ASSERT_EQ(outputs->size(), 3u);
  const HostTensor &y = (*outputs)[0];
  EXPECT_EQ(y.name, "y");
  EXPECT_EQ(y.dtype, QC_DTYPE_F32);
  EXPECT_EQ(y.dims, (std::vector<int64_t>{2, 3}));
  float values[6];
  std::memcpy(values, y.bytes.data(), sizeof(values));
  EXPECT_EQ(values[0], 3.0f);
  EXPECT_EQ(values[5], -11.0f);
  int64_t counts[2];
  std::memcpy(counts, (*outputs)[1].bytes.data(), sizeof(counts));
  EXPECT_EQ(counts[0], 2);
  EXPECT_EQ(counts[1], 1);
  EXPECT_EQ((*outputs)[2].name, "total");

  // A second run on the same context.
  ASSERT_EXPECTED(library->run({x, scale}));
}

TEST_F(LoadedLibraryTest, RejectsMissingUnknownAndRepeatedInputs) {
  EXPECT_EQ(messageOf(library->run({x})),
            "missing input 'scale factor'; the model's inputs are 'x', "
            "'scale factor'");
  HostTensor stray = floats("z", {1}, {0});
  EXPECT_EQ(messageOf(library->run({x, scale, stray})),
            "the model has no input 'z'; its inputs are 'x', 'scale factor'");
  EXPECT_EQ(messageOf(library->run({x, scale, x})),
            "input 'x' is given twice");
}

TEST_F(LoadedLibraryTest, ReportsTheRuntimesValidation) {
  HostTensor wrongShape = floats("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  EXPECT_EQ(messageOf(library->run({wrongShape, scale})),
            "input 'x': expected dims [2, 3], got [3, 2]");
  HostTensor wrongType = HostTensor::zeros("x", QC_DTYPE_F64, {2, 3});
  EXPECT_EQ(messageOf(library->run({wrongType, scale})),
            "input 'x': expected dtype f32, got f64");
  HostTensor short_ = floats("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  short_.bytes.resize(8);
  EXPECT_EQ(messageOf(library->run({short_, scale})),
            "input 'x': buffer too small: byte_size is 8, f32[2, 3] needs 24");
}

TEST(LoadedLibraryOpenTest, ExplainsFailures) {
  EXPECT_CONTAINS(messageOf(LoadedLibrary::open("/nonexistent/libm.so")),
                  "cannot load '/nonexistent/libm.so': no such file");
  // A shared library, but not one of ours.
  EXPECT_CONTAINS(messageOf(LoadedLibrary::open("/lib/x86_64-linux-gnu/libm.so.6")),
                  "is not a quantc library (it has no 'qc_context_create' "
                  "symbol)");
  // Not a shared library at all.
  llvm::SmallString<128> text;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("not-a-library", "so", text));
  EXPECT_CONTAINS(messageOf(LoadedLibrary::open(text)),
                  "cannot load '" + text.str().str() + "'");
  llvm::sys::fs::remove(text);
}

} // namespace
