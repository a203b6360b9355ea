//===- MemoryPlan.cpp - Greedy-by-size arena placement ---------------------===//
#include "passes/memory/MemoryPlan.h"

#include <algorithm>
#include <numeric>

namespace quantc::memory {
namespace {

int64_t roundUp(int64_t bytes, int64_t alignment) {
  return (bytes + alignment - 1) & ~(alignment - 1);
}

// A slot is what gets an offset: a buffer and every buffer computed in place
// of it, live from the first's `first` to the last's `last`.
struct Slot {
  int64_t bytes = 0, first = 0, last = -1;
  int64_t offset = -1;
  bool meets(const Slot &other) const {
    return first <= other.last && other.first <= last;
  }
};

int64_t slotOf(const std::vector<BufferLifetime> &buffers, int64_t b) {
  while (buffers[b].inPlaceOf >= 0)
    b = buffers[b].inPlaceOf;
  return b;
}

} // namespace

MemoryPlan planArena(const std::vector<BufferLifetime> &buffers,
                     int64_t alignment) {
  MemoryPlan plan;
  size_t n = buffers.size();
  std::vector<Slot> slots(n);
  std::vector<int64_t> slotIndex(n);
  for (size_t b = 0; b < n; ++b) {
    int64_t s = slotOf(buffers, b);
    slotIndex[b] = s;
    Slot &slot = slots[s];
    int64_t bytes = roundUp(buffers[b].bytes, alignment);
    plan.naiveBytes += bytes;
    if (slot.last < slot.first) { // first member seen
      slot.first = buffers[b].first;
      slot.last = buffers[b].last;
    }
    slot.bytes = std::max(slot.bytes, bytes);
    slot.first = std::min(slot.first, buffers[b].first);
    slot.last = std::max(slot.last, buffers[b].last);
  }

  // Lower bound: a sweep over the positions where slots begin and end.
  std::vector<std::pair<int64_t, int64_t>> events; // (position, +-bytes)
  for (size_t s = 0; s < n; ++s)
    if (slotIndex[s] == int64_t(s) && slots[s].bytes) {
      events.push_back({slots[s].first, slots[s].bytes});
      events.push_back({slots[s].last + 1, -slots[s].bytes});
    }
  // At one position, ends (at last + 1) come before beginnings.
  std::sort(events.begin(), events.end());
  int64_t live = 0;
  for (auto &[position, delta] : events) {
    live += delta;
    plan.lowerBoundBytes = std::max(plan.lowerBoundBytes, live);
  }

  // Greedy by size, largest first; ties by earlier start for a stable plan.
  std::vector<int64_t> order;
  for (size_t s = 0; s < n; ++s)
    if (slotIndex[s] == int64_t(s))
      order.push_back(s);
  std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
    if (slots[a].bytes != slots[b].bytes)
      return slots[a].bytes > slots[b].bytes;
    return slots[a].first < slots[b].first;
  });
  std::vector<int64_t> placed;
  for (int64_t s : order) {
    Slot &slot = slots[s];
    if (!slot.bytes) {
      slot.offset = 0;
      continue;
    }
    // The placed slots this one meets in time, by offset.
    std::vector<const Slot *> conflicts;
    for (int64_t p : placed)
      if (slots[p].meets(slot))
        conflicts.push_back(&slots[p]);
    std::sort(conflicts.begin(), conflicts.end(),
              [](const Slot *a, const Slot *b) { return a->offset < b->offset; });
    int64_t best = -1, bestGap = INT64_MAX, top = 0;
    for (const Slot *c : conflicts) {
      int64_t gap = c->offset - top;
      if (gap >= slot.bytes && gap < bestGap) {
        best = top;
        bestGap = gap;
      }
      top = std::max(top, c->offset + c->bytes);
    }
    slot.offset = best >= 0 ? best : top;
    plan.arenaBytes = std::max(plan.arenaBytes, slot.offset + slot.bytes);
    placed.push_back(s);
  }

  plan.offsets.resize(n);
  for (size_t b = 0; b < n; ++b)
    plan.offsets[b] = std::max<int64_t>(0, slots[slotIndex[b]].offset);
  return plan;
}

} // namespace quantc::memory
