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

/// An optional input given as an empty tensor counts as omitted (opsets 11-12
/// make roi and scales required, so models pass empty ones).
bool given(Value v) {
  if (!v)
    return false;
  auto t = dyn_cast<RankedTensorType>(v.getType());
  return !t || !t.hasStaticShape() || t.getNumElements() != 0;
}

/// The kernel of a Resize of `x`, its attributes checked.
FailureOr<resize::Kernel> resizeKernel(ResizeOp op, RankedTensorType x) {
  resize::Kernel k;
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
  if (k.mode != "nearest" && !isa<FloatType>(x.getElementType()))
    return op.emitOpError() << "mode '" << k.mode
                            << "' supports floating-point tensors only, got "
                            << x;
  return k;
}

/// Upsample (opsets 7-9) is Resize mapping output i to input i / scale,
/// rounded down.
FailureOr<resize::Kernel> upsampleKernel(UpsampleOp op, RankedTensorType x) {
  resize::Kernel k;
  k.mode = op.getMode();
  k.transform = "asymmetric";
  k.nearestMode = "floor";
  if (k.mode == "bilinear")
    k.mode = "linear";
  if (k.mode != "nearest" && k.mode != "linear")
    return op.emitOpError() << "mode '" << op.getMode()
                            << "' is not one of nearest, linear";
  if (k.mode != "nearest" && !isa<FloatType>(x.getElementType()))
    return op.emitOpError() << "mode 'linear' supports floating-point tensors "
                               "only, got "
                            << x;
  return k;
}

/// The input axes that a Resize's scales, sizes and roi cover, in order.
FailureOr<SmallVector<int64_t>> resizeAxes(ResizeOp op, int64_t rank) {
  if (auto attr = op.getAxes())
    return normalizeAxes(op, *attr, rank);
  return iota(rank);
}

/// The index and weight tables of one resized axis (ResizeRules.h).
ResizeAxis tabulateAxis(const resize::Kernel &k,
                        const resize::Axis<double> &a) {
  ResizeAxis axis;
  axis.outputSize = (int64_t)a.outputWidth;
  axis.identity = false;
  bool nearest = k.mode == "nearest";
  double n = nearest ? 2 : resize::tapCount(k, a.scale);
  axis.taps = nearest ? 1 : (int64_t)n;
  // Edge padding: positions outside the input read its first or last one.
  auto clamped = [&](double i) {
    return (int64_t)std::clamp(i, 0.0, a.inputWidth - 1);
  };
  for (int64_t y = 0; y < axis.outputSize; ++y) {
    double x = resize::sourceCoordinate(k, a, (double)y);
    axis.extrapolated.push_back(k.transform == "tf_crop_and_resize" &&
                                resize::isExtrapolated(a, x));
    double ratio = resize::ratioOf(x);
    double first = resize::firstTap(x, n);
    if (nearest) {
      bool second = resize::nearestPicksSecond(k, ratio);
      axis.indices.push_back(clamped(first + (second ? 1 : 0)));
      axis.weights.push_back(1);
      continue;
    }
    SmallVector<double> w;
    for (int64_t t = 0; t < axis.taps; ++t)
      w.push_back(resize::tapWeight(k, ratio, a.scale, n, (double)t));
    auto normalize = [&] {
      double sum = 0;
      for (double v : w)
        sum += v;
      for (double &v : w)
        v = resize::normalizedWeight(v, sum);
    };
    if (k.antialias)
      normalize();
    if (k.excludeOutside) {
      for (int64_t t = 0; t < axis.taps; ++t)
        w[t] = resize::insideWeight(w[t], first + t, a.inputWidth);
      normalize();
    }
    for (int64_t t = 0; t < axis.taps; ++t) {
      axis.indices.push_back(clamped(first + t));
      axis.weights.push_back(w[t]);
    }
  }
  return axis;
}

/// The plan for resolved per-dim sizes, scales and roi.
ResizePlan buildPlan(const resize::Kernel &k,
                     ArrayRef<resize::Axis<double>> dims,
                     double extrapolationValue) {
  ResizePlan plan;
  plan.mode = k.mode.str();
  plan.extrapolationValue = extrapolationValue;
  for (const resize::Axis<double> &a : dims) {
    if (resize::isIdentity(k, a)) {
      ResizeAxis same;
      same.outputSize = (int64_t)a.inputWidth;
      plan.axes.push_back(same);
      continue;
    }
    plan.axes.push_back(tabulateAxis(k, a));
    plan.anyExtrapolated |= llvm::is_contained(plan.axes.back().extrapolated, true);
  }
  return plan;
}

/// A shape input of a Resize read at run time (scales, sizes, roi): a 1-D
/// tensor of a static length, `expected` values.
LogicalResult checkRunTimeShapeInput(Operation *op, Value v, StringRef name,
                                     int64_t expected) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t || t.getRank() != 1 || t.isDynamicDim(0))
    return op->emitOpError() << "the '" << name
                             << "' input must be a 1-D tensor of a static "
                                "length, got "
                             << v.getType();
  if (t.getDimSize(0) != expected)
    return op->emitOpError() << name << " has " << t.getDimSize(0)
                             << " values, expected " << expected;
  return success();
}

/// The output shape, with the axes that the run-time scales, sizes or roi
/// decide as run-time dims; a constant scale of exactly 1 leaves its axis
/// alone (the output is the input along it, whatever its size).
LogicalResult fillRunTimeResize(Operation *op, RankedTensorType x,
                                RunTimeResize &r) {
  int64_t n = r.axes.size();
  Value shapeInput = r.scales ? r.scales : r.sizes;
  if (failed(checkRunTimeShapeInput(op, shapeInput,
                                    r.scales ? "scales" : "sizes", n)))
    return failure();
  if (r.roi && failed(checkRunTimeShapeInput(op, r.roi, "roi", 2 * n)))
    return failure();
  std::optional<SmallVector<double>> scales;
  if (r.scales)
    scales = constantDoubles(r.scales);
  r.outputShape.assign(x.getShape().begin(), x.getShape().end());
  r.unchanged.assign(n, false);
  for (int64_t i = 0; i < n; ++i) {
    int64_t d = r.axes[i], in = x.getDimSize(d);
    r.outputShape[d] = kDyn;
    if (!scales)
      continue;
    double s = (*scales)[i];
    if (!(s > 0))
      return op->emitOpError() << "scales must be positive";
    r.unchanged[i] = s == 1.0 && r.kernel.transform != "tf_crop_and_resize";
    if (r.unchanged[i])
      r.outputShape[d] = in;
    else if (in != kDyn)
      r.outputShape[d] =
          (int64_t)resize::outputWidthForScale((double)in, s);
  }
  return success();
}

} // namespace

bool hasConstantResizeTables(ResizeOp op) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  auto known = [](Value v) { return !given(v) || constantDoubles(v); };
  return x && x.hasStaticShape() && known(op.getScales()) &&
         known(op.getSizes()) &&
         (op.getCoordinateTransformationMode() != "tf_crop_and_resize" ||
          known(op.getRoi()));
}

bool hasConstantResizeTables(UpsampleOp op) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  return x && x.hasStaticShape() && constantDoubles(op.getScales());
}

FailureOr<ResizePlan> computeResize(ResizeOp op) {
  auto x = staticInput(op, op.getX(), "X");
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  auto k = resizeKernel(op, *x);
  if (failed(k))
    return failure();
  StringRef policy = op.getKeepAspectRatioPolicy();
  auto axes = resizeAxes(op, rank);
  if (failed(axes))
    return failure();
  int64_t n = axes->size();
  SmallVector<resize::Axis<double>> dims;
  for (int64_t d : x->getShape())
    dims.push_back({(double)d, (double)d, 1.0, 0.0, 1.0});

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
      resize::Axis<double> &a = dims[(*axes)[i]];
      a.scale = s;
      a.outputWidth = resize::outputWidthForScale(a.inputWidth, s);
    }
  } else {
    auto sizes = requireInts(op, op.getSizes(), "sizes");
    if (failed(sizes))
      return failure();
    if ((int64_t)sizes->size() != n)
      return op.emitOpError() << "sizes has " << sizes->size() << " values for "
                              << n << " axes";
    SmallVector<double> scales;
    for (int64_t i = 0; i < n; ++i) {
      resize::Axis<double> &a = dims[(*axes)[i]];
      if ((*sizes)[i] <= 0 || a.inputWidth == 0)
        return op.emitOpError() << "sizes must be positive";
      a.outputWidth = (double)(*sizes)[i];
      a.scale = a.outputWidth / a.inputWidth;
      scales.push_back(a.scale);
    }
    if (policy != "stretch") {
      double scale = resize::keptAspectScale<double>(policy, scales);
      for (int64_t d : *axes) {
        dims[d].scale = scale;
        dims[d].outputWidth = resize::keptAspectWidth(dims[d].inputWidth, scale);
      }
    }
  }
  if (k->transform == "tf_crop_and_resize") {
    if (!given(op.getRoi()))
      return op.emitOpError() << "tf_crop_and_resize needs the 'roi' input";
    auto roi = requireDoubles(op, op.getRoi(), "roi");
    if (failed(roi))
      return failure();
    if ((int64_t)roi->size() != 2 * n)
      return op.emitOpError() << "roi has " << roi->size() << " values, expected "
                              << 2 * n;
    for (int64_t i = 0; i < n; ++i) {
      dims[(*axes)[i]].roiStart = (*roi)[i];
      dims[(*axes)[i]].roiEnd = (*roi)[i + n];
    }
  }
  for (const resize::Axis<double> &a : dims)
    if (a.outputWidth > 0 && a.inputWidth == 0)
      return op.emitOpError() << "cannot resize an empty dim";
  return buildPlan(*k, dims, op.getExtrapolationValue().convertToDouble());
}

FailureOr<ResizePlan> computeResize(UpsampleOp op) {
  auto x = staticInput(op, op.getX(), "X");
  if (failed(x))
    return failure();
  auto k = upsampleKernel(op, *x);
  if (failed(k))
    return failure();
  auto scales = requireDoubles(op, op.getScales(), "scales");
  if (failed(scales))
    return failure();
  if ((int64_t)scales->size() != x->getRank())
    return op.emitOpError() << "scales has " << scales->size()
                            << " values for rank " << x->getRank();
  SmallVector<resize::Axis<double>> dims;
  for (auto [d, s] : llvm::zip(x->getShape(), *scales)) {
    if (!(s >= 1))
      return op.emitOpError() << "scales must be >= 1";
    double in = (double)d;
    dims.push_back({in, resize::outputWidthForScale(in, s), s, 0.0, 1.0});
  }
  return buildPlan(*k, dims, 0);
}

FailureOr<RunTimeResize> computeRunTimeResize(ResizeOp op) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!x)
    return op.emitOpError() << "input 'X' has an unknown rank";
  auto k = resizeKernel(op, x);
  if (failed(k))
    return failure();
  RunTimeResize r;
  r.kernel = *k;
  r.policy = op.getKeepAspectRatioPolicy();
  r.extrapolationValue = op.getExtrapolationValue().convertToDouble();
  auto axes = resizeAxes(op, x.getRank());
  if (failed(axes))
    return failure();
  r.axes = *axes;
  bool hasScales = given(op.getScales()), hasSizes = given(op.getSizes());
  if (hasScales == hasSizes)
    return op.emitOpError() << "needs exactly one of 'scales' and 'sizes'";
  (hasScales ? r.scales : r.sizes) =
      hasScales ? op.getScales() : op.getSizes();
  if (k->transform == "tf_crop_and_resize") {
    if (!given(op.getRoi()))
      return op.emitOpError() << "tf_crop_and_resize needs the 'roi' input";
    r.roi = op.getRoi();
  }
  if (failed(fillRunTimeResize(op, x, r)))
    return failure();
  return r;
}

FailureOr<RunTimeResize> computeRunTimeResize(UpsampleOp op) {
  auto x = dyn_cast<RankedTensorType>(op.getX().getType());
  if (!x)
    return op.emitOpError() << "input 'X' has an unknown rank";
  auto k = upsampleKernel(op, x);
  if (failed(k))
    return failure();
  RunTimeResize r;
  r.kernel = *k;
  r.policy = "stretch";
  r.axes = iota(x.getRank());
  r.scales = op.getScales();
  if (failed(fillRunTimeResize(op, x, r)))
    return failure();
  return r;
}

} // namespace quantc::qc
