//===- MemoryPlan.h - Offsets in one arena from buffer lifetimes -*- C++ -*-===//
//
// The arithmetic of memory planning, apart from the IR (qc-plan-memory finds
// the buffers and rewrites them): given each buffer's size and the span of
// program positions where it is live, give every buffer an offset in one
// arena such that buffers live at the same time never overlap.
//
// Placement is greedy with best fit (Pisarchyk & Lee, "Efficient Memory
// Management for Deep Neural Net Inference", 2020): buffers in some order,
// each at the smallest gap left between the buffers already placed that it
// meets in time, or above them all when no gap fits. The orders tried are
// theirs (by size, largest first; by breadth, the buffers live at the
// fullest positions first) and then a few hundred perturbations of them,
// stopping at the lower bound; the smallest arena is kept. It is not
// optimal in general (that is NP-hard), which is why the plan also reports
// the liveness lower bound: no arena can be smaller than the most bytes
// live at once.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_MEMORY_MEMORYPLAN_H
#define QUANTC_PASSES_MEMORY_MEMORYPLAN_H

#include <cstdint>
#include <vector>

namespace quantc::memory {

struct BufferLifetime {
  int64_t bytes;
  // Live from position `first` through position `last`, both included.
  int64_t first, last;
  // A buffer computed in place of another (an elementwise op reading that one
  // for the last time as it writes this one) shares its slot: the index of
  // that buffer, or -1. The two meet only at the op itself.
  int64_t inPlaceOf = -1;
};

struct MemoryPlan {
  std::vector<int64_t> offsets; // per buffer, a multiple of the alignment
  int64_t arenaBytes = 0;
  // Max over positions of the bytes live there (a slot shared in place
  // counts once), each buffer rounded up to the alignment.
  int64_t lowerBoundBytes = 0;
  // Every buffer its own memory: the sum of their (rounded) sizes.
  int64_t naiveBytes = 0;
};

// `alignment` is a power of two. Buffers of 0 bytes get offset 0.
MemoryPlan planArena(const std::vector<BufferLifetime> &buffers,
                     int64_t alignment);

} // namespace quantc::memory

#endif // QUANTC_PASSES_MEMORY_MEMORYPLAN_H
