//===- Pipeline.cpp - quantc's pass pipelines -----------------------------===//
#include "compiler/pipeline/Pipeline.h"
#include "dialects/qc/IR/QcDialect.h"
#include "passes/Passes.h"

// The specific conversion headers, not mlir/Conversion/Passes.h, which alone
// costs ~26 s of compile time (shared/notes/cpu-path.md).
#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/OpenMPToLLVM/ConvertOpenMPToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace quantc {

void buildShapePipeline(OpPassManager &pm) {
  // Shape inference infers bf16 results as any float's; qc-widen-bf16 then
  // moves bf16 arithmetic to f32 between casts, knowing which results to
  // round back (see both passes).
  pm.addPass(createQcShapeInference());
  pm.addPass(createQcWidenBf16());
}

void buildQuantizationPipeline(OpPassManager &pm, const PipelineOptions &options,
                               bool calibrationOutputs) {
  // Quantization reads the weights as constants, so it comes after shape
  // inference has folded the shape subgraphs (passes/quant). A pre-quantized
  // (QDQ) model's convolutions and products become integer ones whatever
  // --quantize says, as do those static int8 quantizes; onnxruntime's
  // MatMulNBits becomes what --quantize=w4 makes.
  pm.addPass(createQcExpandMatMulNBits());
  if (calibrationOutputs)
    pm.addPass(createQcCalibrationOutputs());
  else if (options.quantize == QuantizeMode::Int8Static) {
    QcSmoothQuantOptions smooth;
    smooth.alpha = options.smoothQuantAlpha;
    pm.addPass(createQcSmoothQuant(smooth));
    QcQuantizeStaticOptions quantize;
    quantize.printDecisions = options.printDecisions;
    quantize.probe = options.int8Probe;
    pm.addPass(createQcQuantizeStatic(quantize));
  }
  pm.addPass(createQcFoldQdq());
  if (options.quantize == QuantizeMode::W4) {
    QcQuantizeWeightsInt4Options w4;
    w4.groupSize = options.w4GroupSize;
    w4.method = options.w4Method == W4Method::Gptq  ? "gptq"
                : options.w4Method == W4Method::Awq ? "awq"
                                                    : "rtn";
    w4.printDecisions = options.printDecisions;
    pm.addPass(createQcQuantizeWeightsInt4(w4));
  }
  if (options.quantize == QuantizeMode::Int8Dynamic) {
    QcQuantizeDynamicOptions quantize;
    quantize.printDecisions = options.printDecisions;
    pm.addPass(createQcQuantizeDynamic(quantize));
  }
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildGraphPipeline(OpPassManager &pm, const PipelineOptions &options) {
  buildShapePipeline(pm);
  buildQuantizationPipeline(pm, options);
}

void buildLowerToLinalgPipeline(OpPassManager &pm) {
  pm.addPass(createQcExportEntryPoint());
  pm.addPass(createQcToLinalg());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void buildLinalgToLLVMPipeline(OpPassManager &pm,
                               const PipelineOptions &options) {
  // Transposes beside float contractions become the GEMM's strides.
  pm.addPass(createQcFoldTransposesIntoContractions());
  // Elementwise chains and reductions with their producers, each one loop
  // nest, as the cost model decides (passes/fusion).
  QcFuseElementwiseOptions fusion;
  fusion.printDecisions = options.printDecisions;
  pm.addPass(createQcFuseElementwise(fusion));
  pm.addPass(createQcFusePadIntoProducer());
  // Divisions by a constant or by one value per row as multiplications by
  // a reciprocal computed once.
  pm.addPass(createQcReciprocalDivisors());
  // Then the contiguous dims of each quantization loop merged, so that its
  // innermost loop is long enough to vectorize.
  pm.addPass(createQcCollapseDims());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Bufferize (shared/notes/cpu-path.md section 1). A private entry (every
  // output static) has its results turned into caller-owned out-params
  // without a copy; a public one (some output sized at run time) returns
  // them, and its callers own them (qc-export-entry-point).
  pm.addPass(createQcSeparateResults());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // Recurrent ops carry their state through scf.for; each step's new state
  // is a fresh tensor, not the iter_arg updated in place.
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.modifyPublicFunctions = false;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Returned buffers the entry does not own (an input, a weight) are cloned
  // by the deallocation pipeline; clones become alloc + copy here.
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Contractions and convolutions: the runtime's packed, threaded GEMM.
  pm.addPass(createQcLinalgToCpuKernels());
  // Depthwise kernels read their padding: no padded copy, no border fills.
  pm.addPass(createQcDepthwiseImplicitPadding());
  // Their weights packed now, once, rather than on every call.
  QcPrepackWeightsOptions prepack;
  prepack.printDecisions = options.printDecisions;
  pm.addPass(createQcPrepackWeights(prepack));
  // Every intermediate the body frees becomes an offset in the context's
  // arena (passes/memory): no malloc, no page faults after the first run.
  pm.addPass(createQcPlanMemory());

  // Loops; LLVM's optimizer vectorizes the inner ones (compiler/targets/cpu).
  // Reductions over the innermost dims first, with their accumulators in
  // registers rather than in memory.
  pm.addNestedPass<func::FuncOp>(createQcReductionsToLoops());
  // Large elementwise ops on the context's threads, as OpenMP worksharing
  // loops the runtime serves (runtime/src/kernels/OpenMpEntries.cpp).
  pm.addNestedPass<func::FuncOp>(createQcParallelizeLoops());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // bf16, float8 and float4 casts as integer arithmetic: LLVM has no x86
  // lowering of its own for them.
  pm.addPass(createQcExpandSmallFloatCasts());
  // f32 exp, erf, tanh, log as arithmetic LLVM can vectorize. Then LLVM
  // intrinsics where there is one (math.fma above all: as a libm call it
  // would keep those loops scalar; log1p is not approximated as log(1 + x),
  // which loses small x), and libm calls for the rest (f64 tanh, erf, ...).
  pm.addPass(createQcApproximateMath());
  ConvertMathToLLVMPassOptions mathToLLVM;
  mathToLLVM.approximateLog1p = false;
  pm.addPass(createConvertMathToLLVMPass(mathToLLVM));
  pm.addPass(createConvertMathToLibmPass());
  // Buffers with run-time sizes (the arena has the rest) through MLIR's
  // generic allocation functions, which the runtime serves from a cache of
  // freed blocks (runtime/src/kernels/HeapEntry.cpp).
  FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
  memrefToLLVM.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createQcEmitPackedEntry());
}

void buildCpuPipeline(OpPassManager &pm) {
  buildGraphPipeline(pm);
  buildLowerToLinalgPipeline(pm);
  buildLinalgToLLVMPipeline(pm);
}

void registerQuantcPipelines() {
  PassPipelineRegistration<>("quantc-graph",
                             "Shape inference and graph simplification on qc",
                             [](OpPassManager &pm) { buildGraphPipeline(pm); });
  PassPipelineRegistration<>("quantc-to-linalg",
                             "Lower qc to linalg on tensors",
                             buildLowerToLinalgPipeline);
  PassPipelineRegistration<>("quantc-linalg-to-llvm",
                             "Fuse, bufferize and plan linalg, and lower it to "
                             "the LLVM dialect",
                             [](OpPassManager &pm) {
                               buildLinalgToLLVMPipeline(pm);
                             });
  PassPipelineRegistration<>("quantc-cpu",
                             "The whole CPU pipeline: imported qc to the LLVM "
                             "dialect, as quantc compile runs it",
                             buildCpuPipeline);
}

void registerQuantcDialects(DialectRegistry &registry) {
  registry.insert<qc::QcDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

} // namespace quantc
