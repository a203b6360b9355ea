//===- QcToLinalg.cpp - qc-lower-to-linalg --------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/Passes.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/DialectConversion.h"

namespace quantc {
#define GEN_PASS_DEF_QCTOLINALG
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

/// Every qc op must have static shapes before it is lowered; a dynamic dim is
/// the user's to resolve (a fixed input shape), so it is reported as such.
LogicalResult checkStaticShapes(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    if (!isa<qc::QcDialect>(op->getDialect()))
      return WalkResult::advance();
    for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
      auto ranked = dyn_cast<RankedTensorType>(t);
      if (!ranked || !ranked.hasStaticShape()) {
        op->emitError() << "'" << op->getName().stripDialect()
                        << "' has a tensor of unknown or symbolic shape (" << t
                        << "); symbolic dims are not supported yet: give every "
                           "input a fixed shape (quantc compile --shape)";
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct QcToLinalgPass : public quantc::impl::QcToLinalgBase<QcToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkStaticShapes(module)))
      return signalPassFailure();
    // Unsigned qc types become signless (SignlessTypes.h); the families
    // whose ops depend on the signedness get the converter.
    SignlessTypeConverter converter;
    RewritePatternSet patterns(&getContext());
    populateSignlessTypePatterns(converter, patterns);
    populateElementwisePatterns(patterns, converter);
    populateActivationPatterns(patterns, converter);
    populateContractionPatterns(patterns);
    populateConvPatterns(patterns);
    populatePoolingPatterns(patterns, converter);
    populateNormalizationPatterns(patterns);
    populateDataMovementPatterns(patterns);
    populateSliceAndPadPatterns(patterns);
    populateGatherScatterPatterns(patterns);
    populateGeneratorPatterns(patterns);
    populateResizePatterns(patterns);
    populateReductionPatterns(patterns, converter);
    populateFeatureNormalizationPatterns(patterns);
    populateScanAndTopKPatterns(patterns, converter);
    populateAttentionPatterns(patterns);
    populateLossPatterns(patterns);
    populateEinsumPatterns(patterns);
    populateRecurrentPatterns(patterns);
    populateGridSamplePatterns(patterns);
    populateSpectralPatterns(patterns);
    ConversionTarget target(getContext());
    target.addIllegalDialect<qc::QcDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           scf::SCFDialect, func::FuncDialect>();
    addSignlessLegality(converter, target);
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
