//===- ExpandSmallFloatCasts.cpp - qc-expand-small-float-casts ------------===//
//
// LLVM has no x86 lowering for fpext/fptrunc to or from bfloat16 without a
// runtime library, nor for the float8 and float4 formats at all (the LLVM
// type converter stores them as iN). This pass rewrites arith.extf and
// arith.truncf with such a type into integer arithmetic on their bits:
//
// - bfloat16: upstream's expansion (arith::populateExpandBFloat16Patterns).
// - every other float of at most 8 bits that has a sign bit (f8E4M3FN,
//   f8E4M3FNUZ, f8E5M2, f8E5M2FNUZ, f4E2M1FN, and any other format with a
//   sign, an exponent and a mantissa): one generic rewrite, parameterised by
//   the format's APFloat semantics (mantissa bits, bias, largest value, and
//   how it encodes inf, NaN and zero). Extension is exact. Truncation rounds
//   to nearest, ties to even; a value past the largest finite one becomes
//   inf where the format has it, else NaN (E4M3FN: 0x7F, FNUZ: 0x80), else
//   (a format with neither, f4E2M1FN) the largest value, as ml_dtypes does.
//   NaN becomes NaN (sign kept, except FNUZ's single NaN), or +0 in a format
//   without NaN. FNUZ formats have no -0: a negative value that rounds to
//   zero is +0. Saturating casts (ONNX Cast's `saturate`) clamp before the
//   truncf, so they never reach the overflow case.
//
// Other source or result types go through f32: f16 and bf16 extend to it
// exactly; f64 truncates to it first (so f64 -> f8 rounds twice).
// f8E8M0FNU has no sign and no zero; ONNX's casts to and from it are built
// by qc-lower-to-linalg directly, so it is left alone here.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>
#include <optional>

namespace quantc {
#define GEN_PASS_DEF_QCEXPANDSMALLFLOATCASTS
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;

namespace {

/// Whether the generic rewrite handles `type`: a float of at most 8 bits with
/// a sign bit.
bool isSmallSignedFloat(Type type) {
  auto ft = dyn_cast<FloatType>(type);
  if (!ft || ft.getWidth() > 8)
    return false;
  const llvm::fltSemantics &sem = ft.getFloatSemantics();
  return llvm::APFloat::semanticsHasSignedRepr(sem) &&
         llvm::APFloat::hasSignBitInMSB(sem);
}

/// What the bit arithmetic needs to know of a format.
struct SmallFloatFormat {
  unsigned bits;     // total width
  unsigned mantissa; // explicit mantissa bits
  int minExponent;   // exponent of the smallest normal value (1 - bias)
  uint32_t largest;  // code of the largest finite value
  std::optional<uint32_t> inf;
  std::optional<uint32_t> nan; // the quiet NaN's code, positive
  bool nanIsNegativeZero;      // FNUZ: 0x80 is NaN, there is no -0

  explicit SmallFloatFormat(FloatType type) {
    const llvm::fltSemantics &sem = type.getFloatSemantics();
    using llvm::APFloat;
    bits = APFloat::semanticsSizeInBits(sem);
    mantissa = APFloat::semanticsPrecision(sem) - 1;
    minExponent = APFloat::semanticsMinExponent(sem);
    largest = APFloat::getLargest(sem).bitcastToAPInt().getZExtValue();
    if (APFloat::semanticsHasInf(sem))
      inf = APFloat::getInf(sem).bitcastToAPInt().getZExtValue();
    if (APFloat::semanticsHasNaN(sem))
      nan = APFloat::getQNaN(sem).bitcastToAPInt().getZExtValue();
    nanIsNegativeZero = nan && *nan == (1u << (bits - 1));
  }
  uint32_t signBit() const { return 1u << (bits - 1); }
};

/// Builds scalar or vector constants and ops of one shape.
struct BitBuilder {
  PatternRewriter &b;
  Location loc;
  Type like; // the shape: a scalar type or a vector type

  Type withElement(Type element) const {
    if (auto shaped = dyn_cast<ShapedType>(like))
      return shaped.clone(element);
    return element;
  }
  Type i32() const { return withElement(b.getI32Type()); }
  Value constant(Type element, TypedAttr scalar) const {
    Type type = withElement(element);
    if (auto shaped = dyn_cast<ShapedType>(type))
      return arith::ConstantOp::create(b, loc,
                                       DenseElementsAttr::get(shaped, scalar));
    return arith::ConstantOp::create(b, loc, scalar);
  }
  Value i32(int64_t v) const {
    return constant(b.getI32Type(), b.getI32IntegerAttr(int32_t(v)));
  }
  Value f32(float v) const {
    return constant(b.getF32Type(), b.getF32FloatAttr(v));
  }
  Value cmp(arith::CmpIPredicate pred, Value x, Value y) const {
    return arith::CmpIOp::create(b, loc, pred, x, y);
  }
  Value select(Value c, Value x, Value y) const {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value bitcast(Type element, Value x) const {
    return arith::BitcastOp::create(b, loc, withElement(element), x);
  }
};

/// x (f32) to the small format, as its bits in an i32.
Value encode(const BitBuilder &bb, const SmallFloatFormat &fmt, Value x) {
  using P = arith::CmpIPredicate;
  PatternRewriter &b = bb.b;
  Location loc = bb.loc;
  Value u = bb.bitcast(b.getI32Type(), x);
  Value sign = arith::ShRUIOp::create(b, loc, u, bb.i32(31));
  Value a = arith::AndIOp::create(b, loc, u, bb.i32(0x7FFFFFFF));
  Value isNaN = bb.cmp(P::ugt, a, bb.i32(0x7F800000));
  unsigned shift = 23 - fmt.mantissa;

  // Below the smallest normal value: adding a power of two whose ulp is the
  // format's subnormal step rounds (to nearest even, in hardware) at the
  // right bit; the code is what the addition put in the low bits.
  int magicExponent = 127 + fmt.minExponent - int(fmt.mantissa) + 23;
  uint32_t magicBits = uint32_t(magicExponent) << 23;
  float magic;
  std::memcpy(&magic, &magicBits, sizeof(magic));
  Value absX = bb.bitcast(b.getF32Type(), a);
  Value sum = arith::AddFOp::create(b, loc, absX, bb.f32(magic));
  Value subnormal = arith::SubIOp::create(
      b, loc, bb.bitcast(b.getI32Type(), sum), bb.i32(magicBits));

  // Normal: rebias the exponent and round the mantissa to nearest even.
  Value odd = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, a, bb.i32(shift)), bb.i32(1));
  int64_t rebias = int64_t(1 - fmt.minExponent - 127) * (1 << 23) +
                   ((int64_t(1) << (shift - 1)) - 1);
  Value rounded = arith::AddIOp::create(
      b, loc, arith::AddIOp::create(b, loc, a, bb.i32(rebias)), odd);
  Value normal = arith::ShRUIOp::create(b, loc, rounded, bb.i32(shift));

  uint32_t minNormalBits = uint32_t(127 + fmt.minExponent) << 23;
  Value isSubnormal = bb.cmp(P::ult, a, bb.i32(minNormalBits));
  Value mag = bb.select(isSubnormal, subnormal, normal);
  // Inputs of f32's top exponents give huge codes: those are overflows.
  Value overflow = bb.cmp(P::ugt, mag, bb.i32(fmt.largest));
  uint32_t overflowCode = fmt.inf ? *fmt.inf : fmt.nan ? *fmt.nan : fmt.largest;
  mag = bb.select(overflow, bb.i32(overflowCode), mag);
  if (fmt.nan && !fmt.nanIsNegativeZero)
    mag = bb.select(isNaN, bb.i32(*fmt.nan), mag);
  Value result = arith::OrIOp::create(
      b, loc, mag, arith::ShLIOp::create(b, loc, sign, bb.i32(fmt.bits - 1)));
  if (fmt.nanIsNegativeZero) {
    Value isZero = bb.cmp(P::eq, mag, bb.i32(0));
    result = bb.select(isZero, bb.i32(0), result);
    Value toNaN = isNaN;
    if (!fmt.inf && overflowCode == *fmt.nan)
      toNaN = arith::OrIOp::create(b, loc, isNaN, overflow);
    result = bb.select(toNaN, bb.i32(*fmt.nan), result);
  } else if (!fmt.nan) {
    result = bb.select(isNaN, bb.i32(0), result);
  }
  return result;
}

/// The small format's bits (an i32) to f32, exactly.
Value decode(const BitBuilder &bb, const SmallFloatFormat &fmt, Value bits) {
  using P = arith::CmpIPredicate;
  PatternRewriter &b = bb.b;
  Location loc = bb.loc;
  Value mag = arith::AndIOp::create(b, loc, bits, bb.i32(fmt.signBit() - 1));
  Value sign = arith::ShLIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, bb.i32(fmt.bits - 1)),
      bb.i32(31));
  // Normal: the exponent rebiased to f32's, the mantissa moved up.
  Value normal = arith::AddIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, mag, bb.i32(23 - fmt.mantissa)),
      bb.i32(int64_t(127 - (1 - fmt.minExponent)) * (1 << 23)));
  // Subnormal (and zero): mantissa * 2^(minExponent - mantissa bits).
  Value m = arith::AndIOp::create(b, loc, mag, bb.i32((1 << fmt.mantissa) - 1));
  Value scaled = arith::MulFOp::create(
      b, loc,
      arith::UIToFPOp::create(b, loc, bb.withElement(b.getF32Type()), m),
      bb.f32(std::ldexp(1.0f, fmt.minExponent - int(fmt.mantissa))));
  Value isSubnormal = bb.cmp(P::ult, mag, bb.i32(1 << fmt.mantissa));
  Value result =
      bb.select(isSubnormal, bb.bitcast(b.getI32Type(), scaled), normal);
  if (fmt.inf)
    result = bb.select(bb.cmp(P::eq, mag, bb.i32(*fmt.inf)), bb.i32(0x7F800000),
                       result);
  result = arith::OrIOp::create(b, loc, result, sign);
  if (fmt.nan) {
    Value isNaN =
        fmt.nanIsNegativeZero
            ? bb.cmp(P::eq, bits, bb.i32(fmt.signBit()))
            : bb.cmp(P::ugt, mag, bb.i32(fmt.inf ? *fmt.inf : fmt.largest));
    result = bb.select(isNaN, bb.i32(0x7FC00000), result);
  }
  return bb.bitcast(b.getF32Type(), result);
}

/// f32 -> small float; other sources go through f32 first.
struct ExpandTruncF : OpRewritePattern<arith::TruncFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &b) const override {
    Type out = getElementTypeOrSelf(op.getType());
    if (!isSmallSignedFloat(out))
      return failure();
    SmallFloatFormat fmt(cast<FloatType>(out));
    Location loc = op.getLoc();
    BitBuilder bb{b, loc, op.getType()};
    Value x = op.getIn();
    Type in = getElementTypeOrSelf(x.getType());
    Type f32 = bb.withElement(b.getF32Type());
    if (in.getIntOrFloatBitWidth() > 32)
      x = arith::TruncFOp::create(b, loc, f32, x);
    else if (!in.isF32())
      x = arith::ExtFOp::create(b, loc, f32, x);
    Value bits = encode(bb, fmt, x);
    Value narrow = arith::TruncIOp::create(
        b, loc, bb.withElement(b.getIntegerType(fmt.bits)), bits);
    b.replaceOpWithNewOp<arith::BitcastOp>(op, op.getType(), narrow);
    return success();
  }
};

/// small float -> f32, exactly; other results from the f32.
struct ExpandExtF : OpRewritePattern<arith::ExtFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::ExtFOp op,
                                PatternRewriter &b) const override {
    Type in = getElementTypeOrSelf(op.getIn().getType());
    if (!isSmallSignedFloat(in))
      return failure();
    SmallFloatFormat fmt(cast<FloatType>(in));
    Location loc = op.getLoc();
    BitBuilder bb{b, loc, op.getType()};
    Value narrow = bb.bitcast(b.getIntegerType(fmt.bits), op.getIn());
    Value bits = arith::ExtUIOp::create(b, loc, bb.i32(), narrow);
    Value x = decode(bb, fmt, bits);
    Type out = getElementTypeOrSelf(op.getType());
    if (out.getIntOrFloatBitWidth() > 32)
      x = arith::ExtFOp::create(b, loc, op.getType(), x);
    else if (!out.isF32())
      x = arith::TruncFOp::create(b, loc, op.getType(), x);
    b.replaceOp(op, x);
    return success();
  }
};

struct ExpandSmallFloatCastsPass
    : public quantc::impl::QcExpandSmallFloatCastsBase<
          ExpandSmallFloatCastsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ExpandTruncF, ExpandExtF>(&getContext());
    arith::populateExpandBFloat16Patterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
