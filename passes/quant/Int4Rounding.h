//===- Int4Rounding.h - a weight matrix to uint4 groups ---------*- C++ -*-===//
//
// The arithmetic of `--quantize=w4`: a [K, N] weight (op(B) of a MatMul or
// Gemm) to uint4, one scale and zero point per group of `groupSize` rows of
// each column, by one of three methods. RTN rounds each weight alone; GPTQ
// and AWQ use what calibration saw of the activation X the weight
// multiplies, as its Hessian H = X^T X (K x K, summed over the calibration
// rows), to make X B change less. Plain C++ in the interface; Eigen inside.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_QUANT_INT4ROUNDING_H
#define QUANTC_PASSES_QUANT_INT4ROUNDING_H

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <vector>

namespace quantc::quant {

/// A [K, N] matrix in uint4 groups: element (r, c) is
/// (q[r * N + c] - zeroPoints[g * N + c]) * scales[g * N + c], g = r / groupSize.
struct Int4Weights {
  int64_t k = 0, n = 0, groupSize = 0;
  std::vector<uint8_t> q;          // [K, N], one value (0..15) per byte
  std::vector<float> scales;       // [groups, N]
  std::vector<uint8_t> zeroPoints; // [groups, N]

  int64_t groups() const { return (k + groupSize - 1) / groupSize; }
  float dequantized(int64_t r, int64_t c) const {
    int64_t g = r / groupSize;
    return (float(q[r * n + c]) - float(zeroPoints[g * n + c])) * scales[g * n + c];
  }
};

/// Round to nearest: per group and column, scale = (max - min) / 15 over
/// the group's values widened to include 0 (1 when they are all 0), zero
/// point round(-min / scale), q = round-half-even(w / scale) + zero point,
/// saturated to 0..15. `b` is row-major [k, n].
Int4Weights roundToNearestInt4(llvm::ArrayRef<float> b, int64_t k, int64_t n,
                               int64_t groupSize);

/// GPTQ (Frantar et al., 2023): the rows of `b` rounded in order, each
/// row's rounding error spread over the rows not yet rounded through the
/// inverse Hessian, so that X B moves as little as it can. A group's scale
/// and zero point are taken (as RTN takes them) from its rows as they stand
/// when its first row is reached. `hessian` is row-major [k, k]; rows of
/// it that are zero (an input channel calibration never saw) get zero
/// weights. `dampening` times the mean of its diagonal is added to the
/// diagonal first, as the paper does, for a well-conditioned inverse.
Int4Weights gptqInt4(llvm::ArrayRef<float> b, llvm::ArrayRef<float> hessian,
                     int64_t k, int64_t n, int64_t groupSize,
                     double dampening = 0.01);

/// AWQ (Lin et al., 2024) for the weights that read one activation: a
/// positive scale s per input channel, s = meanAbs^alpha normalized to a
/// geometric middle of 1, alpha searched over 0, 1/grid, ..., (grid-1)/grid
/// for the smallest error of X B summed over the weights (measured with the
/// Hessian, outputError). Each weight is rounded (RTN) as diag(s) B; the
/// activation must be divided by s. alpha = 0 is plain RTN, so the error
/// is never above RTN's.
struct AwqResult {
  std::vector<Int4Weights> weights; // of diag(s) B, one per input weight
  std::vector<float> scales;        // s, [k]
  float alpha = 0.0f;
  double error = 0.0, rtnError = 0.0; // summed outputError, chosen and alpha = 0
};
AwqResult awqInt4(llvm::ArrayRef<std::vector<float>> weights, int64_t k,
                  llvm::ArrayRef<int64_t> columns, llvm::ArrayRef<float> hessian,
                  llvm::ArrayRef<float> meanAbs, int64_t groupSize, int grid = 20);

/// sum over columns c of e_c^T H e_c, e = (rowScale^-1 * dequantized) - b:
/// how much X B moves (squared, summed over the calibration rows) when B is
/// replaced by `q` read with each row r divided by rowScale[r] (empty: 1).
double outputError(const Int4Weights &q, llvm::ArrayRef<float> b,
                   llvm::ArrayRef<float> hessian,
                   llvm::ArrayRef<float> rowScale = {});

/// sum over columns c of b_c^T H b_c: outputError's scale, to report it
/// relative to the output itself.
double outputEnergy(llvm::ArrayRef<float> b, int64_t k, int64_t n,
                    llvm::ArrayRef<float> hessian);

/// Sums x^T x over the rows of activations, for GPTQ and AWQ: the Hessian
/// of the squared error of X B in B, and each channel's mean |x|.
class HessianAccumulator {
public:
  explicit HessianAccumulator(int64_t k) : k(k), sum(k * k, 0.0f), absSum(k, 0.0) {}
  int64_t channels() const { return k; }
  /// `rows` rows of k values, row-major.
  void add(const float *x, int64_t rows);
  /// The mean of x^T x over every row added, row-major [k, k].
  std::vector<float> hessian() const;
  /// The mean |x| of each channel, [k].
  std::vector<float> meanAbs() const;

private:
  int64_t k;
  std::vector<float> sum; // lower triangle of sum x^T x
  std::vector<double> absSum;
  int64_t rows = 0;
};

} // namespace quantc::quant

#endif
