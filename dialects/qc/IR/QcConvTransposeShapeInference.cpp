//===- QcConvTransposeShapeInference.cpp - qc.ConvTranspose types ---------===//
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

FailureOr<ConvTransposeOp::Geometry> ConvTransposeOp::getGeometry() {
  auto x = dyn_cast<RankedTensorType>(getX().getType());
  auto w = dyn_cast<RankedTensorType>(getW().getType());
  // N and the spatial dims of X may be run-time dims: then so are the
  // output's (unless output_shape gives them), and the pads stay constants.
  if (!x || !w || x.isDynamicDim(1) || !w.hasStaticShape())
    return emitOpError() << "needs X's channels and W static";
  int64_t s = x.getRank() - 2;
  if (s < 1 || w.getRank() != x.getRank())
    return emitOpError() << "X " << x << " and W " << w
                         << " must be N x C x D... and C x M/group x k...";
  auto attrOr = [&](std::optional<ArrayRef<int64_t>> a, size_t n, int64_t fill,
                    StringRef name, SmallVector<int64_t> &out) -> LogicalResult {
    if (!a) {
      out.assign(n, fill);
      return success();
    }
    if (a->size() != n)
      return emitOpError() << name << " must have " << n << " values";
    out.assign(a->begin(), a->end());
    return success();
  };
  Geometry g;
  SmallVector<int64_t> outputPadding, pads;
  if (failed(attrOr(getStrides(), s, 1, "strides", g.strides)) ||
      failed(attrOr(getDilations(), s, 1, "dilations", g.dilations)) ||
      failed(attrOr(getOutputPadding(), s, 0, "output_padding", outputPadding)) ||
      failed(attrOr(getPads(), 2 * s, 0, "pads", pads)))
    return failure();
  g.kernel.assign(w.getShape().begin() + 2, w.getShape().end());
  if (auto k = getKernelShape(); k && ArrayRef<int64_t>(*k) != ArrayRef<int64_t>(g.kernel))
    return emitOpError() << "kernel_shape does not match W " << w;
  std::optional<ArrayRef<int64_t>> outputShape = getOutputShape();
  if (outputShape && outputShape->size() == (size_t)s + 2)
    outputShape = outputShape->drop_front(2); // the full (N, C, D...) form
  if (outputShape && outputShape->size() != (size_t)s)
    return emitOpError() << "output_shape must have " << s << " values";
  StringRef autoPad = getAutoPad();
  if (autoPad != "NOTSET" && autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER" &&
      autoPad != "VALID")
    return emitOpError() << "auto_pad '" << autoPad << "' is not supported";
  for (int64_t i = 0; i < s; ++i) {
    int64_t in = x.getDimSize(i + 2);
    if (g.strides[i] < 1 || g.dilations[i] < 1 || outputPadding[i] < 0)
      return emitOpError() << "strides and dilations must be positive";
    if (in == ShapedType::kDynamic) {
      // SAME: total = full - in * stride does not depend on in.
      int64_t total = outputPadding[i] + (g.kernel[i] - 1) * g.dilations[i] +
                      1 - g.strides[i];
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      bool same = autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER";
      if (outputShape && same)
        return emitOpError() << "output_shape with SAME auto_pad needs a "
                                "static input";
      g.padsBegin.push_back(!same ? (autoPad == "VALID" ? 0 : pads[i])
                                  : autoPad == "SAME_UPPER" ? half
                                                            : total - half);
      g.outputSizes.push_back(outputShape ? (*outputShape)[i]
                                          : ShapedType::kDynamic);
      continue;
    }
    int64_t full = g.strides[i] * (in - 1) + outputPadding[i] +
                   (g.kernel[i] - 1) * g.dilations[i] + 1;
    int64_t out, begin;
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      out = outputShape ? (*outputShape)[i] : in * g.strides[i];
      int64_t total = full - out;
      // Floor division, as the reference's Python `//`, for negative totals.
      int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);
      begin = autoPad == "SAME_UPPER" ? half : total - half;
    } else if (autoPad == "VALID") {
      begin = 0;
      out = outputShape ? (*outputShape)[i] : full;
    } else {
      begin = pads[i];
      out = outputShape ? (*outputShape)[i] : full - pads[i] - pads[i + s];
    }
    if (out < 1)
      return emitOpError() << "spatial dim " << i << " of the output would be "
                           << out;
    g.padsBegin.push_back(begin);
    g.outputSizes.push_back(out);
  }
  return g;
}

LogicalResult ConvTransposeOp::inferShapes() {
  FailureOr<Geometry> g = getGeometry();
  if (failed(g))
    return failure();
  auto x = cast<RankedTensorType>(getX().getType());
  auto w = cast<RankedTensorType>(getW().getType());
  if (!isa<FloatType>(x.getElementType()) || w.getElementType() != x.getElementType())
    return emitOpError() << "X and W must have the same float element type";
  int64_t group = getGroup();
  if (group < 1 || x.getDimSize(1) % group || w.getDimSize(0) != x.getDimSize(1))
    return emitOpError() << "W " << w << " does not match X " << x
                         << " with group " << group;
  int64_t m = w.getDimSize(1) * group;
  if (Value b = getB()) {
    auto bt = dyn_cast<RankedTensorType>(b.getType());
    if (!bt || bt.getShape() != ArrayRef<int64_t>{m})
      return emitOpError() << "B must be 1-D with " << m << " values";
  }
  SmallVector<int64_t> shape{x.getDimSize(0), m};
  shape.append(g->outputSizes);
  getY().setType(RankedTensorType::get(shape, x.getElementType()));
  return success();
}
