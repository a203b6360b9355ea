//===- Passes.h - quantization passes ----------------------------*- C++ -*-===//
#ifndef QUANTC_PASSES_QUANT_PASSES_H
#define QUANTC_PASSES_QUANT_PASSES_H

#include "dialects/qc/IR/QcOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace quantc {
#define GEN_PASS_DECL
#include "passes/quant/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/quant/Passes.h.inc"
} // namespace quantc

#endif
