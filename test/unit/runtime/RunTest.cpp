//===- RunTest.cpp - qc_context_run: results, ownership, validation -------===//

#include "Context.h"
#include "FakeModel.h"

#include "quantc/runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

const int64_t kMatrixDims[] = {2, 3};
const int64_t kPairDims[] = {2};

// The fake model's inputs and caller-owned outputs, and what it should give.
struct Buffers {
  float x[6] = {1, -2, 3, 0, 5, -6};
  float scale = 2;
  float y[6] = {};
  int64_t positives[2] = {};
  double total = 0;

  qc_tensor_t inputs[2] = {
      {QC_DTYPE_F32, 2, kMatrixDims, x, sizeof(x)},
      {QC_DTYPE_F32, 0, nullptr, &scale, sizeof(scale)},
  };
  qc_tensor_t outputs[3] = {
      {QC_DTYPE_F32, 2, kMatrixDims, y, sizeof(y)},
      {QC_DTYPE_I64, 1, kPairDims, positives, sizeof(positives)},
      {QC_DTYPE_F64, 0, nullptr, &total, sizeof(total)},
  };

  void expectResults(const float *ys, const int64_t *counts,
                     double sum) const {
    double expectedSum = 0;
    for (int i = 0; i < 6; ++i) {
      EXPECT_FLOAT_EQ(ys[i], x[i] * scale + 1) << "y[" << i << "]";
      expectedSum += x[i] * scale + 1;
    }
    EXPECT_EQ(counts[0], 2);
    EXPECT_EQ(counts[1], 1);
    EXPECT_DOUBLE_EQ(sum, expectedSum);
  }
};

class RunTest : public ::testing::Test {
protected:
  void SetUp() override {
    qc_status_t status = qc_context_create(&context);
    ASSERT_EQ(status, nullptr) << qc_status_message(status);
  }
  void TearDown() override { qc_context_destroy(context); }

  // Runs with `b`'s arrays and expects INVALID_ARGUMENT with `message`,
  // and that no output was written.
  void expectInvalid(Buffers &b, const std::string &message,
                     size_t inputCount = 2, size_t outputCount = 3) {
    qc_status_t status =
        qc_context_run(context, b.inputs, inputCount, b.outputs, outputCount);
    EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
    EXPECT_EQ(std::string(qc_status_message(status)), message);
    qc_status_free(status);
    for (float v : b.y)
      EXPECT_EQ(v, 0.0f) << "an output was written by a rejected run";
    EXPECT_EQ(b.total, 0.0);
  }

  qc_context_t *context = nullptr;
};

TEST_F(RunTest, CallerOwnedOutputs) {
  Buffers b;
  Buffers original;
  qc_status_t status = qc_context_run(context, b.inputs, 2, b.outputs, 3);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);
  b.expectResults(b.y, b.positives, b.total);
  EXPECT_EQ(std::memcmp(b.x, original.x, sizeof(b.x)), 0);
  EXPECT_EQ(b.scale, original.scale);
  // The caller's descriptions are left as they were.
  EXPECT_EQ(b.outputs[0].data, b.y);
  EXPECT_EQ(b.outputs[0].dims, kMatrixDims);
}

TEST_F(RunTest, LibraryOwnedOutputs) {
  Buffers b;
  for (qc_tensor_t &output : b.outputs)
    output = qc_tensor_t{};
  qc_status_t status = qc_context_run(context, b.inputs, 2, b.outputs, 3);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);

  const qc_tensor_t &y = b.outputs[0];
  ASSERT_NE(y.data, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(y.data) % 64, 0u);
  EXPECT_EQ(y.dtype, QC_DTYPE_F32);
  ASSERT_EQ(y.rank, 2);
  EXPECT_EQ(y.dims[0], 2);
  EXPECT_EQ(y.dims[1], 3);
  EXPECT_EQ(y.byte_size, 24u);
  EXPECT_EQ(b.outputs[1].dtype, QC_DTYPE_I64);
  EXPECT_EQ(b.outputs[1].byte_size, 16u);
  EXPECT_EQ(b.outputs[2].rank, 0);
  EXPECT_EQ(b.outputs[2].byte_size, 8u);
  b.expectResults(static_cast<float *>(y.data),
                  static_cast<int64_t *>(b.outputs[1].data),
                  *static_cast<double *>(b.outputs[2].data));

  // Passing the filled-in array again treats the buffers as the caller's.
  b.scale = 3;
  status = qc_context_run(context, b.inputs, 2, b.outputs, 3);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);
  b.expectResults(static_cast<float *>(b.outputs[0].data),
                  static_cast<int64_t *>(b.outputs[1].data),
                  *static_cast<double *>(b.outputs[2].data));
}

TEST_F(RunTest, MixedOwnership) {
  Buffers b;
  b.outputs[1] = qc_tensor_t{};
  qc_status_t status = qc_context_run(context, b.inputs, 2, b.outputs, 3);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);
  EXPECT_EQ(b.outputs[0].data, b.y);
  ASSERT_NE(b.outputs[1].data, nullptr);
  b.expectResults(b.y, static_cast<int64_t *>(b.outputs[1].data), b.total);
}

TEST_F(RunTest, LargerBuffersAreFine) {
  Buffers b;
  b.inputs[0].byte_size = 1000;
  EXPECT_EQ(qc_context_run(context, b.inputs, 2, b.outputs, 3), nullptr);
}

TEST_F(RunTest, RejectsNullContext) {
  Buffers b;
  qc_status_t status = qc_context_run(nullptr, b.inputs, 2, b.outputs, 3);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_STREQ(qc_status_message(status), "context is NULL");
  qc_status_free(status);
}

TEST_F(RunTest, RejectsWrongCounts) {
  Buffers b;
  expectInvalid(b, "expected 2 inputs, got 1", 1, 3);
  expectInvalid(b, "expected 2 inputs, got 3", 3, 3);
  expectInvalid(b, "expected 3 outputs, got 2", 2, 2);
}

TEST_F(RunTest, RejectsNullArrays) {
  Buffers b;
  qc_status_t status = qc_context_run(context, nullptr, 2, b.outputs, 3);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_STREQ(qc_status_message(status), "inputs is NULL but input_count is 2");
  qc_status_free(status);
  status = qc_context_run(context, b.inputs, 2, nullptr, 3);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_STREQ(qc_status_message(status),
               "outputs is NULL but output_count is 3");
  qc_status_free(status);
}

TEST_F(RunTest, RejectsWrongDtype) {
  Buffers b;
  b.inputs[0].dtype = QC_DTYPE_F64;
  expectInvalid(b, "input 'x': expected dtype f32, got f64");
  b.inputs[0].dtype = qc_dtype_t(42);
  expectInvalid(b, "input 'x': expected dtype f32, got unknown (42)");
}

TEST_F(RunTest, RejectsWrongRank) {
  Buffers b;
  const int64_t threeDims[] = {2, 3, 1};
  b.inputs[0].rank = 3;
  b.inputs[0].dims = threeDims;
  expectInvalid(b, "input 'x': expected dims [2, 3], got [2, 3, 1]");
  b.inputs[0].rank = -1;
  expectInvalid(b, "input 'x': expected rank 2, got rank -1");
  b.inputs[0].rank = 2;
  b.inputs[0].dims = nullptr;
  expectInvalid(b, "input 'x': expected rank 2, got rank 2 with dims NULL");
}

TEST_F(RunTest, RejectsRankOneForAScalar) {
  Buffers b;
  const int64_t one[] = {1};
  b.inputs[1].rank = 1;
  b.inputs[1].dims = one;
  expectInvalid(b, "input 'scale factor': expected dims [], got [1]");
}

TEST_F(RunTest, RejectsWrongDim) {
  Buffers b;
  const int64_t wrong[] = {2, 4};
  b.inputs[0].dims = wrong;
  expectInvalid(b, "input 'x': expected dims [2, 3], got [2, 4]");
}

TEST_F(RunTest, RejectsNullData) {
  Buffers b;
  b.inputs[1].data = nullptr;
  expectInvalid(b, "input 'scale factor': data is NULL");
}

TEST_F(RunTest, RejectsSmallBuffer) {
  Buffers b;
  b.inputs[0].byte_size = 20;
  expectInvalid(b,
                "input 'x': buffer too small: byte_size is 20, f32[2, 3] needs 24");
  b.inputs[0].byte_size = 24;
  b.outputs[2].byte_size = 4;
  expectInvalid(b,
                "output 'total': buffer too small: byte_size is 4, f64[] needs 8");
}

TEST_F(RunTest, ValidatesCallerOwnedOutputs) {
  Buffers b;
  b.outputs[0].dtype = QC_DTYPE_F16;
  expectInvalid(b, "output 'y': expected dtype f32, got f16");
  b.outputs[0].dtype = QC_DTYPE_F32;
  const int64_t three[] = {3};
  b.outputs[1].dims = three;
  expectInvalid(b, "output 'positives': expected dims [2], got [3]");
}

TEST_F(RunTest, RejectedRunLeavesLibraryOwnedOutputsAlone) {
  Buffers b;
  b.outputs[0] = qc_tensor_t{};
  b.inputs[0].dtype = QC_DTYPE_I32;
  expectInvalid(b, "input 'x': expected dtype f32, got i32");
  EXPECT_EQ(b.outputs[0].data, nullptr);
  EXPECT_EQ(b.outputs[0].dims, nullptr);
}

// Separate contexts on separate threads must not interfere (no global state).
TEST(RunThreadsTest, TwoContextsOnTwoThreads) {
  auto work = [](float scale, bool *ok) {
    qc_context_t *context = nullptr;
    qc_status_t status = qc_context_create(&context);
    if (status) {
      qc_status_free(status);
      return;
    }
    bool allGood = true;
    for (int iteration = 0; iteration < 2000 && allGood; ++iteration) {
      Buffers b;
      b.scale = scale;
      b.outputs[0] = qc_tensor_t{};
      status = qc_context_run(context, b.inputs, 2, b.outputs, 3);
      if (status) {
        qc_status_free(status);
        allGood = false;
        break;
      }
      const float *y = static_cast<const float *>(b.outputs[0].data);
      for (int i = 0; i < 6; ++i)
        allGood &= y[i] == b.x[i] * scale + 1;
    }
    qc_context_destroy(context);
    *ok = allGood;
  };
  bool ok1 = false, ok2 = false;
  std::thread t1(work, 2.0f, &ok1);
  std::thread t2(work, -0.5f, &ok2);
  t1.join();
  t2.join();
  EXPECT_TRUE(ok1);
  EXPECT_TRUE(ok2);
}

// Models with zero-element tensors, built from a signature of our own.
int zeroEntryCalls = 0;
void zeroEntry(void **args) {
  ++zeroEntryCalls;
  // The descriptors still carry real pointers and the shape.
  const int64_t *input = static_cast<const int64_t *>(args[0]);
  EXPECT_NE(input[1], 0);
  EXPECT_EQ(input[3], 0); // sizes[0]
  EXPECT_EQ(input[4], 3); // sizes[1]
}

TEST(RunZeroSizeTest, ZeroElementTensors) {
  qc_context_t *context = nullptr;
  qc_status_t status = qc::createContext(
      "quantc-signature 2\nmodel zero\nresults out-params\n"
      "input e f32 2 0 3\noutput o u8 1 0\n",
      zeroEntry, &context);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);
  const int64_t dims[] = {0, 3};
  float dummy;
  qc_tensor_t input = {QC_DTYPE_F32, 2, dims, &dummy, 0};
  qc_tensor_t output = {};
  status = qc_context_run(context, &input, 1, &output, 1);
  ASSERT_EQ(status, nullptr) << qc_status_message(status);
  EXPECT_EQ(zeroEntryCalls, 1);
  EXPECT_NE(output.data, nullptr);
  EXPECT_EQ(output.byte_size, 0u);
  EXPECT_EQ(output.dtype, QC_DTYPE_U8);
  qc_context_destroy(context);
}

// A model with run-time dims: y = concat(x, x) for x of any length n in
// 1..4 and a second input `w` whose dim shares x's name. Like compiled code,
// it allocates its output with malloc and returns it (results "returned").
void doublingEntry(void **args) {
  int64_t *result = static_cast<int64_t *>(args[0]);
  const int64_t *x = static_cast<const int64_t *>(args[1]);
  const float *data;
  memcpy(&data, &x[1], sizeof(data));
  int64_t n = x[3];
  float *y = static_cast<float *>(malloc(sizeof(float) * size_t(2 * n) + 1));
  for (int64_t i = 0; i < 2 * n; ++i)
    y[i] = data[i % n];
  memcpy(&result[0], &y, sizeof(y));
  memcpy(&result[1], &y, sizeof(y));
  result[2] = 0;
  result[3] = 2 * n; // sizes[0]
  result[4] = 1;     // strides[0]
}

class RunTimeDimsTest : public ::testing::Test {
protected:
  void SetUp() override {
    qc_status_t status = qc::createContext(
        "quantc-signature 2\nmodel doubling\nresults returned\n"
        "input x f32 1 ?1:4:n\ninput w f32 2 ?0:-1:n 2\n"
        "output y f32 1 ?0:-1:\n",
        doublingEntry, &context);
    ASSERT_EQ(status, nullptr) << qc_status_message(status);
  }
  void TearDown() override { qc_context_destroy(context); }

  std::string runError(int64_t n, int64_t wRows, qc_tensor_t *output) {
    const int64_t xDims[] = {n}, wDims[] = {wRows, 2};
    qc_tensor_t inputs[] = {{QC_DTYPE_F32, 1, xDims, x, sizeof(float) * n},
                            {QC_DTYPE_F32, 2, wDims, w, sizeof(w)}};
    qc_status_t status = qc_context_run(context, inputs, 2, output, 1);
    std::string message = qc_status_message(status);
    EXPECT_EQ(qc_status_code(status),
              status ? QC_STATUS_INVALID_ARGUMENT : QC_STATUS_OK);
    qc_status_free(status);
    return message;
  }

  qc_context_t *context = nullptr;
  float x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  float w[16] = {};
};

TEST_F(RunTimeDimsTest, DescribesRunTimeDims) {
  qc_tensor_info_t info;
  ASSERT_EQ(qc_context_input_info(context, 0, &info), nullptr);
  EXPECT_EQ(info.dims[0], -1);
  EXPECT_EQ(info.min_dims[0], 1);
  EXPECT_EQ(info.max_dims[0], 4);
  EXPECT_STREQ(info.dim_names[0], "n");
  ASSERT_EQ(qc_context_output_info(context, 0, &info), nullptr);
  EXPECT_EQ(info.dims[0], -1);
  EXPECT_EQ(info.max_dims[0], -1);
}

TEST_F(RunTimeDimsTest, LibraryOwnedOutputsGetTheRunsDims) {
  for (int64_t n : {3, 1, 4}) {
    qc_tensor_t y = {};
    ASSERT_EQ(runError(n, n, &y), "");
    ASSERT_EQ(y.rank, 1);
    EXPECT_EQ(y.dims[0], 2 * n);
    EXPECT_EQ(y.byte_size, sizeof(float) * size_t(2 * n));
    const float *data = static_cast<const float *>(y.data);
    for (int64_t i = 0; i < 2 * n; ++i)
      EXPECT_EQ(data[i], x[i % n]);
  }
}

TEST_F(RunTimeDimsTest, CallerOwnedOutputsMustMatchTheRun) {
  float y[8] = {};
  const int64_t right[] = {6}, wrong[] = {5};
  qc_tensor_t out = {QC_DTYPE_F32, 1, wrong, y, sizeof(y)};
  EXPECT_EQ(runError(3, 3, &out),
            "output 'y': the run produced dims [6] (24 bytes), but the "
            "caller's buffer has dims [5] and byte_size 32; pass data NULL to "
            "get a buffer of the right size");
  EXPECT_EQ(y[0], 0.0f);
  out.dims = right;
  EXPECT_EQ(runError(3, 3, &out), "");
  EXPECT_EQ(y[5], 3.0f);
}

TEST_F(RunTimeDimsTest, RejectsDimsOutsideBoundsAndDisagreeingNames) {
  qc_tensor_t y = {};
  EXPECT_EQ(runError(5, 5, &y),
            "input 'x': dim 0 ('n') is 5, outside the compiled bounds 1..4 "
            "(recompile with another --shape or --dim to change them)");
  EXPECT_EQ(runError(0, 0, &y),
            "input 'x': dim 0 ('n') is 0, outside the compiled bounds 1..4 "
            "(recompile with another --shape or --dim to change them)");
  EXPECT_EQ(runError(2, 3, &y),
            "input 'w': dim 0 ('n') is 3, but input 'x' dim 0, which the "
            "model names the same, is 2");
  EXPECT_EQ(y.data, nullptr);
}

} // namespace
