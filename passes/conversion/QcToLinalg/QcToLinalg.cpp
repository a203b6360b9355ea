//===- QcToLinalg.cpp - qc-lower-to-linalg --------------------------------===//
#include "dialects/qc/IR/OnnxDataTypes.h"
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

/// Every qc op needs ranked tensors, and static shapes unless its lowering
/// handles run-time dims (Qc_RunTimeDims). Such a dim is the user's to fix
/// (--shape/--dim), so it is reported as such, for every op at once.
LogicalResult checkShapes(ModuleOp module) {
  bool failed = false;
  module.walk([&](Operation *op) {
    if (!isa<qc::QcDialect>(op->getDialect()))
      return;
    // No pattern computes in a storage-only type (bf16 is widened to f32
    // by qc-widen-bf16 before this pass, in the graph pipeline).
    if (isa<qc::ShapeInferenceOpInterface>(op) && !qc::convertsOrMovesOnly(op))
      for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes()))
        if (Type et = getElementTypeOrSelf(t); qc::isStorageOnlyElementType(et)) {
          (void)qc::refuseStorageOnlyType(op, et);
          failed = true;
          return;
        }
    bool runTimeDims = op->hasTrait<qc::OpTrait::RunTimeDims>();
    for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
      auto ranked = dyn_cast<RankedTensorType>(t);
      if (ranked && (ranked.hasStaticShape() || runTimeDims))
        continue;
      InFlightDiagnostic diag = op->emitError();
      diag << "'" << op->getName().stripDialect() << "' has a tensor of ";
      if (!ranked)
        diag << "unknown rank (" << t << ")";
      else
        diag << "run-time dims (" << t << "), which '"
             << op->getName().stripDialect()
             << "' does not support yet; fix the model's inputs' sizes with "
                "quantc compile --shape or --dim";
      failed = true;
      return;
    }
  });
  return failure(failed);
}

struct QcToLinalgPass : public quantc::impl::QcToLinalgBase<QcToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkShapes(module)))
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
    populateQuantizationPatterns(patterns, converter);
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
    populateDetectionPatterns(patterns);
    populateControlFlowPatterns(patterns, converter);
    populateLoopPatterns(patterns, converter);
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
