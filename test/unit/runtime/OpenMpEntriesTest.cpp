//===- OpenMpEntriesTest.cpp - The libomp calls compiled loops make -------===//
//
// The sequence LLVM's OpenMP IR builder emits for an omp.parallel holding
// one static worksharing loop with nowait (qc-parallelize-loops): fork, in
// each member the thread number and its share of [0, trip - 1], fini. Every
// iteration must run exactly once, whatever the thread count and however the
// pool hands out the members.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelContext.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

extern "C" {
struct ident_t;
int32_t __kmpc_global_thread_num(ident_t *);
void __kmpc_fork_call(ident_t *, int32_t argc, void (*fn)(int32_t *, int32_t *, ...), ...);
void __kmpc_for_static_init_8u(ident_t *, int32_t gtid, int32_t schedule,
                               int32_t *lastIter, uint64_t *lower,
                               uint64_t *upper, int64_t *stride, int64_t incr,
                               int64_t chunk);
void __kmpc_for_static_fini(ident_t *, int32_t gtid);
}

namespace {

using namespace qc::kernels;

struct Loop {
  uint64_t trip;
  std::vector<std::atomic<int>> hits;
  std::atomic<int> lastIters{0};
  std::atomic<bool> badThreadNumber{false};
  explicit Loop(uint64_t trip) : trip(trip), hits(trip) {}
};

// What the IR builder outlines: the member's share, then the loop over it.
void outlinedRegion(int32_t *gtid, int32_t *, void *raw) {
  Loop &loop = *static_cast<Loop *>(raw);
  int32_t thread = __kmpc_global_thread_num(nullptr);
  if (thread != *gtid)
    loop.badThreadNumber = true;
  int32_t last = 0;
  uint64_t lower = 0, upper = loop.trip - 1;
  int64_t stride = 1;
  __kmpc_for_static_init_8u(nullptr, thread, /*kmp_sch_static*/ 34, &last,
                            &lower, &upper, &stride, 1, 0);
  for (uint64_t i = lower; i <= upper && i < loop.trip; ++i)
    loop.hits[i]++;
  if (last)
    loop.lastIters++;
  __kmpc_for_static_fini(nullptr, thread);
}

void runLoop(Loop &loop) {
  __kmpc_fork_call(nullptr, 1,
                   reinterpret_cast<void (*)(int32_t *, int32_t *, ...)>(
                       outlinedRegion),
                   &loop);
}

void expectEachIterationOnce(Loop &loop, const char *where) {
  for (uint64_t i = 0; i < loop.trip; ++i)
    ASSERT_EQ(loop.hits[i].load(), 1) << where << ": iteration " << i
                                      << " of " << loop.trip;
  EXPECT_EQ(loop.lastIters.load(), 1) << where;
  EXPECT_FALSE(loop.badThreadNumber) << where;
}

TEST(OpenMpEntriesTest, EveryIterationOnceOnOneToThreeThreads) {
  for (int threads : {1, 2, 3}) {
    KernelContext context;
    ASSERT_TRUE(initKernelContext(&context, threads));
    {
      CurrentKernelContext current(&context);
      // Fewer iterations than threads, uneven shares, many rounds.
      for (uint64_t trip : {1, 2, 3, 7, 128, 1001})
        for (int round = 0; round < 20; ++round) {
          Loop loop(trip);
          runLoop(loop);
          expectEachIterationOnce(loop, "in a run");
        }
    }
    releaseKernelContext(&context);
  }
}

TEST(OpenMpEntriesTest, OutsideARunTheRegionRunsOnTheCaller) {
  Loop loop(37);
  runLoop(loop);
  expectEachIterationOnce(loop, "outside a run");
}

// A region inside a region (none is compiled today) runs as a team of one
// on the member's thread rather than waiting for the busy pool.
void nestedRegion(int32_t *, int32_t *, void *raw) {
  runLoop(*static_cast<Loop *>(raw));
}

TEST(OpenMpEntriesTest, NestedRegionRunsOnItsThread) {
  KernelContext context;
  ASSERT_TRUE(initKernelContext(&context, 2));
  {
    CurrentKernelContext current(&context);
    Loop loop(50);
    __kmpc_fork_call(nullptr, 1,
                     reinterpret_cast<void (*)(int32_t *, int32_t *, ...)>(
                         nestedRegion),
                     &loop);
    // Each of the two outer members ran the whole inner loop once.
    for (uint64_t i = 0; i < loop.trip; ++i)
      ASSERT_EQ(loop.hits[i].load(), 2) << "iteration " << i;
  }
  releaseKernelContext(&context);
}

} // namespace
