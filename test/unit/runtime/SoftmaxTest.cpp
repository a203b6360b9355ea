//===- SoftmaxTest.cpp - The row softmax kernel against double ------------===//
//
// qc_kernel_softmax_f32 on every ISA this CPU runs, 1 and 3 threads: row
// lengths around the vector width, strided and in-place operands, and the
// rows whose answer is not a number (a NaN, all -inf) or relies on exp
// underflowing (-inf masks, a spread of 1e4).
//
//===----------------------------------------------------------------------===//
#include "kernels/KernelEntries.h"

#include "KernelTestValues.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace qc::kernels;
using namespace qc::kernels::testing;

extern "C" void _mlir_ciface_qc_kernel_softmax_f32(MemRef<2> *x, MemRef<2> *y);

namespace {

// softmax(x[r, :]) in double, as ONNX defines it: NaN where the row has a
// NaN or its max is -inf.
std::vector<double> referenceRow(const float *x, int64_t stride, int64_t n) {
  double max = -INFINITY;
  bool nan = false;
  for (int64_t j = 0; j < n; ++j) {
    nan |= std::isnan(x[j * stride]);
    max = std::fmax(max, x[j * stride]);
  }
  std::vector<double> out(n, NAN);
  if (nan || max == -INFINITY)
    return out;
  double sum = 0;
  for (int64_t j = 0; j < n; ++j)
    sum += out[j] = std::exp(double(x[j * stride]) - max);
  for (double &v : out)
    v /= sum;
  return out;
}

// x [rows, cols] with its columns `colStride` apart; y dense, or x itself.
// The largest relative error over the rows, NaN expected where the
// reference is NaN (else infinity).
double softmaxError(std::vector<float> x, int64_t rows, int64_t cols,
                    int64_t colStride, bool inPlace, Isa isa, int threads) {
  std::vector<float> y(rows * cols, -7.0f);
  std::vector<float> original = x;
  MemRef<2> xd{
      x.data(), x.data(), 0, {rows, cols}, {cols * colStride, colStride}};
  MemRef<2> yd{y.data(), y.data(), 0, {rows, cols}, {cols, 1}};
  if (inPlace)
    yd = xd;
  KernelContext context;
  if (!initKernelContext(&context, threads))
    return INFINITY;
  context.isa = isa;
  {
    CurrentKernelContext current(&context);
    _mlir_ciface_qc_kernel_softmax_f32(&xd, &yd);
  }
  releaseKernelContext(&context);
  double worst = 0;
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<double> expected =
        referenceRow(original.data() + r * cols * colStride, colStride, cols);
    for (int64_t j = 0; j < cols; ++j) {
      float got = yd.data()[r * yd.strides[0] + j * yd.strides[1]];
      if (std::isnan(expected[j]) != std::isnan(got))
        return INFINITY;
      if (!std::isnan(got))
        worst = std::fmax(worst, std::fabs(got - expected[j]) /
                                     std::fmax(expected[j], 1e-30));
    }
  }
  return worst;
}

// Rows of random scores in [-8, 8], each `colStride` floats apart.
std::vector<float> scores(int64_t rows, int64_t cols, int64_t colStride) {
  std::vector<float> x = randomValues(rows * cols * colStride, 11);
  for (float &v : x)
    v *= 8;
  return x;
}

TEST(SoftmaxTest, RowsMatchDoubleOnEveryIsa) {
  for (Isa isa : runnableIsas())
    for (int threads : {1, 3})
      for (int64_t cols : {1, 5, 16, 17, 128, 300})
        for (int64_t rows : {1, 7, 64})
          for (int64_t colStride : {1, 2})
            for (bool inPlace : {false, true}) {
              if (inPlace && colStride != 1)
                continue;
              double error =
                  softmaxError(scores(rows, cols, colStride), rows, cols,
                               colStride, inPlace, isa, threads);
              // exp's few ulp, a sum of up to 300 terms.
              EXPECT_LT(error, 2e-6)
                  << isaName(isa) << " threads " << threads << " rows " << rows
                  << " cols " << cols << " stride " << colStride
                  << (inPlace ? " in place" : "");
            }
}

TEST(SoftmaxTest, SpecialRows) {
  const int64_t cols = 19;
  auto row = [&](std::vector<float> &x, int64_t r) {
    return x.data() + r * cols;
  };
  std::vector<float> x = scores(6, cols, 1);
  // An attention mask's -inf: those exps are exactly 0.
  for (int64_t j = 3; j < cols; j += 2)
    row(x, 0)[j] = -INFINITY;
  // A NaN: the whole row is NaN.
  row(x, 1)[17] = NAN;
  // Every entry masked: -inf - -inf is NaN.
  for (int64_t j = 0; j < cols; ++j)
    row(x, 2)[j] = -INFINITY;
  // A spread of 1e4: all but the max underflow to 0, no overflow.
  for (int64_t j = 0; j < cols; ++j)
    row(x, 3)[j] = j == 5 ? 1e4f : -1e4f + j;
  // -1e4, an additive mask's value, beside ordinary scores.
  row(x, 4)[0] = -1e4f;
  for (Isa isa : runnableIsas()) {
    EXPECT_LT(softmaxError(x, 6, cols, 1, false, isa, 1), 2e-6) << isaName(isa);
    std::vector<float> y(6 * cols);
    MemRef<2> xd{x.data(), x.data(), 0, {6, cols}, {cols, 1}};
    MemRef<2> yd{y.data(), y.data(), 0, {6, cols}, {cols, 1}};
    KernelContext context;
    ASSERT_TRUE(initKernelContext(&context, 1));
    context.isa = isa;
    {
      CurrentKernelContext current(&context);
      _mlir_ciface_qc_kernel_softmax_f32(&xd, &yd);
    }
    releaseKernelContext(&context);
    for (int64_t j = 3; j < cols; j += 2)
      EXPECT_EQ(y[j], 0.0f) << isaName(isa) << " masked column " << j;
    EXPECT_EQ(y[3 * cols + 5], 1.0f) << isaName(isa);
  }
}

TEST(SoftmaxTest, MismatchedShapesPoisonTheOutput) {
  std::vector<float> x(12, 0.0f), y(12, 0.0f);
  MemRef<2> xd{x.data(), x.data(), 0, {3, 4}, {4, 1}};
  MemRef<2> yd{y.data(), y.data(), 0, {4, 3}, {3, 1}};
  _mlir_ciface_qc_kernel_softmax_f32(&xd, &yd);
  for (float v : y)
    EXPECT_TRUE(std::isnan(v));
}

} // namespace
