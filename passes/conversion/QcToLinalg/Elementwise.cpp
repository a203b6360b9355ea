//===- Elementwise.cpp - qc arithmetic, logic and casts to linalg ---------===//
//
// Every op here is one linalg.generic built by ElementwiseLowering; what
// differs is the scalar body, one small function per op (or per group of ops
// that differ only in the arith op they use). Unary math and activations are
// in Activations.cpp.
//
// Integer division and remainder never trap: x86 faults on a zero divisor and
// on INT_MIN / -1, so those divisors are replaced, with numpy's results
// (x / 0 = 0, x % 0 = 0, x / -1 = -x with wrap-around, x % -1 = 0).
//
// The scalars are signless; where the meaning depends on the signedness
// (division, remainder, ordering, max/min, shifts, casts) a body asks the qc
// op whether its integers are unsigned and picks the unsigned arith op.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

/// Whether the qc op computes on unsigned integers (its first input's type).
bool isUnsigned(Operation *op) {
  return isUnsignedElement(op->getOperand(0).getType());
}

Value constantLike(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

/// The float op for float operands, the integer op of the op's signedness
/// otherwise (one op for both where the bits are the same).
template <typename FloatOp, typename IntOp, typename UnsignedOp = IntOp>
Value arithBinary(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
  if (isUnsigned(op))
    return UnsignedOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

/// An op that only exists for integers (bool included): bitwise and logic.
template <typename IntOp>
Value intBinary(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return IntOp::create(b, loc, args[0], args[1]);
}

/// Not and BitwiseNot: xor with all ones (true for bool).
Value bitwiseNot(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  auto type = cast<IntegerType>(args[0].getType());
  Value ones = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getAllOnes(type.getWidth())));
  return arith::XOrIOp::create(b, loc, args[0], ones);
}

/// Ordered float comparisons (false on NaN, as numpy); integer ones with
/// the signed predicate, or its unsigned form for unsigned integers.
template <arith::CmpFPredicate FPred, arith::CmpIPredicate IPred>
Value compare(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return arith::CmpFOp::create(b, loc, FPred, args[0], args[1]);
  return arith::CmpIOp::create(b, loc, withSignedness(IPred, isUnsigned(op)),
                               args[0], args[1]);
}

/// Left fold of a variadic op's operands with arithBinary.
template <typename FloatOp, typename IntOp, typename UnsignedOp = IntOp>
Value foldAll(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value acc = args[0];
  for (Value v : args.drop_front())
    acc = arithBinary<FloatOp, IntOp, UnsignedOp>(op, b, loc, {acc, v});
  return acc;
}

Value mean(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value sum = foldAll<arith::AddFOp, arith::AddIOp>(op, b, loc, args);
  if (args.size() == 1)
    return sum;
  return arith::DivFOp::create(b, loc, sum,
                               constantLike(b, loc, sum, args.size()));
}

/// The divisor with 0 (and, signed, -1) replaced by 1, so that the division
/// cannot trap.
Value safeDivisor(OpBuilder &b, Location loc, Value d, bool isUnsigned) {
  Value zero = constantLike(b, loc, d, 0);
  Value bad = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, zero);
  if (!isUnsigned)
    bad = arith::OrIOp::create(
        b, loc, bad,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d,
                              constantLike(b, loc, d, -1)));
  return arith::SelectOp::create(b, loc, bad, constantLike(b, loc, d, 1), d);
}

/// ONNX integer Div truncates toward zero.
Value divide(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], d = args[1];
  if (isFloat(x))
    return arith::DivFOp::create(b, loc, x, d);
  Value zero = constantLike(b, loc, d, 0);
  if (isUnsigned(op)) {
    Value q = arith::DivUIOp::create(b, loc, x, safeDivisor(b, loc, d, true));
    Value isZero =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, zero);
    return arith::SelectOp::create(b, loc, isZero, zero, q);
  }
  Value q = arith::DivSIOp::create(b, loc, x, safeDivisor(b, loc, d, false));
  Value isMinusOne = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d,
                                           constantLike(b, loc, d, -1));
  q = arith::SelectOp::create(b, loc, isMinusOne,
                              arith::SubIOp::create(b, loc, zero, x), q);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, zero);
  return arith::SelectOp::create(b, loc, isZero, zero, q);
}

/// Mod: fmod=1 is C's fmod (the sign of the dividend); fmod=0 is Python's %
/// (the sign of the divisor): a nonzero remainder whose sign differs from the
/// divisor's moves by one divisor, and a zero takes the divisor's sign. The
/// two agree on unsigned integers.
Value mod(qc::ModOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], d = args[1];
  if (isFloat(x)) {
    Value r = arith::RemFOp::create(b, loc, x, d);
    if (op.getFmod())
      return r;
    Value zero = constantLike(b, loc, r, 0);
    auto cmp = [&](arith::CmpFPredicate p, Value l, Value rhs) {
      return arith::CmpFOp::create(b, loc, p, l, rhs);
    };
    Value differ = arith::XOrIOp::create(
        b, loc, cmp(arith::CmpFPredicate::OLT, r, zero),
        cmp(arith::CmpFPredicate::OLT, d, zero));
    Value adjust = arith::AndIOp::create(
        b, loc, cmp(arith::CmpFPredicate::ONE, r, zero), differ);
    Value moved = arith::SelectOp::create(
        b, loc, adjust, arith::AddFOp::create(b, loc, r, d), r);
    // A zero remainder takes the divisor's sign (d is not zero or NaN here,
    // else r would be NaN).
    Value signedZero = arith::SelectOp::create(
        b, loc, cmp(arith::CmpFPredicate::OLT, d, zero),
        constantLike(b, loc, r, -0.0), zero);
    return arith::SelectOp::create(b, loc, cmp(arith::CmpFPredicate::OEQ, r, zero),
                                   signedZero, moved);
  }
  if (isUnsigned(op))
    return arith::RemUIOp::create(b, loc, x, safeDivisor(b, loc, d, true));
  Value zero = constantLike(b, loc, x, 0);
  Value r = arith::RemSIOp::create(b, loc, x, safeDivisor(b, loc, d, false));
  if (op.getFmod())
    return r;
  auto cmp = [&](arith::CmpIPredicate p, Value l, Value rhs) {
    return arith::CmpIOp::create(b, loc, p, l, rhs);
  };
  Value differ = arith::XOrIOp::create(b, loc, cmp(arith::CmpIPredicate::slt, r, zero),
                                       cmp(arith::CmpIPredicate::slt, d, zero));
  Value adjust = arith::AndIOp::create(
      b, loc, cmp(arith::CmpIPredicate::ne, r, zero), differ);
  return arith::SelectOp::create(b, loc, adjust,
                                 arith::AddIOp::create(b, loc, r, d), r);
}

/// x ** e for integers by repeated squaring over every bit of e, so the result
/// is exact with the wrap-around of x's type (as numpy). A negative e gives
/// the integer part of 1 / x**|e|: 1 or -1 for x = 1 or -1, else 0. An
/// unsigned e has one more value bit and is never negative.
Value integerPower(OpBuilder &b, Location loc, Value x, Value e,
                   bool unsignedExponent) {
  auto eType = cast<IntegerType>(e.getType());
  Value one = constantLike(b, loc, x, 1), result = one, base = x;
  Value eOne = constantLike(b, loc, e, 1);
  unsigned valueBits = eType.getWidth() - (unsignedExponent ? 0 : 1);
  for (unsigned i = 0; i < valueBits; ++i) {
    Value shifted =
        arith::ShRUIOp::create(b, loc, e, constantLike(b, loc, e, i));
    Value bit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      arith::AndIOp::create(b, loc, shifted, eOne),
                                      constantLike(b, loc, e, 0));
    result = arith::SelectOp::create(
        b, loc, bit, arith::MulIOp::create(b, loc, result, base), result);
    base = arith::MulIOp::create(b, loc, base, base);
  }
  if (unsignedExponent)
    return result;
  auto eq = [&](Value l, Value r) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, l, r);
  };
  Value minusOne = constantLike(b, loc, x, -1);
  Value odd = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                    arith::AndIOp::create(b, loc, e, eOne),
                                    constantLike(b, loc, e, 0));
  Value negative = arith::SelectOp::create(
      b, loc, eq(x, one), one,
      arith::SelectOp::create(
          b, loc, eq(x, minusOne),
          arith::SelectOp::create(b, loc, odd, minusOne, one),
          constantLike(b, loc, x, 0)));
  Value isNegative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, e,
                                           constantLike(b, loc, e, 0));
  return arith::SelectOp::create(b, loc, isNegative, negative, result);
}

/// Pow: the result has the base's type. Float powers are computed in the
/// wider of the two float types; an integer base with a float exponent in
/// f64, truncated toward zero.
Value power(qc::PowOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], e = args[1];
  Type xType = op.getX().getType().getElementType();
  Type eType = op.getY().getType().getElementType();
  if (!isFloat(x) && !isFloat(e))
    return integerPower(b, loc, x, e, eType.isUnsignedInteger());
  Type computeType = b.getF64Type();
  if (isFloat(x)) {
    computeType = x.getType();
    if (isFloat(e) && e.getType().getIntOrFloatBitWidth() >
                          x.getType().getIntOrFloatBitWidth())
      computeType = e.getType();
  }
  Value p = math::PowFOp::create(
      b, loc, convertScalar(b, loc, x, xType, computeType),
      convertScalar(b, loc, e, eType, computeType));
  return convertScalar(b, loc, p, computeType, xType);
}

/// PRelu: x < 0 ? slope * x : x (never for unsigned x).
Value prelu(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], slope = args[1];
  Value zero = constantLike(b, loc, x, 0);
  Value negative = compare<arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt>(
      op, b, loc, {x, zero});
  Value scaled = arithBinary<arith::MulFOp, arith::MulIOp>(op, b, loc,
                                                           {slope, x});
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

/// BitShift: an amount outside [0, width) (one unsigned compare) shifts
/// by 0 instead, which LLVM would make poison, and the result is the sign
/// fill alone: x >> (width - 1) for RIGHT of a signed x, 0 otherwise.
/// Unsigned x shifts RIGHT logically.
Value bitShift(qc::BitShiftOp op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], n = args[1];
  unsigned width = x.getType().getIntOrFloatBitWidth();
  Value zero = constantLike(b, loc, x, 0);
  Value outside = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, n,
                                        constantLike(b, loc, n, width));
  Value amount = arith::SelectOp::create(b, loc, outside, zero, n);
  if (op.getDirection() == "LEFT")
    return arith::SelectOp::create(b, loc, outside, zero,
                                   arith::ShLIOp::create(b, loc, x, amount));
  if (isUnsigned(op))
    return arith::SelectOp::create(b, loc, outside, zero,
                                   arith::ShRUIOp::create(b, loc, x, amount));
  Value fill =
      arith::ShRSIOp::create(b, loc, x, constantLike(b, loc, x, width - 1));
  return arith::SelectOp::create(b, loc, outside, fill,
                                 arith::ShRSIOp::create(b, loc, x, amount));
}

Value where(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

Value relu(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Value zero = constantLike(b, loc, args[0], 0);
  if (isFloat(args[0]))
    return arith::MaximumFOp::create(b, loc, args[0], zero);
  return arith::MaxSIOp::create(b, loc, args[0], zero);
}

/// Clip: min(max(x, lo), hi), NaN propagating for floats; an omitted bound
/// clips nothing. The scalars are x, then the bounds that are present.
Value clip(qc::ClipOp op, OpBuilder &b, Location loc, ValueRange args) {
  bool unsignedInts = isUnsigned(op);
  Value v = args[0];
  size_t next = 1;
  if (op.getMin())
    v = maxOrMin(b, loc, v, args[next++], /*isMax=*/true, unsignedInts);
  if (op.getMax())
    v = maxOrMin(b, loc, v, args[next++], /*isMax=*/false, unsignedInts);
  return v;
}

Value i32Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(value));
}

/// ONNX's cast of a float32 to float8e8m0 (onnx.numpy_helper.to_float8e8m0):
/// the f32 exponent, the sign dropped, rounded by `mode` ("up": any fraction
/// rounds up; "nearest": the f32 guard bit decides, with ONNX's tie rule;
/// "down": truncated). NaN and inf are 0xFF (NaN); a round-up past the
/// largest exponent stays there with `saturate`, else becomes NaN.
Value f32ToE8M0(OpBuilder &b, Location loc, Value x, bool saturate,
                StringRef mode) {
  using arith::CmpIPredicate;
  auto nonzero = [&](Value bits, int64_t mask) {
    Value masked =
        arith::AndIOp::create(b, loc, bits, i32Constant(b, loc, mask));
    return arith::CmpIOp::create(b, loc, CmpIPredicate::ne, masked,
                                 i32Constant(b, loc, 0));
  };
  Value bits = arith::BitcastOp::create(b, loc, b.getI32Type(), x);
  Value exponent = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, i32Constant(b, loc, 23)),
      i32Constant(b, loc, 0xFF));
  Value special = arith::CmpIOp::create(b, loc, CmpIPredicate::eq, exponent,
                                        i32Constant(b, loc, 0xFF));
  Value roundUp = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
  if (mode == "up") {
    roundUp = nonzero(bits, 0x7FFFFF);
  } else if (mode == "nearest") {
    Value lsb = arith::CmpIOp::create(b, loc, CmpIPredicate::ugt, exponent,
                                      i32Constant(b, loc, 0));
    Value rest = arith::OrIOp::create(
        b, loc,
        arith::OrIOp::create(b, loc, nonzero(bits, 0x200000),
                             nonzero(bits, 0x1FFFFF)),
        lsb);
    roundUp = arith::AndIOp::create(b, loc, nonzero(bits, 0x400000), rest);
  }
  Value notSpecial = arith::XOrIOp::create(
      b, loc, special, arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
  roundUp = arith::AndIOp::create(b, loc, roundUp, notSpecial);
  if (saturate) {
    Value atMax = arith::CmpIOp::create(b, loc, CmpIPredicate::eq, exponent,
                                        i32Constant(b, loc, 0xFE));
    roundUp = arith::SelectOp::create(
        b, loc, atMax, arith::ConstantOp::create(b, loc, b.getBoolAttr(false)),
        roundUp);
  }
  Value rounded = arith::AddIOp::create(
      b, loc, exponent,
      arith::ExtUIOp::create(b, loc, b.getI32Type(), roundUp));
  Value code = arith::SelectOp::create(b, loc, special,
                                       i32Constant(b, loc, 0xFF), rounded);
  return arith::BitcastOp::create(
      b, loc, b.getType<Float8E8M0FNUType>(),
      arith::TruncIOp::create(b, loc, b.getI8Type(), code));
}

/// float8e8m0 to float32: 2^(e - 127), exactly (e = 0 is the f32 subnormal
/// 2^-127); 0xFF is NaN.
Value e8m0ToF32(OpBuilder &b, Location loc, Value x) {
  using arith::CmpIPredicate;
  Value e = arith::ExtUIOp::create(
      b, loc, b.getI32Type(),
      arith::BitcastOp::create(b, loc, b.getI8Type(), x));
  Value bits = arith::ShLIOp::create(b, loc, e, i32Constant(b, loc, 23));
  bits =
      arith::SelectOp::create(b, loc,
                              arith::CmpIOp::create(b, loc, CmpIPredicate::eq,
                                                    e, i32Constant(b, loc, 0)),
                              i32Constant(b, loc, 0x400000), bits);
  bits = arith::SelectOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, CmpIPredicate::eq, e,
                            i32Constant(b, loc, 0xFF)),
      i32Constant(b, loc, 0x7FC00000), bits);
  return arith::BitcastOp::create(b, loc, b.getF32Type(), bits);
}

/// Cast: from the input's element type to the result's, with ONNX's
/// `saturate` (float8 targets) and `round_mode` (float8e8m0).
template <typename CastOrCastLike>
Value castTo(CastOrCastLike op, OpBuilder &b, Location loc, ValueRange args) {
  Type from = getElementTypeOrSelf(op->getOperand(0).getType());
  Type to = getElementTypeOrSelf(op->getResult(0).getType());
  Type f32 = b.getF32Type();
  Value x = args[0];
  if (isa<Float8E8M0FNUType>(from)) {
    if (isa<Float8E8M0FNUType>(to))
      return x;
    return convertScalar(b, loc, e8m0ToF32(b, loc, x), f32, to);
  }
  if (isa<Float8E8M0FNUType>(to))
    return f32ToE8M0(b, loc, convertScalar(b, loc, x, from, f32),
                     op.getSaturate() != 0, op.getRoundMode());
  // Saturating float8 casts clamp to the largest finite value first (+-inf
  // too, NaN stays NaN); the cast itself then never overflows.
  if (op.getSaturate() != 0 && from != to &&
      isa<Float8E4M3FNType, Float8E4M3FNUZType, Float8E5M2Type,
          Float8E5M2FNUZType>(to))
    return saturatingFloat8Cast(b, loc, convertScalar(b, loc, x, from, f32),
                                to);
  return convertScalar(b, loc, x, from, to);
}

struct CastLikeLowering : OpConversionPattern<qc::CastLikeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(qc::CastLikeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    // Only the input is read: the target tensor gives a type, not values.
    auto type = dyn_cast_if_present<RankedTensorType>(
        getTypeConverter()->convertType(op.getType()));
    if (!type)
      return failure();
    Value result =
        buildElementwise(rewriter, op.getLoc(), type, adaptor.getInput(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return castTo<qc::CastLikeOp>(op, b, loc, args);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// Dropout normally folds away (DropoutOp::fold); this covers IR that was
/// not canonicalized. Shape inference has refused every other mode.
struct DropoutLowering : OpRewritePattern<qc::DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::DropoutOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.whyNotInferenceNoOp().empty())
      return rewriter.notifyMatchFailure(op, "training mode");
    auto maskType = cast<RankedTensorType>(op.getMask().getType());
    Value mask = filledTensor(
        rewriter, op.getLoc(), maskType,
        arith::ConstantOp::create(rewriter, op.getLoc(), rewriter.getBoolAttr(true)));
    rewriter.replaceOp(op, {op.getData(), mask});
    return success();
  }
};

struct IdentityLowering : OpRewritePattern<qc::IdentityOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::IdentityOp op,
                                PatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.getInput());
    return success();
  }
};

using arith::CmpFPredicate;
using arith::CmpIPredicate;

} // namespace

Value quantc::convertScalar(OpBuilder &b, Location loc, Value x, Type to) {
  return convertScalar(b, loc, x, x.getType(), to);
}

Value quantc::convertScalar(OpBuilder &b, Location loc, Value x, Type from,
                            Type to) {
  bool fromUnsigned = from.isUnsignedInteger();
  bool toUnsigned = to.isUnsignedInteger();
  // From here on both are signless: the same bits (ui8 to i8 is a no-op).
  from = x.getType();
  if (toUnsigned)
    to = IntegerType::get(to.getContext(), to.getIntOrFloatBitWidth());
  if (from == to)
    return x;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  // bfloat16, float8 and float4 convert to and from everything else through
  // float32 (exact for f16 and the integers quantc has; f64 rounds twice).
  Type f32 = b.getF32Type();
  auto isStorageFloat = [](Type t) {
    return isa<FloatType>(t) && !t.isF16() && !t.isF32() && !t.isF64();
  };
  if ((isStorageFloat(from) || isStorageFloat(to)) && from != f32 &&
      to != f32) {
    auto withSign = [](Type t, bool isUnsigned) -> Type {
      if (!isUnsigned)
        return t;
      return IntegerType::get(t.getContext(), t.getIntOrFloatBitWidth(),
                              IntegerType::Unsigned);
    };
    Value wide = convertScalar(b, loc, x, withSign(from, fromUnsigned), f32);
    return convertScalar(b, loc, wide, f32, withSign(to, toUnsigned));
  }
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (fromFloat) // unordered: NaN is true
      return arith::CmpFOp::create(b, loc, CmpFPredicate::UNE, x, zero);
    return arith::CmpIOp::create(b, loc, CmpIPredicate::ne, x, zero);
  }
  if (from.isInteger(1))
    return toFloat ? Value(arith::UIToFPOp::create(b, loc, to, x))
                   : Value(arith::ExtUIOp::create(b, loc, to, x));
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromFloat && toFloat)
    return fromWidth < toWidth ? Value(arith::ExtFOp::create(b, loc, to, x))
                               : Value(arith::TruncFOp::create(b, loc, to, x));
  if (fromFloat && toUnsigned) {
    // fptoui is poison below 0: as numpy on x86, a negative value converts
    // through int64 and wraps. uint64 takes fptoui from 2^63 on.
    Type i64 = b.getI64Type();
    Value wide = arith::FPToSIOp::create(b, loc, i64, x);
    if (toWidth < 64)
      return arith::TruncIOp::create(b, loc, to, wide);
    Value negative = arith::CmpFOp::create(b, loc, CmpFPredicate::OLT, x,
                                           scalarConstant(b, loc, from, 0));
    return arith::SelectOp::create(b, loc, negative, wide,
                                   arith::FPToUIOp::create(b, loc, to, x));
  }
  if (fromFloat && toWidth < 8) {
    // int4/int2: as ml_dtypes, truncate toward zero and wrap (fptosi to i4
    // would be poison out of range).
    Value wide = arith::FPToSIOp::create(b, loc, b.getI64Type(), x);
    return arith::TruncIOp::create(b, loc, to, wide);
  }
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, x);
  if (toFloat)
    return fromUnsigned ? Value(arith::UIToFPOp::create(b, loc, to, x))
                        : Value(arith::SIToFPOp::create(b, loc, to, x));
  if (fromWidth < toWidth)
    return fromUnsigned ? Value(arith::ExtUIOp::create(b, loc, to, x))
                        : Value(arith::ExtSIOp::create(b, loc, to, x));
  return arith::TruncIOp::create(b, loc, to, x);
}

void quantc::populateElementwisePatterns(RewritePatternSet &patterns,
                                         const TypeConverter &converter) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      ElementwiseLowering<qc::AddOp, arithBinary<arith::AddFOp, arith::AddIOp>>,
      ElementwiseLowering<qc::SubOp, arithBinary<arith::SubFOp, arith::SubIOp>>,
      ElementwiseLowering<qc::MulOp, arithBinary<arith::MulFOp, arith::MulIOp>>,
      ElementwiseLowering<qc::DivOp, divide>,
      ElementwiseLowering<qc::ModOp, mod>,
      ElementwiseLowering<qc::PowOp, power>,
      ElementwiseLowering<qc::MaxOp, foldAll<arith::MaximumFOp, arith::MaxSIOp,
                                             arith::MaxUIOp>>,
      ElementwiseLowering<qc::MinOp, foldAll<arith::MinimumFOp, arith::MinSIOp,
                                             arith::MinUIOp>>,
      ElementwiseLowering<qc::SumOp, foldAll<arith::AddFOp, arith::AddIOp>>,
      ElementwiseLowering<qc::MeanOp, mean>,
      ElementwiseLowering<qc::PReluOp, prelu>,
      ElementwiseLowering<qc::ReluOp, relu>,
      ElementwiseLowering<qc::ClipOp, clip>,
      ElementwiseLowering<qc::EqualOp,
                          compare<CmpFPredicate::OEQ, CmpIPredicate::eq>>,
      ElementwiseLowering<qc::LessOp,
                          compare<CmpFPredicate::OLT, CmpIPredicate::slt>>,
      ElementwiseLowering<qc::LessOrEqualOp,
                          compare<CmpFPredicate::OLE, CmpIPredicate::sle>>,
      ElementwiseLowering<qc::GreaterOp,
                          compare<CmpFPredicate::OGT, CmpIPredicate::sgt>>,
      ElementwiseLowering<qc::GreaterOrEqualOp,
                          compare<CmpFPredicate::OGE, CmpIPredicate::sge>>,
      ElementwiseLowering<qc::AndOp, intBinary<arith::AndIOp>>,
      ElementwiseLowering<qc::OrOp, intBinary<arith::OrIOp>>,
      ElementwiseLowering<qc::XorOp, intBinary<arith::XOrIOp>>,
      ElementwiseLowering<qc::BitwiseAndOp, intBinary<arith::AndIOp>>,
      ElementwiseLowering<qc::BitwiseOrOp, intBinary<arith::OrIOp>>,
      ElementwiseLowering<qc::BitwiseXorOp, intBinary<arith::XOrIOp>>,
      ElementwiseLowering<qc::BitShiftOp, bitShift>,
      ElementwiseLowering<qc::NotOp, bitwiseNot>,
      ElementwiseLowering<qc::BitwiseNotOp, bitwiseNot>,
      ElementwiseLowering<qc::WhereOp, where>,
      ElementwiseLowering<qc::CastOp, castTo<qc::CastOp>>, CastLikeLowering>(
      converter, ctx);
  patterns.add<DropoutLowering, IdentityLowering>(ctx);
}

Value quantc::saturatingFloat8Cast(OpBuilder &b, Location loc, Value wide,
                                   Type to) {
  Type f32 = b.getF32Type();
  APFloat largest =
      APFloat::getLargest(cast<FloatType>(to).getFloatSemantics());
  bool lossy;
  largest.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lossy);
  Value hi = arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(largest.convertToFloat()));
  Value lo = arith::ConstantOp::create(
      b, loc, b.getF32FloatAttr(-largest.convertToFloat()));
  wide = arith::MinimumFOp::create(b, loc, wide, hi);
  wide = arith::MaximumFOp::create(b, loc, wide, lo);
  return convertScalar(b, loc, wide, f32, to);
}
