//===- Histogram.cpp - An activation's values, and the range to quantize -===//
#include "compiler/calibration/Histogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace quantc::calibration {
namespace {

constexpr int kLevels = 256; // uint8
// How far apart the candidate ends are, in bins.
constexpr int kStep = 8;

} // namespace

void Histogram::widen(double lo, double hi) {
  std::vector<double> old = std::move(counts);
  double oldFirst = first, oldWidth = (last - first) / kBins;
  first = lo;
  last = hi;
  counts.assign(kBins, 0.0);
  for (int bin = 0; bin < kBins; ++bin)
    if (old[bin] != 0) {
      double x = oldFirst + (bin + 0.5) * oldWidth;
      int to = std::clamp(int((x - first) / width()), 0, kBins - 1);
      counts[to] += old[bin];
    }
}

void Histogram::add(const float *values, int64_t n) {
  if (n == 0)
    return;
  auto [mn, mx] = std::minmax_element(values, values + n);
  double lo = *mn, hi = *mx;
  if (counts.empty()) {
    first = lo;
    last = hi > lo ? hi : lo + 1e-6 * std::max(1.0, std::fabs(lo));
    counts.assign(kBins, 0.0);
  } else if (lo < first || hi > last) {
    widen(std::min(lo, first), std::max(hi, last));
  }
  double scale = kBins / (last - first);
  // Exact zeros (half of a Relu's output) are not counted: the uint8 grid
  // holds zero exactly, so they cost nothing whatever the range, and in a
  // bin of their own they would swamp the divergence of the levels near
  // zero (merged with their neighbours, the spike reads as spread out).
  for (int64_t i = 0; i < n; ++i)
    if (values[i] != 0.0f)
      counts[std::clamp(int((values[i] - first) * scale), 0, kBins - 1)] += 1.0;
}

double Histogram::squaredError(int lo, int hi) const {
  double a = first + lo * width(), b = first + hi * width();
  double step = (b - a) / (kLevels - 1), inside = 0, error = 0;
  for (int bin = 0; bin < kBins; ++bin) {
    double c = counts[bin];
    if (c == 0)
      continue;
    double x = centre(bin);
    if (x < a)
      error += c * (a - x) * (a - x);
    else if (x > b)
      error += c * (x - b) * (x - b);
    else
      inside += c;
  }
  return error + inside * step * step / 12;
}

double Histogram::divergence(int lo, int hi) const {
  int n = hi - lo;
  // p: the bins of the range, what lies outside folded into its ends.
  std::vector<double> p(counts.begin() + lo, counts.begin() + hi);
  for (int bin = 0; bin < lo; ++bin)
    p.front() += counts[bin];
  for (int bin = hi; bin < kBins; ++bin)
    p.back() += counts[bin];
  // q: the range's own bins merged into 256 levels, each level's count
  // spread evenly over the bins that had any.
  std::vector<double> q(n, 0.0);
  for (int level = 0; level < kLevels; ++level) {
    int begin = int(int64_t(level) * n / kLevels);
    int end = int(int64_t(level + 1) * n / kLevels);
    double total = 0;
    int used = 0;
    for (int j = begin; j < end; ++j)
      if (counts[lo + j] != 0) {
        total += counts[lo + j];
        ++used;
      }
    for (int j = begin; j < end; ++j)
      if (counts[lo + j] != 0)
        q[j] = total / used;
  }
  double pSum = 0, qSum = 0;
  for (int j = 0; j < n; ++j) {
    pSum += p[j];
    qSum += q[j];
  }
  if (pSum == 0 || qSum == 0)
    return std::numeric_limits<double>::infinity();
  // A bin q left empty (only outliers folded into it) gets a small share.
  constexpr double kFloor = 1e-9;
  double kl = 0;
  for (int j = 0; j < n; ++j)
    if (p[j] != 0) {
      double pj = p[j] / pSum, qj = std::max(q[j] / qSum, kFloor);
      kl += pj * std::log(pj / qj);
    }
  return kl;
}

template <typename Cost>
std::pair<float, float> Histogram::search(Cost cost, int minBins) const {
  if (counts.empty())
    return {0.0f, 0.0f};
  // Zero stays inside the range (the uint8 grid has it exactly); an end
  // at or above zero stays where it is.
  bool lowerFixed = first >= 0;
  int zero = first < 0 && last > 0 ? int(-first / width()) : 0;
  int lo = 0, hi = kBins;
  for (int round = 0; round < 2; ++round) {
    double best = cost(lo, hi);
    for (int end = std::max(lo + minBins, zero + 1); end < kBins; end += kStep)
      if (double c = cost(lo, end); c < best) {
        best = c;
        hi = end;
      }
    if (lowerFixed)
      break;
    for (int begin = 0; begin <= std::min(hi - minBins, zero); begin += kStep)
      if (double c = cost(begin, hi); c < best) {
        best = c;
        lo = begin;
      }
  }
  return {float(first + lo * width()), float(first + hi * width())};
}

std::pair<float, float> Histogram::mseRange() const {
  return search([&](int lo, int hi) { return squaredError(lo, hi); }, kStep);
}

std::pair<float, float> Histogram::entropyRange() const {
  return search([&](int lo, int hi) { return divergence(lo, hi); }, kLevels);
}

} // namespace quantc::calibration
