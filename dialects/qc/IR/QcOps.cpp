//===- QcOps.cpp - qc op definitions --------------------------------------===//
//
// Shape inference lives in QcShapeInference.cpp and folders in QcFolds.cpp;
// this file holds what ODS generates and the small shared helpers.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

using namespace mlir;
using namespace quantc::qc;

#include "dialects/qc/IR/QcInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/qc/IR/QcOps.cpp.inc"

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
