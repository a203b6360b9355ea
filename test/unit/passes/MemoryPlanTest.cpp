//===- MemoryPlanTest.cpp - Arena placement from lifetimes ----------------===//
#include "passes/memory/MemoryPlan.h"

#include <gtest/gtest.h>

#include <random>

using quantc::memory::BufferLifetime;
using quantc::memory::MemoryPlan;
using quantc::memory::planArena;

namespace {

// Two buffers live at a common position never share a byte.
void expectNoOverlap(const std::vector<BufferLifetime> &buffers,
                     const MemoryPlan &plan) {
  auto root = [&](size_t b) {
    while (buffers[b].inPlaceOf >= 0)
      b = buffers[b].inPlaceOf;
    return b;
  };
  for (size_t a = 0; a < buffers.size(); ++a) {
    EXPECT_EQ(plan.offsets[a] % 64, 0) << "buffer " << a;
    EXPECT_LE(plan.offsets[a] + buffers[a].bytes, plan.arenaBytes);
    for (size_t b = a + 1; b < buffers.size(); ++b) {
      if (root(a) == root(b) || !buffers[a].bytes || !buffers[b].bytes)
        continue;
      bool together = buffers[a].first <= buffers[b].last &&
                      buffers[b].first <= buffers[a].last;
      bool apart = plan.offsets[a] + buffers[a].bytes <= plan.offsets[b] ||
                   plan.offsets[b] + buffers[b].bytes <= plan.offsets[a];
      EXPECT_TRUE(!together || apart) << "buffers " << a << " and " << b;
    }
  }
}

TEST(MemoryPlan, BuffersLiveAtDifferentTimesShareMemory) {
  std::vector<BufferLifetime> buffers{{1000, 0, 1}, {1000, 2, 3}, {640, 4, 5}};
  MemoryPlan plan = planArena(buffers, 64);
  EXPECT_EQ(plan.arenaBytes, 1024);
  EXPECT_EQ(plan.lowerBoundBytes, 1024);
  EXPECT_EQ(plan.naiveBytes, 1024 + 1024 + 640);
  EXPECT_EQ(plan.offsets, (std::vector<int64_t>{0, 0, 0}));
}

TEST(MemoryPlan, BuffersLiveTogetherDoNot) {
  // Meeting at one position (2) is living together.
  std::vector<BufferLifetime> buffers{{128, 0, 2}, {64, 2, 3}, {64, 1, 1}};
  MemoryPlan plan = planArena(buffers, 64);
  EXPECT_EQ(plan.lowerBoundBytes, 192);
  EXPECT_EQ(plan.arenaBytes, 192);
  expectNoOverlap(buffers, plan);
}

TEST(MemoryPlan, InPlaceBuffersShareOneSlot) {
  // 1 is computed in place of 0 at position 2, 2 in place of 1 at 4.
  std::vector<BufferLifetime> buffers{
      {256, 0, 2}, {256, 2, 4, 0}, {256, 4, 6, 1}, {64, 1, 5}};
  MemoryPlan plan = planArena(buffers, 64);
  EXPECT_EQ(plan.offsets[0], plan.offsets[1]);
  EXPECT_EQ(plan.offsets[1], plan.offsets[2]);
  EXPECT_EQ(plan.arenaBytes, 320);
  EXPECT_EQ(plan.lowerBoundBytes, 320);
  expectNoOverlap(buffers, plan);
}

TEST(MemoryPlan, BestFitTakesTheSmallestGapThatFits) {
  // 0 and 1 leave a 128-byte hole at [256, 384) and 2 frees [0, 256) early;
  // the 128-byte buffer 4, live with 0 and 1 only, goes in the hole, and
  // buffer 3 takes 2's place.
  std::vector<BufferLifetime> buffers{
      {256, 0, 9}, {512, 0, 9}, {256, 0, 1}, {256, 2, 9}, {128, 5, 6}};
  MemoryPlan plan = planArena(buffers, 64);
  expectNoOverlap(buffers, plan);
  EXPECT_EQ(plan.arenaBytes, plan.lowerBoundBytes);
}

TEST(MemoryPlan, EmptyAndZeroSized) {
  EXPECT_EQ(planArena({}, 64).arenaBytes, 0);
  MemoryPlan plan = planArena({{0, 0, 3}, {64, 1, 2}}, 64);
  EXPECT_EQ(plan.arenaBytes, 64);
  EXPECT_EQ(plan.offsets[0], 0);
}

TEST(MemoryPlan, RandomLifetimesNeverOverlapAndStayNearTheBound) {
  std::mt19937 rng(7);
  double worst = 1;
  int atTheBound = 0;
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<BufferLifetime> buffers;
    int n = 1 + rng() % 40;
    for (int i = 0; i < n; ++i) {
      int64_t first = rng() % 50, length = rng() % 10;
      buffers.push_back({int64_t(1 + rng() % 100000), first, first + length});
    }
    MemoryPlan plan = planArena(buffers, 64);
    expectNoOverlap(buffers, plan);
    EXPECT_GE(plan.arenaBytes, plan.lowerBoundBytes);
    EXPECT_LE(plan.lowerBoundBytes, plan.naiveBytes);
    worst = std::max(worst, double(plan.arenaBytes) / plan.lowerBoundBytes);
    atTheBound += plan.arenaBytes == plan.lowerBoundBytes;
  }
  // Greedy placement is a heuristic, and random lifetimes are harder than a
  // network's chains. Greedy by size alone reaches the bound on 139 of
  // these 200 (worst 1.23x); with the breadth order and 400 perturbations
  // of the two orders, on 199 (worst 1.13x); climbing from each order,
  // 1000 trials in all, on 199 (worst 1.08x).
  EXPECT_GE(atTheBound, 195);
  EXPECT_LT(worst, 1.1);
}

} // namespace
