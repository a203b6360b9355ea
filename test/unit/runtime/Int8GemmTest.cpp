//===- Int8GemmTest.cpp - Integer GEMM with zero points -------------------===//
//
// Every combination of signed and unsigned A and B, zero points none, per
// tensor and per row/column, on sizes with partial tiles, tasks and K
// quads, strided operands, A and B packed per call or beforehand (as the
// compiler packs a weight, Int8PanelLayout.h), C added to or overwritten
// from a bias, on 1 and 2 threads: the VNNI kernel (where the CPU has it)
// and the scalar loop against an exact reference. Then the C entry points
// the generated code calls: the GEMM, and the convolution (strides 1, 2
// and 3, dilation, padded and strided inputs, partial panels) against a
// direct loop, its sums stored or put through a fused epilogue: a residual
// added, a float output, bytes requantized into a padded output.
//
//===----------------------------------------------------------------------===//

#include "kernels/Int8Gemm.h"
#include "kernels/Int8PanelLayout.h"
#include "kernels/KernelEntries.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace {

using namespace qc::kernels;

extern "C" void _mlir_ciface_qc_kernel_matmul_i8_i32(void *a, void *b, void *c,
                                                     void *aZero, void *bZero,
                                                     int64_t aUnsigned,
                                                     int64_t bUnsigned,
                                                     int64_t overwrite);
extern "C" void _mlir_ciface_qc_kernel_matmul_i8_epilogue(
    void *a, void *b, void *floatOut, void *aZero, void *bZero, void *scale,
    void *colScale, void *bias, void *colBias, void *params, void *residual,
    int64_t aUnsigned, int64_t bUnsigned);
extern "C" void _mlir_ciface_qc_kernel_matmul_packed_b_i8_epilogue(
    void *a, void *packedB, void *floatOut, void *aZero, void *bZero,
    void *scale, void *colScale, void *bias, void *colBias, void *params,
    void *residual, int64_t aUnsigned, int64_t bUnsigned);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_i8_i32(
    void *x, void *w, void *y, void *bias, void *xZero, void *wZero,
    int64_t xUnsigned, int64_t wUnsigned, int64_t overwrite, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_i8_epilogue(
    void *x, void *w, void *z, void *bias, void *xZero, void *wZero,
    void *scale, void *floatBias, void *params, void *residual, void *floatOut,
    int64_t xUnsigned, int64_t wUnsigned, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_epilogue(
    void *x, void *packedW, void *z, void *bias, void *xZero, void *wZero,
    void *scale, void *floatBias, void *params, void *residual, void *floatOut,
    int64_t xUnsigned, int64_t wUnsigned, int64_t strideH, int64_t strideW,
    int64_t dilationH, int64_t dilationW, int64_t kernelH, int64_t kernelW);
extern "C" void _mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_i32(
    void *x, void *packedW, void *y, void *bias, void *xZero, void *wZero,
    int64_t xUnsigned, int64_t wUnsigned, int64_t overwrite, int64_t strideH,
    int64_t strideW, int64_t dilationH, int64_t dilationW, int64_t kernelH,
    int64_t kernelW);

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
           bool prepacked, bool overwrite) {
  SCOPED_TRACE(::testing::Message()
               << tc.m << "x" << tc.n << "x" << tc.k << " A "
               << (tc.aUnsigned ? "u8" : "s8") << " B "
               << (tc.bUnsigned ? "u8" : "s8") << " zero points "
               << tc.aZeros << "/" << tc.bZeros << ", " << threads
               << " thread(s), " << (vnni ? "vnni" : "scalar") << ", A "
               << (aColumnMajor ? "column" : "row") << "-major, A and B "
               << (prepacked ? "prepacked" : "packed per call") << ", C "
               << (overwrite ? "overwritten from a bias" : "added to"));
  // A is stored column-major or row-major (the packer's vector path).
  std::vector<int8_t> a = randomBytes(tc.m * tc.k, 1), b = randomBytes(tc.k * tc.n, 2);
  std::vector<int8_t> za = randomBytes(tc.m, 3), zb = randomBytes(tc.n, 4);
  std::vector<int32_t> c(tc.m * tc.n), expected(tc.m * tc.n), bias(tc.m);
  for (int64_t i = 0; i < tc.m; ++i)
    bias[i] = int32_t(i * 37 % 11) - 5;
  for (int64_t i = 0; i < tc.m * tc.n; ++i) {
    c[i] = int32_t(i % 7) - 3; // accumulated onto, or overwritten
    expected[i] = overwrite ? bias[i / tc.n] : c[i];
  }
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
  std::vector<int8_t> packedA(int8_panels::packedABytes(tc.m, tc.k), 0);
  if (prepacked) {
    int8_panels::packB(
        tc.k, tc.n, [&](int64_t r, int64_t col) { return b[r * tc.n + col]; },
        tc.bUnsigned, packed.data());
    bm.packed = packed.data();
    int8_panels::packA(
        tc.m, tc.k,
        [&](int64_t r, int64_t col) {
          return a[aColumnMajor ? col * tc.m + r : r * tc.k + col];
        },
        tc.aUnsigned, packedA.data());
    am.packed = packedA.data();
  }
  ASSERT_TRUE(int8Gemm(context, tc.m, tc.n, tc.k, am, bm,
                       {c.data(), tc.n, 1, overwrite,
                        overwrite ? bias.data() : nullptr},
                       vnni));
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
                for (bool prepacked : {false, true})
                  for (bool overwrite : {false, true})
                    check(tc, threads, vnni, aColumnMajor, prepacked,
                          overwrite);
        }
}

TEST(Int8Gemm, EntryPointTakesViewsAndZeroPoints) {
  // A: uint8 3x5 row-major; B: int8 5x4 read as a transposed 4x5 buffer;
  // za one value, zb per column; C a 3x4 view with a row stride of 6, which
  // holds 7s before: added to, or (overwrite) written over; the two columns
  // past the view keep their 7s.
  std::vector<int8_t> a = randomBytes(15, 5), bT = randomBytes(20, 6);
  int8_t za = int8_t(200), zb[4] = {1, -2, 3, -4};
  for (int64_t overwrite : {0, 1}) {
    std::vector<int32_t> c(18, 7);
    MemRef<2, int8_t> am{a.data(), a.data(), 0, {3, 5}, {5, 1}};
    MemRef<2, int8_t> bm{bT.data(), bT.data(), 0, {5, 4}, {1, 5}};
    MemRef<2, int32_t> cm{c.data(), c.data(), 0, {3, 4}, {6, 1}};
    MemRef<1, int8_t> zam{&za, &za, 0, {1}, {1}};
    MemRef<1, int8_t> zbm{zb, zb, 0, {4}, {1}};
    _mlir_ciface_qc_kernel_matmul_i8_i32(&am, &bm, &cm, &zam, &zbm, 1, 0, overwrite);
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 6; ++j) {
        int32_t expected = j < 4 && overwrite ? 0 : 7;
        if (j < 4)
          for (int p = 0; p < 5; ++p)
            expected += (int32_t(uint8_t(a[i * 5 + p])) - 200) *
                        (int32_t(bT[j * 5 + p]) - zb[j]);
        EXPECT_EQ(c[i * 6 + j], expected)
            << "at " << i << ", " << j << (overwrite ? ", overwritten" : "");
      }
  }
}

// Where a fused epilogue's residual is: none, apart from the output, or
// the output's own buffer.
enum class Residual { None, Separate, InPlace };

// The MatMul epilogue's entry points (B plain or packed) against the
// exact sums put through the same float steps in the same order: a
// dynamically quantized row's scale and zero point, the weights' scale per
// column and their bias, a residual (apart from the output or in it) and
// a clamp (or none: [-inf, inf], which the kernel skips); the output a
// view with a row stride wider than N.
void checkEpilogueMatmul(int64_t m, int64_t n, int64_t k, bool packed,
                         Residual residual, bool clamped) {
  SCOPED_TRACE(::testing::Message()
               << m << "x" << n << "x" << k << (packed ? ", B packed" : "")
               << ", residual " << int(residual)
               << (clamped ? ", clamped" : ""));
  std::vector<int8_t> a = randomBytes(m * k, 11), b = randomBytes(k * n, 12);
  std::vector<int8_t> za = randomBytes(m, 13);
  std::vector<float> rowScale(m), colScale(n), colBias(n);
  for (int64_t i = 0; i < m; ++i)
    rowScale[i] = 0.01f + 0.001f * float(i % 17);
  for (int64_t j = 0; j < n; ++j) {
    colScale[j] = 0.02f - 0.0003f * float(j % 23);
    colBias[j] = 0.25f * float(j % 9) - 1.0f;
  }
  const float lo = clamped ? -40.0f : -INFINITY;
  const float hi = clamped ? 40.0f : INFINITY;
  int64_t pitch = n + 3;
  std::vector<float> out(m * pitch, 7.0f), separate(m * pitch), expected;
  for (int64_t i = 0; i < m * pitch; ++i)
    separate[i] = 0.5f * float(i % 11) - 2.0f;
  if (residual == Residual::InPlace)
    out = separate;
  expected = out; // the columns past the view's keep what they hold
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      int32_t sum = 0;
      for (int64_t p = 0; p < k; ++p)
        sum += (read(a[i * k + p], true) - read(za[i], true)) * b[p * n + j];
      float v = float(sum) * rowScale[i] * colScale[j] + colBias[j];
      if (residual != Residual::None)
        v = v + separate[i * pitch + j];
      expected[i * pitch + j] = std::min(std::max(v, lo), hi);
    }
  float params[6] = {lo, hi, 1, 0, 0, 0};
  MemRef<2, int8_t> am{a.data(), a.data(), 0, {m, k}, {k, 1}};
  MemRef<2, int8_t> bm{b.data(), b.data(), 0, {k, n}, {n, 1}};
  MemRef<2> om{out.data(), out.data(), 0, {m, n}, {pitch, 1}};
  float *residualData =
      residual == Residual::InPlace ? out.data() : separate.data();
  MemRef<2> rm{residualData,
               residualData,
               0,
               {residual == Residual::None ? 0 : m, n},
               {pitch, 1}};
  MemRef<1, int8_t> zam{za.data(), za.data(), 0, {m}, {1}};
  MemRef<1, int8_t> zbm{nullptr, nullptr, 0, {0}, {1}};
  MemRef<1> rs{rowScale.data(), rowScale.data(), 0, {m}, {1}};
  MemRef<1> cs{colScale.data(), colScale.data(), 0, {n}, {1}};
  MemRef<1> none{nullptr, nullptr, 0, {0}, {1}};
  MemRef<1> cb{colBias.data(), colBias.data(), 0, {n}, {1}};
  MemRef<1> pm{params, params, 0, {6}, {1}};
  std::vector<int8_t> packedB(int8_panels::packedBBytes(k, n), 0);
  if (packed) {
    int8_panels::packB(
        k, n, [&](int64_t r, int64_t c) { return b[r * n + c]; }, false,
        packedB.data());
    MemRef<1, int8_t> pb{
        packedB.data(), packedB.data(), 0, {int64_t(packedB.size())}, {1}};
    _mlir_ciface_qc_kernel_matmul_packed_b_i8_epilogue(
        &am, &pb, &om, &zam, &zbm, &rs, &cs, &none, &cb, &pm, &rm, 1, 0);
  } else {
    _mlir_ciface_qc_kernel_matmul_i8_epilogue(&am, &bm, &om, &zam, &zbm, &rs,
                                              &cs, &none, &cb, &pm, &rm, 1, 0);
  }
  for (int64_t i = 0; i < m * pitch; ++i)
    ASSERT_EQ(out[i], expected[i])
        << "at row " << i / pitch << ", column " << i % pitch;
}

TEST(Int8Gemm, MatmulEpilogueScalesPerRowAndColumn) {
  const int64_t shapes[][3] = {
      {1, 1, 1}, {5, 33, 7}, {70, 130, 66}, {128, 64, 384}};
  for (auto &shape : shapes)
    for (bool packed : {false, true})
      for (Residual residual :
           {Residual::None, Residual::Separate, Residual::InPlace})
        for (bool clamped : {true, false})
          checkEpilogueMatmul(shape[0], shape[1], shape[2], packed, residual,
                              clamped);
}

struct ConvCase {
  int64_t batch, channels, height, width, filters, kernelH, kernelW;
  int64_t strideH, strideW, dilationH, dilationW;
};

// The convolution entry points against a direct loop: x uint8 (zero point
// 7) as a view into a wider buffer (its rows 3 bytes apart beyond the
// image, as a padded input's view), w int8 with a zero point per filter,
// y overwritten from a bias or added to, w plain or packed.
void checkConv(const ConvCase &cc, bool packed, bool overwrite) {
  SCOPED_TRACE(::testing::Message()
               << cc.batch << "x" << cc.channels << "x" << cc.height << "x"
               << cc.width << " * " << cc.filters << "x" << cc.kernelH << "x"
               << cc.kernelW << " stride " << cc.strideH << "," << cc.strideW
               << " dilation " << cc.dilationH << "," << cc.dilationW
               << (packed ? ", w packed" : "")
               << (overwrite ? ", overwritten from a bias" : ", added to"));
  int64_t outH = (cc.height - cc.dilationH * (cc.kernelH - 1) - 1) / cc.strideH + 1;
  int64_t outW = (cc.width - cc.dilationW * (cc.kernelW - 1) - 1) / cc.strideW + 1;
  int64_t rowPitch = cc.width + 3;
  int64_t plane = cc.height * rowPitch, image = cc.channels * plane;
  std::vector<int8_t> x = randomBytes(cc.batch * image, 7);
  int64_t k = cc.channels * cc.kernelH * cc.kernelW;
  std::vector<int8_t> w = randomBytes(cc.filters * k, 8);
  std::vector<int8_t> wZero = randomBytes(cc.filters, 9);
  int8_t xZero = 7;
  std::vector<int32_t> bias(cc.filters);
  for (int64_t f = 0; f < cc.filters; ++f)
    bias[f] = int32_t(f * 13 % 9) - 4;
  int64_t ySize = cc.batch * cc.filters * outH * outW;
  std::vector<int32_t> y(ySize), expected(ySize);
  for (int64_t i = 0; i < ySize; ++i)
    y[i] = int32_t(i % 5) - 2;
  int64_t e = 0;
  for (int64_t b = 0; b < cc.batch; ++b)
    for (int64_t f = 0; f < cc.filters; ++f)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow, ++e) {
          int64_t sum = overwrite ? bias[f] : y[e];
          for (int64_t c = 0; c < cc.channels; ++c)
            for (int64_t kh = 0; kh < cc.kernelH; ++kh)
              for (int64_t kw = 0; kw < cc.kernelW; ++kw) {
                int64_t ih = oh * cc.strideH + kh * cc.dilationH;
                int64_t iw = ow * cc.strideW + kw * cc.dilationW;
                int32_t xv = int32_t(uint8_t(x[b * image + c * plane + ih * rowPitch + iw]));
                int32_t wv = w[(f * cc.channels + c) * cc.kernelH * cc.kernelW +
                               kh * cc.kernelW + kw];
                sum += int64_t(xv - xZero) * (wv - wZero[f]);
              }
          expected[e] = int32_t(sum);
        }
  MemRef<4, int8_t> xm{x.data(), x.data(), 0,
                       {cc.batch, cc.channels, cc.height, cc.width},
                       {image, plane, rowPitch, 1}};
  MemRef<4, int8_t> wm{w.data(), w.data(), 0,
                       {cc.filters, cc.channels, cc.kernelH, cc.kernelW},
                       {k, cc.kernelH * cc.kernelW, cc.kernelW, 1}};
  MemRef<4, int32_t> ym{y.data(), y.data(), 0, {cc.batch, cc.filters, outH, outW},
                        {cc.filters * outH * outW, outH * outW, outW, 1}};
  MemRef<1, int32_t> bm{bias.data(), bias.data(), 0,
                        {overwrite ? cc.filters : 0}, {1}};
  MemRef<1, int8_t> xz{&xZero, &xZero, 0, {1}, {1}};
  MemRef<1, int8_t> wz{wZero.data(), wZero.data(), 0, {cc.filters}, {1}};
  std::vector<int8_t> packedW(int8_panels::packedABytes(cc.filters, k), 0);
  if (packed) {
    int8_panels::packA(
        cc.filters, k, [&](int64_t r, int64_t c) { return w[r * k + c]; },
        false, packedW.data());
    MemRef<1, int8_t> pm{packedW.data(), packedW.data(), 0,
                         {int64_t(packedW.size())}, {1}};
    _mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_i32(
        &xm, &pm, &ym, &bm, &xz, &wz, 1, 0, overwrite, cc.strideH, cc.strideW,
        cc.dilationH, cc.dilationW, cc.kernelH, cc.kernelW);
  } else {
    _mlir_ciface_qc_kernel_conv2d_nchw_i8_i32(&xm, &wm, &ym, &bm, &xz, &wz, 1,
                                              0, overwrite, cc.strideH,
                                              cc.strideW, cc.dilationH,
                                              cc.dilationW);
  }
  for (int64_t i = 0; i < ySize; ++i)
    ASSERT_EQ(y[i], expected[i]) << "at element " << i;
}

struct EpilogueParts {
  Residual residual;
  bool floatOut, bytes;
};

// The epilogue entry points against the direct loop's sums put through the
// same float steps: v = clamp(sum * scale[f] + bias[f] (+ residual), 0, 6)
// stored as a float and/or quantized with scale 0.05 and zero point 3 to
// uint8, into a byte output padded by 1 on every side (as the next
// convolution's padded input), whose border must stay as it was. The
// residual is read from its own buffer or from the float output's (the
// in-place form ResNet's blocks take), and holds a NaN, which the clamp
// keeps (a Relu's maximumf) and the quantization makes q min.
void checkEpilogueConv(const ConvCase &cc, bool packed, EpilogueParts parts) {
  SCOPED_TRACE(::testing::Message()
               << "epilogue " << cc.batch << "x" << cc.channels << "x"
               << cc.height << "x" << cc.width << " * " << cc.filters << "x"
               << cc.kernelH << "x" << cc.kernelW << " stride " << cc.strideH
               << "," << cc.strideW << (packed ? ", w packed" : "")
               << " residual " << int(parts.residual) << " float out "
               << parts.floatOut << " bytes " << parts.bytes);
  int64_t outH = (cc.height - cc.dilationH * (cc.kernelH - 1) - 1) / cc.strideH + 1;
  int64_t outW = (cc.width - cc.dilationW * (cc.kernelW - 1) - 1) / cc.strideW + 1;
  int64_t plane = cc.height * cc.width, image = cc.channels * plane;
  int64_t k = cc.channels * cc.kernelH * cc.kernelW;
  std::vector<int8_t> x = randomBytes(cc.batch * image, 11);
  std::vector<int8_t> w = randomBytes(cc.filters * k, 12);
  int8_t xZero = 5, wZero = 0;
  std::vector<int32_t> bias(cc.filters);
  std::vector<float> scale(cc.filters), floatBias(cc.filters);
  for (int64_t f = 0; f < cc.filters; ++f) {
    bias[f] = int32_t(f * 7 % 5) - 2;
    scale[f] = 1e-4f * float(f + 1);
    floatBias[f] = 0.25f * float(f % 3) - 0.2f;
  }
  float params[6] = {0.0f, 6.0f, 0.05f, 3.0f, 0.0f, 255.0f};
  int64_t outSize = cc.batch * cc.filters * outH * outW;
  std::vector<float> residual(outSize), floats(outSize, -7.0f);
  for (int64_t i = 0; i < outSize; ++i)
    residual[i] = 0.5f * float(i % 11) - 2.0f;
  if (outSize > 3)
    residual[3] = NAN;
  if (parts.residual == Residual::InPlace)
    floats = residual;
  std::vector<float> expectedFloats = floats;
  int64_t zH = outH + 2, zW = outW + 2;
  std::vector<int8_t> z(cc.batch * cc.filters * zH * zW, int8_t(0x55));
  std::vector<int8_t> expected = z;
  int64_t e = 0;
  for (int64_t b = 0; b < cc.batch; ++b)
    for (int64_t f = 0; f < cc.filters; ++f)
      for (int64_t oh = 0; oh < outH; ++oh)
        for (int64_t ow = 0; ow < outW; ++ow, ++e) {
          int32_t sum = bias[f];
          for (int64_t c = 0; c < cc.channels; ++c)
            for (int64_t kh = 0; kh < cc.kernelH; ++kh)
              for (int64_t kw = 0; kw < cc.kernelW; ++kw) {
                int64_t ih = oh * cc.strideH + kh * cc.dilationH;
                int64_t iw = ow * cc.strideW + kw * cc.dilationW;
                sum += (int32_t(uint8_t(x[b * image + c * plane + ih * cc.width + iw])) -
                        xZero) *
                       w[(f * cc.channels + c) * cc.kernelH * cc.kernelW +
                         kh * cc.kernelW + kw];
              }
          float v = float(sum) * scale[f] + floatBias[f];
          if (parts.residual != Residual::None)
            v = v + residual[e];
          if (!std::isnan(v))
            v = std::min(std::max(v, params[0]), params[1]);
          expectedFloats[e] = v;
          v = std::nearbyint(v / params[2]) + params[3];
          v = std::isnan(v) ? params[4]
                            : std::min(std::max(v, params[4]), params[5]);
          if (parts.bytes)
            expected[((b * cc.filters + f) * zH + oh + 1) * zW + ow + 1] =
                int8_t(int32_t(v));
        }
  MemRef<4, int8_t> xm{x.data(), x.data(), 0,
                       {cc.batch, cc.channels, cc.height, cc.width},
                       {image, plane, cc.width, 1}};
  MemRef<4, int8_t> wm{w.data(), w.data(), 0,
                       {cc.filters, cc.channels, cc.kernelH, cc.kernelW},
                       {k, cc.kernelH * cc.kernelW, cc.kernelW, 1}};
  // The interior of the padded output: offset one row and one column in.
  MemRef<4, int8_t> zm{z.data(), z.data(), zW + 1, {cc.batch, cc.filters, outH, outW},
                       {cc.filters * zH * zW, zH * zW, zW, 1}};
  MemRef<4, int8_t> noBytes{nullptr, nullptr, 0, {0, 0, 0, 0}, {0, 0, 0, 0}};
  auto dense = [&](std::vector<float> &v) {
    return MemRef<4>{v.data(),
                     v.data(),
                     0,
                     {cc.batch, cc.filters, outH, outW},
                     {cc.filters * outH * outW, outH * outW, outW, 1}};
  };
  MemRef<4> none{nullptr, nullptr, 0, {0, 0, 0, 0}, {0, 0, 0, 0}};
  MemRef<4> rm = parts.residual == Residual::None      ? none
                 : parts.residual == Residual::InPlace ? dense(floats)
                                                       : dense(residual);
  MemRef<4> om = parts.floatOut ? dense(floats) : none;
  MemRef<1, int32_t> bm{bias.data(), bias.data(), 0, {cc.filters}, {1}};
  MemRef<1, int8_t> xz{&xZero, &xZero, 0, {1}, {1}};
  MemRef<1, int8_t> wz{&wZero, &wZero, 0, {1}, {1}};
  MemRef<1> sm{scale.data(), scale.data(), 0, {cc.filters}, {1}};
  MemRef<1> fm{floatBias.data(), floatBias.data(), 0, {cc.filters}, {1}};
  MemRef<1> pm{params, params, 0, {6}, {1}};
  void *zArg = parts.bytes ? static_cast<void *>(&zm) : &noBytes;
  std::vector<int8_t> packedW(int8_panels::packedABytes(cc.filters, k), 0);
  if (packed) {
    int8_panels::packA(
        cc.filters, k, [&](int64_t r, int64_t c) { return w[r * k + c]; },
        false, packedW.data());
    MemRef<1, int8_t> wp{packedW.data(), packedW.data(), 0,
                         {int64_t(packedW.size())}, {1}};
    _mlir_ciface_qc_kernel_conv2d_nchw_packed_i8_epilogue(
        &xm, &wp, zArg, &bm, &xz, &wz, &sm, &fm, &pm, &rm, &om, 1, 0,
        cc.strideH, cc.strideW, cc.dilationH, cc.dilationW, cc.kernelH,
        cc.kernelW);
  } else {
    _mlir_ciface_qc_kernel_conv2d_nchw_i8_epilogue(
        &xm, &wm, zArg, &bm, &xz, &wz, &sm, &fm, &pm, &rm, &om, 1, 0,
        cc.strideH, cc.strideW, cc.dilationH, cc.dilationW);
  }
  for (size_t i = 0; i < z.size(); ++i)
    ASSERT_EQ(int(uint8_t(z[i])), int(uint8_t(expected[i]))) << "at byte " << i;
  if (parts.floatOut)
    for (int64_t i = 0; i < outSize; ++i) {
      if (std::isnan(expectedFloats[i]))
        ASSERT_TRUE(std::isnan(floats[i])) << "at float " << i;
      else
        ASSERT_EQ(floats[i], expectedFloats[i]) << "at float " << i;
    }
}

TEST(Int8Gemm, ConvolutionEntryPointsMatchDirectLoop) {
  const ConvCase cases[] = {
      {1, 3, 9, 9, 5, 3, 3, 1, 1, 1, 1},    // rows of 7: panels span 3
      {2, 4, 12, 21, 17, 1, 1, 1, 1, 1, 1}, // 1x1, two images
      {1, 5, 15, 15, 8, 3, 3, 2, 2, 1, 1},  // stride 2
      {1, 2, 16, 40, 9, 7, 7, 2, 2, 1, 1},  // the stem's 7x7 stride 2
      {1, 6, 13, 17, 4, 3, 2, 3, 3, 1, 1},  // stride 3: single lanes
      {1, 3, 14, 14, 6, 3, 3, 1, 2, 2, 1},  // dilation 2, mixed strides
      {1, 70, 10, 10, 33, 3, 3, 1, 1, 1, 1}, // K not a multiple of 4, tasks
  };
  for (const ConvCase &cc : cases)
    for (bool packed : {false, true}) {
      for (bool overwrite : {false, true})
        checkConv(cc, packed, overwrite);
      for (EpilogueParts parts :
           {EpilogueParts{Residual::None, false, true},
            EpilogueParts{Residual::InPlace, true, true},
            EpilogueParts{Residual::Separate, true, false},
            EpilogueParts{Residual::Separate, false, true},
            EpilogueParts{Residual::None, true, false}})
        checkEpilogueConv(cc, packed, parts);
    }
}

} // namespace
