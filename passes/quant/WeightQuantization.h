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
#include "passes/quant/Int4Rounding.h"
#include "mlir/IR/Builders.h"

#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace quantc::quant {

/// ONNX's TensorProto code for float32, the `to` of a qc.Cast to it.
inline constexpr int64_t kOnnxFloat = 1;

/// The ONNX name of `op` (its node's, or for a constant its initializer's),
/// else `fallback`: what decisions print and new constants are named after.
std::string onnxNameOr(mlir::Operation *op, llvm::StringRef fallback);

/// op(B) of a MatMul or Gemm as [K, N]: a copy of its constant weight's
/// values, read and written as element (k, n) whether the weight is stored
/// [K, N] or (a Gemm's with transB) [N, K].
struct WeightView {
  qc::ConstantOp constant;
  std::vector<float> values;
  int64_t k, n;
  bool transposed; // stored [N, K]

  float &at(int64_t r, int64_t c) {
    return transposed ? values[c * k + r] : values[r * n + c];
  }
  /// The values row-major [K, N], whichever way they are stored.
  std::vector<float> kByN() const;
};

/// The weight of a MatMul or Gemm `op` (operand 1) when it is a 2-D float32
/// constant; nothing for a transposed A or any other op.
std::optional<WeightView> weightOf(mlir::Operation *op);

/// How a Conv's filters [O, C/G, kernel...] meet its C input channels:
/// filter o reads the G-th part of the channels its group owns.
struct ConvFilters {
  int64_t outputs, groupChannels, kernel, channels;

  int64_t outputsPerGroup() const { return outputs / (channels / groupChannels); }
  /// The first of the groupChannels input channels filter o reads.
  int64_t firstChannel(int64_t o) const {
    return (o / outputsPerGroup()) * groupChannels;
  }
  /// The weight element of filter o, its j-th channel, tap t (row-major).
  int64_t at(int64_t o, int64_t j, int64_t t) const {
    return (o * groupChannels + j) * kernel + t;
  }
};

/// The layout of `conv`'s static filters over `channels` input channels,
/// when they fit its group count; nothing otherwise.
std::optional<ConvFilters> convFilters(qc::ConvOp conv, int64_t channels);

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

/// The bytes of `values` (a vector, array or ArrayRef of plain values), as
/// createConstant takes them; `llvm::ArrayRef(x)` for a single value x.
template <typename Container>
llvm::ArrayRef<char> asBytes(const Container &values) {
  return {reinterpret_cast<const char *>(std::data(values)),
          std::size(values) * sizeof(*std::data(values))};
}

/// A qc.Constant of `type` holding `bytes` (row-major, the type's storage;
/// one byte per element for 4- and 2-bit integers): inline when small or
/// sub-byte, else a resource blob named `name` (renamed if taken).
qc::ConstantOp createConstant(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::RankedTensorType type,
                              llvm::ArrayRef<char> bytes, llvm::StringRef name);

/// 4-bit values (0..15), two a byte: value 2i in byte i's low four bits,
/// value 2i + 1 in its high four. An odd count leaves the last high half 0.
std::vector<uint8_t> packNibbles(llvm::ArrayRef<uint8_t> values);

/// The graph that reads packNibbles' bytes back: `packed` [..., 1] ui8
/// becomes [..., 2] ui8 (low half, high half) by a right shift of 0 and 4
/// and a mask of 15, elementwise ops that fuse with what reads them.
mlir::Value unpackNibbles(mlir::OpBuilder &b, mlir::Location loc, mlir::Value packed);

/// The float32 [K, N] weight `q` stands for, as ops on its constants
/// (named after `name`): DequantizeLinear(q, scales, zero points) with
/// axis 0 and q's group size. With N even, two values a byte: the bytes
/// [K, N/2, 1] are unpacked (unpackNibbles) to [K, N/2, 2], dequantized
/// with the scales and zero points viewed [groups, N/2, 2], and reshaped
/// to [K, N], all elementwise; odd N keeps a value a byte, as uint4.
mlir::Value dequantizedInt4(mlir::OpBuilder &b, mlir::Location loc,
                            const Int4Weights &q, llvm::StringRef name);

/// x / s along x's dim `axis` (SmoothQuant's and AWQ's per-channel scale):
/// one qc.Mul by a constant 1 / s (named `name`, shaped to broadcast along
/// that dim), placed right after x is made so that every reader can take it.
mlir::Value divideChannels(mlir::Value x, llvm::ArrayRef<float> s,
                           int64_t axis, llvm::StringRef name);

/// qc.Reshape of `x` to the static `shape`.
mlir::Value reshapeConstantShape(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value x, llvm::ArrayRef<int64_t> shape);

} // namespace quantc::quant

#endif
