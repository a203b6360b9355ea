//===- ElementwiseRules.h - the shared type rule of elementwise ops -------===//
//
// Most elementwise ops infer their result the same way: all inputs broadcast
// together (numpy style), share one element type from a class of types, and
// the result has that element type or i1. QcElementwiseOps.td names the class
// and the result kind per op; this is the one implementation.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_ELEMENTWISERULES_H
#define QUANTC_DIALECTS_QC_IR_ELEMENTWISERULES_H

#include "mlir/IR/Operation.h"

namespace quantc::qc {

/// The element types an op accepts (of those quantc supports). Integers are
/// signless (ONNX's signed types) or unsigned (ui8 ... ui64); bool is i1.
enum class ElementClass {
  Float,         // f16, bf16 (widened to f32 by qc-widen-bf16), f32, f64
  SignedNumeric, // floats and signed integers (Neg, Relu: ONNX has no
                 // unsigned form)
  Numeric,       // floats and integers, signed or unsigned (not bool)
  Integer,       // integers, signed or unsigned (not bool)
  Bool,          // i1
  NumericOrBool  // all of the above
};

/// The element type of the result: the inputs' one, or i1 (comparisons).
enum class ResultElement { Same, Bool };

/// Whether `type` belongs to `cls`.
bool isInElementClass(mlir::Type type, ElementClass cls);

/// Sets the result type of `op` from all its operands as described above;
/// emits an error at the op when an input is unranked, the element types
/// differ or are outside `cls`, or the shapes do not broadcast.
mlir::LogicalResult inferElementwise(mlir::Operation *op, ElementClass cls,
                                     ResultElement result);

} // namespace quantc::qc

#endif
