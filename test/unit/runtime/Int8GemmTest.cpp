//===- Int8GemmTest.cpp - Integer GEMM with zero points -------------------===//
//
// Every combination of signed and unsigned A and B, zero points none, per
// tensor and per row/column, on sizes with partial tiles, tasks and K
// quads, strided operands, B packed per call or beforehand (as the compiler
// packs a weight, Int8PanelLayout.h), on 1 and 2 threads: the VNNI kernel
// (where the CPU has it) and the scalar loop against an exact reference.
// Then the C entry point the generated code calls.
//
//===----------------------------------------------------------------------===//

#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"
#include "kernels/KernelEntries.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

using namespace qc::kernels;

extern "C" void _mlir_ciface_qc_kernel_matmul_i8_i32(void *a, void *b, void *c,
                                                     void *aZero, void *bZero,
                                                     int64_t aUnsigned,
                                                     int64_t bUnsigned);

std::vector<int8_t> randomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> v(n);
  for (auto &x : v)
    x = int8_t(dist(rng));
  return v;
}

int32_t read(int8_t v, bool isUnsigned) {
  return isUnsigned ? int32_t(uint8_t(v)) : int32_t(v);
}

struct Case {
  int64_t m, n, k;
  bool aUnsigned, bUnsigned;
  int64_t aZeros, bZeros; // 0, 1, or m / n
};

void check(const Case &tc, int threads, bool vnni, bool aColumnMajor,
           bool bPrepacked) {
  SCOPED_TRACE(::testing::Message()
               << tc.m << "x" << tc.n << "x" << tc.k << " A "
               << (tc.aUnsigned ? "u8" : "s8") << " B "
               << (tc.bUnsigned ? "u8" : "s8") << " zero points "
               << tc.aZeros << "/" << tc.bZeros << ", " << threads
               << " thread(s), " << (vnni ? "vnni" : "scalar") << ", A "
               << (aColumnMajor ? "column" : "row") << "-major, B "
               << (bPrepacked ? "prepacked" : "packed per call"));
  // A is stored column-major or row-major (the packer's vector path).
  std::vector<int8_t> a = randomBytes(tc.m * tc.k, 1), b = randomBytes(tc.k * tc.n, 2);
  std::vector<int8_t> za = randomBytes(tc.m, 3), zb = randomBytes(tc.n, 4);
  std::vector<int32_t> c(tc.m * tc.n), expected(tc.m * tc.n);
  for (int64_t i = 0; i < tc.m * tc.n; ++i)
    c[i] = expected[i] = int32_t(i % 7) - 3; // accumulated onto
  for (int64_t i = 0; i < tc.m; ++i)
    for (int64_t j = 0; j < tc.n; ++j) {
      int64_t sum = 0;
      int32_t zai = tc.aZeros ? read(za[tc.aZeros == 1 ? 0 : i], tc.aUnsigned) : 0;
      int32_t zbj = tc.bZeros ? read(zb[tc.bZeros == 1 ? 0 : j], tc.bUnsigned) : 0;
      for (int64_t p = 0; p < tc.k; ++p)
        sum += int64_t(read(a[aColumnMajor ? p * tc.m + i : i * tc.k + p],
                            tc.aUnsigned) - zai) *
               (read(b[p * tc.n + j], tc.bUnsigned) - zbj);
      expected[i * tc.n + j] += int32_t(sum);
    }
  KernelContext context;
  ASSERT_TRUE(initKernelContext(&context, threads));
  Int8Matrix am{a.data(), aColumnMajor ? 1 : tc.k, aColumnMajor ? tc.m : 1,
                tc.aUnsigned, za.data(), tc.aZeros};
  Int8Matrix bm{b.data(), tc.n, 1, tc.bUnsigned, zb.data(), tc.bZeros};
  std::vector<int8_t> packed(int8_panels::packedBBytes(tc.k, tc.n), 0);
  if (bPrepacked) {
    int8_panels::packB(
        tc.k, tc.n, [&](int64_t r, int64_t col) { return b[r * tc.n + col]; },
        tc.bUnsigned, packed.data());
    bm.packed = packed.data();
  }
  ASSERT_TRUE(int8GemmAccumulate(context, tc.m, tc.n, tc.k, am, bm, c.data(),
                                 tc.n, 1, vnni));
  releaseKernelContext(&context);
  for (int64_t i = 0; i < tc.m * tc.n; ++i)
    ASSERT_EQ(c[i], expected[i]) << "at row " << i / tc.n << ", column " << i % tc.n;
}

TEST(Int8Gemm, MatchesExactSums) {
  const Case shapes[] = {{1, 1, 1, 0, 0, 0, 0},   {5, 33, 7, 0, 0, 0, 0},
                         {3, 48, 130, 0, 0, 0, 0},
                         {9, 17, 4, 0, 0, 0, 0},  {70, 130, 66, 0, 0, 0, 0},
                         {128, 64, 384, 0, 0, 0, 0}};
  std::vector<bool> kernels{false};
  if (int8GemmUsesVnni())
    kernels.push_back(true);
  for (Case shape : shapes)
    for (int signs = 0; signs < 4; ++signs)
      for (int64_t aZeros : {int64_t(0), int64_t(1), shape.m})
        for (int64_t bZeros : {int64_t(0), int64_t(1), shape.n}) {
          Case tc = shape;
          tc.aUnsigned = signs & 1;
          tc.bUnsigned = signs & 2;
          tc.aZeros = aZeros;
          tc.bZeros = bZeros;
          for (bool vnni : kernels)
            for (int threads : {1, 2})
              for (bool aColumnMajor : {false, true})
                for (bool bPrepacked : {false, true})
                  check(tc, threads, vnni, aColumnMajor, bPrepacked);
        }
}

TEST(Int8Gemm, EntryPointTakesViewsAndZeroPoints) {
  // A: uint8 3x5 row-major; B: int8 5x4 read as a transposed 4x5 buffer;
  // za one value, zb per column; C a 3x4 view with a row stride of 6.
  std::vector<int8_t> a = randomBytes(15, 5), bT = randomBytes(20, 6);
  int8_t za = int8_t(200), zb[4] = {1, -2, 3, -4};
  std::vector<int32_t> c(18, 0);
  MemRef<2, int8_t> am{a.data(), a.data(), 0, {3, 5}, {5, 1}};
  MemRef<2, int8_t> bm{bT.data(), bT.data(), 0, {5, 4}, {1, 5}};
  MemRef<2, int32_t> cm{c.data(), c.data(), 0, {3, 4}, {6, 1}};
  MemRef<1, int8_t> zam{&za, &za, 0, {1}, {1}};
  MemRef<1, int8_t> zbm{zb, zb, 0, {4}, {1}};
  _mlir_ciface_qc_kernel_matmul_i8_i32(&am, &bm, &cm, &zam, &zbm, 1, 0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 6; ++j) {
      int32_t expected = 0;
      if (j < 4)
        for (int p = 0; p < 5; ++p)
          expected += (int32_t(uint8_t(a[i * 5 + p])) - 200) *
                      (int32_t(bT[j * 5 + p]) - zb[j]);
      EXPECT_EQ(c[i * 6 + j], expected) << "at " << i << ", " << j;
    }
}

} // namespace
