//===- HeapEntryTest.cpp - The model's heap buffers, reused across runs ---===//
//
// MLIR's generic allocation functions as the runtime serves them
// (HeapEntry.cpp): on a run's thread a large freed block comes back for the
// next allocation of about its size; a much smaller one, a small block, or
// an allocation outside a run goes to malloc; the context's release frees
// what it keeps.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelContext.h"

#include <gtest/gtest.h>

#include <stdint.h>
#include <string.h>

extern "C" {
void *_mlir_memref_to_llvm_alloc(uint64_t bytes);
void _mlir_memref_to_llvm_free(void *block);
}

namespace {

using namespace qc::kernels;

constexpr uint64_t kLarge = 1 << 20;

struct HeapEntryTest : ::testing::Test {
  void SetUp() override { ASSERT_TRUE(initKernelContext(&context, 1)); }
  void TearDown() override { releaseKernelContext(&context); }
  KernelContext context;
};

TEST_F(HeapEntryTest, ReusesAFreedLargeBlockInARun) {
  CurrentKernelContext current(&context);
  void *first = _mlir_memref_to_llvm_alloc(kLarge);
  ASSERT_NE(first, nullptr);
  memset(first, 1, kLarge);
  _mlir_memref_to_llvm_free(first);
  EXPECT_EQ(context.heap.count, 1);
  // The same size, and a little less, get the cached block back.
  void *again = _mlir_memref_to_llvm_alloc(kLarge - 100);
  EXPECT_EQ(again, first);
  EXPECT_EQ(context.heap.count, 0);
  _mlir_memref_to_llvm_free(again);
  // Less than half of it gets new memory, and the block stays cached.
  void *small = _mlir_memref_to_llvm_alloc(kLarge / 4);
  EXPECT_NE(small, first);
  EXPECT_EQ(context.heap.count, 1);
  _mlir_memref_to_llvm_free(small);
  EXPECT_EQ(context.heap.count, 2);
  // A larger request than any cached block gets new memory.
  void *larger = _mlir_memref_to_llvm_alloc(2 * kLarge);
  EXPECT_NE(larger, first);
  memset(larger, 2, 2 * kLarge);
  _mlir_memref_to_llvm_free(larger);
  releaseHeapCache(&context.heap);
  EXPECT_EQ(context.heap.count, 0);
}

TEST_F(HeapEntryTest, SmallBlocksAndBlocksOutsideARunAreNotKept) {
  {
    CurrentKernelContext current(&context);
    _mlir_memref_to_llvm_free(_mlir_memref_to_llvm_alloc(256));
    _mlir_memref_to_llvm_free(nullptr);
    EXPECT_EQ(context.heap.count, 0);
  }
  // No current context (a worker thread, or no run): malloc and free.
  void *block = _mlir_memref_to_llvm_alloc(kLarge);
  ASSERT_NE(block, nullptr);
  _mlir_memref_to_llvm_free(block);
  EXPECT_EQ(context.heap.count, 0);
}

TEST_F(HeapEntryTest, AFullCacheKeepsTheLargestBlocks) {
  CurrentKernelContext current(&context);
  void *blocks[kHeapCacheSlots + 1];
  for (int i = 0; i <= kHeapCacheSlots; ++i)
    blocks[i] = _mlir_memref_to_llvm_alloc(kLarge + uint64_t(i) * 4096);
  for (int i = 0; i <= kHeapCacheSlots; ++i)
    _mlir_memref_to_llvm_free(blocks[i]);
  ASSERT_EQ(context.heap.count, kHeapCacheSlots);
  // The smallest (the first) was evicted: every kept block is larger.
  for (int i = 0; i < context.heap.count; ++i)
    EXPECT_GT(context.heap.bytes[i], kLarge + 2048);
}

} // namespace
