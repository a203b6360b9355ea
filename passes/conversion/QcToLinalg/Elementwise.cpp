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
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"

#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace quantc;

namespace {

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

Value constantLike(OpBuilder &b, Location loc, Value like, double value) {
  return scalarConstant(b, loc, like.getType(), value);
}

/// The float op for float operands, the integer op otherwise.
template <typename FloatOp, typename IntOp>
Value arithBinary(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return FloatOp::create(b, loc, args[0], args[1]);
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

/// Ordered float comparisons (false on NaN, as numpy), signed integer ones.
template <arith::CmpFPredicate FPred, arith::CmpIPredicate IPred>
Value compare(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return arith::CmpFOp::create(b, loc, FPred, args[0], args[1]);
  return arith::CmpIOp::create(b, loc, IPred, args[0], args[1]);
}

/// Left fold of a variadic op's operands with `Combine`.
template <typename FloatOp, typename IntOp>
Value foldAll(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value acc = args[0];
  for (Value v : args.drop_front())
    acc = arithBinary<FloatOp, IntOp>(op, b, loc, {acc, v});
  return acc;
}

Value mean(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value sum = foldAll<arith::AddFOp, arith::AddIOp>(op, b, loc, args);
  if (args.size() == 1)
    return sum;
  return arith::DivFOp::create(b, loc, sum,
                               constantLike(b, loc, sum, args.size()));
}

/// The divisor with 0 and -1 replaced by 1, so that the division cannot trap.
Value safeDivisor(OpBuilder &b, Location loc, Value d) {
  Value zero = constantLike(b, loc, d, 0), minusOne = constantLike(b, loc, d, -1);
  Value bad = arith::OrIOp::create(
      b, loc, arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, d, minusOne));
  return arith::SelectOp::create(b, loc, bad, constantLike(b, loc, d, 1), d);
}

/// ONNX integer Div truncates toward zero.
Value divide(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], d = args[1];
  if (isFloat(x))
    return arith::DivFOp::create(b, loc, x, d);
  Value zero = constantLike(b, loc, d, 0);
  Value q = arith::DivSIOp::create(b, loc, x, safeDivisor(b, loc, d));
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
/// divisor's moves by one divisor, and a zero takes the divisor's sign.
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
  Value zero = constantLike(b, loc, x, 0);
  Value r = arith::RemSIOp::create(b, loc, x, safeDivisor(b, loc, d));
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
/// the integer part of 1 / x**|e|: 1 or -1 for x = 1 or -1, else 0.
Value integerPower(OpBuilder &b, Location loc, Value x, Value e) {
  auto eType = cast<IntegerType>(e.getType());
  Value one = constantLike(b, loc, x, 1), result = one, base = x;
  Value eOne = constantLike(b, loc, e, 1);
  for (unsigned i = 0; i + 1 < eType.getWidth(); ++i) {
    Value shifted =
        arith::ShRUIOp::create(b, loc, e, constantLike(b, loc, e, i));
    Value bit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                      arith::AndIOp::create(b, loc, shifted, eOne),
                                      constantLike(b, loc, e, 0));
    result = arith::SelectOp::create(
        b, loc, bit, arith::MulIOp::create(b, loc, result, base), result);
    base = arith::MulIOp::create(b, loc, base, base);
  }
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
Value power(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], e = args[1];
  Type resultType = x.getType();
  if (!isFloat(x) && !isFloat(e))
    return integerPower(b, loc, x, e);
  Type computeType = b.getF64Type();
  if (isFloat(x)) {
    computeType = x.getType();
    if (isFloat(e) && e.getType().getIntOrFloatBitWidth() >
                          x.getType().getIntOrFloatBitWidth())
      computeType = e.getType();
  }
  Value p = math::PowFOp::create(b, loc, convertScalar(b, loc, x, computeType),
                                 convertScalar(b, loc, e, computeType));
  return convertScalar(b, loc, p, resultType);
}

/// PRelu: x < 0 ? slope * x : x.
Value prelu(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], slope = args[1];
  Value zero = constantLike(b, loc, x, 0);
  Value negative = compare<arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt>(
      nullptr, b, loc, {x, zero});
  Value scaled = arithBinary<arith::MulFOp, arith::MulIOp>(nullptr, b, loc,
                                                           {slope, x});
  return arith::SelectOp::create(b, loc, negative, scaled, x);
}

/// BitShift: an amount outside [0, width) (one unsigned compare) shifts
/// by 0 instead, which LLVM would make poison, and the result is the sign
/// fill alone: x >> (width - 1) for RIGHT, 0 for LEFT.
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
  Value v = args[0];
  size_t next = 1;
  if (op.getMin())
    v = isFloat(v) ? (Value)arith::MaximumFOp::create(b, loc, v, args[next++])
                   : (Value)arith::MaxSIOp::create(b, loc, v, args[next++]);
  if (op.getMax())
    v = isFloat(v) ? (Value)arith::MinimumFOp::create(b, loc, v, args[next++])
                   : (Value)arith::MinSIOp::create(b, loc, v, args[next++]);
  return v;
}

/// Cast and CastLike: to the result's element type (CastLike's second operand
/// only gives that type; its scalar is not used).
Value castTo(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Type to = cast<ShapedType>(op->getResult(0).getType()).getElementType();
  return convertScalar(b, loc, args[0], to);
}

struct CastLikeLowering : OpRewritePattern<qc::CastLikeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(qc::CastLikeOp op,
                                PatternRewriter &rewriter) const override {
    // Only the input is read: the target tensor gives a type, not values.
    auto type = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), type, op.getInput(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return convertScalar(b, loc, args[0], type.getElementType());
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
  Type from = x.getType();
  if (from == to)
    return x;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
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
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, x);
  if (toFloat)
    return arith::SIToFPOp::create(b, loc, to, x);
  return fromWidth < toWidth ? Value(arith::ExtSIOp::create(b, loc, to, x))
                             : Value(arith::TruncIOp::create(b, loc, to, x));
}

void quantc::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      ElementwiseLowering<qc::AddOp, arithBinary<arith::AddFOp, arith::AddIOp>>,
      ElementwiseLowering<qc::SubOp, arithBinary<arith::SubFOp, arith::SubIOp>>,
      ElementwiseLowering<qc::MulOp, arithBinary<arith::MulFOp, arith::MulIOp>>,
      ElementwiseLowering<qc::DivOp, divide>,
      ElementwiseLowering<qc::ModOp, mod>,
      ElementwiseLowering<qc::PowOp, power>,
      ElementwiseLowering<qc::MaxOp, foldAll<arith::MaximumFOp, arith::MaxSIOp>>,
      ElementwiseLowering<qc::MinOp, foldAll<arith::MinimumFOp, arith::MinSIOp>>,
      ElementwiseLowering<qc::SumOp, foldAll<arith::AddFOp, arith::AddIOp>>,
      ElementwiseLowering<qc::MeanOp, mean>,
      ElementwiseLowering<qc::PReluOp, prelu>,
      ElementwiseLowering<qc::ReluOp, relu>,
      ElementwiseLowering<qc::ClipOp, clip>,
      ElementwiseLowering<qc::EqualOp, compare<CmpFPredicate::OEQ, CmpIPredicate::eq>>,
      ElementwiseLowering<qc::LessOp, compare<CmpFPredicate::OLT, CmpIPredicate::slt>>,
      ElementwiseLowering<qc::LessOrEqualOp, compare<CmpFPredicate::OLE, CmpIPredicate::sle>>,
      ElementwiseLowering<qc::GreaterOp, compare<CmpFPredicate::OGT, CmpIPredicate::sgt>>,
      ElementwiseLowering<qc::GreaterOrEqualOp, compare<CmpFPredicate::OGE, CmpIPredicate::sge>>,
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
      ElementwiseLowering<qc::CastOp, castTo>, CastLikeLowering,
      DropoutLowering,
      IdentityLowering>(ctx);
}
