//===- WeightQuantization.h - constant weights to integers -------*- C++ -*-===//
//
// The compile-time half of quantization: quantizing a constant's values
// (read with dialects/qc/IR/ElementValues.h) and making the integer
// constant that replaces it. Every
// quantization pass (dynamic, static, weight-only) goes through here, so the
// rounding and the scale rule are the same everywhere.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_QUANT_WEIGHTQUANTIZATION_H
#define QUANTC_PASSES_QUANT_WEIGHTQUANTIZATION_H

#include "dialects/qc/IR/QcOps.h"
#include "mlir/IR/Builders.h"

#include <string>
#include <vector>

namespace quantc::quant {

/// The ONNX name of `op` (its node's, or for a constant its initializer's),
/// else `fallback`: what decisions print and new constants are named after.
std::string onnxNameOr(mlir::Operation *op, llvm::StringRef fallback);

/// A matrix quantized to int8 symmetrically (zero point 0) per slice.
struct SymmetricInt8 {
  std::vector<int8_t> values; // row-major [rows, cols]
  std::vector<float> scales;  // one per slice
};

/// `rows` x `cols` values `at(r, c)` quantized per row (`perRow`) or per
/// column: scale = max |x| / 127 over the slice (1 for an all-zero slice),
/// q = round-half-even(x / scale), in [-127, 127] so that negating a value
/// never overflows.
SymmetricInt8 quantizeSymmetricInt8(int64_t rows, int64_t cols,
                                    llvm::function_ref<float(int64_t, int64_t)> at,
                                    bool perRow);

/// A qc.Constant of `type` holding `bytes` (row-major, the type's storage;
/// one byte per element for 4- and 2-bit integers): inline when small or
/// sub-byte, else a resource blob named `name` (renamed if taken).
qc::ConstantOp createConstant(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<char> bytes, llvm::StringRef name);

} // namespace quantc::quant

#endif
