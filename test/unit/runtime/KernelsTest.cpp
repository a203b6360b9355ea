//===- KernelsTest.cpp - GEMM, implicit-GEMM convolution, thread pool -----===//
//
// Every micro-kernel this CPU can run, against a naive double-precision
// reference, on sizes that leave partial register tiles and partial blocks
// in every dimension, with transposed and strided operands, on 1 to 3
// threads.
//
//===----------------------------------------------------------------------===//

#include "kernels/DepthwiseConv.h"
#include "kernels/Gemm.h"
#include "kernels/PanelLayout.h"

#include "KernelTestValues.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace qc::kernels;
using namespace qc::kernels::testing;

// Each takes a bias and a clamp memref after y: F values start the sums
// (y is written), none leaves y's values to add to; (lo, hi) clamps the
// final values, none does not. (The depthwise entry is declared in
// DepthwiseConv.h; its padding is implicit.)
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_f32(
    void *x, void *w, void *y, void *bias, void *clamp, int64_t sh, int64_t sw,
    int64_t dh, int64_t dw);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_packed_f32(
    void *x, void *packedW, void *y, void *bias, void *clamp, int64_t sh,
    int64_t sw, int64_t dh, int64_t dw, int64_t kh, int64_t kw, int64_t layout);
// The same with a residual addend (laid out as y) before the bias.
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_add_f32(
    void *x, void *w, void *y, void *addend, void *bias, void *clamp,
    int64_t sh, int64_t sw, int64_t dh, int64_t dw);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_packed_add_f32(
    void *x, void *packedW, void *y, void *addend, void *bias, void *clamp,
    int64_t sh, int64_t sw, int64_t dh, int64_t dw, int64_t kh, int64_t kw,
    int64_t layout);

extern "C" void _mlir_ciface_qc_kernel_batch_matmul_f32(void *a, void *b,
                                                        void *c,
                                                        int64_t overwrite);

// The clamp the biased cases use: tight enough to cut both ends.
constexpr float kClampLo = -0.6f, kClampHi = 0.7f;
double clamped(double v) {
  return v < kClampLo ? kClampLo : v > kClampHi ? kClampHi : v;
}

struct Case {
  int64_t m, n, k;
  bool transposeA, transposeB;
  // When set, C's columns are an image this wide stored inside one 2 wider
  // (a convolution writing the interior of the next one's padded input);
  // with transposeC, its rows are.
  int64_t imageWidth = 0;
  // C stored column by column (a transposed convolution: C[pixel, filter]
  // in NCHW, a filter's plane apart), with a bias per column.
  bool transposeC = false;
};

// Which operand comes packed at compile time (PanelLayout.h).
enum class Prepacked { None, A, B };

// Where C's addend is: none, a matrix of its own laid out as C, or C
// itself (what C holds is added once, even with a bias).
enum class Addend { None, Separate, InPlace };

// With `biased`, C gets a bias per row and must be written, not added to
// (it starts as NaN, which an addition would keep), and a clamp. With
// `overwrite` (and no bias), C must likewise be written, from zeros.
void checkGemm(Isa isa, int threads, const Case &c,
               Prepacked prepacked = Prepacked::None, bool biased = false,
               Addend addend = Addend::None, bool overwrite = false) {
  KernelContext context;
  ASSERT_TRUE(initKernelContext(&context, threads));
  context.isa = isa;
  context.gemm = &gemmMicroKernel(isa);
  std::vector<float> a = randomValues(c.m * c.k, 1), b = randomValues(c.k * c.n, 2);
  // C's rows (or, transposed, columns) are apart by more than they hold,
  // and C starts with values to accumulate to.
  auto image = [&](int64_t count) {
    auto offsets = strided(count, 1);
    if (c.imageWidth)
      for (int64_t j = 0; j < count; ++j)
        offsets[j] = j / c.imageWidth * (c.imageWidth + 2) + j % c.imageWidth;
    return offsets;
  };
  std::vector<int64_t> cRows, cCols;
  if (c.transposeC) {
    cRows = image(c.m);
    cCols = strided(c.n, cRows[c.m - 1] + 4);
  } else {
    cCols = image(c.n);
    cRows = strided(c.m, cCols[c.n - 1] + 4);
  }
  int64_t size = cRows[c.m - 1] + cCols[c.n - 1] + 4;
  std::vector<float> out = randomValues(size, 3), init = out;
  std::vector<float> bias = randomValues(c.transposeC ? c.n : c.m, 4);
  std::vector<float> added =
      addend == Addend::InPlace ? out : randomValues(size, 5);
  if ((biased || overwrite) && addend != Addend::InPlace)
    for (int64_t i = 0; i < c.m; ++i)
      for (int64_t j = 0; j < c.n; ++j)
        out[cRows[i] + cCols[j]] = NAN;
  auto aRows = strided(c.m, c.transposeA ? 1 : c.k);
  auto aCols = strided(c.k, c.transposeA ? c.m : 1);
  auto bRows = strided(c.k, c.transposeB ? 1 : c.n);
  auto bCols = strided(c.n, c.transposeB ? c.k : 1);
  GemmOperand opA{a.data(), aRows.data(), aCols.data()},
      opB{b.data(), bRows.data(), bCols.data()};
  // Packed as the compiler packs a weight, from the same strided view; one
  // float past the end of the packing is NaN, to show it is never read.
  std::vector<float> packed;
  if (prepacked == Prepacked::A) {
    int64_t floats = panels::packedAFloats(c.m, c.k);
    packed.assign(floats + 1, NAN);
    panels::packA(c.m, c.k,
                  [&](int64_t r, int64_t col) { return a[aRows[r] + aCols[col]]; },
                  packed.data());
    opA = {packed.data(), nullptr, nullptr, true};
  } else if (prepacked == Prepacked::B) {
    int64_t floats = panels::packedBFloats(c.k, c.n);
    packed.assign(floats + 1, NAN);
    panels::packB(c.k, c.n,
                  [&](int64_t r, int64_t col) { return b[bRows[r] + bCols[col]]; },
                  packed.data());
    opB = {packed.data(), nullptr, nullptr, true};
  }
  const float clamp[2] = {kClampLo, kClampHi};
  const float *addendBase = addend == Addend::Separate ? added.data()
                            : addend == Addend::InPlace ? out.data()
                                                        : nullptr;
  GemmOutput output{out.data(), cRows.data(), cCols.data()};
  if (biased) {
    (c.transposeC ? output.colBias : output.rowBias) = bias.data();
    output.clamp = clamp;
  }
  output.addend = addendBase;
  output.overwrite = overwrite;
  gemmAccumulate(context, c.m, c.n, c.k, opA, opB, output);
  double worst = 0;
  std::vector<bool> inC(size, false);
  for (int64_t i = 0; i < c.m; ++i)
    for (int64_t j = 0; j < c.n; ++j) {
      int64_t at = cRows[i] + cCols[j];
      inC[at] = true;
      double expected = biased      ? bias[c.transposeC ? j : i]
                        : overwrite ? 0.0
                                    : init[at];
      if (addend != Addend::None)
        expected += added[at];
      for (int64_t p = 0; p < c.k; ++p)
        expected += double(a[aRows[i] + aCols[p]]) * b[bRows[p] + bCols[j]];
      if (biased)
        expected = clamped(expected);
      double got = out[at];
      worst = std::max(worst, std::isnan(got) ? INFINITY : std::fabs(expected - got));
    }
  // C's padding is untouched.
  for (int64_t at = 0; at < size; ++at)
    if (!inC[at])
      ASSERT_EQ(out[at], init[at]) << "at " << at;
  EXPECT_LT(worst, 1e-5 * (c.k + 1))
      << isaName(isa) << " threads " << threads << " m " << c.m << " n " << c.n
      << " k " << c.k << " image width " << c.imageWidth << " transposed C "
      << c.transposeC << " prepacked " << int(prepacked) << " biased " << biased
      << " addend " << int(addend) << " overwrite " << overwrite;
  releaseKernelContext(&context);
}

TEST(GemmTest, MatchesReferenceOnEveryKernelAndEdge) {
  const Case cases[] = {
      {1, 1, 1, false, false},
      {7, 5, 3, false, false},
      {8, 32, 16, false, false},
      {13, 33, 257, false, false},
      {97, 130, 300, false, true},
      {128, 384, 384, true, false},
      {200, 520, 65, true, true},
      {3, 1100, 20, false, false},
      // Last column tiles of 17 and 4 columns (MobileNetV2's 7x7 and 14x14
      // maps), which AVX-512 writes in place with masked stores.
      {14, 49, 40, false, false},
      {25, 196, 24, false, false},
      // Threads' parts cut at the tile boundary nearest an even share:
      // rows 132 + 124 of 256, columns 384 + 400 of 784.
      {256, 196, 30, false, false},
      {128, 784, 20, false, false},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2, 3})
      for (const Case &c : cases)
        checkGemm(isa, threads, c);
}

// C's columns an image stored inside a wider one: a 32-column tile crosses
// image rows (2 to 6 runs of columns on AVX-512, masked in place; images
// under 7 wide make more and go through a temporary), with B read in place
// (row-major) or packed (transposed), and with a bias and clamp.
TEST(GemmTest, ScatteredOutputColumnsMatchReference) {
  const Case cases[] = {
      {13, 112, 16, false, false, 56}, {25, 196, 40, false, true, 14},
      {14, 784, 300, false, false, 28}, {7, 81, 24, false, false, 9},
      {5, 49, 20, false, true, 7},      {3, 40, 8, false, false, 4},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases)
        for (bool biased : {false, true})
          checkGemm(isa, threads, c, Prepacked::A, biased);
}

// Weights packed at compile time serve every micro-kernel, whatever the
// blocking does with them: partial panels, several KC slices (k > 256), and
// more rows or columns than one block.
TEST(GemmTest, PrepackedOperandsMatchReferenceOnEveryKernel) {
  const Case cases[] = {
      {1, 1, 1, false, false},    {7, 5, 3, false, false},
      {13, 33, 257, false, true}, {97, 130, 300, true, false},
      {200, 520, 65, true, true}, {3, 1100, 20, false, false},
      {14, 49, 40, false, false}, {25, 196, 24, false, false},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases)
        for (Prepacked p : {Prepacked::A, Prepacked::B})
          checkGemm(isa, threads, c, p);
}

// A bias per row: the first K slice writes bias + product over whatever C
// held (full tiles in place, edge tiles masked in place or through the
// scatter), later slices add (k > 256 gives several).
TEST(GemmTest, RowBiasWritesCOnEveryKernel) {
  const Case cases[] = {
      {1, 1, 1, false, false},    {7, 5, 3, false, false},
      {13, 33, 257, false, true}, {97, 130, 600, true, false},
      {3, 1100, 20, false, false}, {14, 49, 300, false, false},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases)
        for (Prepacked p : {Prepacked::None, Prepacked::A})
          checkGemm(isa, threads, c, p, /*biased=*/true);
}

// A residual addend laid out as C, added once whatever the K slices and
// tiles (full, masked in place, through the temporary), with or without a
// bias, and C itself as the addend.
TEST(GemmTest, AddendIsAddedOnceOnEveryKernel) {
  const Case cases[] = {
      {7, 5, 3, false, false},         {13, 33, 257, false, true},
      {97, 130, 600, true, false},     {14, 49, 300, false, false},
      {13, 112, 16, false, false, 56}, {5, 49, 20, false, true, 7},
      {3, 40, 8, false, false, 4},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases)
        for (bool biased : {false, true})
          for (Addend addend : {Addend::Separate, Addend::InPlace})
            checkGemm(isa, threads, c, Prepacked::A, biased, addend);
}

// C stored column by column, as a convolution computed transposed writes
// its NCHW output (rows are pixels, columns filters a plane apart): on
// AVX-512 each 16 columns transposed in registers and stored per column
// where the tile's rows are contiguous, gathered and scattered where they
// are an image inside a wider one; elsewhere through the temporary. With a
// bias per column, a clamp and an addend; several K slices; partial row and
// column tiles.
TEST(GemmTest, ColumnMajorOutputMatchesReferenceOnEveryKernel) {
  const Case cases[] = {
      {49, 160, 40, false, false, 0, true},
      {49, 96, 300, false, false, 0, true},
      {7, 21, 13, false, false, 0, true},
      {1, 17, 5, false, false, 0, true},
      {49, 45, 20, false, false, 7, true},
      {30, 40, 260, false, false, 5, true},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases)
        for (bool biased : {false, true}) {
          checkGemm(isa, threads, c, Prepacked::B, biased);
          checkGemm(isa, threads, c, Prepacked::B, biased, Addend::Separate);
          checkGemm(isa, threads, c, Prepacked::None, biased, Addend::InPlace);
        }
}

// C written from zeros (a MatMul whose output was only zeroed): never
// read, on every path that stores a tile (full, masked in place, through
// the temporary, transposed), over several K slices, and with no K at all.
TEST(GemmTest, OverwriteWritesCFromZerosOnEveryKernel) {
  const Case cases[] = {
      {7, 5, 3, false, false},
      {13, 33, 257, false, true},
      {97, 130, 600, true, false},
      {14, 49, 300, false, false},
      {13, 112, 16, false, false, 56},
      {3, 40, 8, false, false, 4},
      {5, 7, 0, false, false},
      {49, 96, 300, false, false, 0, true},
      {49, 45, 20, false, false, 7, true},
  };
  for (Isa isa : runnableIsas())
    for (int threads : {1, 2})
      for (const Case &c : cases) {
        checkGemm(isa, threads, c, Prepacked::None, false, Addend::None, true);
        checkGemm(isa, threads, c, Prepacked::None, false, Addend::InPlace,
                  true);
        if (c.k > 0)
          checkGemm(isa, threads, c, c.transposeC ? Prepacked::B : Prepacked::A,
                    false, Addend::Separate, true);
      }
}

// The filter as a view, or packed at compile time as the implicit GEMM's A
// or as the transposed product's B (PanelLayout.h's FilterLayout), the same
// convolution each way; with a bias (and a clamp), y starts as NaN and must
// be written, else its 0.5s are added to.
struct ConvShape {
  int64_t channels, filters, kh, kw, sh, sw, dh, dw, inH, inW;
};

void checkConv(bool packedFilter, bool biased, const ConvShape &shape,
               bool withAddend = false,
               panels::FilterLayout layout = panels::kFiltersAsA) {
  const int64_t batch = 2, channels = shape.channels, filters = shape.filters,
                kh = shape.kh, kw = shape.kw;
  const int64_t sh = shape.sh, sw = shape.sw, dh = shape.dh, dw = shape.dw,
                inH = shape.inH, inW = shape.inW;
  const int64_t outH = (inH - dh * (kh - 1) - 1) / sh + 1;
  const int64_t outW = (inW - dw * (kw - 1) - 1) / sw + 1;
  std::vector<float> x = randomValues(batch * channels * inH * inW, 4);
  std::vector<float> w = randomValues(filters * channels * kh * kw, 5);
  std::vector<float> y(batch * filters * outH * outW, biased ? NAN : 0.5f);
  std::vector<float> bias = randomValues(biased ? filters : 0, 8);
  auto xd = MemRef<4>::contiguous(x.data(), {batch, channels, inH, inW});
  auto wd = MemRef<4>::contiguous(w.data(), {filters, channels, kh, kw});
  auto yd = MemRef<4>::contiguous(y.data(), {batch, filters, outH, outW});
  std::vector<float> addend = randomValues(y.size(), 9);
  auto ad = MemRef<4>::contiguous(addend.data(), {batch, filters, outH, outW});
  auto bd = MemRef<1>::contiguous(bias.data(), {int64_t(bias.size())});
  std::vector<float> clamp;
  if (biased)
    clamp = {kClampLo, kClampHi};
  auto cd = MemRef<1>::contiguous(clamp.data(), {int64_t(clamp.size())});
  // Outside a run: the kernel makes a one-thread context of its own.
  if (packedFilter) {
    const int64_t k = channels * kh * kw;
    std::vector<float> packed(panels::packedFilterFloats(layout, filters, k));
    panels::packFilter(
        layout, filters, k, [&](int64_t r, int64_t c) { return w[r * k + c]; },
        packed.data());
    auto pd = MemRef<1>::contiguous(packed.data(), {int64_t(packed.size())});
    if (withAddend)
      _mlir_ciface_qc_kernel_conv2d_nchw_packed_add_f32(
          &xd, &pd, &yd, &ad, &bd, &cd, sh, sw, dh, dw, kh, kw, layout);
    else
      _mlir_ciface_qc_kernel_conv2d_nchw_packed_f32(&xd, &pd, &yd, &bd, &cd, sh,
                                                    sw, dh, dw, kh, kw, layout);
  } else if (withAddend) {
    _mlir_ciface_qc_kernel_conv2d_nchw_add_f32(&xd, &wd, &yd, &ad, &bd, &cd, sh,
                                               sw, dh, dw);
  } else {
    _mlir_ciface_qc_kernel_conv2d_nchw_f32(&xd, &wd, &yd, &bd, &cd, sh, sw, dh,
                                           dw);
  }
  double worst = 0;
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          double expected = biased ? bias[f] : 0.5;
          if (withAddend)
            expected += addend[((b * filters + f) * outH + oh) * outW + ow];
          for (int64_t c = 0; c < channels; ++c)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j)
                expected +=
                    double(x[((b * channels + c) * inH + oh * sh + i * dh) * inW +
                             ow * sw + j * dw]) *
                    w[((f * channels + c) * kh + i) * kw + j];
          if (biased)
            expected = clamped(expected);
          double got = y[((b * filters + f) * outH + oh) * outW + ow];
          worst = std::max(worst, std::isnan(got) ? INFINITY
                                                  : std::fabs(expected - got));
        }
  EXPECT_LT(worst, 1e-5) << (!packedFilter ? "filter view"
                             : layout == panels::kFiltersAsB
                                 ? "filter packed as B"
                                 : "filter packed as A")
                         << (biased ? ", bias" : "")
                         << (withAddend ? ", addend" : "");
}

TEST(ConvTest, ImplicitGemmMatchesDirectConvolution) {
  // Strided and dilated windows (B packed), a 1x1 convolution over 40x41
  // pixels (its B read in place: every 32 pixels are contiguous, the last
  // ones packed), a 3x3 one over 64-wide rows (in place within a row), and
  // a 3x3 stride-2 one over 40-wide output rows (every other input pixel:
  // packed with permutes on AVX-512, the image's last row included), and
  // panels of 32 pixels that cross output rows 14, 7 or 4 wide (packed as
  // runs of 1 or 2 apart on AVX-512; 4-wide rows make too many runs and go
  // pixel by pixel).
  const ConvShape shapes[] = {{5, 11, 3, 2, 2, 1, 1, 2, 13, 12},
                              {7, 13, 1, 1, 1, 1, 1, 1, 40, 41},
                              {3, 14, 3, 3, 1, 1, 1, 1, 6, 66},
                              {3, 16, 3, 3, 2, 2, 1, 1, 9, 81},
                              {4, 13, 3, 3, 1, 1, 1, 1, 16, 16},
                              {3, 12, 3, 3, 1, 1, 1, 1, 9, 9},
                              {2, 9, 3, 3, 2, 2, 1, 1, 29, 29},
                              {2, 5, 3, 3, 1, 1, 1, 1, 6, 6}};
  for (const ConvShape &shape : shapes)
    for (bool biased : {false, true})
      for (bool withAddend : {false, true}) {
        checkConv(/*packedFilter=*/false, biased, shape, withAddend);
        checkConv(/*packedFilter=*/true, biased, shape, withAddend);
        checkConv(/*packedFilter=*/true, biased, shape, withAddend,
                  panels::kFiltersAsB);
      }
}

// A packed filter whose size does not match its layout poisons the output
// (NaN) rather than reading past the packing.
TEST(ConvTest, PackedFilterOfTheWrongSizeGivesNaN) {
  const int64_t filters = 20, channels = 3, pixels = 16, k = channels;
  std::vector<float> x(channels * pixels, 1.0f), y(filters * pixels, 0.0f);
  std::vector<float> packed(panels::packedAFloats(filters, k), 1.0f), none;
  auto xd = MemRef<4>::contiguous(x.data(), {1, channels, 4, 4});
  auto yd = MemRef<4>::contiguous(y.data(), {1, filters, 4, 4});
  auto pd = MemRef<1>::contiguous(packed.data(), {int64_t(packed.size())});
  auto nd = MemRef<1>::contiguous(none.data(), {0});
  ASSERT_NE(panels::packedAFloats(filters, k),
            panels::packedBFloats(k, filters));
  for (int64_t layout : {int64_t(panels::kFiltersAsB), int64_t(7)}) {
    _mlir_ciface_qc_kernel_conv2d_nchw_packed_f32(&xd, &pd, &yd, &nd, &nd, 1, 1,
                                                  1, 1, 1, 1, layout);
    EXPECT_TRUE(std::isnan(y[0])) << "layout " << layout;
    std::fill(y.begin(), y.end(), 0.0f);
  }
}

// A batch of products: fewer than the threads (each product split), and
// more (whole products per thread, on each thread's own scratch), with B
// transposed in its view as attention's K is; added to C, or written from
// zeros over a C of NaN.
TEST(GemmTest, BatchedProductsMatchReference) {
  const int64_t m = 37, n = 45, k = 29;
  for (int64_t batch : {1, 5})
    for (int threads : {1, 2, 3})
      for (int64_t overwrite : {0, 1}) {
        std::vector<float> a = randomValues(batch * m * k, 11),
                           b = randomValues(batch * n * k, 12),
                           c = randomValues(batch * m * n, 13), init = c;
        if (overwrite)
          std::fill(c.begin(), c.end(), NAN);
        auto ad = MemRef<3>::contiguous(a.data(), {batch, m, k});
        // B stored [batch, n, k], passed as the [batch, k, n] view.
        MemRef<3> bd{b.data(), b.data(), 0, {batch, k, n}, {n * k, 1, k}};
        auto cd = MemRef<3>::contiguous(c.data(), {batch, m, n});
        KernelContext context;
        ASSERT_TRUE(initKernelContext(&context, threads));
        {
          CurrentKernelContext current(&context);
          _mlir_ciface_qc_kernel_batch_matmul_f32(&ad, &bd, &cd, overwrite);
        }
        releaseKernelContext(&context);
        double worst = 0;
        for (int64_t i = 0; i < batch; ++i)
          for (int64_t r = 0; r < m; ++r)
            for (int64_t col = 0; col < n; ++col) {
              double expected = overwrite ? 0.0 : init[(i * m + r) * n + col];
              for (int64_t p = 0; p < k; ++p)
                expected +=
                    double(a[(i * m + r) * k + p]) * b[(i * n + col) * k + p];
              double got = c[(i * m + r) * n + col];
              worst =
                  std::max(worst, std::isnan(got) ? INFINITY
                                                  : std::fabs(expected - got));
            }
        EXPECT_LT(worst, 1e-4) << "batch " << batch << " threads " << threads
                               << " overwrite " << overwrite;
      }
}

// One depthwise convolution against a direct sum in double: the largest
// difference (infinity for a NaN).
struct DepthwiseCase {
  int64_t batch, channels, inH, inW, kh, kw;
  int64_t sh, sw, dh, dw;
  int64_t padTop, padLeft, padBottom, padRight;
  bool biased;
};
double depthwiseError(const DepthwiseCase &t, Isa isa, int threads) {
  const int64_t outH =
      (t.inH + t.padTop + t.padBottom - t.dh * (t.kh - 1) - 1) / t.sh + 1;
  const int64_t outW =
      (t.inW + t.padLeft + t.padRight - t.dw * (t.kw - 1) - 1) / t.sw + 1;
  std::vector<float> x = randomValues(t.batch * t.channels * t.inH * t.inW, 6);
  std::vector<float> w = randomValues(t.channels * t.kh * t.kw, 7);
  std::vector<float> y(t.batch * t.channels * outH * outW,
                       t.biased ? NAN : -0.25f);
  std::vector<float> bias = randomValues(t.biased ? t.channels : 0, 9);
  auto xd =
      MemRef<4>::contiguous(x.data(), {t.batch, t.channels, t.inH, t.inW});
  auto wd = MemRef<3>::contiguous(w.data(), {t.channels, t.kh, t.kw});
  auto yd = MemRef<4>::contiguous(y.data(), {t.batch, t.channels, outH, outW});
  auto bd = MemRef<1>::contiguous(bias.data(), {int64_t(bias.size())});
  std::vector<float> clamp;
  if (t.biased)
    clamp = {kClampLo, kClampHi};
  auto cd = MemRef<1>::contiguous(clamp.data(), {int64_t(clamp.size())});
  KernelContext context;
  if (!initKernelContext(&context, threads))
    return INFINITY;
  context.isa = isa;
  {
    CurrentKernelContext current(&context);
    _mlir_ciface_qc_kernel_depthwise_conv2d_nchw_f32(
        &xd, &wd, &yd, &bd, &cd, t.sh, t.sw, t.dh, t.dw, t.padTop, t.padLeft);
  }
  releaseKernelContext(&context);
  double worst = 0;
  for (int64_t b = 0; b < t.batch; ++b)
    for (int64_t c = 0; c < t.channels; ++c)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow) {
          double expected = t.biased ? bias[c] : -0.25;
          for (int64_t i = 0; i < t.kh; ++i)
            for (int64_t j = 0; j < t.kw; ++j) {
              int64_t ih = oh * t.sh + i * t.dh - t.padTop;
              int64_t iw = ow * t.sw + j * t.dw - t.padLeft;
              if (ih < 0 || ih >= t.inH || iw < 0 || iw >= t.inW)
                continue;
              expected +=
                  double(x[((b * t.channels + c) * t.inH + ih) * t.inW + iw]) *
                  w[(c * t.kh + i) * t.kw + j];
            }
          if (t.biased)
            expected = clamped(expected);
          double got = y[((b * t.channels + c) * outH + oh) * outW + ow];
          worst = std::max(worst, std::isnan(got) ? INFINITY
                                                  : std::fabs(expected - got));
        }
  return worst;
}

TEST(ConvTest, DepthwiseMatchesDirectConvolutionOnEveryIsa) {
  // 26 planes: on 3 threads, runs of 3 planes and a last one of 2.
  // Narrow rows (one partial vector or two, four rows at a time) and wide
  // ones (several full blocks, two rows at a time), with row counts that
  // leave 0, 1, 2 or 3 rows over; every horizontal stride kind (1, 2 and
  // another); no padding, even padding, and padding only after (or only
  // before) x, read implicitly. Strides 1 and 2 without dilation take the
  // 3x3 kernel (Depthwise3x3.cpp) on AVX-512, which masks the padding off;
  // the others compute from a padded copy.
  for (int64_t inH : {8, 9, 11})
    for (int64_t inW : {9, 30, 37, 150})
      for (bool biased : {false, true})
        for (Isa isa : runnableIsas())
          for (int threads : {1, 3})
            for (auto [sh, sw, dh, dw] : {std::array<int64_t, 4>{1, 1, 1, 1},
                                          std::array<int64_t, 4>{2, 2, 1, 1},
                                          std::array<int64_t, 4>{1, 3, 1, 1},
                                          std::array<int64_t, 4>{1, 1, 2, 3}})
              for (auto [pt, pl, pb, pr] :
                   {std::array<int64_t, 4>{0, 0, 0, 0},
                    std::array<int64_t, 4>{1, 1, 1, 1},
                    std::array<int64_t, 4>{0, 0, 1, 2},
                    std::array<int64_t, 4>{2, 1, 0, 0}}) {
                DepthwiseCase t{2,  13, inH, inW, 3,  3,  sh,    sw,
                                dh, dw, pt,  pl,  pb, pr, biased};
                EXPECT_LT(depthwiseError(t, isa, threads), 1e-5)
                    << isaName(isa) << " " << inH << "x" << inW
                    << (biased ? " bias" : "") << " strides " << sh << "x" << sw
                    << " dilations " << dh << "x" << dw << " pads " << pt << ","
                    << pl << "," << pb << "," << pr << " threads " << threads;
              }
}

// A padded plane too large for a thread's scratch is copied in tiles: of
// rows (a 5x5 filter over 400x400), and of columns (one row of 3x3
// windows over 60000 columns).
TEST(ConvTest, DepthwisePaddingOfLargePlanesIsCopiedInTiles) {
  for (Isa isa : runnableIsas()) {
    DepthwiseCase tall{1, 2, 400, 400, 5, 5, 1, 1, 1, 1, 2, 2, 2, 2, true};
    EXPECT_LT(depthwiseError(tall, isa, 2), 1e-5) << isaName(isa);
    DepthwiseCase wide{1, 1, 3, 60000, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false};
    EXPECT_LT(depthwiseError(wide, isa, 1), 1e-5) << isaName(isa);
  }
}

TEST(ThreadPoolTest, RunsEveryTaskOnceOnValidThreads) {
  ThreadPool *pool = createThreadPool(3);
  ASSERT_NE(pool, nullptr);
  struct State {
    std::atomic<int> hits[1000];
    std::atomic<bool> badThread{false};
  } state;
  // Each thread has a share of the tasks (fewer tasks than threads, a
  // count the threads do not divide, many), and takes the others' once its
  // own are done.
  for (int round = 0; round < 50; ++round) {
    int64_t count = round % 4 == 0 ? 2 : round % 4 == 1 ? 7 : 1000;
    for (auto &h : state.hits)
      h = 0;
    parallelFor(
        pool, count,
        [](void *arg, int64_t task, int thread) {
          auto *s = static_cast<State *>(arg);
          s->hits[task]++;
          if (thread < 0 || thread >= 3)
            s->badThread = true;
        },
        &state);
    for (int64_t task = 0; task < 1000; ++task)
      ASSERT_EQ(state.hits[task].load(), task < count ? 1 : 0);
  }
  EXPECT_FALSE(state.badThread);
  destroyThreadPool(pool);
  EXPECT_EQ(createThreadPool(1), nullptr); // one thread: none to create
}

} // namespace
