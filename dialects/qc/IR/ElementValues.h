//===- ElementValues.h - the values of a constant attribute -----*- C++ -*-===//
//
// A weight's values as the compiler reads them at compile time, whether the
// attribute holds them inline (DenseElementsAttr) or as a resource blob
// (the importer's form for large initializers). The quantization passes
// read qc.Constant values and qc-prepack-weights reads memref.global
// initial values through these.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_DIALECTS_QC_IR_ELEMENTVALUES_H
#define QUANTC_DIALECTS_QC_IR_ELEMENTVALUES_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <optional>
#include <vector>

namespace quantc::qc {

/// `value`'s elements in row-major order when `type` is a static float32
/// tensor or memref and `value` holds all of them.
std::optional<std::vector<float>> float32Values(mlir::Attribute value,
                                                mlir::ShapedType type);

/// The same for an integer element type of whole bytes (8 to 64 bits), each
/// value read signed or unsigned as the type says (signless: signed).
std::optional<std::vector<int64_t>> integerValues(mlir::Attribute value,
                                                  mlir::ShapedType type);

} // namespace quantc::qc

#endif
