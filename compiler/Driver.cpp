//===- Driver.cpp - quantc compile, as a library call ---------------------===//
#include "compiler/Driver.h"
#include "compiler/report/MemoryPlanPicture.h"
#include "compiler/emit/LinkLibrary.h"
#include "compiler/emit/WriteHeader.h"
#include "compiler/pipeline/Pipeline.h"
#include "passes/quant/StaticQuantization.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace quantc {

namespace {

/// Prints "stage ... 1.23 s" to stderr when verbose.
class StageTimer {
public:
  StageTimer(bool verbose, StringRef name) : verbose(verbose), name(name) {
    start = std::chrono::steady_clock::now();
    if (verbose)
      llvm::errs() << "quantc: " << name << "...\n";
  }
  ~StageTimer() {
    if (!verbose)
      return;
    std::chrono::duration<double> d = std::chrono::steady_clock::now() - start;
    llvm::errs() << "quantc: " << name << " took "
                 << llvm::format("%.2f", d.count()) << " s\n";
  }

private:
  bool verbose;
  std::string name;
  std::chrono::steady_clock::time_point start;
};

LogicalResult writeText(StringRef path, llvm::function_ref<void(raw_ostream &)> fn,
                        MLIRContext &ctx) {
  std::string error;
  auto file = openOutputFile(path, &error);
  if (!file) {
    emitError(UnknownLoc::get(&ctx)) << error;
    return failure();
  }
  fn(file->os());
  file->keep();
  return success();
}

LogicalResult runPipeline(ModuleOp module,
                          llvm::function_ref<void(OpPassManager &)> build,
                          bool verbose, StringRef name) {
  StageTimer timer(verbose, name);
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}

/// `lib/foo.so` -> ("foo", "lib/foo.h"); a "lib" prefix is dropped.
std::pair<std::string, std::string> libraryNames(StringRef outputPath) {
  StringRef stem = llvm::sys::path::stem(outputPath);
  if (stem.starts_with("lib") && stem.size() > 3)
    stem = stem.drop_front(3);
  SmallString<256> header(llvm::sys::path::parent_path(outputPath));
  llvm::sys::path::append(header, stem + ".h");
  return {stem.str(), header.str().str()};
}

} // namespace

LogicalResult compileModel(const CompileOptions &options, MLIRContext &ctx) {
  bool verbose = options.verbose;
  // One target machine for optimization and code generation, made first so
  // that a bad --mtriple/--mcpu fails before any real work.
  std::unique_ptr<llvm::TargetMachine> tm;
  if (options.emit >= EmitStage::LLVMIR) {
    std::string error;
    tm = createCpuTargetMachine(options.cpu, error);
    if (!tm) {
      emitError(UnknownLoc::get(&ctx)) << error;
      return failure();
    }
  }
  OwningOpRef<ModuleOp> module;
  {
    StageTimer timer(verbose, "import " + options.inputPath);
    module = importOnnxFile(options.inputPath, &ctx, options.import);
  }
  if (!module)
    return failure();
  auto printModule = [&](raw_ostream &os) {
    module->print(os);
    os << "\n"; // as quantc-opt prints it
  };

  PipelineOptions pipelineOptions;
  pipelineOptions.printDecisions = options.printDecisions;
  pipelineOptions.quantize = options.quantize;
  pipelineOptions.smoothQuantAlpha = options.smoothQuantAlpha;
  pipelineOptions.int8Probe = options.int8Probe;
  pipelineOptions.w4GroupSize = options.w4GroupSize;
  pipelineOptions.w4Method = options.w4Method;
  if (failed(runPipeline(*module, buildShapePipeline, verbose, "graph passes")))
    return failure();
  if (options.quantize == QuantizeMode::Int8Static && !options.calibrationOutputs &&
      !quant::annotateCalibration(*module, options.calibrationRanges,
                                  options.calibrationChannels,
                                  options.int8KeepFloat)) {
    emitError(UnknownLoc::get(&ctx))
        << "--quantize=int8: the calibration has "
        << options.calibrationRanges.size()
        << " activation ranges, which is not what this model quantizes "
           "(was it calibrated on another model?)";
    return failure();
  }
  if (options.quantize == QuantizeMode::W4 && options.w4Method != W4Method::Rtn &&
      !options.calibrationOutputs &&
      !quant::annotateHessians(*module, options.calibrationHessians,
                               options.calibrationChannelMeanAbs)) {
    emitError(UnknownLoc::get(&ctx))
        << "--quantize=w4: the calibration has "
        << options.calibrationHessians.size()
        << " activations, which is not what this model quantizes";
    return failure();
  }
  if (failed(runPipeline(
          *module,
          [&](OpPassManager &pm) {
            buildQuantizationPipeline(pm, pipelineOptions,
                                      options.calibrationOutputs);
          },
          verbose, "quantization")))
    return failure();
  if (options.emit == EmitStage::Qc)
    return writeText(options.outputPath, printModule, ctx);
  if (failed(runPipeline(*module, buildLowerToLinalgPipeline, verbose,
                         "lowering to linalg")))
    return failure();
  if (options.emit == EmitStage::Linalg)
    return writeText(options.outputPath, printModule, ctx);
  if (failed(runPipeline(
          *module,
          [&](OpPassManager &pm) { buildLinalgToLLVMPipeline(pm, pipelineOptions); },
          verbose, "lowering to the LLVM dialect")))
    return failure();
  if (verbose)
    llvm::errs() << "quantc: memory plan: " << memoryPlanSummary(*module) << "\n";
  LogicalResult drawn = success();
  if (!options.memoryPlanSvgPath.empty() &&
      (failed(writeText(options.memoryPlanSvgPath,
                        [&](raw_ostream &os) {
                          drawn = writeMemoryPlanSvg(*module, os);
                        },
                        ctx)) ||
       failed(drawn)))
    return failure();
  if (options.emit == EmitStage::LLVMDialect)
    return writeText(options.outputPath, printModule, ctx);

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule;
  {
    StageTimer timer(verbose, "LLVM IR and -O3");
    llvmModule = translateAndOptimize(*module, llvmContext, *tm);
  }
  if (!llvmModule)
    return failure();
  if (options.emit == EmitStage::LLVMIR)
    return writeText(options.outputPath,
                     [&](raw_ostream &os) { llvmModule->print(os, nullptr); }, ctx);

  // The signature outlives the module for the header.
  std::string signature;
  if (auto global = module->lookupSymbol<LLVM::GlobalOp>("qc_signature"))
    if (auto text = dyn_cast_if_present<StringAttr>(global.getValueOrNull()))
      signature = text.getValue().rtrim('\0').str();
  module = nullptr;

  std::string objectPath = options.outputPath;
  SmallString<256> tempObject;
  if (options.emit == EmitStage::Library) {
    if (auto ec = llvm::sys::fs::createTemporaryFile("quantc", "o", tempObject)) {
      emitError(UnknownLoc::get(&ctx)) << "cannot create a temporary file: "
                                       << ec.message();
      return failure();
    }
    objectPath = tempObject.str().str();
  }
  {
    StageTimer timer(verbose, "code generation");
    std::string error;
    auto file = openOutputFile(objectPath, &error);
    if (!file || failed(emitObjectFile(*llvmModule, *tm, file->os(), error))) {
      emitError(UnknownLoc::get(&ctx)) << error;
      return failure();
    }
    file->keep();
  }
  if (options.emit == EmitStage::Object)
    return success();

  StageTimer timer(verbose, "linking " + options.outputPath);
  std::string error;
  auto [name, headerPath] = libraryNames(options.outputPath);
  LogicalResult linked = linkSharedLibrary(objectPath, options.outputPath, error);
  llvm::sys::fs::remove(objectPath);
  if (failed(linked) ||
      failed(writeLibraryHeader(headerPath, name, signature, error))) {
    emitError(UnknownLoc::get(&ctx)) << error;
    return failure();
  }
  return success();
}

} // namespace quantc
