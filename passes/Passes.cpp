//===- Passes.cpp - registration of every quantc pass ---------------------===//
#include "passes/Passes.h"

void quantc::registerQuantcPasses() {
  registerGraphPasses();
  registerQuantPasses();
  registerConversionPasses();
  registerAbiPasses();
  registerMemoryPasses();
  registerFusionPasses();
}
