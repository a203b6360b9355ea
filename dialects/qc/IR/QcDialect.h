//===- QcDialect.h - the qc graph dialect -----------------------*- C++ -*-===//
#ifndef QUANTC_DIALECTS_QC_IR_QCDIALECT_H
#define QUANTC_DIALECTS_QC_IR_QCDIALECT_H

#include "mlir/IR/Dialect.h"

#include "dialects/qc/IR/QcDialect.h.inc"

#endif
