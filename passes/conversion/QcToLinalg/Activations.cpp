//===- Activations.cpp - qc unary math and activations to linalg ----------===//
//
// Each op is one linalg.generic (ElementwiseLowering) whose scalar body is
// given here: a math dialect op, or the ONNX formula in arith/math. Attribute
// values (f32 in ONNX) are materialized in the input's float type.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/conversion/QcToLinalg/LoweringUtils.h"
#include "passes/conversion/QcToLinalg/SignlessTypes.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;
using namespace quantc;

namespace {

using arith::CmpFPredicate;

bool isFloat(Value v) { return isa<FloatType>(v.getType()); }

/// Small builder of scalar float arithmetic, to keep the formulas readable.
struct Scalar {
  OpBuilder &b;
  Location loc;
  Type type;

  Value c(double v) const { return scalarConstant(b, loc, type, v); }
  Value add(Value x, Value y) const { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) const { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) const { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) const { return arith::DivFOp::create(b, loc, x, y); }
  Value max(Value x, Value y) const { return arith::MaximumFOp::create(b, loc, x, y); }
  Value min(Value x, Value y) const { return arith::MinimumFOp::create(b, loc, x, y); }
  Value cmp(CmpFPredicate p, Value x, Value y) const {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value select(Value cond, Value x, Value y) const {
    return arith::SelectOp::create(b, loc, cond, x, y);
  }
  template <typename MathOp> Value math(Value x) const {
    return MathOp::create(b, loc, x);
  }
  Value sigmoid(Value x) const {
    // 1 / (1 + exp(-x)): exp overflows to inf for very negative x, giving 0.
    return div(c(1), add(c(1), math<math::ExpOp>(arith::NegFOp::create(b, loc, x))));
  }
  Value softplus(Value x) const {
    // log(1 + exp(x)) without overflow: max(x, 0) + log1p(exp(-|x|)).
    Value negAbs = arith::NegFOp::create(b, loc, math<math::AbsFOp>(x));
    return add(max(x, c(0)), math<math::Log1pOp>(math<math::ExpOp>(negAbs)));
  }
};

Scalar scalar(OpBuilder &b, Location loc, Value x) {
  return Scalar{b, loc, x.getType()};
}

template <typename MathOp>
Value mathUnary(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

Value absolute(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return math::AbsFOp::create(b, loc, args[0]);
  if (isUnsignedElement(op->getOperand(0).getType()))
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}

Value neg(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return arith::NegFOp::create(b, loc, args[0]);
  return arith::SubIOp::create(
      b, loc, scalarConstant(b, loc, args[0].getType(), 0), args[0]);
}

/// Sign: -1, 0 or 1; NaN stays NaN (the comparisons are ordered). Unsigned
/// integers are never negative.
Value sign(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Value zero = scalarConstant(b, loc, x.getType(), 0);
  Value one = scalarConstant(b, loc, x.getType(), 1);
  if (isUnsignedElement(op->getOperand(0).getType()))
    return arith::SelectOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, x, zero), one,
        zero);
  Value minusOne = scalarConstant(b, loc, x.getType(), -1);
  Value pos, negative;
  if (isFloat(x)) {
    pos = arith::CmpFOp::create(b, loc, CmpFPredicate::OGT, x, zero);
    negative = arith::CmpFOp::create(b, loc, CmpFPredicate::OLT, x, zero);
  } else {
    pos = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, x, zero);
    negative = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, x, zero);
  }
  return arith::SelectOp::create(
      b, loc, pos, one, arith::SelectOp::create(b, loc, negative, minusOne, x));
}

Value reciprocal(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  return s.div(s.c(1), args[0]);
}

Value sigmoid(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return scalar(b, loc, args[0]).sigmoid(args[0]);
}

Value softplus(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return scalar(b, loc, args[0]).softplus(args[0]);
}

Value softsign(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  return s.div(args[0], s.add(s.c(1), s.math<math::AbsFOp>(args[0])));
}

Value hardSwish(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  Value gate = s.max(s.c(0), s.min(s.c(1), s.add(s.mul(s.c(1.0 / 6), x), s.c(0.5))));
  return s.mul(x, gate);
}

Value mish(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  return s.mul(args[0], s.math<math::TanhOp>(s.softplus(args[0])));
}

Value isNaN(Operation *, OpBuilder &b, Location loc, ValueRange args) {
  return arith::CmpFOp::create(b, loc, CmpFPredicate::UNO, args[0], args[0]);
}

Value isInf(qc::IsInfOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value result = arith::ConstantOp::create(b, loc, b.getBoolAttr(false));
  if (op.getDetectPositive())
    result = arith::OrIOp::create(
        b, loc, result, s.cmp(CmpFPredicate::OEQ, args[0], s.c(INFINITY)));
  if (op.getDetectNegative())
    result = arith::OrIOp::create(
        b, loc, result, s.cmp(CmpFPredicate::OEQ, args[0], s.c(-INFINITY)));
  return result;
}

Value leakyRelu(qc::LeakyReluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  return s.select(s.cmp(CmpFPredicate::OLT, x, s.c(0)),
                  s.mul(s.c(op.getAlpha().convertToDouble()), x), x);
}

/// Elu: x < 0 ? alpha * (exp(x) - 1) : x.
Value elu(qc::EluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  Value negative = s.mul(s.c(op.getAlpha().convertToDouble()),
                         s.math<math::ExpM1Op>(x));
  return s.select(s.cmp(CmpFPredicate::OLT, x, s.c(0)), negative, x);
}

/// Selu: gamma * (x <= 0 ? alpha * exp(x) - alpha : x).
Value selu(qc::SeluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  Value alpha = s.c(op.getAlpha().convertToDouble());
  Value negative = s.sub(s.mul(alpha, s.math<math::ExpOp>(x)), alpha);
  Value y = s.select(s.cmp(CmpFPredicate::OLE, x, s.c(0)), negative, x);
  return s.mul(s.c(op.getGamma().convertToDouble()), y);
}

/// Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
Value celu(qc::CeluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  Value alpha = s.c(op.getAlpha().convertToDouble());
  Value e = s.mul(alpha, s.math<math::ExpM1Op>(s.div(x, alpha)));
  return s.add(s.max(s.c(0), x), s.min(s.c(0), e));
}

/// HardSigmoid: max(0, min(1, alpha * x + beta)).
Value hardSigmoid(qc::HardSigmoidOp op, OpBuilder &b, Location loc,
                  ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value y = s.add(s.mul(s.c(op.getAlpha().convertToDouble()), args[0]),
                  s.c(op.getBeta().convertToDouble()));
  return s.max(s.c(0), s.min(s.c(1), y));
}

Value thresholdedRelu(qc::ThresholdedReluOp op, OpBuilder &b, Location loc,
                      ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  return s.select(
      s.cmp(CmpFPredicate::OGT, x, s.c(op.getAlpha().convertToDouble())), x,
      s.c(0));
}

/// Shrink: x < -lambd ? x + bias : x > lambd ? x - bias : 0.
Value shrink(qc::ShrinkOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  double lambd = op.getLambd().convertToDouble();
  Value bias = s.c(op.getBias().convertToDouble());
  Value above = s.select(s.cmp(CmpFPredicate::OGT, x, s.c(lambd)), s.sub(x, bias),
                         s.c(0));
  return s.select(s.cmp(CmpFPredicate::OLT, x, s.c(-lambd)), s.add(x, bias),
                  above);
}

/// Swish: x * sigmoid(alpha * x).
Value swish(qc::SwishOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  return s.mul(x, s.sigmoid(s.mul(s.c(op.getAlpha().convertToDouble()), x)));
}

/// Gelu: 0.5 * x * (1 + erf(x / sqrt(2))), or with approximate=tanh
/// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
Value gelu(qc::GeluOp op, OpBuilder &b, Location loc, ValueRange args) {
  Scalar s = scalar(b, loc, args[0]);
  Value x = args[0];
  Value inner;
  if (op.getApproximate() == "tanh") {
    Value cube = s.mul(x, s.mul(x, x));
    Value arg = s.mul(s.c(std::sqrt(2.0 / M_PI)),
                      s.add(x, s.mul(s.c(0.044715), cube)));
    inner = s.math<math::TanhOp>(arg);
  } else {
    inner = s.math<math::ErfOp>(s.mul(x, s.c(M_SQRT1_2)));
  }
  return s.mul(s.mul(s.c(0.5), x), s.add(s.c(1), inner));
}

} // namespace

void quantc::populateActivationPatterns(RewritePatternSet &patterns,
                                        const TypeConverter &converter) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<
      ElementwiseLowering<qc::AbsOp, absolute>, ElementwiseLowering<qc::NegOp, neg>,
      ElementwiseLowering<qc::SignOp, sign>,
      ElementwiseLowering<qc::FloorOp, mathUnary<math::FloorOp>>,
      ElementwiseLowering<qc::CeilOp, mathUnary<math::CeilOp>>,
      ElementwiseLowering<qc::RoundOp, mathUnary<math::RoundEvenOp>>,
      ElementwiseLowering<qc::ReciprocalOp, reciprocal>,
      ElementwiseLowering<qc::LogOp, mathUnary<math::LogOp>>,
      ElementwiseLowering<qc::ExpOp, mathUnary<math::ExpOp>>,
      ElementwiseLowering<qc::SqrtOp, mathUnary<math::SqrtOp>>,
      ElementwiseLowering<qc::SinOp, mathUnary<math::SinOp>>,
      ElementwiseLowering<qc::CosOp, mathUnary<math::CosOp>>,
      ElementwiseLowering<qc::TanOp, mathUnary<math::TanOp>>,
      ElementwiseLowering<qc::AsinOp, mathUnary<math::AsinOp>>,
      ElementwiseLowering<qc::AcosOp, mathUnary<math::AcosOp>>,
      ElementwiseLowering<qc::AtanOp, mathUnary<math::AtanOp>>,
      ElementwiseLowering<qc::SinhOp, mathUnary<math::SinhOp>>,
      ElementwiseLowering<qc::CoshOp, mathUnary<math::CoshOp>>,
      ElementwiseLowering<qc::TanhOp, mathUnary<math::TanhOp>>,
      ElementwiseLowering<qc::AsinhOp, mathUnary<math::AsinhOp>>,
      ElementwiseLowering<qc::AcoshOp, mathUnary<math::AcoshOp>>,
      ElementwiseLowering<qc::AtanhOp, mathUnary<math::AtanhOp>>,
      ElementwiseLowering<qc::ErfOp, mathUnary<math::ErfOp>>,
      ElementwiseLowering<qc::SigmoidOp, sigmoid>,
      ElementwiseLowering<qc::SoftplusOp, softplus>,
      ElementwiseLowering<qc::SoftsignOp, softsign>,
      ElementwiseLowering<qc::HardSwishOp, hardSwish>,
      ElementwiseLowering<qc::MishOp, mish>,
      ElementwiseLowering<qc::IsNaNOp, isNaN>,
      ElementwiseLowering<qc::IsInfOp, isInf>,
      ElementwiseLowering<qc::LeakyReluOp, leakyRelu>,
      ElementwiseLowering<qc::EluOp, elu>, ElementwiseLowering<qc::SeluOp, selu>,
      ElementwiseLowering<qc::CeluOp, celu>,
      ElementwiseLowering<qc::HardSigmoidOp, hardSigmoid>,
      ElementwiseLowering<qc::ThresholdedReluOp, thresholdedRelu>,
      ElementwiseLowering<qc::ShrinkOp, shrink>,
      ElementwiseLowering<qc::SwishOp, swish>,
      ElementwiseLowering<qc::GeluOp, gelu>>(converter, ctx);
}
