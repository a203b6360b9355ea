//===- SignlessTypes.h - unsigned qc types on signless arith -----*- C++ -*-===//
//
// qc carries ONNX's unsigned types as MLIR's unsigned integers (ui8 ...);
// arith, linalg bodies and the LLVM lowering want signless ones. So
// qc-lower-to-linalg converts every type with SignlessTypeConverter (ui8 ->
// i8, tensor<4xui8> -> tensor<4xi8>), and the patterns of ops whose meaning
// depends on the signedness (Div, comparisons, Max, Cast, reductions, ...)
// are conversion patterns that read it from the qc op's own types while they
// compute on the converted, signless values. The ops that do not care
// (Qc_SignednessAgnostic) are first rewritten by one generic pattern to the
// same op on signless types, which their usual pattern then lowers.
//
// Any op built on a type that is still unsigned is illegal, so a lowering
// that does not know about unsigned types fails to apply rather than
// computing with signed semantics.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_CONVERSION_QCTOLINALG_SIGNLESSTYPES_H
#define QUANTC_PASSES_CONVERSION_QCTOLINALG_SIGNLESSTYPES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/DialectConversion.h"

namespace quantc {

/// ui8 -> i8 (and the other unsigned widths), in tensors too; every other
/// type is unchanged.
class SignlessTypeConverter : public mlir::TypeConverter {
public:
  SignlessTypeConverter();
};

/// Whether the element type of `type` (a qc type, before conversion) is an
/// unsigned integer.
bool isUnsignedElement(mlir::Type type);

/// The signless form of an attribute that holds unsigned integers (an
/// elements or integer attribute), with the same bits; others unchanged.
mlir::Attribute toSignlessAttr(mlir::Attribute attr);

/// A signed integer comparison as the unsigned one when `isUnsigned`
/// (slt -> ult, sge -> uge, ...); eq and ne stay.
mlir::arith::CmpIPredicate withSignedness(mlir::arith::CmpIPredicate pred,
                                          bool isUnsigned);

/// max(x, y) or min(x, y) of scalars: NaN-propagating for floats, unsigned
/// for bool and unsigned integers, signed otherwise.
mlir::Value maxOrMin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     mlir::Value y, bool isMax, bool isUnsigned);

/// The lowest (or highest) value of a float or integer type: -inf/+inf for
/// floats, false/true for bool, 0/all ones for unsigned integers, the extreme
/// signed value otherwise.
mlir::Value extremeValue(mlir::OpBuilder &b, mlir::Location loc, mlir::Type t,
                         bool highest, bool isUnsigned);

/// The generic rewrite of signedness-agnostic qc ops to signless types, and
/// the conversion of the entry function's signature and return.
void populateSignlessTypePatterns(const mlir::TypeConverter &converter,
                                  mlir::RewritePatternSet &patterns);

/// Makes the ops of the dialects the lowering produces (linalg, tensor,
/// arith, math, scf, bufferization) and the function legal only on signless
/// types.
void addSignlessLegality(const mlir::TypeConverter &converter,
                         mlir::ConversionTarget &target);

} // namespace quantc

#endif
