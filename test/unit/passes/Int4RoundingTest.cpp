//===- Int4RoundingTest.cpp - RTN, GPTQ and AWQ on small matrices ---------===//
//
// The arithmetic of passes/quant/Int4Rounding.h on matrices small enough to
// check by other means: the Hessian against a direct sum, RTN against its
// rule, and GPTQ and AWQ against RTN on activations with the structure they
// exploit (correlated channels; a few channels far larger than the rest).
//
//===----------------------------------------------------------------------===//
#include "passes/quant/Int4Rounding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

using namespace quantc::quant;

namespace {

/// rows x k activations: channel c = size[c] * (z_c + 0.8 z_{c-1}), so that
/// neighbours move together and channels differ in size.
std::vector<float> activations(int64_t rows, int64_t k, const std::vector<float> &size,
                               unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  std::vector<float> x(rows * k);
  for (int64_t r = 0; r < rows; ++r) {
    float previous = 0.0f;
    for (int64_t c = 0; c < k; ++c) {
      float z = normal(gen);
      x[r * k + c] = size[c] * (z + 0.8f * previous);
      previous = z;
    }
  }
  return x;
}

std::vector<float> randomWeights(int64_t k, int64_t n, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal;
  std::vector<float> w(k * n);
  for (float &v : w)
    v = normal(gen) * 0.1f;
  return w;
}

/// |X (B' - B)|^2 / |X B|^2 computed from X itself.
double relativeError(const std::vector<float> &x, int64_t rows, const Int4Weights &q,
                     const std::vector<float> &b, const std::vector<float> &rowScale = {}) {
  double num = 0.0, den = 0.0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < q.n; ++c) {
      double exact = 0.0, rounded = 0.0;
      for (int64_t i = 0; i < q.k; ++i) {
        double xi = x[r * q.k + i];
        exact += xi * b[i * q.n + c];
        rounded += xi * q.dequantized(i, c) / (rowScale.empty() ? 1.0 : rowScale[i]);
      }
      num += (rounded - exact) * (rounded - exact);
      den += exact * exact;
    }
  return num / den;
}

TEST(Int4Rounding, HessianIsTheMeanOfXTransposeX) {
  int64_t rows = 7, k = 5;
  std::vector<float> x = activations(rows, k, std::vector<float>(k, 1.5f), 1);
  HessianAccumulator h(k);
  h.add(x.data(), 3);
  h.add(x.data() + 3 * k, rows - 3);
  std::vector<float> got = h.hessian(), meanAbs = h.meanAbs();
  for (int64_t i = 0; i < k; ++i) {
    double abs = 0.0;
    for (int64_t r = 0; r < rows; ++r)
      abs += std::fabs(x[r * k + i]);
    EXPECT_NEAR(meanAbs[i], abs / rows, 1e-5);
    for (int64_t j = 0; j < k; ++j) {
      double want = 0.0;
      for (int64_t r = 0; r < rows; ++r)
        want += double(x[r * k + i]) * x[r * k + j];
      EXPECT_NEAR(got[i * k + j], want / rows, 1e-4) << i << ", " << j;
    }
  }
}

TEST(Int4Rounding, RoundToNearestFollowsItsRule) {
  // One column, one group: range [-1, 2] -> scale 0.2, zero point 5.
  Int4Weights q = roundToNearestInt4({-1.0f, 0.0f, 0.5f, 2.0f}, 4, 1, 4);
  EXPECT_FLOAT_EQ(q.scales[0], 0.2f);
  EXPECT_EQ(q.zeroPoints[0], 5);
  // 0.5 / 0.2 = 2.5 rounds half to even, to 2; plus the zero point, 7.
  EXPECT_EQ(q.q, (std::vector<uint8_t>{0, 5, 7, 15}));
}

TEST(Int4Rounding, GptqMovesTheOutputLessThanRtn) {
  int64_t rows = 512, k = 64, n = 24;
  std::vector<float> size(k);
  for (int64_t c = 0; c < k; ++c)
    size[c] = 0.5f + float(c % 7);
  std::vector<float> x = activations(rows, k, size, 2);
  std::vector<float> held = activations(rows, k, size, 3);
  std::vector<float> b = randomWeights(k, n, 4);
  HessianAccumulator h(k);
  h.add(x.data(), rows);
  for (int64_t group : {16, 32, 64}) {
    Int4Weights rtn = roundToNearestInt4(b, k, n, group);
    Int4Weights gptq = gptqInt4(b, h.hessian(), k, n, group);
    // On the calibration rows, and (what matters) on rows it never saw.
    double onCalibration = outputError(gptq, b, h.hessian()) /
                           outputError(rtn, b, h.hessian());
    double heldOut = relativeError(held, rows, gptq, b) / relativeError(held, rows, rtn, b);
    EXPECT_LT(onCalibration, 0.8) << "group " << group;
    EXPECT_LT(heldOut, 0.8) << "group " << group;
    // outputError is the same quantity as the direct one (H is a mean).
    EXPECT_NEAR(outputError(gptq, b, h.hessian()) / outputEnergy(b, k, n, h.hessian()),
                relativeError(x, rows, gptq, b), 1e-3 * relativeError(x, rows, gptq, b));
  }
}

TEST(Int4Rounding, AwqProtectsLargeChannels) {
  // Four channels 30x larger than the rest: rounding their weights
  // costs the most, and AWQ scales them up before rounding.
  int64_t rows = 256, k = 64, n = 16, group = 32;
  std::vector<float> size(k, 1.0f);
  for (int64_t c : {3, 17, 40, 41})
    size[c] = 30.0f;
  std::vector<float> x = activations(rows, k, size, 5);
  std::vector<float> held = activations(rows, k, size, 6);
  std::vector<float> b = randomWeights(k, n, 7);
  HessianAccumulator h(k);
  h.add(x.data(), rows);
  AwqResult awq = awqInt4({b}, k, {n}, h.hessian(), h.meanAbs(), group);
  EXPECT_GT(awq.alpha, 0.0f);
  EXPECT_LT(awq.error, 0.9 * awq.rtnError);
  EXPECT_GT(awq.scales[3], awq.scales[0]);
  Int4Weights rtn = roundToNearestInt4(b, k, n, group);
  EXPECT_NEAR(awq.rtnError, outputError(rtn, b, h.hessian()), 1e-6 * awq.rtnError);
  EXPECT_LT(relativeError(held, rows, awq.weights[0], b, awq.scales),
            relativeError(held, rows, rtn, b));
}

TEST(Int4Rounding, GptqZeroesChannelsCalibrationNeverSaw) {
  int64_t k = 4, n = 2;
  std::vector<float> hessian = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  Int4Weights q = gptqInt4({0.5f, -0.5f, 0.7f, 0.7f, 0.1f, 0.2f, -0.3f, 0.4f},
                           hessian, k, n, 4);
  EXPECT_EQ(q.dequantized(1, 0), 0.0f);
  EXPECT_EQ(q.dequantized(1, 1), 0.0f);
}

} // namespace
