//===- Passes.h - every quantc pass -----------------------------*- C++ -*-===//
#ifndef QUANTC_PASSES_PASSES_H
#define QUANTC_PASSES_PASSES_H

#include "passes/abi/Passes.h"
#include "passes/conversion/Passes.h"
#include "passes/graph/Passes.h"
#include "passes/memory/Passes.h"
#include "passes/quant/Passes.h"
#include "passes/fusion/Passes.h"

namespace quantc {
/// Registers every quantc pass with the global registry (for quantc-opt and
/// textual pipelines).
void registerQuantcPasses();
} // namespace quantc

#endif
