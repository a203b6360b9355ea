//===- ContextTest.cpp - Context creation, queries, status, dtypes --------===//

#include "Context.h"
#include "FakeModel.h"
#include "kernels/KernelEntries.h"

#include "quantc/runtime.h"

#include <gtest/gtest.h>

#include <string>

// runtime/src/kernels/ArenaEntry.cpp, as the model's code calls it.
extern "C" void
_mlir_ciface_qc_runtime_arena(qc::kernels::MemRef<1, uint8_t> *out, int64_t bytes,
                              int64_t offset, int64_t size);

namespace {

void noEntry(void **) {}

std::string messageOf(qc_status_t status) { return qc_status_message(status); }

TEST(StatusTest, NullMeansSuccess) {
  EXPECT_EQ(qc_status_code(nullptr), QC_STATUS_OK);
  EXPECT_STREQ(qc_status_message(nullptr), "");
  qc_status_free(nullptr);
}

TEST(DtypeTest, SizesAndNames) {
  struct {
    qc_dtype_t dtype;
    size_t size;
    const char *name;
  } expected[] = {
      {QC_DTYPE_F32, 4, "f32"},  {QC_DTYPE_U8, 1, "u8"},
      {QC_DTYPE_I8, 1, "i8"},    {QC_DTYPE_U16, 2, "u16"},
      {QC_DTYPE_I16, 2, "i16"},  {QC_DTYPE_I32, 4, "i32"},
      {QC_DTYPE_I64, 8, "i64"},  {QC_DTYPE_BOOL, 1, "bool"},
      {QC_DTYPE_F16, 2, "f16"},  {QC_DTYPE_F64, 8, "f64"},
      {QC_DTYPE_U32, 4, "u32"},  {QC_DTYPE_U64, 8, "u64"},
      {QC_DTYPE_BF16, 2, "bf16"},
      {QC_DTYPE_F8E4M3FN, 1, "f8e4m3fn"},
      {QC_DTYPE_F8E4M3FNUZ, 1, "f8e4m3fnuz"},
      {QC_DTYPE_F8E5M2, 1, "f8e5m2"},
      {QC_DTYPE_F8E5M2FNUZ, 1, "f8e5m2fnuz"},
      {QC_DTYPE_F8E8M0, 1, "f8e8m0"},
      {QC_DTYPE_F4E2M1, 1, "f4e2m1"},
      {QC_DTYPE_I4, 1, "i4"},    {QC_DTYPE_U4, 1, "u4"},
      {QC_DTYPE_I2, 1, "i2"},    {QC_DTYPE_U2, 1, "u2"},
  };
  for (const auto &e : expected) {
    EXPECT_EQ(qc_dtype_size(e.dtype), e.size) << e.name;
    EXPECT_STREQ(qc_dtype_name(e.dtype), e.name);
  }
  for (int unknown : {0, 8, 14, 15, 27, -1, 1000}) {
    EXPECT_EQ(qc_dtype_size(qc_dtype_t(unknown)), 0u);
    EXPECT_STREQ(qc_dtype_name(qc_dtype_t(unknown)), "unknown");
  }
}

class ContextTest : public ::testing::Test {
protected:
  void SetUp() override {
    qc_status_t status = qc_context_create(&context);
    ASSERT_EQ(status, nullptr) << qc_status_message(status);
    ASSERT_NE(context, nullptr);
  }
  void TearDown() override { qc_context_destroy(context); }
  qc_context_t *context = nullptr;
};

TEST_F(ContextTest, DescribesTheModel) {
  EXPECT_STREQ(qc_context_model_name(context), "fake model");
  ASSERT_EQ(qc_context_input_count(context), 2u);
  ASSERT_EQ(qc_context_output_count(context), 3u);

  qc_tensor_info_t info;
  ASSERT_EQ(qc_context_input_info(context, 0, &info), nullptr);
  EXPECT_STREQ(info.name, "x");
  EXPECT_EQ(info.dtype, QC_DTYPE_F32);
  ASSERT_EQ(info.rank, 2);
  EXPECT_EQ(info.dims[0], 2);
  EXPECT_EQ(info.dims[1], 3);

  ASSERT_EQ(qc_context_input_info(context, 1, &info), nullptr);
  EXPECT_STREQ(info.name, "scale factor");
  EXPECT_EQ(info.rank, 0);

  ASSERT_EQ(qc_context_output_info(context, 1, &info), nullptr);
  EXPECT_STREQ(info.name, "positives");
  EXPECT_EQ(info.dtype, QC_DTYPE_I64);
  ASSERT_EQ(info.rank, 1);
  EXPECT_EQ(info.dims[0], 2);

  ASSERT_EQ(qc_context_output_info(context, 2, &info), nullptr);
  EXPECT_STREQ(info.name, "total");
  EXPECT_EQ(info.dtype, QC_DTYPE_F64);
  EXPECT_EQ(info.rank, 0);
}

TEST_F(ContextTest, RejectsIndexOutOfRange) {
  qc_tensor_info_t info;
  qc_status_t status = qc_context_input_info(context, 2, &info);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(messageOf(status),
            "input index 2 is out of range (the model has 2 inputs)");
  qc_status_free(status);

  status = qc_context_output_info(context, size_t(-1), &info);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(messageOf(status).find("output index"), std::string::npos);
  qc_status_free(status);
}

TEST_F(ContextTest, RejectsNullOutInfo) {
  qc_status_t status = qc_context_output_info(context, 0, nullptr);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(messageOf(status), "out_info is NULL");
  qc_status_free(status);
}

TEST(ContextNullTest, NullContextIsHandled) {
  EXPECT_STREQ(qc_context_model_name(nullptr), "");
  EXPECT_EQ(qc_context_input_count(nullptr), 0u);
  EXPECT_EQ(qc_context_output_count(nullptr), 0u);
  qc_tensor_info_t info;
  qc_status_t status = qc_context_input_info(nullptr, 0, &info);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(messageOf(status), "context is NULL");
  qc_status_free(status);
  qc_context_destroy(nullptr);
}

TEST(ContextCreateTest, RejectsNullOut) {
  qc_status_t status = qc_context_create(nullptr);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(messageOf(status), "out_context is NULL");
  qc_status_free(status);
}

TEST(ContextCreateTest, MalformedSignatureIsInternalError) {
  qc_context_t *context = reinterpret_cast<qc_context_t *>(0x1);
  qc_status_t status = qc::createContext(
      "quantc-signature 2\nmodel m\nresults out-params\ninput x f99 0\n", noEntry, &context);
  EXPECT_EQ(qc_status_code(status), QC_STATUS_INTERNAL);
  EXPECT_NE(messageOf(status).find("unknown dtype 'f99'"), std::string::npos)
      << messageOf(status);
  EXPECT_EQ(context, nullptr);
  qc_status_free(status);
}

TEST(ContextCreateTest, ModelWithoutTensors) {
  qc_context_t *context = nullptr;
  qc_status_t status =
      qc::createContext(
      "quantc-signature 2\nmodel empty\nresults out-params\n", noEntry,
      &context);
  ASSERT_EQ(status, nullptr) << messageOf(status);
  EXPECT_EQ(qc_context_input_count(context), 0u);
  EXPECT_EQ(qc_context_output_count(context), 0u);
  // No tensors: NULL arrays with zero counts are a valid run.
  EXPECT_EQ(qc_context_run(context, nullptr, 0, nullptr, 0), nullptr);
  qc_context_destroy(context);
}

// The arena the model's plan asks for is there before the first run, keeps
// its memory across a change of threads, and is where the model's code gets
// its buffers' slices.
namespace arena {
void *seen = nullptr;
int64_t seenBytes = 0;
void entryAskingForArena(void **) {
  qc::kernels::MemRef<1, uint8_t> arena;
  _mlir_ciface_qc_runtime_arena(&arena, 4096, 1024, 512);
  seen = arena.aligned;
  seenBytes = arena.sizes[0];
}
} // namespace arena

TEST(ContextCreateTest, ArenaIsReservedOnceAndKept) {
  qc_context_t *context = nullptr;
  qc_status_t status = qc::createContext(
      "quantc-signature 2\nmodel planned\nresults out-params\n",
      arena::entryAskingForArena, &context, 4096);
  ASSERT_EQ(status, nullptr) << messageOf(status);
  void *base = context->kernels.arena.base;
  ASSERT_NE(base, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(base) % 64, 0u);
  EXPECT_EQ(context->kernels.arena.bytes, 4096u);
  ASSERT_EQ(qc_context_set_threads(context, 2), nullptr);
  EXPECT_EQ(context->kernels.arena.base, base);
  EXPECT_EQ(qc_context_run(context, nullptr, 0, nullptr, 0), nullptr);
  // The slice asked for: 512 bytes at offset 1024.
  EXPECT_EQ(arena::seen, static_cast<uint8_t *>(base) + 1024);
  EXPECT_EQ(arena::seenBytes, 512);
  qc_context_destroy(context);
}

} // namespace
