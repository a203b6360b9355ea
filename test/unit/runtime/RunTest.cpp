//===- RunTest.cpp - qc_context_run: results, ownership, validation -------===//

#include "Context.h"
#include "FakeModel.h"

#include "quantc/runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
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
      "quantc-signature 1\nmodel zero\ninput e f32 2 0 3\noutput o u8 1 0\n",
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

} // namespace
