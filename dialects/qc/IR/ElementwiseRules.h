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

/// The element types an op accepts (of those quantc supports).
enum class ElementClass {
  Float,        // f16, f32, f64
  Numeric,      // floats and signed integers (not bool)
  Integer,      // signed integers (not bool)
  Bool,         // i1
  NumericOrBool // all of the above
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
