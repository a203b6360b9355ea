//===- SignlessTypes.cpp - unsigned qc types on signless arith ------------===//
#include "passes/conversion/QcToLinalg/SignlessTypes.h"
#include "dialects/qc/IR/QcOps.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;

namespace quantc {

SignlessTypeConverter::SignlessTypeConverter() {
  // Tried last to first: everything not named below is kept.
  addConversion([](Type t) { return t; });
  addConversion([](IntegerType t) -> Type {
    return t.isSignless() ? t : IntegerType::get(t.getContext(), t.getWidth());
  });
  addConversion([this](RankedTensorType t) -> Type {
    return t.clone(convertType(t.getElementType()));
  });
  auto cast = [](OpBuilder &b, Type type, ValueRange inputs,
                 Location loc) -> Value {
    return UnrealizedConversionCastOp::create(b, loc, type, inputs).getResult(0);
  };
  addSourceMaterialization(cast);
  addTargetMaterialization(cast);
}

bool isUnsignedElement(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

Attribute toSignlessAttr(Attribute attr) {
  auto signless = [](Type t) -> Type {
    auto it = dyn_cast<IntegerType>(t);
    if (!it || it.isSignless())
      return {};
    return IntegerType::get(t.getContext(), it.getWidth());
  };
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (Type et = signless(dense.getElementType()))
      return dense.bitcast(et);
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    // The blob holds raw bytes: only its type changes.
    if (Type et = signless(resource.getType().getElementType()))
      return DenseResourceElementsAttr::get(resource.getType().clone(et),
                                            resource.getRawHandle());
  } else if (auto integer = dyn_cast<IntegerAttr>(attr)) {
    if (Type t = signless(integer.getType()))
      return IntegerAttr::get(t, integer.getValue());
  }
  return attr;
}

arith::CmpIPredicate withSignedness(arith::CmpIPredicate pred,
                                    bool isUnsigned) {
  if (!isUnsigned)
    return pred;
  using P = arith::CmpIPredicate;
  switch (pred) {
  case P::slt: return P::ult;
  case P::sle: return P::ule;
  case P::sgt: return P::ugt;
  case P::sge: return P::uge;
  default: return pred;
  }
}

Value maxOrMin(OpBuilder &b, Location loc, Value x, Value y, bool isMax,
               bool isUnsigned) {
  if (isa<FloatType>(x.getType()))
    return isMax ? (Value)arith::MaximumFOp::create(b, loc, x, y)
                 : (Value)arith::MinimumFOp::create(b, loc, x, y);
  // Bool is ordered false < true: unsigned.
  if (isUnsigned || x.getType().isInteger(1))
    return isMax ? (Value)arith::MaxUIOp::create(b, loc, x, y)
                 : (Value)arith::MinUIOp::create(b, loc, x, y);
  return isMax ? (Value)arith::MaxSIOp::create(b, loc, x, y)
               : (Value)arith::MinSIOp::create(b, loc, x, y);
}

Value extremeValue(OpBuilder &b, Location loc, Type t, bool highest,
                   bool isUnsigned) {
  if (auto f = dyn_cast<FloatType>(t))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(f, APFloat::getInf(f.getFloatSemantics(), !highest)));
  unsigned w = t.getIntOrFloatBitWidth();
  APInt v = (isUnsigned || w == 1)
                ? (highest ? APInt::getMaxValue(w) : APInt::getMinValue(w))
                : (highest ? APInt::getSignedMaxValue(w)
                           : APInt::getSignedMinValue(w));
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(t, v));
}

namespace {

/// The same op on signless types: operands converted, result types and
/// typed attributes (a constant's value) made signless. The op's own pattern
/// then lowers it as it lowers signed integers, which is right for an op
/// whose result is the same bits either way.
struct SignlessRetype : ConversionPattern {
  SignlessRetype(const TypeConverter &converter, StringRef name,
                 MLIRContext *ctx)
      // Before the op's own pattern, which would otherwise try (and fail on)
      // the unsigned form first.
      : ConversionPattern(converter, name, /*benefit=*/2, ctx) {}

  LogicalResult
  matchAndRewrite(Operation *op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    if (getTypeConverter()->isLegal(op))
      return rewriter.notifyMatchFailure(op, "already signless");
    SmallVector<Type> resultTypes;
    if (failed(getTypeConverter()->convertTypes(op->getResultTypes(),
                                                resultTypes)))
      return failure();
    NamedAttrList attrs;
    for (NamedAttribute a : op->getAttrs())
      attrs.append(a.getName(), toSignlessAttr(a.getValue()));
    OperationState state(op->getLoc(), op->getName(), operands, resultTypes,
                         attrs);
    rewriter.replaceOp(op, rewriter.create(state)->getResults());
    return success();
  }
};

} // namespace

void populateSignlessTypePatterns(const TypeConverter &converter,
                                  RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  for (RegisteredOperationName name :
       ctx->getRegisteredOperationsByDialect(qc::QcDialect::getDialectNamespace()))
    if (name.hasTrait<qc::OpTrait::SignednessAgnostic>())
      patterns.add<SignlessRetype>(converter, name.getStringRef(), ctx);
  // qc-export-entry-point copies outputs that are inputs into fresh tensors.
  patterns.add<SignlessRetype>(
      converter, bufferization::AllocTensorOp::getOperationName(), ctx);
  populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns,
                                                                 converter);
  populateReturnOpTypeConversionPattern(patterns, converter);
}

void addSignlessLegality(const TypeConverter &converter,
                         ConversionTarget &target) {
  auto signless = [&](Operation *op) { return converter.isLegal(op); };
  target.addDynamicallyLegalDialect<
      linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
      math::MathDialect, scf::SCFDialect, bufferization::BufferizationDialect>(
      signless);
  target.addDynamicallyLegalOp<func::ReturnOp>(signless);
  target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
    return converter.isSignatureLegal(op.getFunctionType()) &&
           converter.isLegal(&op.getBody());
  });
}

} // namespace quantc
