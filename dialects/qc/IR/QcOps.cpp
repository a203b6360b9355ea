//===- QcOps.cpp - qc op definitions --------------------------------------===//
//
// Shape inference lives in QcShapeInference.cpp and folders in QcFolds.cpp;
// this file holds what ODS generates and the small shared helpers.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "dialects/qc/IR/ElementwiseRules.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace quantc::qc;

#include "dialects/qc/IR/QcInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/qc/IR/QcOps.cpp.inc"

SmallVector<int64_t> ShapeOp::selectDims(ArrayRef<int64_t> inputShape) {
  int64_t rank = inputShape.size();
  auto clamp = [&](int64_t v) {
    return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank);
  };
  int64_t start = clamp(getStart());
  int64_t end = getEnd() ? clamp(*getEnd()) : rank;
  if (end <= start)
    return {};
  return SmallVector<int64_t>(inputShape.slice(start, end - start));
}

llvm::StringRef quantc::qc::getOnnxNodeName(Operation *op) {
  Location loc = op->getLoc();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (auto name = dyn_cast<NameLoc>(inner))
        return name.getName().strref();
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().strref();
  return "";
}
