//===- QcGridSampleShapeInference.cpp - qc.GridSample result type ---------===//
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

LogicalResult GridSampleOp::inferShapes() {
  auto x = dyn_cast<RankedTensorType>(getX().getType());
  auto grid = dyn_cast<RankedTensorType>(getGrid().getType());
  if (!x || !grid || x.getRank() < 3)
    return emitOpError() << "needs X of rank >= 3 and a ranked grid";
  int64_t spatial = x.getRank() - 2;
  if (grid.getRank() != x.getRank() || grid.getDimSize(grid.getRank() - 1) != spatial ||
      grid.getDimSize(0) != x.getDimSize(0))
    return emitOpError() << "grid " << grid << " must be (N, D1_out, ..., " << spatial
                         << ") for X " << x;
  if (!isa<FloatType>(x.getElementType()) || grid.getElementType() != x.getElementType())
    return emitOpError() << "X and grid must have the same float element type";
  StringRef mode = getMode(), padding = getPaddingMode();
  if (mode != "linear" && mode != "bilinear" && mode != "nearest" && mode != "cubic" &&
      mode != "bicubic")
    return emitOpError() << "mode '" << mode << "' is not linear, nearest or cubic";
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return emitOpError() << "padding_mode '" << padding
                         << "' is not zeros, border or reflection";
  SmallVector<int64_t> shape{x.getDimSize(0), x.getDimSize(1)};
  for (int64_t i = 1; i <= spatial; ++i)
    shape.push_back(grid.getDimSize(i));
  getY().setType(RankedTensorType::get(shape, x.getElementType()));
  return success();
}
