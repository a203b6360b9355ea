//===- quantc-opt.cpp - every quantc and upstream pass on .mlir -----------===//
#include "compiler/pipeline/Pipeline.h"
#include "passes/Passes.h"

#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  quantc::registerQuantcPasses();
  quantc::registerQuantcPipelines();
  mlir::DialectRegistry registry;
  quantc::registerQuantcDialects(registry);
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "quantc optimizer driver: run quantc's passes on MLIR\n",
      registry));
}
