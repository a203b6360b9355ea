//===- Int4GemmTest.cpp - The GEMM on 4-bit weights -----------------------===//
//
// A B of 4-bit weights in groups along K (Gemm.h's Int4Weights) is
// unpacked while the GEMM packs it: on every micro-kernel this CPU runs
// (AVX-512's 32-column panels are unpacked in registers, the others one
// value at a time), with partial tiles, several KC slices, groups that
// straddle a slice, 1 and 2 threads, against the product of A with the
// weights dequantized as DequantizeLinear does. Then the C entry point:
// a strided A, and shapes that disagree poison C.
//
//===----------------------------------------------------------------------===//

#include "kernels/Gemm.h"
#include "kernels/KernelEntries.h"

#include "KernelTestValues.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace qc::kernels;
using namespace qc::kernels::testing;

extern "C" void _mlir_ciface_qc_kernel_matmul_w4_f32(void *a, void *bytes,
                                                     void *scales, void *zeros,
                                                     void *c, int64_t group,
                                                     int64_t overwrite);

struct Weights {
  int64_t k, n, group;
  std::vector<uint8_t> bytes, zeros;
  std::vector<float> scales;

  Weights(int64_t k, int64_t n, int64_t group, unsigned seed)
      : k(k), n(n), group(group) {
    std::mt19937 rng(seed);
    int64_t groups = (k + group - 1) / group;
    bytes.resize(k * n / 2);
    zeros.resize(groups * n);
    scales.resize(groups * n);
    for (uint8_t &b : bytes)
      b = uint8_t(rng());
    for (uint8_t &z : zeros)
      z = uint8_t(rng() % 16);
    std::uniform_real_distribution<float> scale(0.01f, 0.1f);
    for (float &s : scales)
      s = scale(rng);
  }
  // As DequantizeLinear: (q - zero) * scale, in float.
  float at(int64_t r, int64_t c) const {
    uint8_t byte = bytes[r * (n / 2) + c / 2];
    float q = float(c % 2 ? byte >> 4 : byte & 15);
    int64_t p = r / group * n + c;
    return (q - float(zeros[p])) * scales[p];
  }
  Int4Weights view() const {
    return {bytes.data(), n / 2, scales.data(), zeros.data(), group, n};
  }
};

struct Case {
  int64_t m, n, k, group;
};

TEST(Int4Gemm, MatchesDequantizedProductOnEveryKernel) {
  const Case cases[] = {
      {1, 2, 1, 1},         {5, 32, 40, 32},   {13, 70, 37, 16},
      {1, 384, 384, 32},    {30, 96, 300, 24}, // groups straddle K = 256
      {128, 200, 520, 128},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases) {
        KernelContext context;
        ASSERT_TRUE(initKernelContext(&context, threads));
        context.isa = isa;
        context.gemm = &gemmMicroKernel(isa);
        Weights w(c.k, c.n, c.group, 7);
        std::vector<float> a = randomValues(c.m * c.k, 1),
                           out = randomValues(c.m * c.n, 2), init = out;
        auto aRows = strided(c.m, c.k), aCols = strided(c.k, 1),
             cRows = strided(c.m, c.n), cCols = strided(c.n, 1);
        Int4Weights weights = w.view();
        GemmOperand b{nullptr};
        b.int4 = &weights;
        gemmAccumulate(context, c.m, c.n, c.k,
                       {a.data(), aRows.data(), aCols.data()}, b,
                       {out.data(), cRows.data(), cCols.data()});
        double worst = 0;
        for (int64_t i = 0; i < c.m; ++i)
          for (int64_t j = 0; j < c.n; ++j) {
            double expected = init[i * c.n + j];
            for (int64_t p = 0; p < c.k; ++p)
              expected += double(a[i * c.k + p]) * w.at(p, j);
            double got = out[i * c.n + j];
            worst = std::max(
                worst, std::isnan(got) ? INFINITY : std::fabs(expected - got));
          }
        EXPECT_LT(worst, 1e-5 * (c.k + 1))
            << isaName(isa) << " threads " << threads << " m " << c.m << " n "
            << c.n << " k " << c.k << " group " << c.group;
        releaseKernelContext(&context);
      }
}

TEST(Int4Gemm, EntryPointTakesAViewAndRejectsBadShapes) {
  // A 3x40 view of a buffer whose rows are 41 apart; B 40x64 in groups of
  // 16 rows; C 3x64, added to (or, `overwrite`, written over NaN).
  const int64_t m = 3, k = 40, n = 64, group = 16;
  Weights w(k, n, group, 3);
  std::vector<float> a = randomValues(m * (k + 1), 4);
  auto call = [&](int64_t scaleRows, int64_t bytesCols, int64_t g,
                  int64_t overwrite = 0) {
    std::vector<float> c(m * n, overwrite ? NAN : 1.0f);
    MemRef<2> am{a.data(), a.data(), 0, {m, k}, {k + 1, 1}};
    MemRef<2, uint8_t> bm{
        w.bytes.data(), w.bytes.data(), 0, {k, bytesCols}, {n / 2, 1}};
    MemRef<2> sm{w.scales.data(), w.scales.data(), 0, {scaleRows, n}, {n, 1}};
    MemRef<2, uint8_t> zm{
        w.zeros.data(), w.zeros.data(), 0, {scaleRows, n}, {n, 1}};
    MemRef<2> cm{c.data(), c.data(), 0, {m, n}, {n, 1}};
    _mlir_ciface_qc_kernel_matmul_w4_f32(&am, &bm, &sm, &zm, &cm, g, overwrite);
    return c;
  };
  for (int64_t overwrite : {0, 1}) {
    std::vector<float> c = call(3, n / 2, group, overwrite);
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double expected = overwrite ? 0.0 : 1.0;
        for (int64_t p = 0; p < k; ++p)
          expected += double(a[i * (k + 1) + p]) * w.at(p, j);
        EXPECT_NEAR(c[i * n + j], expected, 1e-4)
            << "at " << i << ", " << j << " overwrite " << overwrite;
      }
  }
  // Scales for 2 groups where 3 are needed, bytes for 30 of 32 column
  // pairs, no group: C is NaN, not a wrong product.
  for (auto [rows, cols, g] :
       {std::tuple<int64_t, int64_t, int64_t>{2, n / 2, group},
        {3, n / 2 - 2, group},
        {3, n / 2, 0}})
    for (float v : call(rows, cols, g))
      ASSERT_TRUE(std::isnan(v))
          << rows << " scale rows, " << cols << " byte columns, group " << g;
}

} // namespace
