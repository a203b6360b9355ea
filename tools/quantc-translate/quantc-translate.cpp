//===- quantc-translate.cpp - ONNX -> MLIR and friends --------------------===//
#include "compiler/import/OnnxImporter.h"
#include "compiler/pipeline/Pipeline.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/Support/SourceMgr.h"

int main(int argc, char **argv) {
  mlir::TranslateToMLIRRegistration importOnnx(
      "import-onnx",
      "Import an ONNX model (binary .onnx or ONNX text syntax) into the qc "
      "dialect",
      [](llvm::SourceMgr &sourceMgr,
         mlir::MLIRContext *context) -> mlir::OwningOpRef<mlir::Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        auto module = quantc::importOnnxBytes(
            buffer->getBuffer(), buffer->getBufferIdentifier(), context);
        return mlir::OwningOpRef<mlir::Operation *>(module.release());
      },
      [](mlir::DialectRegistry &registry) {
        quantc::registerQuantcDialects(registry);
      });
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "quantc translation driver\n"));
}
