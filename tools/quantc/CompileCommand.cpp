//===- CompileCommand.cpp - quantc compile --------------------------------===//
#include "tools/quantc/Commands.h"

#include "compiler/Diagnostics.h"
#include "compiler/Driver.h"
#include "compiler/calibration/Calibration.h"
#include "compiler/pipeline/Pipeline.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace quantc {
cl::SubCommand compileSubcommand("compile",
                                 "Compile an ONNX model to a shared library");
}

namespace {
using quantc::compileSubcommand;

cl::opt<std::string> inputPath(cl::Positional, cl::desc("MODEL.onnx"),
                               cl::Required, cl::sub(compileSubcommand));
cl::opt<std::string> outputPath(
    "o", cl::desc("Output file (default: lib<model>.so for --emit=lib, stdout "
                  "for text stages; '-' is stdout)"),
    cl::value_desc("file"), cl::sub(compileSubcommand));
cl::opt<std::string> target("target",
                            cl::desc("Target to compile for: cpu (the only "
                                     "one supported today)"),
                            cl::init("cpu"), cl::sub(compileSubcommand));
cl::opt<quantc::EmitStage> emit(
    "emit", cl::desc("Stop after a stage and write its output:"),
    cl::values(
        clEnumValN(quantc::EmitStage::Qc, "qc", "the qc dialect after graph passes"),
        clEnumValN(quantc::EmitStage::Linalg, "linalg", "linalg on tensors"),
        clEnumValN(quantc::EmitStage::LLVMDialect, "llvm-dialect",
                   "the LLVM dialect (as quantc-opt --pass-pipeline=builtin.module(quantc-cpu))"),
        clEnumValN(quantc::EmitStage::LLVMIR, "llvm-ir", "optimized LLVM IR"),
        clEnumValN(quantc::EmitStage::Object, "obj", "the model's object file"),
        clEnumValN(quantc::EmitStage::Library, "lib",
                   "the shared library and its C header (default)")),
    cl::init(quantc::EmitStage::Library), cl::sub(compileSubcommand));
cl::opt<std::string> mcpu("mcpu",
                          cl::desc("CPU to generate code for (default: the "
                                   "host's, 'native')"),
                          cl::init("native"), cl::sub(compileSubcommand));
cl::opt<std::string> mtriple("mtriple",
                             cl::desc("Target triple (default: the host's)"),
                             cl::sub(compileSubcommand));
cl::list<std::string> shapes(
    "shape",
    cl::desc("Set an input's shape, e.g. --shape input=1x3x224x224 (repeat "
             "for several inputs; 'scalar' for rank 0). A dim may be '?' "
             "(any size, given at run time) or MIN..MAX (a run-time size "
             "within bounds, checked on every run): input=1x1..512x384"),
    cl::value_desc("name=DxDx..."), cl::sub(compileSubcommand));
cl::list<std::string> dims(
    "dim",
    cl::desc("Fix or bound a dim the model names (ONNX dim_param) in every "
             "input that uses it: --dim batch=1, --dim seq=1..512"),
    cl::value_desc("name=N|MIN..MAX"), cl::sub(compileSubcommand));
cl::opt<bool> verbose("v", cl::desc("Print each stage and its time, and the "
                                    "memory plan's sizes"),
                      cl::sub(compileSubcommand));
cl::opt<bool> printDecisions(
    "print-decisions",
    cl::desc("Print every choice the compiler made, and why, to stderr: "
             "fusion and each convolution's vector layout (the cost "
             "model's) and, with --quantize, which ops were quantized"),
    cl::sub(compileSubcommand));
cl::opt<std::string> quantize(
    "quantize",
    cl::desc("Quantize the model: none (default); int8 (static: Conv, "
             "MatMul and Gemm inputs uint8 with ranges calibrated on --calib, "
             "weights int8 per output channel); or int8-dynamic (int8 "
             "weights per output channel, activations quantized at run time "
             "per row; MatMul, Gemm and embedding Gathers); or w4 (MatMul "
             "and Gemm weights uint4 per group of --group-size rows, and "
             "embedding tables per group along each row, two a byte, rounded "
             "as --w4-method says; unpacked by the GEMM as it packs its "
             "panels, products in float: smaller, not faster). fp8 is not "
             "supported yet"),
    cl::value_desc("scheme"), cl::init("none"), cl::sub(compileSubcommand));
cl::opt<std::string> calibInputs(
    "calib",
    cl::desc("Calibration inputs for --quantize=int8 and for --quantize=w4 "
             "with --w4-method=gptq or awq: a directory of .npz "
             "files (one input set each, every model input by name; .npy "
             "files for a one-input model), one such file, or a text file "
             "listing them"),
    cl::value_desc("DIR|FILE"), cl::sub(compileSubcommand));
cl::opt<quantc::CalibrationMethod> calibMethod(
    "calib-method", cl::desc("How --quantize=int8 takes an activation's range:"),
    cl::values(clEnumValN(quantc::CalibrationMethod::MinMax, "minmax",
                          "smallest to largest value seen (default)"),
               clEnumValN(quantc::CalibrationMethod::Percentile, "percentile",
                          "0.01th to 99.99th percentile per input, averaged"),
               clEnumValN(quantc::CalibrationMethod::Entropy, "entropy",
                          "from a histogram of every value seen: the range "
                          "whose 256 levels keep the distribution closest "
                          "(KL divergence, as TensorRT)"),
               clEnumValN(quantc::CalibrationMethod::Mse, "mse",
                          "from the same histogram: the range with the least "
                          "expected squared error (clipping and rounding)")),
    cl::init(quantc::CalibrationMethod::MinMax), cl::sub(compileSubcommand));
cl::opt<float> smoothQuant(
    "smoothquant",
    cl::desc("With --quantize=int8: SmoothQuant with this migration strength "
             "(0..1, typically 0.5): Conv, MatMul and Gemm inputs divided per "
             "channel and the weights that read each channel multiplied, so "
             "that activation outliers move into the weights (depthwise "
             "Convs' inputs always are, fully: it costs their weights "
             "nothing)"),
    cl::value_desc("ALPHA"), cl::init(-1.0f), cl::sub(compileSubcommand));
cl::opt<float> int8ErrorBudget(
    "int8-error-budget",
    cl::desc("With --quantize=int8: keep in float the ops whose int8 moves "
             "the outputs most (measured op by op on the calibration inputs, "
             "on the logits for a Softmax output), until the outputs are "
             "within PCT percent (relative RMS) of float's; -v shows what "
             "each op costs, --print-decisions which stay float (default 0: "
             "quantize every op)"),
    cl::value_desc("PCT"), cl::init(0.0f), cl::sub(compileSubcommand));
cl::opt<int64_t> groupSize(
    "group-size",
    cl::desc("With --quantize=w4: rows of K per scale and zero point "
             "(default 32)"),
    cl::value_desc("N"), cl::init(32), cl::sub(compileSubcommand));
cl::opt<std::string> w4Method(
    "w4-method",
    cl::desc("With --quantize=w4: rtn (round to nearest, the default); gptq "
             "(each row's rounding error compensated in the rows after it, "
             "through the Hessian of the MatMul's input over --calib); or awq "
             "(input channels scaled by their mean magnitude over --calib "
             "before rounding, the strength searched per input)"),
    cl::value_desc("method"), cl::init("rtn"), cl::sub(compileSubcommand));
cl::opt<std::string> calibCache(
    "calib-cache",
    cl::desc("Save the calibrated ranges to FILE; without --calib, read them "
             "from FILE instead of calibrating again"),
    cl::value_desc("FILE"), cl::sub(compileSubcommand));
cl::opt<std::string> memoryPlanSvg(
    "memory-plan-svg",
    cl::desc("Draw the activation arena's plan to FILE.svg: each intermediate "
             "buffer a rectangle, program position across, arena offset down"),
    cl::value_desc("FILE.svg"), cl::sub(compileSubcommand));
} // namespace

int quantc::runCompileCommand() {
  CompileOptions options;
  options.inputPath = inputPath;
  options.emit = emit;
  options.verbose = verbose;
  options.memoryPlanSvgPath = memoryPlanSvg;
  options.printDecisions = printDecisions;
  options.cpu.cpu = mcpu;
  options.cpu.triple = mtriple;
  if (quantize == "int8-dynamic") {
    options.quantize = quantc::QuantizeMode::Int8Dynamic;
  } else if (quantize == "int8") {
    options.quantize = quantc::QuantizeMode::Int8Static;
  } else if (quantize == "w4") {
    options.quantize = quantc::QuantizeMode::W4;
  } else if (quantize == "fp8") {
    errs() << "quantc compile: error: --quantize=" << quantize
           << " is not supported yet (supported: none, int8, int8-dynamic, w4)\n";
    return 1;
  } else if (quantize != "none") {
    errs() << "quantc compile: error: unknown --quantize=" << quantize
           << " (supported: none, int8, int8-dynamic, w4)\n";
    return 1;
  }
  if (options.quantize != quantc::QuantizeMode::W4 &&
      (groupSize.getNumOccurrences() || w4Method.getNumOccurrences())) {
    errs() << "quantc compile: error: --group-size and --w4-method go with "
              "--quantize=w4\n";
    return 1;
  }
  if (w4Method == "gptq") {
    options.w4Method = quantc::W4Method::Gptq;
  } else if (w4Method == "awq") {
    options.w4Method = quantc::W4Method::Awq;
  } else if (w4Method != "rtn") {
    errs() << "quantc compile: error: --w4-method=" << w4Method
           << " is unknown (supported: rtn, gptq, awq)\n";
    return 1;
  }
  bool w4Calibrated = options.quantize == quantc::QuantizeMode::W4 &&
                      options.w4Method != quantc::W4Method::Rtn;
  if (w4Calibrated && calibInputs.empty()) {
    errs() << "quantc compile: error: --w4-method=" << w4Method
           << " needs calibration inputs: --calib=DIR\n";
    return 1;
  }
  if (options.quantize == quantc::QuantizeMode::W4 && !w4Calibrated &&
      !calibInputs.empty()) {
    errs() << "quantc compile: error: --quantize=w4 --w4-method=rtn uses no "
              "calibration; --calib goes with --w4-method=gptq or awq\n";
    return 1;
  }
  if (groupSize < 1) {
    errs() << "quantc compile: error: --group-size=" << groupSize
           << ": must be positive\n";
    return 1;
  }
  options.w4GroupSize = groupSize;
  if (options.quantize != quantc::QuantizeMode::Int8Static &&
      (!calibCache.empty() || smoothQuant.getNumOccurrences() ||
       int8ErrorBudget.getNumOccurrences() ||
       (!calibInputs.empty() && options.quantize != quantc::QuantizeMode::W4))) {
    errs() << "quantc compile: error: --calib-cache, --smoothquant and "
              "--int8-error-budget go with --quantize=int8; --calib with "
              "--quantize=int8 or --w4-method=gptq|awq\n";
    return 1;
  }
  if (smoothQuant.getNumOccurrences() && !(smoothQuant >= 0 && smoothQuant <= 1)) {
    errs() << "quantc compile: error: --smoothquant="
           << llvm::format("%g", float(smoothQuant))
           << ": the migration strength must be between 0 and 1\n";
    return 1;
  }
  options.smoothQuantAlpha = smoothQuant.getNumOccurrences() ? float(smoothQuant) : -1.0f;
  if (!(int8ErrorBudget >= 0 && int8ErrorBudget < 100)) {
    errs() << "quantc compile: error: --int8-error-budget="
           << llvm::format("%g", float(int8ErrorBudget))
           << ": a percentage from 0 (off) to below 100\n";
    return 1;
  }
  options.int8ErrorBudget = float(int8ErrorBudget) / 100.0f;
  if (target != "cpu") {
    errs() << "quantc compile: error: --target=" << target
           << " is not supported yet (supported: cpu)\n";
    return 1;
  }
  if (!memoryPlanSvg.empty() &&
      (emit == EmitStage::Qc || emit == EmitStage::Linalg)) {
    errs() << "quantc compile: error: --memory-plan-svg needs the memory plan, "
              "which is made after --emit=linalg\n";
    return 1;
  }
  for (const std::string &s : shapes) {
    std::string error;
    if (failed(parseShapeOption(s, options.import, error))) {
      errs() << "quantc compile: error: " << error << "\n";
      return 1;
    }
  }
  for (const std::string &d : dims) {
    std::string error;
    if (failed(parseDimOption(d, options.import, error))) {
      errs() << "quantc compile: error: " << error << "\n";
      return 1;
    }
  }
  bool textStage = emit == EmitStage::Qc || emit == EmitStage::Linalg ||
                   emit == EmitStage::LLVMDialect || emit == EmitStage::LLVMIR;
  if (outputPath.empty()) {
    if (textStage) {
      options.outputPath = "-";
    } else {
      std::string stem = sys::path::stem(inputPath).str();
      options.outputPath =
          emit == EmitStage::Object ? stem + ".o" : "lib" + stem + ".so";
    }
  } else {
    options.outputPath = outputPath;
  }
  if (!textStage && options.outputPath == "-") {
    errs() << "quantc compile: error: binary output cannot go to stdout; give "
              "-o FILE\n";
    return 1;
  }

  // Checked before compiling, not found out at the end by the linker.
  if (options.outputPath != "-") {
    StringRef dir = sys::path::parent_path(options.outputPath);
    if (!dir.empty() && !sys::fs::is_directory(dir)) {
      errs() << "quantc compile: error: the output directory '" << dir
             << "' does not exist\n";
      return 1;
    }
  }

  mlir::DialectRegistry registry;
  registerQuantcDialects(registry);
  mlir::MLIRContext context(registry);
  ModelDiagnosticPrinter printer(context, "quantc compile");
  if (options.quantize == quantc::QuantizeMode::Int8Static || w4Calibrated) {
    CalibrationOptions calib;
    calib.inputs = calibInputs;
    calib.method = calibMethod;
    calib.cachePath = calibCache;
    return failed(compileWithCalibration(options, calib, context)) ? 1 : 0;
  }
  return failed(compileModel(options, context)) ? 1 : 0;
}
