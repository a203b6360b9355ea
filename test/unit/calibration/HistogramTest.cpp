//===- HistogramTest.cpp - --calib-method=entropy|mse's range choice -----===//
//
// The histogram widens without losing counts; both methods clip far
// outliers that min/max would stretch the range to (entropy hard, mse only
// as far as the rounding it saves outweighs the clipping), keep the range
// of a distribution without outliers, keep zero inside the range, and
// leave a non-negative activation's lower end where it is.
//
//===----------------------------------------------------------------------===//
#include "compiler/calibration/Histogram.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace {

using quantc::calibration::Histogram;

std::vector<float> normal(int n, unsigned seed, float mean = 0, float sd = 1) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> dist(mean, sd);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

std::vector<float> uniform(int n, unsigned seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

TEST(Histogram, WidensToWhatItSees) {
  Histogram h;
  std::vector<float> a = uniform(1000, 1, 0, 1), b = uniform(1000, 2, -3, 2);
  h.add(a.data(), a.size());
  EXPECT_GE(h.lo(), 0.0f);
  EXPECT_LE(h.hi(), 1.0f);
  h.add(b.data(), b.size());
  EXPECT_LT(h.lo(), -2.9f);
  EXPECT_GT(h.hi(), 1.9f);
  // Nothing was lost in the widening: a range that keeps everything has
  // the uniform error of 256 levels only.
  auto [lo, hi] = h.mseRange();
  EXPECT_LE(lo, 0.0f);
  EXPECT_GE(hi, 0.0f);
}

TEST(Histogram, BothMethodsClipFarOutliers) {
  Histogram h;
  std::vector<float> v = normal(200000, 3);
  v.push_back(60.0f);
  v.push_back(-60.0f);
  h.add(v.data(), v.size());
  // Two values at 60 cost 2 * (60 - t)^2 clipped to t, against
  // 200000 * (2t / 255)^2 / 12 of rounding: the least sum is near t = 40.
  auto [lo, hi] = h.mseRange();
  EXPECT_GT(hi, 30.0f);
  EXPECT_LT(hi, 50.0f);
  EXPECT_LT(lo, -30.0f);
  EXPECT_GT(lo, -50.0f);
  auto [elo, ehi] = h.entropyRange();
  EXPECT_LT(ehi, 20.0f);
  EXPECT_GT(ehi, 2.5f);
  EXPECT_GT(elo, -20.0f);
  EXPECT_LT(elo, -2.5f);
}

TEST(Histogram, KeepsARangeWithoutOutliers) {
  Histogram h;
  std::vector<float> v = uniform(200000, 4, -1, 3);
  h.add(v.data(), v.size());
  auto [lo, hi] = h.mseRange();
  EXPECT_LT(lo, -0.95f);
  EXPECT_GT(hi, 2.95f);
  auto [elo, ehi] = h.entropyRange();
  EXPECT_LT(elo, -0.9f);
  EXPECT_GT(ehi, 2.9f);
}

TEST(Histogram, KeepsZeroInsideAndANonNegativeLowerEnd) {
  // A Relu output: half zeros, the rest half-normal with a far tail.
  Histogram relu;
  std::vector<float> v = normal(200000, 5);
  for (float &x : v)
    x = x < 0 ? 0.0f : x;
  v.push_back(40.0f);
  relu.add(v.data(), v.size());
  auto [lo, hi] = relu.mseRange();
  EXPECT_EQ(lo, 0.0f);
  EXPECT_LT(hi, 38.0f);
  EXPECT_GT(hi, 2.0f);
  auto [elo, ehi] = relu.entropyRange();
  EXPECT_EQ(elo, 0.0f);
  EXPECT_LT(ehi, 15.0f);
  EXPECT_GT(ehi, 2.0f);
  // All of it far above zero: the range still reaches down to zero's side
  // only as far as the values do (the quantizer adds zero itself).
  Histogram shifted;
  std::vector<float> s = normal(100000, 6, 10, 1);
  shifted.add(s.data(), s.size());
  EXPECT_EQ(shifted.mseRange().first, shifted.lo());
}

TEST(Histogram, EmptyOrConstant) {
  Histogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.mseRange(), std::make_pair(0.0f, 0.0f));
  std::vector<float> c(100, 2.5f);
  h.add(c.data(), c.size());
  auto [lo, hi] = h.entropyRange();
  EXPECT_LE(lo, 2.5f);
  EXPECT_GE(hi, 2.5f);
}

} // namespace
