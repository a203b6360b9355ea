//===- Int4Rounding.cpp - RTN, GPTQ and AWQ to uint4 groups ---------------===//
#include "passes/quant/Int4Rounding.h"

#include "llvm/ADT/STLExtras.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cassert>
#include <cmath>

using llvm::ArrayRef;

namespace quantc::quant {

namespace {

using MatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using ConstMapF = Eigen::Map<const MatrixF>;

/// One group's scale and zero point from its smallest and largest value.
struct GroupParams {
  float scale;
  float zeroPoint;

  static GroupParams of(float lo, float hi) {
    lo = std::min(lo, 0.0f);
    hi = std::max(hi, 0.0f);
    float scale = hi > lo ? (hi - lo) / 15.0f : 1.0f;
    return {scale, std::clamp(std::nearbyint(-lo / scale), 0.0f, 15.0f)};
  }
  uint8_t quantize(float w) const {
    return uint8_t(std::clamp(std::nearbyint(w / scale) + zeroPoint, 0.0f, 15.0f));
  }
  float dequantize(uint8_t q) const { return (float(q) - zeroPoint) * scale; }
};

Int4Weights emptyWeights(int64_t k, int64_t n, int64_t groupSize) {
  Int4Weights w;
  w.k = k;
  w.n = n;
  w.groupSize = groupSize;
  w.q.assign(k * n, 0);
  w.scales.assign(w.groups() * n, 1.0f);
  w.zeroPoints.assign(w.groups() * n, 0);
  return w;
}

/// Sets group `g`'s parameters of every column from rows [r0, r1) of
/// `at(r, c)`, and returns them.
template <typename At>
std::vector<GroupParams> setGroup(Int4Weights &w, int64_t g, int64_t r0,
                                  int64_t r1, At at) {
  std::vector<GroupParams> params;
  params.reserve(w.n);
  for (int64_t c = 0; c < w.n; ++c) {
    float lo = 0.0f, hi = 0.0f;
    for (int64_t r = r0; r < r1; ++r) {
      lo = std::min(lo, float(at(r, c)));
      hi = std::max(hi, float(at(r, c)));
    }
    GroupParams p = GroupParams::of(lo, hi);
    w.scales[g * w.n + c] = p.scale;
    w.zeroPoints[g * w.n + c] = uint8_t(p.zeroPoint);
    params.push_back(p);
  }
  return params;
}

} // namespace

Int4Weights roundToNearestInt4(ArrayRef<float> b, int64_t k, int64_t n,
                               int64_t groupSize) {
  assert(int64_t(b.size()) == k * n && groupSize > 0);
  Int4Weights w = emptyWeights(k, n, groupSize);
  auto at = [&](int64_t r, int64_t c) { return b[r * n + c]; };
  for (int64_t g = 0; g < w.groups(); ++g) {
    int64_t r0 = g * groupSize, r1 = std::min(k, r0 + groupSize);
    std::vector<GroupParams> params = setGroup(w, g, r0, r1, at);
    for (int64_t r = r0; r < r1; ++r)
      for (int64_t c = 0; c < n; ++c)
        w.q[r * n + c] = params[c].quantize(at(r, c));
  }
  return w;
}

Int4Weights gptqInt4(ArrayRef<float> b, ArrayRef<float> hessian, int64_t k,
                     int64_t n, int64_t groupSize, double dampening) {
  assert(int64_t(b.size()) == k * n && int64_t(hessian.size()) == k * k);
  MatrixD w = ConstMapF(b.data(), k, n).cast<double>();
  MatrixD h = ConstMapF(hessian.data(), k, k).cast<double>();
  // A channel calibration never saw moves nothing: its weights do not
  // matter, and a unit diagonal keeps H invertible.
  for (int64_t r = 0; r < k; ++r)
    if (h(r, r) == 0.0) {
      h(r, r) = 1.0;
      w.row(r).setZero();
    }
  double damp = dampening * h.diagonal().mean();
  // U upper triangular with U^T U = H^-1: row r of U, divided by U(r, r),
  // is how row r's error moves the rows after it (the paper's Cholesky
  // form of the sequential inverse updates).
  MatrixD upper;
  for (int attempt = 0;; ++attempt) {
    MatrixD damped = h;
    damped.diagonal().array() += damp;
    Eigen::LLT<MatrixD> factor(damped);
    if (factor.info() == Eigen::Success) {
      Eigen::LLT<MatrixD> inverse(factor.solve(MatrixD::Identity(k, k)));
      if (inverse.info() == Eigen::Success) {
        upper = inverse.matrixU();
        break;
      }
    }
    // Numerically singular: damp more (ten times, a few times over).
    damp = std::max(damp * 10.0, 1e-8);
    if (attempt == 6)
      return roundToNearestInt4(b, k, n, groupSize);
  }

  Int4Weights q = emptyWeights(k, n, groupSize);
  // Rows in blocks (a whole number of groups, about 128 rows): inside a
  // block each row's error updates the block's later rows at once; the
  // rows after the block get the block's errors as one product.
  int64_t block = groupSize * std::max<int64_t>(1, 128 / groupSize);
  std::vector<GroupParams> params;
  for (int64_t b0 = 0; b0 < k; b0 += block) {
    int64_t b1 = std::min(k, b0 + block), count = b1 - b0;
    MatrixD errors(count, n);
    for (int64_t r = b0; r < b1; ++r) {
      if (r % groupSize == 0)
        params = setGroup(q, r / groupSize, r, std::min(k, r + groupSize),
                          [&](int64_t i, int64_t c) { return w(i, c); });
      double pivot = upper(r, r);
      for (int64_t c = 0; c < n; ++c) {
        uint8_t v = params[c].quantize(float(w(r, c)));
        q.q[r * n + c] = v;
        errors(r - b0, c) = (w(r, c) - double(params[c].dequantize(v))) / pivot;
      }
      if (r + 1 < b1)
        w.middleRows(r + 1, b1 - r - 1).noalias() -=
            upper.block(r, r + 1, 1, b1 - r - 1).transpose() * errors.row(r - b0);
    }
    if (b1 < k)
      w.bottomRows(k - b1).noalias() -=
          upper.block(b0, b1, count, k - b1).transpose() * errors;
  }
  return q;
}

double outputError(const Int4Weights &q, ArrayRef<float> b,
                   ArrayRef<float> hessian, ArrayRef<float> rowScale) {
  MatrixF e(q.k, q.n);
  for (int64_t r = 0; r < q.k; ++r) {
    float inverse = rowScale.empty() ? 1.0f : 1.0f / rowScale[r];
    for (int64_t c = 0; c < q.n; ++c)
      e(r, c) = q.dequantized(r, c) * inverse - b[r * q.n + c];
  }
  MatrixF he = ConstMapF(hessian.data(), q.k, q.k) * e;
  return double(he.cwiseProduct(e).sum());
}

double outputEnergy(ArrayRef<float> b, int64_t k, int64_t n,
                    ArrayRef<float> hessian) {
  ConstMapF m(b.data(), k, n);
  MatrixF hb = ConstMapF(hessian.data(), k, k) * m;
  return double(hb.cwiseProduct(m).sum());
}

void HessianAccumulator::add(const float *x, int64_t count) {
  ConstMapF rows(x, count, k);
  Eigen::Map<MatrixF> h(sum.data(), k, k);
  h.selfadjointView<Eigen::Lower>().rankUpdate(rows.transpose());
  for (int64_t r = 0; r < count; ++r)
    for (int64_t c = 0; c < k; ++c)
      absSum[c] += std::fabs(x[r * k + c]);
  this->rows += count;
}

std::vector<float> HessianAccumulator::hessian() const {
  std::vector<float> h(k * k, 0.0f);
  float inverse = rows ? 1.0f / float(rows) : 0.0f;
  for (int64_t r = 0; r < k; ++r)
    for (int64_t c = 0; c <= r; ++c)
      h[r * k + c] = h[c * k + r] = sum[r * k + c] * inverse;
  return h;
}

std::vector<float> HessianAccumulator::meanAbs() const {
  std::vector<float> m(k, 0.0f);
  for (int64_t c = 0; c < k; ++c)
    m[c] = rows ? float(absSum[c] / double(rows)) : 0.0f;
  return m;
}

AwqResult awqInt4(ArrayRef<std::vector<float>> weights, int64_t k,
                  ArrayRef<int64_t> columns, ArrayRef<float> hessian,
                  ArrayRef<float> meanAbs, int64_t groupSize, int grid) {
  assert(weights.size() == columns.size() && int64_t(meanAbs.size()) == k);
  AwqResult best;
  for (int step = 0; step < grid; ++step) {
    float alpha = float(step) / float(grid);
    std::vector<float> s(k);
    for (int64_t r = 0; r < k; ++r)
      s[r] = std::pow(std::max(meanAbs[r], 1e-4f), alpha);
    auto [lo, hi] = std::minmax_element(s.begin(), s.end());
    float middle = std::sqrt(*lo * *hi);
    for (float &v : s)
      v /= middle;
    AwqResult candidate;
    candidate.alpha = alpha;
    for (auto [b, n] : llvm::zip_equal(weights, columns)) {
      std::vector<float> scaled(b);
      for (int64_t r = 0; r < k; ++r)
        for (int64_t c = 0; c < n; ++c)
          scaled[r * n + c] *= s[r];
      candidate.weights.push_back(roundToNearestInt4(scaled, k, n, groupSize));
      candidate.error += outputError(candidate.weights.back(), b, hessian, s);
    }
    candidate.scales = std::move(s);
    if (step == 0)
      candidate.rtnError = candidate.error;
    else
      candidate.rtnError = best.rtnError;
    if (step == 0 || candidate.error < best.error)
      best = std::move(candidate);
  }
  return best;
}

} // namespace quantc::quant
