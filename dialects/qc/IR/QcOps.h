//===- QcOps.h - qc ops ------------------------------------------*- C++ -*-===//
#ifndef QUANTC_DIALECTS_QC_IR_QCOPS_H
#define QUANTC_DIALECTS_QC_IR_QCOPS_H

#include "dialects/qc/IR/QcDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/qc/IR/QcInterfaces.h.inc"
#include "dialects/qc/IR/QcTraits.h"

namespace mlir {
class RewriterBase; // qc.If's inlineBranch; PatternMatch.h is heavy
} // namespace mlir

#define GET_OP_CLASSES
#include "dialects/qc/IR/QcOps.h.inc"

namespace quantc::qc {
/// The ONNX node name an op was imported from ("" if it has none). Used to
/// name the model's own node in diagnostics.
llvm::StringRef getOnnxNodeName(mlir::Operation *op);
} // namespace quantc::qc

#endif
