//===- DataMovementRules.cpp - ONNX rules of Slice, Split, Pad, Resize ----===//
#include "dialects/qc/IR/DataMovementRules.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <numeric>

using namespace mlir;

namespace quantc::qc {

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

FailureOr<RankedTensorType> staticInput(Operation *op, Value v, StringRef name) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || !t.hasStaticShape())
    return op->emitOpError() << "input '" << name
                             << "' must have a static shape, got " << v.getType();
  return t;
}

FailureOr<SmallVector<double>> requireDoubles(Operation *op, Value v,
                                              StringRef name) {
  if (auto values = constantDoubles(v))
    return *values;
  return op->emitOpError() << "the '" << name
                           << "' input must be known at compile time (a "
                              "constant, or computed from static shapes)";
}

/// Normalized, distinct axes of a rank-`rank` tensor.
FailureOr<SmallVector<int64_t>> normalizeAxes(Operation *op,
                                              ArrayRef<int64_t> axes,
                                              int64_t rank) {
  SmallVector<int64_t> out;
  SmallVector<bool> seen(rank, false);
  for (int64_t a : axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || seen[*axis])
      return op->emitOpError() << "axis " << a
                               << " is out of range or repeated for rank "
                               << rank;
    seen[*axis] = true;
    out.push_back(*axis);
  }
  return out;
}

SmallVector<int64_t> iota(int64_t n) {
  SmallVector<int64_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

} // namespace

std::optional<SmallVector<double>> constantDoubles(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  SmallVector<double> values;
  if (isa<FloatType>(attr.getElementType())) {
    for (const APFloat &x : attr.getValues<APFloat>())
      values.push_back(x.convertToDouble());
  } else if (attr.getElementType().isInteger(1)) {
    for (bool x : attr.getValues<bool>())
      values.push_back(x);
  } else if (isa<IntegerType>(attr.getElementType())) {
    for (const APInt &x : attr.getValues<APInt>())
      values.push_back((double)x.getSExtValue());
  } else {
    return std::nullopt;
  }
  return values;
}

//===----------------------------------------------------------------------===//
// Slice, Split, Pad
//===----------------------------------------------------------------------===//

FailureOr<SliceGeometry> computeSlice(SliceOp op) {
  auto data = dyn_cast<RankedTensorType>(op.getData().getType());
  if (!data)
    return op.emitOpError() << "input 'data' has an unknown shape";
  int64_t rank = data.getRank();
  // Starts and ends may be known only at run time (computed from a run-time
  // dim); axes and steps must be constants.
  auto starts = shapeInts(op.getStarts());
  auto ends = shapeInts(op.getEnds());
  if (!starts || !ends)
    return op.emitOpError() << "the 'starts' and 'ends' inputs must be 1-D "
                               "tensors of a known length";
  int64_t n = starts->size();
  auto runTimeOfLength = [&](Value v) {
    return v && runTimeListLength(v) == n && (int64_t)ends->size() == n;
  };
  if (runTimeOfLength(op.getAxes()) || runTimeOfLength(op.getSteps())) {
    if (op.getAxes() && !runTimeOfLength(op.getAxes()) &&
        !constantInts(op.getAxes()))
      return op.emitOpError() << "the 'axes' input must have as many values "
                                 "as 'starts'";
    SliceGeometry g;
    int64_t rank = data.getRank();
    g.starts.assign(rank, kDyn);
    g.steps.assign(rank, kDyn);
    g.sizes.assign(rank, kDyn);
    g.fullyRunTime = true;
    return g;
  }
  SmallVector<int64_t> axes = iota(n), steps(n, 1);
  if (op.getAxes()) {
    auto values = requireInts(op, op.getAxes(), "axes");
    if (failed(values))
      return failure();
    axes = *values;
  }
  if (op.getSteps()) {
    auto values = requireInts(op, op.getSteps(), "steps");
    if (failed(values))
      return failure();
    steps = *values;
  }
  if ((int64_t)ends->size() != n || (int64_t)axes.size() != n ||
      (int64_t)steps.size() != n)
    return op.emitOpError() << "starts, ends, axes and steps differ in length";
  auto normalized = normalizeAxes(op, axes, rank);
  if (failed(normalized))
    return failure();
  SliceGeometry g;
  g.starts.assign(rank, 0);
  g.steps.assign(rank, 1);
  g.sizes.assign(data.getShape().begin(), data.getShape().end());
  for (int64_t i = 0; i < n; ++i) {
    int64_t axis = (*normalized)[i], step = steps[i];
    int64_t dim = data.getDimSize(axis);
    if (step == 0)
      return op.emitOpError() << "steps must not be 0";
    int64_t s = (*starts)[i], e = (*ends)[i];
    if (step < 0 && !data.hasStaticShape())
      return op.emitOpError() << "a negative step needs static dims, got "
                              << data;
    if (dim == kDyn || s == kDyn || e == kDyn) {
      if (step < 0)
        return op.emitOpError()
               << "a negative step needs constant starts and ends and a "
                  "static dim " << axis << ", got " << data;
      g.steps[axis] = step;
      g.sizes[axis] = kDyn;
      g.runTimeAxes.push_back({axis, i});
      continue;
    }
    if (s < 0)
      s += dim;
    if (e < 0)
      e += dim;
    int64_t size;
    if (step > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
      size = e > s ? (e - s - 1) / step + 1 : 0;
    } else {
      s = std::clamp<int64_t>(s, -1, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
      size = s > e ? (s - e - 1) / -step + 1 : 0;
    }
    g.starts[axis] = size == 0 ? 0 : s;
    g.steps[axis] = step;
    g.sizes[axis] = size;
  }
  return g;
}

FailureOr<SmallVector<int64_t>> computeSplitSizes(SplitOp op) {
  auto input = dyn_cast<RankedTensorType>(op.getInput().getType());
  if (!input)
    return op.emitOpError() << "input 'input' has an unknown shape";
  auto axis = normalizeAxis(op.getAxis(), input.getRank());
  if (!axis)
    return op.emitOpError() << "axis " << op.getAxis()
                            << " is out of range for " << input;
  int64_t dim = input.getDimSize(*axis);
  int64_t n = op->getNumResults();
  if (n == 0)
    return op.emitOpError() << "needs at least one output";
  if (!op.getSplit() && op.getSplitInput() &&
      runTimeListLength(op.getSplitInput())) {
    if (*runTimeListLength(op.getSplitInput()) != n)
      return op.emitOpError() << "split has "
                              << *runTimeListLength(op.getSplitInput())
                              << " values for " << n << " outputs";
    return SmallVector<int64_t>(n, kDyn);
  }
  if (dim == kDyn)
    return op.emitOpError() << "the split dim must be static, got " << input;
  SmallVector<int64_t> sizes;
  if (auto attr = op.getSplit()) {
    sizes.assign(attr->begin(), attr->end());
  } else if (op.getSplitInput()) {
    auto values = requireInts(op, op.getSplitInput(), "split");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  if (!sizes.empty() || op.getSplit() || op.getSplitInput()) {
    if ((int64_t)sizes.size() != n)
      return op.emitOpError() << "split has " << sizes.size()
                              << " values for " << n << " outputs";
    int64_t total = 0;
    for (int64_t s : sizes) {
      if (s < 0)
        return op.emitOpError() << "split sizes must be non-negative";
      total += s;
    }
    if (total != dim)
      return op.emitOpError() << "split sizes add up to " << total
                              << ", not to the dim " << dim;
    return sizes;
  }
  if (auto num = op.getNumOutputs()) {
    // Opset 18: chunks of ceil(dim / n), the last one smaller.
    if (*num != n)
      return op.emitOpError() << "num_outputs is " << *num << " but the node has "
                              << n << " outputs";
    int64_t chunk = (dim + n - 1) / n;
    int64_t last = dim - chunk * (n - 1);
    if (last < 0)
      return op.emitOpError() << "cannot split dim " << dim << " into " << n
                              << " chunks of " << chunk;
    sizes.assign(n - 1, chunk);
    sizes.push_back(last);
    return sizes;
  }
  if (dim % n != 0)
    return op.emitOpError() << "dim " << dim << " does not split into " << n
                            << " equal parts";
  return SmallVector<int64_t>(n, dim / n);
}

FailureOr<SmallVector<int64_t>> computePads(PadOp op) {
  auto data = dyn_cast<RankedTensorType>(op.getData().getType());
  if (!data)
    return op.emitOpError() << "input 'data' has an unknown shape";
  StringRef mode = op.getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return op.emitOpError() << "mode '" << mode
                            << "' is not one of constant, reflect, edge, wrap";
  int64_t rank = data.getRank();
  auto pads = shapeInts(op.getPads());
  if (!pads)
    return op.emitOpError()
           << "the 'pads' input must be a 1-D tensor of a known length";
  SmallVector<int64_t> axes = iota(rank);
  bool runTimeAxes = false;
  if (op.getAxes()) {
    if (runTimeListLength(op.getAxes())) {
      runTimeAxes = true;
      axes.assign(*runTimeListLength(op.getAxes()), kDyn);
    } else {
      auto values = requireInts(op, op.getAxes(), "axes");
      if (failed(values))
        return failure();
      auto normalized = normalizeAxes(op, *values, rank);
      if (failed(normalized))
        return failure();
      axes = *normalized;
    }
  }
  int64_t n = axes.size();
  if ((int64_t)pads->size() != 2 * n)
    return op.emitOpError() << "pads has " << pads->size() << " values, expected "
                            << 2 * n;
  if (runTimeAxes)
    return SmallVector<int64_t>(2 * rank, kDyn);
  SmallVector<int64_t> result(2 * rank, 0);
  for (int64_t i = 0; i < n; ++i) {
    result[axes[i]] = (*pads)[i];
    result[axes[i] + rank] = (*pads)[i + n];
  }
  for (int64_t d = 0; d < rank; ++d) {
    int64_t dim = data.getDimSize(d), lo = result[d], hi = result[d + rank];
    if (dim == kDyn || lo == kDyn || hi == kDyn)
      continue; // checked, or clamped, at run time by the lowering
    if (dim + lo + hi < 0)
      return op.emitOpError() << "pads remove more than dim " << d << " holds";
    if (mode != "constant" &&
        dim + std::min<int64_t>(lo, 0) + std::min<int64_t>(hi, 0) == 0 &&
        (lo > 0 || hi > 0))
      return op.emitOpError() << "mode '" << mode
                              << "' cannot pad an empty dim";
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Resize
//===----------------------------------------------------------------------===//

namespace {

/// The parameters of one resized axis, as the ONNX reference implementation
/// (onnx/reference/ops/op_resize.py) names them.
struct AxisParams {
  int64_t inputSize, outputSize;
  double scale;
  double roiStart = 0, roiEnd = 1;
};

struct KernelParams {
  StringRef mode, transform, nearestMode;
  bool antialias = false, excludeOutside = false;
  double cubicA = -0.75;
};

SmallVector<double> coefficients(const KernelParams &k, double ratio,
                                 double scale, bool integral) {
  if (k.mode == "nearest") {
    if (integral)
      return {0, 1};
    bool second;
    if (k.nearestMode == "round_prefer_floor")
      second = ratio > 0.5;
    else if (k.nearestMode == "round_prefer_ceil")
      second = ratio >= 0.5;
    else
      second = k.nearestMode == "ceil";
    return {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
  }
  if (k.mode == "linear") {
    if (!k.antialias)
      return {1 - ratio, ratio};
    double s = std::min(scale, 1.0);
    int64_t start = (int64_t)std::floor(-1 / s) + 1;
    int64_t footprint = 2 - 2 * start;
    SmallVector<double> c;
    double sum = 0;
    for (int64_t i = start; i < start + footprint; ++i) {
      double v = std::clamp(1 - std::abs((i - ratio) * s), 0.0, 1.0);
      c.push_back(v);
      sum += v;
    }
    for (double &v : c)
      v /= sum;
    return c;
  }
  double A = k.cubicA;
  if (!k.antialias) {
    double r1 = ratio + 1, q = 1 - ratio, q1 = q + 1;
    return {((A * r1 - 5 * A) * r1 + 8 * A) * r1 - 4 * A,
            ((A + 2) * ratio - (A + 3)) * ratio * ratio + 1,
            ((A + 2) * q - (A + 3)) * q * q + 1,
            ((A * q1 - 5 * A) * q1 + 8 * A) * q1 - 4 * A};
  }
  double s = std::min(scale, 1.0);
  auto coeff = [&](double x) {
    x = std::abs(x);
    if (x <= 1)
      return (A + 2) * x * x * x - (A + 3) * x * x + 1;
    if (x < 2)
      return A * x * x * x - 5 * A * x * x + 8 * A * x - 4 * A;
    return 0.0;
  };
  int64_t start = (int64_t)std::floor(-2 / s) + 1, end = 2 - start;
  SmallVector<double> c;
  double sum = 0;
  for (int64_t i = start; i < end; ++i) {
    c.push_back(coeff(s * (i - ratio)));
    sum += c.back();
  }
  for (double &v : c)
    v /= sum;
  return c;
}

ResizeAxis buildAxis(const KernelParams &k, const AxisParams &p) {
  ResizeAxis axis;
  axis.outputSize = p.outputSize;
  axis.identity = false;
  double inW = p.inputSize, outW = p.scale * inW;
  for (int64_t y = 0; y < p.outputSize; ++y) {
    double x = 0;
    bool extrapolated = false;
    StringRef t = k.transform;
    if (t == "align_corners") {
      x = outW == 1 ? 0 : y * (inW - 1) / (outW - 1);
    } else if (t == "asymmetric") {
      x = y / p.scale;
    } else if (t == "tf_crop_and_resize") {
      x = outW == 1 ? (p.roiEnd - p.roiStart) * (inW - 1) / 2
                    : y * (p.roiEnd - p.roiStart) * (inW - 1) / (outW - 1);
      x += p.roiStart * (inW - 1);
      extrapolated = x < 0 || x > inW - 1;
    } else if (t == "pytorch_half_pixel") {
      x = outW == 1 ? -0.5 : (y + 0.5) / p.scale - 0.5;
    } else if (t == "half_pixel_symmetric") {
      double adjustment = p.outputSize / outW;
      double offset = inW / 2 * (1 - adjustment);
      x = offset + (y + 0.5) / p.scale - 0.5;
    } else if (t == "tf_half_pixel_for_nn") {
      x = (y + 0.5) / p.scale;
    } else { // half_pixel
      x = (y + 0.5) / p.scale - 0.5;
    }
    double xInt = std::floor(x);
    bool integral = x == xInt;
    double ratio = integral ? 1.0 : x - xInt;
    SmallVector<double> c = coefficients(k, ratio, p.scale, integral);
    int64_t n = c.size();
    // The n neighbours of x, preferring the lower ones (the reference pads
    // by ceil(n / 2) and takes the n nearest positions of the padded input).
    int64_t pad = (n + 1) / 2;
    double xp = x + pad;
    int64_t pp = (int64_t)std::floor(xp);
    double frac = xp - pp;
    int64_t offset;
    if (n % 2 == 0)
      offset = frac == 0 ? -(n / 2) : -(n / 2) + 1;
    else
      offset = frac <= 0.5 ? -((n - 1) / 2) : -((n - 1) / 2) + 1;
    int64_t start = pp + offset - pad;
    if (k.excludeOutside) {
      double sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        if (start + i < 0 || start + i >= p.inputSize)
          c[i] = 0;
        sum += c[i];
      }
      for (double &v : c)
        v /= sum == 0 ? 1 : sum;
    }
    axis.taps = n;
    for (int64_t i = 0; i < n; ++i) {
      axis.indices.push_back(std::clamp<int64_t>(start + i, 0, p.inputSize - 1));
      axis.weights.push_back(c[i]);
    }
    axis.extrapolated.push_back(extrapolated);
  }
  // Nearest picks exactly one neighbour: keep just that one.
  if (k.mode == "nearest") {
    SmallVector<int64_t> picked;
    for (int64_t y = 0; y < p.outputSize; ++y)
      picked.push_back(axis.weights[y * 2] != 0 ? axis.indices[y * 2]
                                                : axis.indices[y * 2 + 1]);
    axis.indices = picked;
    axis.weights.assign(p.outputSize, 1.0);
    axis.taps = 1;
  }
  return axis;
}

/// The plan for resolved per-dim sizes, scales and roi.
ResizePlan buildPlan(const KernelParams &k, ArrayRef<AxisParams> dims,
                     double extrapolationValue) {
  ResizePlan plan;
  plan.mode = k.mode.str();
  plan.extrapolationValue = extrapolationValue;
  for (const AxisParams &p : dims) {
    bool trivialRoi = k.transform != "tf_crop_and_resize" ||
                      (std::abs(p.roiStart) < 1e-9 && std::abs(p.roiEnd - 1) < 1e-9);
    if (std::abs(p.scale - 1) < 1e-9 && p.outputSize == p.inputSize &&
        trivialRoi) {
      ResizeAxis same;
      same.outputSize = p.inputSize;
      plan.axes.push_back(same);
      continue;
    }
    plan.axes.push_back(buildAxis(k, p));
    plan.anyExtrapolated |= llvm::is_contained(plan.axes.back().extrapolated, true);
  }
  return plan;
}

/// An optional input given as an empty tensor counts as omitted (opsets 11-12
/// make roi and scales required, so models pass empty ones).
bool given(Value v) {
  if (!v)
    return false;
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return !t || !t.hasStaticShape() || t.getNumElements() != 0;
}

} // namespace

FailureOr<ResizePlan> computeResize(ResizeOp op) {
  auto x = staticInput(op, op.getX(), "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  KernelParams k;
  k.mode = op.getMode();
  k.transform = op.getCoordinateTransformationMode();
  k.nearestMode = op.getNearestMode();
  k.antialias = op.getAntialias() != 0;
  k.excludeOutside = op.getExcludeOutside() != 0;
  k.cubicA = op.getCubicCoeffA().convertToDouble();
  if (k.mode != "nearest" && k.mode != "linear" && k.mode != "cubic")
    return op.emitOpError() << "mode '" << k.mode
                            << "' is not one of nearest, linear, cubic";
  if (!llvm::is_contained({"half_pixel", "half_pixel_symmetric",
                           "pytorch_half_pixel", "align_corners", "asymmetric",
                           "tf_crop_and_resize", "tf_half_pixel_for_nn"},
                          k.transform))
    return op.emitOpError() << "coordinate_transformation_mode '"
                            << k.transform << "' is not supported";
  if (!llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor",
                           "ceil"},
                          k.nearestMode))
    return op.emitOpError() << "nearest_mode '" << k.nearestMode
                            << "' is not supported";
  if (k.antialias && k.mode == "nearest")
    return op.emitOpError() << "antialias is not defined for mode 'nearest'";
  StringRef policy = op.getKeepAspectRatioPolicy();
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return op.emitOpError() << "keep_aspect_ratio_policy '" << policy
                            << "' is not supported";
  if (k.mode != "nearest" && !isa<FloatType>(x->getElementType()))
    return op.emitOpError() << "mode '" << k.mode
                            << "' supports floating-point tensors only, got "
                            << *x;

  SmallVector<int64_t> axes = iota(rank);
  if (auto attr = op.getAxes()) {
    auto normalized = normalizeAxes(op, *attr, rank);
    if (failed(normalized))
      return failure();
    axes = *normalized;
  }
  int64_t n = axes.size();
  SmallVector<AxisParams> dims;
  for (int64_t d : x->getShape())
    dims.push_back({d, d, 1.0});

  bool hasScales = given(op.getScales()), hasSizes = given(op.getSizes());
  if (hasScales == hasSizes)
    return op.emitOpError() << "needs exactly one of 'scales' and 'sizes'";
  if (hasScales) {
    auto scales = requireDoubles(op, op.getScales(), "scales");
    if (failed(scales))
      return failure();
    if ((int64_t)scales->size() != n)
      return op.emitOpError() << "scales has " << scales->size()
                              << " values for " << n << " axes";
    for (int64_t i = 0; i < n; ++i) {
      double s = (*scales)[i];
      if (!(s > 0))
        return op.emitOpError() << "scales must be positive";
      AxisParams &p = dims[axes[i]];
      p.scale = s;
      p.outputSize = (int64_t)std::floor(s * p.inputSize);
    }
  } else {
    auto sizes = requireInts(op, op.getSizes(), "sizes");
    if (failed(sizes))
      return failure();
    if ((int64_t)sizes->size() != n)
      return op.emitOpError() << "sizes has " << sizes->size() << " values for "
                              << n << " axes";
    for (int64_t i = 0; i < n; ++i) {
      AxisParams &p = dims[axes[i]];
      if ((*sizes)[i] <= 0 || p.inputSize == 0)
        return op.emitOpError() << "sizes must be positive";
      p.outputSize = (*sizes)[i];
      p.scale = (double)p.outputSize / p.inputSize;
    }
    if (policy != "stretch") {
      double scale = dims[axes[0]].scale;
      for (int64_t a : axes)
        scale = policy == "not_larger" ? std::min(scale, dims[a].scale)
                                       : std::max(scale, dims[a].scale);
      for (int64_t a : axes) {
        dims[a].scale = scale;
        dims[a].outputSize = (int64_t)(scale * dims[a].inputSize + 0.5);
      }
    }
  }
  if (k.transform == "tf_crop_and_resize") {
    if (!given(op.getRoi()))
      return op.emitOpError() << "tf_crop_and_resize needs the 'roi' input";
    auto roi = requireDoubles(op, op.getRoi(), "roi");
    if (failed(roi))
      return failure();
    if ((int64_t)roi->size() != 2 * n)
      return op.emitOpError() << "roi has " << roi->size() << " values, expected "
                              << 2 * n;
    for (int64_t i = 0; i < n; ++i) {
      dims[axes[i]].roiStart = (*roi)[i];
      dims[axes[i]].roiEnd = (*roi)[i + n];
    }
  }
  for (const AxisParams &p : dims)
    if (p.outputSize > 0 && p.inputSize == 0)
      return op.emitOpError() << "cannot resize an empty dim";
  return buildPlan(k, dims, op.getExtrapolationValue().convertToDouble());
}

FailureOr<ResizePlan> computeResize(UpsampleOp op) {
  auto x = staticInput(op, op.getX(), "X");
  if (failed(x))
    return failure();
  KernelParams k;
  k.mode = op.getMode();
  // Upsample (opsets 7-9) maps output i to input i / scale, rounded down.
  k.transform = "asymmetric";
  k.nearestMode = "floor";
  if (k.mode == "bilinear")
    k.mode = "linear";
  if (k.mode != "nearest" && k.mode != "linear")
    return op.emitOpError() << "mode '" << op.getMode()
                            << "' is not one of nearest, linear";
  if (k.mode != "nearest" && !isa<FloatType>(x->getElementType()))
    return op.emitOpError() << "mode 'linear' supports floating-point tensors "
                               "only, got "
                            << *x;
  auto scales = requireDoubles(op, op.getScales(), "scales");
  if (failed(scales))
    return failure();
  if ((int64_t)scales->size() != x->getRank())
    return op.emitOpError() << "scales has " << scales->size()
                            << " values for rank " << x->getRank();
  SmallVector<AxisParams> dims;
  for (auto [d, s] : llvm::zip(x->getShape(), *scales)) {
    if (!(s >= 1))
      return op.emitOpError() << "scales must be >= 1";
    dims.push_back({d, (int64_t)std::floor(s * d), s});
  }
  return buildPlan(k, dims, 0);
}

FailureOr<RunTimeResize> computeRunTimeResize(ResizeOp op) {
  auto x = cast<RankedTensorType>(op.getX().getType());
  if (op.getMode() != "nearest" ||
      op.getCoordinateTransformationMode() != "asymmetric" || op.getAxes() ||
      given(op.getSizes()) || !given(op.getScales()))
    return op.emitOpError()
           << "with run-time dims supports only mode 'nearest' with "
              "constant 'scales' and coordinate_transformation_mode "
              "'asymmetric' (no 'sizes', no 'axes'), got mode '"
           << op.getMode() << "' and '" << op.getCoordinateTransformationMode()
           << "'";
  RunTimeResize r;
  r.nearestMode = op.getNearestMode().str();
  if (!llvm::is_contained({"round_prefer_floor", "round_prefer_ceil", "floor",
                           "ceil"},
                          r.nearestMode))
    return op.emitOpError() << "nearest_mode '" << r.nearestMode
                            << "' is not supported";
  auto scales = requireDoubles(op, op.getScales(), "scales");
  if (failed(scales))
    return failure();
  if ((int64_t)scales->size() != x.getRank())
    return op.emitOpError() << "scales has " << scales->size()
                            << " values for rank " << x.getRank();
  r.scales = *scales;
  for (auto [d, s] : llvm::zip(x.getShape(), *scales)) {
    if (!(s > 0))
      return op.emitOpError() << "scales must be positive";
    r.outputShape.push_back(d == ShapedType::kDynamic
                                ? ShapedType::kDynamic
                                : (int64_t)std::floor(s * d));
  }
  return r;
}

} // namespace quantc::qc
