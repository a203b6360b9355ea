//===- CpuKernelCalls.h - The runtime kernels as the IR calls them -*- C++ -*-===//
//
// The names and declarations of runtime/src/kernels/KernelEntries.cpp's
// entry points, shared by the passes that emit calls to them
// (qc-linalg-to-cpu-kernels, qc-prepack-weights). Memref arguments are
// declared with fully dynamic strided layouts, so that any view can be
// passed, and reach C as pointers to their descriptors
// (llvm.emit_c_interface); i64 scalars follow them.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_PASSES_CONVERSION_CPUKERNELCALLS_H
#define QUANTC_PASSES_CONVERSION_CPUKERNELCALLS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace quantc::cpu_kernels {

// (a, b, c, overwrite): C += A * B, or C = A * B with `overwrite` (C is
// then not read). Every float GEMM entry ends with that flag.
constexpr llvm::StringLiteral kMatmul = "qc_kernel_matmul_f32";
// (a, packed b, c, overwrite): the same with B packed at compile time.
constexpr llvm::StringLiteral kMatmulPackedB = "qc_kernel_matmul_packed_b_f32";
// (packed a, b, c, overwrite): the same with A packed at compile time.
constexpr llvm::StringLiteral kMatmulPackedA = "qc_kernel_matmul_packed_a_f32";
// (a, bytes, scales, zero points, c, group, overwrite): C (+)= A * B with B
// 4-bit weights in groups of `group` rows (runtime Gemm.h's Int4Weights): bytes
// [K, N/2], two a byte, the first in the low half; scales (f32) and zero
// points (uint8) [ceil(K / group), N].
constexpr llvm::StringLiteral kMatmulW4 = "qc_kernel_matmul_w4_f32";
// (a, b, c, overwrite), each [batch, rows, cols]: C[i] (+)= A[i] * B[i]
// for every i.
constexpr llvm::StringLiteral kBatchMatmul = "qc_kernel_batch_matmul_f32";
// (x, w, y, bias, clamp, stride h, stride w, dilation h, dilation w):
// y = bias + conv with a bias of F values, y += conv with an empty one;
// then y clamped to [clamp[0], clamp[1]] with a clamp, as is with none.
constexpr llvm::StringLiteral kConv = "qc_kernel_conv2d_nchw_f32";
// (x, packed w, y, bias, clamp, strides, dilations, kernel h, kernel w,
// filter layout): w packed as PanelLayout.h's FilterLayout says.
constexpr llvm::StringLiteral kConvPacked = "qc_kernel_conv2d_nchw_packed_f32";
// (x, w, y, addend, bias, clamp, strides, dilations): the same with a
// residual add: y = bias + conv + addend, the addend laid out as y (it may
// be y itself), then clamped.
constexpr llvm::StringLiteral kConvAdd = "qc_kernel_conv2d_nchw_add_f32";
// (x, packed w, y, addend, bias, clamp, strides, dilations, kernel h,
// kernel w, filter layout).
constexpr llvm::StringLiteral kConvAddPacked =
    "qc_kernel_conv2d_nchw_packed_add_f32";
// (a, b, c, a zero point, b zero point, a unsigned, b unsigned, overwrite):
// C (+)= (A - za) * (B - zb) on int8/uint8 A and B into int32 C, written
// from zeros with `overwrite`, else added to; a zero point is empty, one
// value or one per row of A / column of B.
constexpr llvm::StringLiteral kMatmulI8 = "qc_kernel_matmul_i8_i32";
/// The same with B packed by qc-prepack-weights (Int8PanelLayout.h) as a
/// flat byte buffer.
constexpr llvm::StringLiteral kMatmulI8PackedB =
    "qc_kernel_matmul_packed_b_i8_i32";
// (a, b, float out, a zero point, b zero point, scale, column scale, bias,
// column bias, params, residual, a unsigned, b unsigned): the same product
// written from zeros, each sum through the epilogue Int8Gemm.h's
// Int8Epilogue says, to floats only: scaled per row of C then per column,
// biased per row or per column, the residual added, clamped; params as
// kConvI8Epilogue's. A scale or bias is empty, one value or one per row
// (column); the residual is empty or M x N, as the output, rows dense.
constexpr llvm::StringLiteral kMatmulI8Epilogue =
    "qc_kernel_matmul_i8_epilogue";
constexpr llvm::StringLiteral kMatmulI8EpiloguePackedB =
    "qc_kernel_matmul_packed_b_i8_epilogue";
// (x, w, y, bias, x zero point, w zero point, x unsigned, w unsigned,
// overwrite, strides, dilations): y (+)= the int32 convolution of int8/uint8
// x (padded) and w; with `overwrite`, y = bias (one int32 per filter, or
// zeros when empty) + the sums. A zero point is empty, one value, or (w's)
// one per filter.
constexpr llvm::StringLiteral kConvI8 = "qc_kernel_conv2d_nchw_i8_i32";
// (x, packed w, y, ..., kernel h, kernel w): the same with w packed by
// qc-prepack-weights as the GEMM's A (Int8PanelLayout.h), a flat byte buffer.
constexpr llvm::StringLiteral kConvI8Packed =
    "qc_kernel_conv2d_nchw_packed_i8_i32";
// (x, w, z, bias, x zero point, w zero point, scale, float bias, params,
// residual, float out, x unsigned, w unsigned, strides, dilations): the
// same convolution from its bias (or zeros), each sum through the epilogue
// Int8Gemm.h's Int8Epilogue says: scaled, biased, the residual added,
// clamped, stored as a float and/or requantized into the bytes of z;
// params = (lo, hi, out scale, out zero point, q min, q max). z, the
// residual and the float output are each absent when empty.
constexpr llvm::StringLiteral kConvI8Epilogue =
    "qc_kernel_conv2d_nchw_i8_epilogue";
// (x, packed w, z, ..., kernel h, kernel w).
constexpr llvm::StringLiteral kConvI8EpiloguePacked =
    "qc_kernel_conv2d_nchw_packed_i8_epilogue";
// (x, w, y, bias, clamp, strides, dilations, pad top, pad left): the
// padding implicit, zeros around x.
constexpr llvm::StringLiteral kDepthwise =
    "qc_kernel_depthwise_conv2d_nchw_f32";

// (x, y), each [rows, cols]: y = softmax(x) along each row (y may be x).
constexpr llvm::StringLiteral kSoftmax = "qc_kernel_softmax_f32";

/// memref<?x...x?xT, strided<[?, ...], offset: ?>>.
mlir::MemRefType anyStrided(int64_t rank, mlir::Type elementType);
mlir::MemRefType anyStridedF32(mlir::MLIRContext *ctx, int64_t rank);

/// The view of `source` with each dim d where fixed[d] is set dropped at
/// that index, and every other dim whole.
mlir::Value dropFixedDims(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value source,
                          llvm::ArrayRef<mlir::Value> fixed);

/// `memref` cast to anyStrided of its rank and element type.
mlir::Value castToAnyStrided(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value memref);

/// An empty memref of `elementType` (1-D unless `rank` says), as
/// anyStrided: a kernel argument's "none" (no bias, no clamp, no zero
/// point, no residual).
mlir::Value emptyKernelArgument(mlir::OpBuilder &b, mlir::Location loc,
                                mlir::Type elementType, int64_t rank = 1);

/// The kernel's declaration, created once per module: memrefs of the given
/// ranks (f32, or of `elementTypes`, one per memref), then `numScalars` i64s.
mlir::func::FuncOp kernelDeclaration(mlir::ModuleOp module,
                                     llvm::StringRef name,
                                     llvm::ArrayRef<int64_t> memrefRanks,
                                     int numScalars,
                                     llvm::ArrayRef<mlir::Type> elementTypes = {});

/// The op that last wrote `out` before `op`, if it is the broadcast of a
/// bias of `elementType` along dim 1 (ins(bias: memref<F>) outs(out),
/// yielding the bias): the init bufferization made of a convolution's bias
/// (f32, or int32 for QLinearConv's). Only ops without memory effects
/// (constants, views) may stand between the two.
mlir::linalg::GenericOp biasBroadcastBefore(mlir::Operation *op,
                                            mlir::Value out,
                                            mlir::Type elementType);

/// What y holds before `op` when the kernel can write it instead: zeros (a
/// linalg.fill of 0 into y, or a copy into y of a buffer that nothing but
/// one fill of 0 writes before the copy, or y itself filled with 0 earlier
/// and since only copied from) or a bias broadcast along dim 1
/// (biasBroadcastBefore). The op that wrote y, and the bias or null.
struct KernelWrittenInit {
  mlir::Operation *writer;
  mlir::Value bias;
  // y's zeros are read by others too (`readers`, copies out of it, which
  // come before `op`): the writer stays.
  bool shared = false;
  llvm::SmallVector<mlir::Operation *> readers;

  /// Whether `user`, an op using y, is the init's.
  bool owns(mlir::Operation *user) const {
    return user == writer || llvm::is_contained(readers, user);
  }
};

/// KernelWrittenInit of `y` at `op`, a bias being of `biasType`, if y holds
/// nothing else there.
std::optional<KernelWrittenInit> initBefore(mlir::Operation *op, mlir::Value y,
                                            mlir::Type biasType);

/// Erases the fill or copy of zeros `init` found (no bias), now that a
/// kernel writes the output from zeros itself, unless other copies still
/// read those zeros.
void eraseZerosWriter(mlir::RewriterBase &rewriter,
                      const std::optional<KernelWrittenInit> &init);

/// The scalar f32 constant `v` is, if it is one.
std::optional<float> f32Constant(mlir::Value v);

/// The global `v` reads (memref.get_global) when it is a constant with its
/// value (a weight the compiler may read or repack), else null.
mlir::memref::GlobalOp constantGlobal(mlir::Value v,
                                      mlir::SymbolTableCollection &symbols);

/// The memref a chain of views (subview, cast, reshape, view) starts from.
mlir::Value viewBase(mlir::Value v);

/// The generic that comes after `op` when only allocations, ops without
/// memory effects and fills stand between (the fills go to `fills`): where
/// a convolution's epilogue (a clamp, a requantization) may be, with the
/// fill of the padded buffer it writes into between. Null otherwise.
mlir::linalg::GenericOp
nextGenericPastFills(mlir::Operation *op,
                     llvm::SmallVectorImpl<mlir::linalg::FillOp> &fills);

/// Narrows `fill` to what lies around `interior` when `interior` is a
/// static, unit-stride subview of the filled buffer that a kernel call now
/// writes in full (a convolution storing into the next one's padded
/// input): one fill per dim and side of the interior, rather than writing
/// the whole buffer and then most of it again. Leaves other fills as they
/// are.
void fillOnlyAround(mlir::RewriterBase &rewriter, mlir::linalg::FillOp fill,
                    mlir::Value interior);

/// The B of `consumer`, a MatMul, when it is 4-bit weights as --quantize=w4
/// leaves them (Int4WeightCalls.cpp): `view`, [K, N], of the buffer that
/// `dequantize`, the last op to write it before the consumer, fills on
/// every run from the constants `bytes` [K, N/2, 1], `scales` and `zeros`
/// [groups, N/2, 2].
struct Int4WeightSource {
  mlir::Value bytes, scales, zeros;
  int64_t group;
  mlir::linalg::GenericOp dequantize;
  mlir::memref::CollapseShapeOp view;
};
std::optional<Int4WeightSource> int4WeightSource(mlir::Value b,
                                                 mlir::Operation *consumer);

/// Erases `source.dequantize` when nothing reads what it wrote after
/// `after` (the call that took its place), and then the buffer when nothing
/// else uses it.
void eraseIfUnread(mlir::RewriterBase &rewriter, Int4WeightSource source,
                   mlir::Operation *after);

/// qc-linalg-to-cpu-kernels' patterns for int8 contractions
/// (Int8KernelCalls.cpp).
void populateInt8KernelCallPatterns(mlir::RewritePatternSet &patterns);

} // namespace quantc::cpu_kernels

#endif // QUANTC_PASSES_CONVERSION_CPUKERNELCALLS_H
