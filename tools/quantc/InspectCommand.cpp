//===- InspectCommand.cpp - quantc inspect --------------------------------===//
//
// Describes an ONNX model (what quantc makes of it: inputs, outputs, op
// counts, weights, what is unsupported) or a generated library (its model's
// interface as the runtime reports it).
//
//===----------------------------------------------------------------------===//
#include "tools/quantc/Commands.h"
#include "tools/quantc/LoadedLibrary.h"

#include "compiler/Diagnostics.h"
#include "compiler/import/OnnxImporter.h"
#include "compiler/pipeline/Pipeline.h"
#include "compiler/report/MemoryPlanPicture.h"
#include "dialects/qc/IR/QcOps.h"
#include "passes/abi/Passes.h"
#include "passes/graph/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>

using namespace llvm;

namespace quantc {
cl::SubCommand inspectSubcommand(
    "inspect", "Describe an ONNX model or a library that quantc compiled");
}

namespace {
using quantc::inspectSubcommand;

cl::opt<std::string> inspectPath(cl::Positional,
                                 cl::desc("MODEL.onnx or libMODEL.so"),
                                 cl::Required, cl::sub(inspectSubcommand));

std::string shapeString(ArrayRef<int64_t> dims) {
  std::vector<std::string> parts;
  for (int64_t d : dims)
    parts.push_back(d < 0 ? "?" : std::to_string(d));
  return "[" + join(parts, ", ") + "]";
}

bool isElfFile(StringRef path) {
  auto buffer = MemoryBuffer::getFileSlice(path, 4, 0);
  return buffer && (*buffer)->getBuffer() == "\x7f" "ELF";
}

int inspectLibrary(StringRef path) {
  auto lib = quantc::LoadedLibrary::open(path);
  if (!lib) {
    errs() << "quantc inspect: error: " << toString(lib.takeError()) << "\n";
    return 1;
  }
  uint64_t size = 0;
  sys::fs::file_size(path, size);
  outs() << "library: " << path << " (" << size << " bytes)\n"
         << "model: " << (*lib)->modelName() << "\n";
  for (auto [kind, list] : {std::pair{"inputs", (*lib)->inputs()},
                            std::pair{"outputs", (*lib)->outputs()}}) {
    outs() << kind << ":\n";
    for (const quantc::TensorInfo &t : list)
      outs() << "  " << t.name << ": " << quantc::dtypeName(t.dtype) << " "
             << t.shapeString() << "\n";
  }
  if (auto plan = (*lib)->memoryPlan()) {
    outs() << "memory plan (" << plan->buffers << " intermediate buffers):\n"
           << "  arena: " << plan->arenaBytes << " bytes (" << quantc::formatMiB(plan->arenaBytes)
           << ")\n"
           << "  liveness lower bound: " << plan->lowerBoundBytes << " bytes ("
           << quantc::formatMiB(plan->lowerBoundBytes) << ")";
    if (plan->lowerBoundBytes)
      outs() << formatv(", arena/bound {0:F3}",
                        double(plan->arenaBytes) / plan->lowerBoundBytes);
    outs() << "\n  naive sum (a buffer each): " << plan->naiveBytes << " bytes ("
           << quantc::formatMiB(plan->naiveBytes) << ")\n";
  } else {
    outs() << "memory plan: none recorded\n";
  }
  return 0;
}

int inspectModel(StringRef path) {
  mlir::DialectRegistry registry;
  quantc::registerQuantcDialects(registry);
  mlir::MLIRContext context(registry);
  quantc::ModelDiagnosticPrinter printer(context, "quantc inspect");
  auto module = quantc::importOnnxFile(path, &context);
  if (!module)
    return 1;
  mlir::PassManager pm(&context);
  pm.addPass(quantc::createQcShapeInference());
  if (failed(pm.run(*module)))
    return 1;

  auto func = module->lookupSymbol<mlir::func::FuncOp>(quantc::kEntryFunctionName);
  auto opset = (*module)->getAttrOfType<mlir::IntegerAttr>("qc.opset");
  auto name = (*module)->getAttrOfType<mlir::StringAttr>(quantc::kModelNameAttr);
  outs() << "model: " << name.getValue() << " (" << path << ")\n"
         << "opset: " << opset.getInt() << "\n";
  auto describe = [](StringRef kind, mlir::Type type, mlir::DictionaryAttr attrs) {
    auto tensor = cast<mlir::RankedTensorType>(type);
    auto n = attrs ? attrs.getAs<mlir::StringAttr>(quantc::kOnnxNameAttr) : nullptr;
    outs() << "  " << (n ? n.getValue() : kind) << ": " << tensor.getElementType()
           << " " << shapeString(tensor.getShape()) << "\n";
  };
  outs() << "inputs:\n";
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    describe("input", func.getArgument(i).getType(), func.getArgAttrDict(i));
  outs() << "outputs:\n";
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    describe("output", func.getResultTypes()[i], func.getResultAttrDict(i));

  std::map<std::string, int> opCounts;
  uint64_t weightBytes = 0;
  func.walk([&](mlir::Operation *op) {
    if (auto c = dyn_cast<quantc::qc::ConstantOp>(op)) {
      auto type = cast<mlir::ShapedType>(c.getType());
      weightBytes += type.getNumElements() *
                     std::max<int64_t>(1, type.getElementTypeBitWidth() / 8);
      return;
    }
    // An If branch's terminator is not an ONNX operator.
    if (isa<quantc::qc::QcDialect>(op->getDialect()) &&
        !op->hasTrait<mlir::OpTrait::IsTerminator>())
      opCounts[op->getName().stripDialect().str()]++;
  });
  outs() << "weights and constants: " << weightBytes << " bytes\n"
         << "operators (after shape folding):\n";
  for (auto &[op, count] : opCounts)
    outs() << "  " << op << ": " << count << "\n";
  return 0;
}
} // namespace

int quantc::runInspectCommand() {
  if (!sys::fs::exists(inspectPath)) {
    errs() << "quantc inspect: error: no such file: " << inspectPath << "\n";
    return 1;
  }
  return isElfFile(inspectPath) ? inspectLibrary(inspectPath)
                                : inspectModel(inspectPath);
}
