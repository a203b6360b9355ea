//===- Histogram.h - An activation's values, and the range to quantize ---*- C++ -*-===//
//
// `--calib-method=entropy|mse`: the values an activation took over every
// calibration input, counted in bins of equal width, and the uint8 range
// (256 levels, asymmetric) chosen from them:
// - mse: the range whose quantization has the least expected squared error,
//   values outside it clipped to its ends and those inside off by a uniform
//   rounding error (a step squared over 12);
// - entropy: the range whose 256 levels keep the distribution closest in
//   Kullback-Leibler divergence, values outside folded into the end bins
//   (TensorRT's entropy calibration, on both ends of an asymmetric range).
// Either searches each end in turn, twice; an end at or above zero (a Relu
// output's lower end) is kept where it is.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_COMPILER_CALIBRATION_HISTOGRAM_H
#define QUANTC_COMPILER_CALIBRATION_HISTOGRAM_H

#include <cstdint>
#include <utility>
#include <vector>

namespace quantc::calibration {

class Histogram {
public:
  static constexpr int kBins = 2048;

  /// Counts `n` values, but for exact zeros (which any range holds
  /// exactly). The bins span the smallest to the largest value seen; a
  /// value beyond them widens the span, each old bin's count moving to the
  /// new bin that holds its centre.
  void add(const float *values, int64_t n);

  bool empty() const { return counts.empty(); }
  float lo() const { return float(first); }
  float hi() const { return float(last); }

  /// The range chosen by each method; (lo, hi) when too little was seen to
  /// choose (fewer than two distinct values).
  std::pair<float, float> mseRange() const;
  std::pair<float, float> entropyRange() const;

private:
  double width() const { return (last - first) / kBins; }
  double centre(int bin) const { return first + (bin + 0.5) * width(); }
  void widen(double lo, double hi);
  /// Bins [lo, hi) as the range: cost(lo, hi) by the method, minimised one
  /// end at a time.
  template <typename Cost>
  std::pair<float, float> search(Cost cost, int minBins) const;
  double squaredError(int lo, int hi) const;
  double divergence(int lo, int hi) const;

  double first = 0, last = 0;
  std::vector<double> counts; // kBins once a value was seen
};

} // namespace quantc::calibration

#endif
