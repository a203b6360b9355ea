//===- Diagnostics.cpp - errors in the model's words ----------------------===//
#include "compiler/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace quantc {

/// "model.onnx: node 'conv1'" from the importer's NameLoc(FileLineColLoc).
static std::string describe(Location loc) {
  std::string file, node;
  loc->walk([&](Location inner) {
    if (auto name = dyn_cast<NameLoc>(inner); name && node.empty())
      node = name.getName().str();
    if (auto flc = dyn_cast<FileLineColLoc>(inner); flc && file.empty())
      file = flc.getFilename().str();
    return WalkResult::advance();
  });
  std::string out = file;
  if (!node.empty())
    out += (out.empty() ? "" : ": ") + std::string("node '") + node + "'";
  return out;
}

static const char *severityName(DiagnosticSeverity s) {
  switch (s) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

ModelDiagnosticPrinter::ModelDiagnosticPrinter(MLIRContext &context,
                                               llvm::StringRef tool)
    : context(context) {
  std::string toolName = tool.str();
  id = context.getDiagEngine().registerHandler([toolName](Diagnostic &diag) {
    auto print = [&](Diagnostic &d) {
      std::string where = describe(d.getLocation());
      llvm::errs() << toolName << ": " << severityName(d.getSeverity()) << ": "
                   << (where.empty() ? "" : where + ": ") << d.str() << "\n";
    };
    print(diag);
    for (Diagnostic &note : diag.getNotes())
      print(note);
    return success();
  });
}

ModelDiagnosticPrinter::~ModelDiagnosticPrinter() {
  context.getDiagEngine().eraseHandler(id);
}

} // namespace quantc
