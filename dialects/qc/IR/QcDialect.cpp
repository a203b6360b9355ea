//===- QcDialect.cpp - the qc graph dialect -------------------------------===//
#include "dialects/qc/IR/QcDialect.h"
#include "dialects/qc/IR/QcOps.h"

using namespace mlir;
using namespace quantc::qc;

#include "dialects/qc/IR/QcDialect.cpp.inc"

void QcDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/qc/IR/QcOps.cpp.inc"
      >();
}

Operation *QcDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}
