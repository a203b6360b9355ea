//===- QcTraits.h - traits of qc ops ------------------------------*- C++ -*-===//
#ifndef QUANTC_DIALECTS_QC_IR_QCTRAITS_H
#define QUANTC_DIALECTS_QC_IR_QCTRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace quantc::qc::OpTrait {

/// The op's result does not depend on whether its integers are signed (see
/// Qc_SignednessAgnostic in QcInterfaces.td).
template <typename ConcreteType>
class SignednessAgnostic
    : public mlir::OpTrait::TraitBase<ConcreteType, SignednessAgnostic> {};

/// The op's lowering handles dims known only at run time (see
/// Qc_RunTimeDims in QcBase.td).
template <typename ConcreteType>
class RunTimeDims
    : public mlir::OpTrait::TraitBase<ConcreteType, RunTimeDims> {};

/// An op of quantc's own, not an ONNX operator (see Qc_NotOnnx in
/// QcBase.td).
template <typename ConcreteType>
class NotOnnx : public mlir::OpTrait::TraitBase<ConcreteType, NotOnnx> {};

/// An operator of onnxruntime's com.microsoft domain (see
/// Qc_MicrosoftDomain in QcBase.td).
template <typename ConcreteType>
class MicrosoftDomain
    : public mlir::OpTrait::TraitBase<ConcreteType, MicrosoftDomain> {};

} // namespace quantc::qc::OpTrait

#endif
