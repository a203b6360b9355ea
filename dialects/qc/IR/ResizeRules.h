//===- ResizeRules.h - the arithmetic of ONNX Resize, once ----------------===//
//
// How ONNX Resize maps an output position to input positions and weights
// (onnx/reference/ops/op_resize.py, in float64 as the reference computes),
// written once over a number type F so that both paths use the same rules:
//  - F = double when roi, scales, sizes and the input's shape are known at
//    compile time: computeResize (DataMovementRules.h) tabulates the rules
//    into constants;
//  - F = a scalar SSA value whose operators emit arith/math ops when they are
//    known only at run time: the lowering (QcToLinalg/Resize.cpp) tabulates
//    the same rules in a small kernel per axis.
// F needs + - * / and comparisons (whose result, F's boolean, needs && || !),
// and the free functions lit, select, floorOf, absOf, minOf, maxOf: declared
// here for double, found by argument-dependent lookup for the other.
//
// Every tap count is even (2 for nearest, which then picks one of the two,
// and linear; 4 for cubic; twice a whole number with antialias), which the
// neighbour choice (firstTap) relies on.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_RESIZERULES_H
#define QUANTC_DIALECTS_QC_IR_RESIZERULES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cmath>

namespace quantc::qc::resize {

inline double lit(double, double v) { return v; }
inline double select(bool c, double a, double b) { return c ? a : b; }
inline double floorOf(double x) { return std::floor(x); }
inline double absOf(double x) { return std::abs(x); }
inline double minOf(double a, double b) { return std::min(a, b); }
inline double maxOf(double a, double b) { return std::max(a, b); }

/// The attributes that decide the kernel. `mode` is nearest, linear or
/// cubic; the strings are the op's (validated by computeResize's checks).
struct Kernel {
  llvm::StringRef mode, transform, nearestMode;
  bool antialias = false, excludeOutside = false;
  double cubicA = -0.75;
};

/// One axis as the reference names it: the input width, the output width
/// (a whole number), the scale, and tf_crop_and_resize's roi.
template <typename F> struct Axis {
  F inputWidth, outputWidth, scale, roiStart, roiEnd;
};

/// The output width for a scale: floor(in * scale) (the reference's
/// astype(int) of a non-negative product).
template <typename F> F outputWidthForScale(F in, F scale) {
  return floorOf(scale * in);
}

/// keep_aspect_ratio_policy not_larger / not_smaller: every axis gets the
/// same scale, and its width is rounded half up.
template <typename F> F keptAspectWidth(F in, F scale) {
  return floorOf(scale * in + 0.5);
}

/// keep_aspect_ratio_policy not_larger / not_smaller: the one scale of
/// every axis, the smallest / the largest of the axes' size / input.
template <typename F>
F keptAspectScale(llvm::StringRef policy, llvm::ArrayRef<F> scales) {
  F s = scales.front();
  for (const F &v : scales.drop_front())
    s = policy == "not_larger" ? minOf(s, v) : maxOf(s, v);
  return s;
}

/// Whether the reference leaves the axis alone: scale ~1, the same width,
/// and (tf_crop_and_resize) the whole input as roi.
template <typename F> auto isIdentity(const Kernel &k, const Axis<F> &a) {
  auto same = absOf(a.scale - 1.0) < 1e-9 && a.outputWidth == a.inputWidth;
  if (k.transform != "tf_crop_and_resize")
    return same;
  return same && absOf(a.roiStart) < 1e-9 && absOf(a.roiEnd - 1.0) < 1e-9;
}

/// The input coordinate of output position y (coordinate_transformation_mode).
template <typename F> F sourceCoordinate(const Kernel &k, const Axis<F> &a, F y) {
  F in = a.inputWidth, scale = a.scale;
  F out = scale * in; // not a whole number: the reference's output_width
  llvm::StringRef t = k.transform;
  if (t == "align_corners")
    return select(out == 1.0, lit(y, 0), y * (in - 1.0) / (out - 1.0));
  if (t == "asymmetric")
    return y / scale;
  if (t == "tf_crop_and_resize") {
    F span = a.roiEnd - a.roiStart;
    F x = select(out == 1.0, span * (in - 1.0) / 2.0,
                 y * span * (in - 1.0) / (out - 1.0));
    return x + a.roiStart * (in - 1.0);
  }
  if (t == "pytorch_half_pixel")
    return select(out == 1.0, lit(y, -0.5), (y + 0.5) / scale - 0.5);
  if (t == "half_pixel_symmetric") {
    F adjustment = a.outputWidth / out;
    F offset = in / 2.0 * (1.0 - adjustment);
    return offset + (y + 0.5) / scale - 0.5;
  }
  if (t == "tf_half_pixel_for_nn")
    return (y + 0.5) / scale;
  return (y + 0.5) / scale - 0.5; // half_pixel
}

/// tf_crop_and_resize: x lies outside the input, and the output position
/// takes extrapolation_value.
template <typename F> auto isExtrapolated(const Axis<F> &a, F x) {
  return x < 0.0 || x > a.inputWidth - 1.0;
}

/// Where x lies between its two neighbours, in (0, 1]: 1 at a whole x (the
/// reference prefers the neighbour below).
template <typename F> F ratioOf(F x) {
  F below = floorOf(x);
  return select(x == below, lit(x, 1), x - below);
}

/// The number of taps (always even). With antialias a downscaling kernel
/// is stretched by 1 / scale: 2 * ceil(support / scale).
template <typename F> F tapCount(const Kernel &k, F scale) {
  double support = k.mode == "cubic" ? 2 : 1;
  if (!k.antialias)
    return lit(scale, 2 * support);
  return -2.0 * floorOf(-support / minOf(scale, 1.0));
}

/// The first of the n input positions (n even) that x reads: the n nearest
/// of the edge-padded input, ties going to the lower one. Positions outside
/// the input are clamped by the caller (edge padding).
template <typename F> F firstTap(F x, F n) {
  F pad = n / 2.0;
  F padded = x + pad;
  F p = floorOf(padded);
  return p + select(padded - p == 0.0, 0.0 - pad, 1.0 - pad) - pad;
}

/// Nearest of the two taps: whether it picks the second (nearest_mode).
template <typename F> auto nearestPicksSecond(const Kernel &k, F ratio) {
  if (k.nearestMode == "round_prefer_floor")
    return ratio > 0.5;
  if (k.nearestMode == "round_prefer_ceil")
    return ratio >= 0.5;
  if (k.nearestMode == "floor")
    return ratio == 1.0; // only a whole x is its own floor
  return ratio > 0.0;    // ceil: always, ratio is in (0, 1]
}

/// The weight of tap t (of n) for linear and cubic, before any
/// normalization (normalizedWeight).
template <typename F> F tapWeight(const Kernel &k, F ratio, F scale, F n, F t) {
  double A = k.cubicA;
  if (!k.antialias) {
    if (k.mode == "linear")
      return select(t == 0.0, 1.0 - ratio, ratio);
    F r1 = ratio + 1.0, q = 1.0 - ratio, q1 = q + 1.0;
    F c0 = ((A * r1 - 5 * A) * r1 + 8 * A) * r1 - 4 * A;
    F c1 = ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1.0;
    F c2 = ((A + 2) * q - (A + 3)) * q * q + 1.0;
    F c3 = ((A * q1 - 5 * A) * q1 + 8 * A) * q1 - 4 * A;
    return select(t == 0.0, c0, select(t == 1.0, c1, select(t == 2.0, c2, c3)));
  }
  // Antialias: the kernel at (i - ratio) * s for i from 1 - n / 2.
  F s = minOf(scale, 1.0);
  F arg = (t + (1.0 - n / 2.0) - ratio) * s;
  if (k.mode == "linear")
    return minOf(maxOf(1.0 - absOf(arg), lit(arg, 0)), lit(arg, 1));
  F x = absOf(arg), x2 = x * x, x3 = x * x2;
  F inner = (A + 2) * x3 - (A + 3) * x2 + 1.0;
  F outer = A * x3 - 5 * A * x2 + 8 * A * x - 4 * A;
  return select(x <= 1.0, inner, select(x < 2.0, outer, lit(x, 0)));
}

/// exclude_outside: a tap outside the input weighs nothing.
template <typename F> F insideWeight(F weight, F index, F in) {
  return select(index < 0.0 || index >= in, lit(weight, 0), weight);
}

/// A weight of a row divided by the row's sum (antialias, then again after
/// exclude_outside); a row that sums to zero is left as it is.
template <typename F> F normalizedWeight(F weight, F rowSum) {
  return weight / select(rowSum == 0.0, lit(rowSum, 1), rowSum);
}

} // namespace quantc::qc::resize

#endif
