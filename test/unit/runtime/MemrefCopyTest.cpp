//===- MemrefCopyTest.cpp - The strided copy model code calls -------------===//
//
// memrefCopy (MemrefCopy.cpp) as finalize-memref-to-llvm calls it: an
// element size and two unranked descriptors of the same shape. Checked
// element by element against the strides: contiguous memrefs, rows into
// a padded buffer's interior, every other column (a transposed
// convolution's tap), a transposed source, rank 1, and 1- and 8-byte
// elements.
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"

#include <gtest/gtest.h>

#include <stdint.h>

#include <vector>

namespace {

struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

extern "C" void memrefCopy(int64_t elemSize, UnrankedMemRef *src,
                           UnrankedMemRef *dst);

using qc::kernels::MemRef;

template <typename T, int Rank>
void checkCopy(const int64_t (&sizes)[Rank], const int64_t (&srcStrides)[Rank],
               int64_t srcOffset, const int64_t (&dstStrides)[Rank],
               int64_t dstOffset) {
  // Each buffer spans its offset plus its largest element's offset.
  auto span = [&](const int64_t(&strides)[Rank], int64_t offset) {
    int64_t last = offset;
    for (int i = 0; i < Rank; ++i)
      last += (sizes[i] - 1) * strides[i];
    return last + 1;
  };
  std::vector<T> src(span(srcStrides, srcOffset)),
      dst(span(dstStrides, dstOffset), T(-1));
  for (size_t i = 0; i < src.size(); ++i)
    src[i] = T(i % 101 + 1);
  MemRef<Rank, T> s{src.data(), src.data(), srcOffset, {}, {}};
  MemRef<Rank, T> d{dst.data(), dst.data(), dstOffset, {}, {}};
  for (int i = 0; i < Rank; ++i) {
    s.sizes[i] = d.sizes[i] = sizes[i];
    s.strides[i] = srcStrides[i];
    d.strides[i] = dstStrides[i];
  }
  UnrankedMemRef us{Rank, &s}, ud{Rank, &d};
  memrefCopy(sizeof(T), &us, &ud);

  // Every element of the shape lands where dst's strides put it; nothing
  // else in dst is written.
  std::vector<bool> written(dst.size(), false);
  int64_t index[Rank] = {};
  int64_t count = 1;
  for (int i = 0; i < Rank; ++i)
    count *= sizes[i];
  for (int64_t e = 0; e < count; ++e) {
    int64_t from = srcOffset, to = dstOffset;
    for (int i = 0; i < Rank; ++i) {
      from += index[i] * srcStrides[i];
      to += index[i] * dstStrides[i];
    }
    ASSERT_EQ(dst[to], src[from]) << "element " << e;
    written[to] = true;
    for (int i = Rank - 1; i >= 0 && ++index[i] == sizes[i]; --i)
      index[i] = 0;
  }
  for (size_t i = 0; i < dst.size(); ++i)
    if (!written[i])
      ASSERT_EQ(dst[i], T(-1)) << "dst[" << i << "] written outside the view";
}

TEST(MemrefCopyTest, Contiguous) {
  checkCopy<float, 3>({2, 3, 5}, {15, 5, 1}, 0, {15, 5, 1}, 0);
}

TEST(MemrefCopyTest, RowsIntoAPaddedInterior) {
  // 1x2x3x4 into the interior of 1x2x5x6 (a padding of 1).
  checkCopy<float, 4>({1, 2, 3, 4}, {24, 12, 4, 1}, 0, {60, 30, 6, 1}, 7);
}

TEST(MemrefCopyTest, EveryOtherColumn) {
  // A transposed convolution's tap (kernel = stride = 2): rows every other
  // row, columns every other column, at offsets 0, 1, W and W + 1.
  for (int64_t offset : {0, 1, 10, 11})
    checkCopy<float, 4>({1, 3, 4, 5}, {60, 20, 5, 1}, 0, {240, 80, 20, 2},
                        offset);
}

TEST(MemrefCopyTest, TransposedSource) {
  checkCopy<float, 2>({4, 7}, {1, 4}, 0, {7, 1}, 0);
}

TEST(MemrefCopyTest, RankOneStrided) {
  checkCopy<float, 1>({9}, {3}, 2, {1}, 0);
  checkCopy<float, 1>({9}, {1}, 0, {2}, 1);
}

TEST(MemrefCopyTest, OtherElementSizes) {
  checkCopy<uint8_t, 2>({3, 5}, {5, 1}, 0, {10, 2}, 1);
  checkCopy<int64_t, 2>({3, 5}, {5, 1}, 0, {10, 2}, 1);
  checkCopy<uint16_t, 2>({3, 5}, {1, 3}, 0, {5, 1}, 0);
}

} // namespace
