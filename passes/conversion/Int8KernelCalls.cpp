//===- Int8KernelCalls.cpp - int8 contractions to the int8 GEMM -----------===//
//
// Part of qc-linalg-to-cpu-kernels. The quantized 2-D contraction that
// qc-lower-to-linalg builds for MatMulInteger and QLinearMatMul,
//
//   linalg.generic ins(A: i8 [M, K], B: i8 [K, N], [za], [zb]) outs(C: i32)
//     acc + (ext(a) - ext(za)) * (ext(b) - ext(zb))
//
// with each ext an extui (uint8) or extsi (int8) and each zero point one
// value or one per row of A / column of B, becomes one call of the int8
// GEMM (runtime/src/kernels/Int8Gemm.cpp), which reads the signedness from
// two flags and the zero points as 1-D memrefs (empty when absent), and
// writes C rather than adding to it when C was only zeroed before. When C
// was only zeroed and the next op is a dequantization that reads nothing
// else of C (float(c) times a row's scale, times a column's, plus a bias
// per row or column, plus a residual, clamped: int8-dynamic's MatMuls),
// that op becomes the GEMM's epilogue and C is never stored. The same
// contraction with leading batch loops (a batched MatMulInteger: both
// operands activations) becomes scf.for loops over the batches around one
// such call each, on that batch's views, its epilogue's per-batch scales
// sliced the same way.
//
// The windowed form qc-lower-to-linalg builds for ConvInteger and
// QLinearConv (one group, 2-D),
//
//   linalg.generic over (n, f, oh, ow, c, kh, kw)
//     ins(x[n, c, oh * sh + kh * dh, ow * sw + kw * dw], w[f, c, kh, kw],
//         [zx], [zw[f]]) outs(y[n, f, oh, ow] i32)
//     acc + (ext(x) - ext(zx)) * (ext(w) - ext(zw))
//
// becomes one call of the int8 convolution (an implicit GEMM per image,
// runtime/src/kernels/KernelEntries.cpp). When y was only filled with zeros
// or with a broadcast int32 bias before it, that fill is dropped and the
// kernel writes y from the bias itself. When, besides, the next op is the
// dequantization static int8 puts after a convolution (a generic reading
// y: sitofp, times a scale, plus a bias, plus perhaps a float residual as
// ResNet's blocks add, clamps), that op is fused into the call as its
// epilogue, and the int32 y is never stored: with QuantizeLinear's steps
// in the same generic (divide, round, add the zero point, saturate,
// convert to a byte) the kernel writes the bytes; else it writes the
// floats, and the bytes too when the next generic quantizes all of them
// (ResNet's sum, kept in float for the next residual and quantized for
// the next convolution).
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/CpuKernelCalls.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace quantc::cpu_kernels {
namespace {

bool isMemRefOf(Value v, int64_t rank, unsigned width) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.getRank() == rank && type.getElementType().isInteger(width);
}

/// One side of the body's product: ext(arg), or ext(arg) minus its zero
/// point, which is ext(zp) for a block argument `zp` (an input) or an i32
/// constant (a constant zero point the canonicalizer moved into the body).
struct WidenedOperand {
  bool isUnsigned = false;
  int zpArg = -1;                  // the zero point's block argument, or -1
  std::optional<int64_t> zpValue; // a constant zero point
};

/// `v` as ext(arg) [- zero point] with `arg` the block argument `argIndex`.
std::optional<WidenedOperand> matchWidened(Value v, Block *body,
                                           unsigned argIndex) {
  auto extOf = [&](Value x, int &arg, bool &unsignedExt) {
    Operation *op = x.getDefiningOp();
    if (!op || !isa<arith::ExtUIOp, arith::ExtSIOp>(op))
      return false;
    auto blockArg = dyn_cast<BlockArgument>(op->getOperand(0));
    if (!blockArg || blockArg.getOwner() != body ||
        !blockArg.getType().isInteger(8))
      return false;
    arg = blockArg.getArgNumber();
    unsignedExt = isa<arith::ExtUIOp>(op);
    return true;
  };
  WidenedOperand w;
  int arg;
  if (auto sub = v.getDefiningOp<arith::SubIOp>()) {
    if (!extOf(sub.getLhs(), arg, w.isUnsigned))
      return std::nullopt;
    bool zpUnsigned;
    if (auto constant = sub.getRhs().getDefiningOp<arith::ConstantIntOp>()) {
      int64_t zp = constant.value();
      // The value must be one the operand's own type can hold.
      if (w.isUnsigned ? zp < 0 || zp > 255 : zp < -128 || zp > 127)
        return std::nullopt;
      w.zpValue = zp;
    } else if (!extOf(sub.getRhs(), w.zpArg, zpUnsigned) ||
               zpUnsigned != w.isUnsigned) {
      return std::nullopt;
    }
  } else if (!extOf(v, arg, w.isUnsigned)) {
    return std::nullopt;
  }
  if (arg != int(argIndex))
    return std::nullopt;
  return w;
}

/// A zero point as the kernel takes it: a 1-D i8 memref (one value of
/// another rank, or a constant, copied into one), or an empty one.
Value zeroPointArgument(OpBuilder &b, Location loc, Value zp,
                        std::optional<int64_t> constant) {
  if (!zp && !constant)
    return emptyKernelArgument(b, loc, b.getI8Type());
  if (zp && cast<MemRefType>(zp.getType()).getRank() == 1)
    return castToAnyStrided(b, loc, zp);
  Value buffer =
      memref::AllocaOp::create(b, loc, MemRefType::get({1}, b.getI8Type()));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value v;
  if (constant) {
    v = arith::ConstantIntOp::create(b, loc, int8_t(uint8_t(*constant)), 8);
  } else {
    SmallVector<Value> indices(cast<MemRefType>(zp.getType()).getRank(), zero);
    v = memref::LoadOp::create(b, loc, zp, indices);
  }
  memref::StoreOp::create(b, loc, v, buffer, zero);
  return castToAnyStrided(b, loc, buffer);
}

/// The zero point of an integer contraction `op` in its input `arg` (-1:
/// none, a null Value): an i8 memref read as one value (every map result a
/// constant), or, when `perIndex` is given, one per index through exactly
/// that map. Failure for anything else.
FailureOr<Value> zeroPointOperand(linalg::GenericOp op, int arg,
                                  AffineMap perIndex) {
  if (arg < 0)
    return Value();
  if (arg < 2 || arg >= int(op.getNumDpsInputs()))
    return failure();
  Value zp = op.getDpsInputs()[arg];
  auto type = dyn_cast<MemRefType>(zp.getType());
  if (!type || !type.getElementType().isInteger(8))
    return failure();
  AffineMap map = op.getIndexingMapsArray()[arg];
  bool one = qc::holdsOneValue(type) &&
             llvm::all_of(map.getResults(), [](AffineExpr e) {
               return isa<AffineConstantExpr>(e);
             });
  bool each =
      perIndex && type.getRank() == perIndex.getNumResults() && map == perIndex;
  if (!one && !each)
    return failure();
  return zp;
}

/// The body acc + x * y, x and y the widened inputs 0 and 1: how each is
/// widened.
std::optional<std::pair<WidenedOperand, WidenedOperand>>
matchIntegerProduct(linalg::GenericOp op) {
  Block *body = op.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
  if (!add)
    return std::nullopt;
  Value acc = body->getArguments().back();
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if ((add.getLhs() != acc && add.getRhs() != acc) || !mul)
    return std::nullopt;
  std::optional<WidenedOperand> x = matchWidened(mul.getLhs(), body, 0);
  std::optional<WidenedOperand> y = matchWidened(mul.getRhs(), body, 1);
  if (!x || !y)
    return std::nullopt;
  return std::make_pair(*x, *y);
}

/// The coefficient of dim `dim` in the linear expression `e` of `numDims`
/// dims.
int64_t coefficient(AffineExpr e, unsigned numDims, unsigned dim) {
  MLIRContext *ctx = e.getContext();
  SmallVector<AffineExpr> values;
  for (unsigned i = 0; i < numDims; ++i)
    values.push_back(getAffineConstantExpr(i == dim ? 1 : 0, ctx));
  auto constant = dyn_cast<AffineConstantExpr>(e.replaceDims(values));
  return constant ? constant.getValue() : 0;
}

/// Whether a memref's layout is static with these strides.
bool hasStrides(Value v, ArrayRef<int64_t> expected) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(cast<MemRefType>(v.getType()).getStridesAndOffset(strides, offset)) &&
         ArrayRef<int64_t>(strides) == expected;
}

/// What a convolution's epilogue (Int8Epilogue) takes over from the ops
/// after it: the generic reading its sums y and, when that generic stores
/// floats that a QuantizeLinear reads next, that second generic too.
struct FusedEpilogue {
  linalg::GenericOp generic, quantize; // quantize: null when not fused
  Value bytes;                         // the 4-D i8 output, or null
  Value floats;                        // the 4-D f32 output, or null
  // The scale and bias: a per-filter f32 memref (its map reads dim 1), a
  // one-value f32 memref or an f32 constant, or none. The residual: a 4-D
  // f32 memref read through the identity, or none.
  Value scale, bias, residual;
  float lo = -INFINITY, hi = INFINITY, outScale = 1, outZero = 0, qMin = 0,
        qMax = 0;
  // Fills of the bytes' buffer (a padded output's border) before the op
  // that writes the bytes.
  SmallVector<linalg::FillOp> fills;

  /// The op the kernel call takes the place of: the last one fused.
  Operation *last() {
    return quantize ? quantize.getOperation() : generic.getOperation();
  }
};

/// A walk along a generic's body from one value through ops that each
/// have one use: the next step.
struct BodyWalk {
  Value v;
  Operation *step;

  explicit BodyWalk(Value start) : v(start), step(onlyUser(start)) {}

  static Operation *onlyUser(Value v) {
    return v.hasOneUse() ? *v.getUsers().begin() : nullptr;
  }
  void advance() {
    v = step->getResult(0);
    step = onlyUser(v);
  }
  /// The step's operand other than v.
  Value other() const {
    return step->getOperand(0) == v ? step->getOperand(1) : step->getOperand(0);
  }
  /// A step `OpTy(v, constant)`: the constant, into `into`.
  template <typename OpTy> bool constantStep(float &into) {
    auto op = dyn_cast_or_null<OpTy>(step);
    if (!op || op->getOperand(0) != v)
      return false;
    std::optional<float> c = f32Constant(op->getOperand(1));
    if (!c)
      return false;
    into = *c;
    advance();
    return true;
  }
};

/// QuantizeLinear's steps from `walk`: v / s, round half to even, + zero
/// point, saturate, convert through int32 to a byte that the body yields.
bool matchQuantizeSteps(BodyWalk &walk, FusedEpilogue &r) {
  if (!walk.constantStep<arith::DivFOp>(r.outScale) ||
      !isa_and_nonnull<math::RoundEvenOp>(walk.step))
    return false;
  walk.advance();
  if (!walk.constantStep<arith::AddFOp>(r.outZero) ||
      !walk.constantStep<arith::MaxNumFOp>(r.qMin) ||
      !walk.constantStep<arith::MinNumFOp>(r.qMax))
    return false;
  // The saturated value is a byte's: int32 is exact, and the last 8 bits
  // are the byte.
  auto toInt = dyn_cast_or_null<arith::FPToSIOp>(walk.step);
  if (!toInt || r.qMin < -128 || r.qMax > 255 || !toInt.getType().isInteger(32))
    return false;
  walk.advance();
  auto trunc = dyn_cast_or_null<arith::TruncIOp>(walk.step);
  if (!trunc || !trunc.getType().isInteger(8))
    return false;
  walk.advance();
  return isa_and_nonnull<linalg::YieldOp>(walk.step);
}

/// Whether `v` is a static 4-D memref whose every filter's pixels are
/// dense, as the epilogue reads and writes floats.
bool densePixels(Value v) {
  auto type = cast<MemRefType>(v.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (type.getRank() != 4 || !type.hasStaticShape() ||
      failed(type.getStridesAndOffset(strides, offset)))
    return false;
  ArrayRef<int64_t> shape = type.getShape();
  return (shape[3] == 1 || strides[3] == 1) &&
         (shape[2] == 1 || strides[2] == shape[3]);
}

/// `v`, a quantizing generic's operand, as the 4-D memref it views with
/// the shape `shape`: `v` itself, read through the identity, or a
/// collapse to 1-D of a dense one (element order kept).
Value fourDimensional(linalg::GenericOp op, OpOperand &operand,
                      ArrayRef<int64_t> shape) {
  Value v = operand.get();
  if (!op.getMatchingIndexingMap(&operand).isIdentity())
    return Value();
  auto type = cast<MemRefType>(v.getType());
  if (type.getRank() == 4)
    return type.getShape() == shape ? v : Value();
  auto collapse = v.getDefiningOp<memref::CollapseShapeOp>();
  if (!collapse || type.getRank() != 1)
    return Value();
  auto source = cast<MemRefType>(collapse.getSrc().getType());
  if (source.getShape() != shape || !source.getLayout().isIdentity())
    return Value();
  return collapse.getSrc();
}

/// The QuantizeLinear generic right after `generic` (fills of its output's
/// buffer between) that reads all of `floats` and writes a byte for each:
/// into `r`.
bool matchFollowingQuantize(linalg::GenericOp generic, FusedEpilogue &r) {
  SmallVector<linalg::FillOp> fills;
  linalg::GenericOp next = nextGenericPastFills(generic, fills);
  if (!next || next.getNumDpsInputs() != 1 || next.getNumDpsInits() != 1 ||
      !next.hasPureBufferSemantics() ||
      next.getNumParallelLoops() != next.getNumLoops())
    return false;
  ArrayRef<int64_t> shape = cast<MemRefType>(r.floats.getType()).getShape();
  Value in = fourDimensional(next, *next.getDpsInputOperand(0), shape);
  Value out = fourDimensional(next, *next.getDpsInitOperand(0), shape);
  if (in != r.floats || !out ||
      !cast<MemRefType>(out.getType()).getElementType().isInteger(8) ||
      llvm::any_of(fills, [&](linalg::FillOp fill) {
        return viewBase(fill.getOutputs()[0]) != viewBase(out);
      }))
    return false;
  BodyWalk walk(next.getBody()->getArgument(0));
  FusedEpilogue candidate = r;
  if (!matchQuantizeSteps(walk, candidate))
    return false;
  r = candidate;
  r.quantize = next;
  r.bytes = out;
  r.fills = fills;
  return true;
}

/// The generic that takes `y`, the convolution `conv`'s output, through
/// the epilogue's steps, if it comes next (only allocations, views and
/// fills of its own output's buffer between, as a padded output has) and
/// nothing else uses y but `init`'s ops (what made the zeros or bias y
/// starts from):
/// float(y) [* scale] [+ bias] [+ residual] [max lo] [min hi], then
/// either QuantizeLinear's steps to a byte, or the float stored (and then,
/// when the next op is a QuantizeLinear of all of it, that too).
std::optional<FusedEpilogue> epilogueAfter(Operation *conv, Value y,
                                           const KernelWrittenInit &init) {
  SmallVector<linalg::FillOp> fills;
  linalg::GenericOp generic = nextGenericPastFills(conv, fills);
  if (!generic || generic.getNumDpsInits() != 1 || generic.getNumLoops() != 4 ||
      generic.getNumParallelLoops() != 4 || !generic.hasPureBufferSemantics() ||
      !generic.getIndexingMapsArray().back().isIdentity())
    return std::nullopt;
  FusedEpilogue r;
  r.generic = generic;
  r.fills = fills;
  Value out = generic.getDpsInits()[0];
  Type outElement = cast<MemRefType>(out.getType()).getElementType();
  if (llvm::any_of(fills, [&](linalg::FillOp fill) {
        return viewBase(fill.getOutputs()[0]) != viewBase(out);
      }))
    return std::nullopt;
  for (Operation *user : y.getUsers())
    if (user != conv && user != generic && !init.owns(user) &&
        !isa<memref::DeallocOp>(user))
      return std::nullopt;
  // y is read once, through the identity.
  Block *body = generic.getBody();
  BlockArgument in;
  for (OpOperand *operand : generic.getDpsInputOperands())
    if (operand->get() == y) {
      if (in || !generic.getMatchingIndexingMap(operand).isIdentity())
        return std::nullopt;
      in = generic.getMatchingBlockArgument(operand);
    }
  if (!in)
    return std::nullopt;
  MLIRContext *ctx = conv->getContext();
  // An input operand's memref, read through the block argument `v`.
  auto inputOf = [&](Value v) -> OpOperand * {
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != body || arg == in ||
        arg.getArgNumber() >= generic.getNumDpsInputs())
      return nullptr;
    return generic.getDpsInputOperand(arg.getArgNumber());
  };
  // A scale or bias operand: a constant, or a block argument reading a
  // one-value or per-filter f32 memref.
  auto perFilter = [&](Value v) -> Value {
    if (f32Constant(v))
      return v;
    OpOperand *operand = inputOf(v);
    if (!operand)
      return Value();
    auto type = dyn_cast<MemRefType>(operand->get().getType());
    AffineMap map = generic.getMatchingIndexingMap(operand);
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
        !type.getLayout().isIdentity())
      return Value();
    int filterDims = 0;
    for (auto [i, e] : llvm::enumerate(map.getResults())) {
      if (e == getAffineDimExpr(1, ctx))
        ++filterDims;
      else if (!isa<AffineConstantExpr>(e) || type.getDimSize(i) != 1)
        return Value();
    }
    return filterDims <= 1 ? operand->get() : Value();
  };
  // The residual: an f32 input of the output's shape read through the
  // identity, each filter's pixels dense (or the output itself).
  auto residual = [&](Value v) -> Value {
    if (v == body->getArguments().back())
      return outElement.isF32() && densePixels(out) ? out : Value();
    OpOperand *operand = inputOf(v);
    if (!operand || !generic.getMatchingIndexingMap(operand).isIdentity())
      return Value();
    Value r = operand->get();
    auto type = cast<MemRefType>(r.getType());
    return type.getElementType().isF32() &&
                   type.getShape() ==
                       cast<MemRefType>(out.getType()).getShape() &&
                   densePixels(r)
               ? r
               : Value();
  };
  BodyWalk walk(in);
  if (!isa_and_nonnull<arith::SIToFPOp>(walk.step))
    return std::nullopt;
  walk.advance();
  if (isa_and_nonnull<arith::MulFOp>(walk.step)) {
    if (!(r.scale = perFilter(walk.other())))
      return std::nullopt;
    walk.advance();
  }
  if (isa_and_nonnull<arith::AddFOp>(walk.step) &&
      (r.bias = perFilter(walk.other())))
    walk.advance();
  if (isa_and_nonnull<arith::AddFOp>(walk.step)) {
    if (!(r.residual = residual(walk.other())))
      return std::nullopt;
    walk.advance();
  }
  // Clamps (a Relu, a Clip): max then min, each at most once. A clamp
  // whose bound is not a constant stays the next step, which what follows
  // then refuses.
  walk.constantStep<arith::MaximumFOp>(r.lo);
  walk.constantStep<arith::MinimumFOp>(r.hi);
  // Every input is y, the scale, the bias or the residual.
  for (Value input : generic.getDpsInputs())
    if (input != y && input != r.scale && input != r.bias &&
        input != r.residual)
      return std::nullopt;
  if (outElement.isInteger(8)) {
    // Requantized in this generic: its output holds the bytes.
    if (!matchQuantizeSteps(walk, r))
      return std::nullopt;
    r.bytes = out;
    return r;
  }
  // Stored as floats, every filter's pixels dense, and perhaps quantized
  // by the next generic.
  if (!outElement.isF32() || !densePixels(out) ||
      !isa_and_nonnull<linalg::YieldOp>(walk.step) || !fills.empty())
    return std::nullopt;
  r.floats = out;
  matchFollowingQuantize(generic, r);
  return r;
}

/// A scale or bias as the kernel takes it: a 1-D f32 memref of one value
/// per filter, of one value, or empty.
Value epilogueOperand(OpBuilder &b, Location loc, Value v) {
  if (!v)
    return emptyKernelArgument(b, loc, b.getF32Type());
  auto one = [&](Value value) {
    Value buffer = memref::AllocaOp::create(b, loc, MemRefType::get({1}, b.getF32Type()));
    memref::StoreOp::create(b, loc, value, buffer,
                            ValueRange{arith::ConstantIndexOp::create(b, loc, 0)});
    return castToAnyStrided(b, loc, buffer);
  };
  if (std::optional<float> c = f32Constant(v))
    return one(arith::ConstantOp::create(b, loc, b.getF32FloatAttr(*c)));
  auto type = cast<MemRefType>(v.getType());
  if (type.getNumElements() == 1) {
    SmallVector<Value> zeros(type.getRank(), arith::ConstantIndexOp::create(b, loc, 0));
    return one(memref::LoadOp::create(b, loc, v, zeros));
  }
  if (type.getRank() != 1)
    v = memref::CollapseShapeOp::create(
        b, loc, v,
        SmallVector<ReassociationIndices>{
            llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()))});
  return castToAnyStrided(b, loc, v);
}

/// (lo, hi, out scale, out zero point, q min, q max) in a stack buffer.
Value epilogueParams(OpBuilder &b, Location loc, const float (&values)[6]) {
  Value buffer = memref::AllocaOp::create(b, loc, MemRefType::get({6}, b.getF32Type()));
  for (int i = 0; i < 6; ++i)
    memref::StoreOp::create(b, loc, arith::ConstantOp::create(b, loc, b.getF32FloatAttr(values[i])),
                            buffer, ValueRange{arith::ConstantIndexOp::create(b, loc, i)});
  return castToAnyStrided(b, loc, buffer);
}
Value epilogueParams(OpBuilder &b, Location loc, const FusedEpilogue &r) {
  return epilogueParams(b, loc,
                        {r.lo, r.hi, r.outScale, r.outZero, r.qMin, r.qMax});
}
/// A float output's: no requantization.
Value epilogueParams(OpBuilder &b, Location loc, float lo, float hi) {
  return epilogueParams(b, loc, {lo, hi, 1, 0, 0, 0});
}

/// `v`, a static [1, ..., 1, M, N] memref with the identity layout, as
/// M x N.
Value rowsByColumns(OpBuilder &b, Location loc, Value v) {
  int64_t rank = cast<MemRefType>(v.getType()).getRank();
  if (rank == 2)
    return v;
  ReassociationIndices rows = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  return memref::CollapseShapeOp::create(
      b, loc, v, SmallVector<ReassociationIndices>{rows, {rank - 1}});
}

/// Erases `buffer`'s allocation when nothing but its deallocation and
/// unused views use it any more.
void eraseIfOnlyFreed(RewriterBase &rewriter, Value buffer) {
  auto alloc = buffer.getDefiningOp<memref::AllocOp>();
  if (!alloc || llvm::any_of(buffer.getUsers(), [](Operation *user) {
        return !isa<memref::DeallocOp>(user) &&
               !(isMemoryEffectFree(user) && user->use_empty());
      }))
    return;
  for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
    rewriter.eraseOp(user);
  rewriter.eraseOp(alloc);
}

/// What a MatMul's epilogue (Int8Epilogue) takes over from the generic
/// after it: float(c) [* scale per row] [* scale per column] [+ bias per
/// row or per column] [+ residual] [max lo] [min hi], stored as floats (a
/// dynamically quantized MatMul's dequantization: the row's scale, the
/// weights' per column, their bias, and the residual a transformer adds).
struct MatmulEpilogue {
  linalg::GenericOp generic;
  // The output and the residual (or null) as M x N views, in the generic's
  // block: the memrefs it reads and writes, of its rank.
  Value floats, residual;
  // Each a one-value or per-row (per-column) f32 memref, an f32 constant,
  // or null.
  Value scale, colScale, bias, colBias;
  float lo = -INFINITY, hi = INFINITY;
};

/// `dims` without its ones.
SmallVector<int64_t> withoutOnes(ArrayRef<int64_t> dims) {
  SmallVector<int64_t> kept;
  for (int64_t d : dims)
    if (d != 1)
      kept.push_back(d);
  return kept;
}

/// The epilogue of `matmul`, whose int32 output `c` is [.., M, N] with
/// the batch loops `batchExtents` (none for a 2-D product). The epilogue's
/// generic runs over (.., m, n): its leading loops, ones aside, are the
/// batch loops in order; a scale, bias or residual may be one per batch
/// too (its map reads a leading loop).
std::optional<MatmulEpilogue>
matmulEpilogueAfter(linalg::GenericOp matmul, Value c,
                    const KernelWrittenInit &init,
                    ArrayRef<int64_t> batchExtents) {
  SmallVector<linalg::FillOp> fills;
  linalg::GenericOp generic = nextGenericPastFills(matmul, fills);
  if (!generic || !fills.empty() || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() < 2 ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !generic.hasPureBufferSemantics() ||
      !generic.getIndexingMapsArray().back().isIdentity())
    return std::nullopt;
  auto cType = cast<MemRefType>(c.getType());
  unsigned batch = batchExtents.size();
  int64_t m = cType.getDimSize(batch), n = cType.getDimSize(batch + 1);
  unsigned rank = generic.getNumLoops();
  // A static f32 memref with the identity layout, shaped [.., M, N] with
  // the batch extents (and ones) before.
  auto rowsOfC = [&](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
        !type.getLayout().isIdentity() || type.getRank() != int64_t(rank))
      return false;
    ArrayRef<int64_t> shape = type.getShape();
    return shape[rank - 2] == m && shape[rank - 1] == n &&
           withoutOnes(shape.drop_back(2)) == withoutOnes(batchExtents);
  };
  MatmulEpilogue r;
  r.generic = generic;
  r.floats = generic.getDpsInits()[0];
  if (!rowsOfC(r.floats))
    return std::nullopt;
  ArrayRef<int64_t> loopExtents =
      cast<MemRefType>(r.floats.getType()).getShape();
  // c is read once, through the identity: itself or a view that adds
  // unit dims.
  Block *body = generic.getBody();
  BlockArgument in;
  Operation *view = nullptr;
  for (OpOperand *operand : generic.getDpsInputOperands()) {
    Value v = operand->get();
    auto expand = v.getDefiningOp<memref::ExpandShapeOp>();
    if (v != c && !(expand && expand.getSrc() == c && expand->hasOneUse()))
      continue;
    if (in || !generic.getMatchingIndexingMap(operand).isIdentity())
      return std::nullopt;
    in = generic.getMatchingBlockArgument(operand);
    view = v == c ? nullptr : expand.getOperation();
  }
  if (!in)
    return std::nullopt;
  for (Operation *user : c.getUsers())
    if (user != matmul && user != generic && user != view && !init.owns(user) &&
        !isa<memref::DeallocOp>(user))
      return std::nullopt;
  // What a step's other operand reads: one value, one per row (the maps
  // reads dim rank - 2 only), or one per column (dim rank - 1 only).
  enum class Along { None, One, Row, Column };
  MLIRContext *ctx = generic.getContext();
  auto along = [&](Value v, Value &operandValue) -> Along {
    if (f32Constant(v)) {
      operandValue = v;
      return Along::One;
    }
    auto arg = dyn_cast<BlockArgument>(v);
    if (!arg || arg.getOwner() != body || arg == in ||
        arg.getArgNumber() >= generic.getNumDpsInputs())
      return Along::None;
    OpOperand *operand = generic.getDpsInputOperand(arg.getArgNumber());
    auto type = dyn_cast<MemRefType>(operand->get().getType());
    if (!type || !type.getElementType().isF32() || !type.hasStaticShape() ||
        !type.getLayout().isIdentity())
      return Along::None;
    bool row = false, column = false;
    for (auto [i, e] : llvm::enumerate(
             generic.getMatchingIndexingMap(operand).getResults())) {
      // A batch's own value(s): the call for that batch reads them.
      auto dim = dyn_cast<AffineDimExpr>(e);
      if (dim && dim.getPosition() + 2 < rank &&
          type.getDimSize(i) == loopExtents[dim.getPosition()])
        continue;
      if (e == getAffineDimExpr(rank - 2, ctx) && type.getDimSize(i) == m)
        row = true;
      else if (e == getAffineDimExpr(rank - 1, ctx) && type.getDimSize(i) == n)
        column = true;
      else if (type.getDimSize(i) != 1)
        return Along::None;
    }
    operandValue = operand->get();
    return row && column ? Along::None
           : row         ? Along::Row
           : column      ? Along::Column
                         : Along::One;
  };
  BodyWalk walk(in);
  if (!isa_and_nonnull<arith::SIToFPOp>(walk.step))
    return std::nullopt;
  walk.advance();
  // The step's other operand into `row` when it is one per row (or one
  // value), into `column` when it is one per column, and the walk past the
  // step; false, and nothing taken, when it is neither.
  Value v;
  auto perRowOrColumn = [&](Value &row, Value &column) {
    Along a = along(walk.other(), v);
    if (a == Along::None)
      return false;
    (a == Along::Column ? column : row) = v;
    walk.advance();
    return true;
  };
  // The scales: the row's (or one), then the column's, as the kernel
  // multiplies them.
  if (isa_and_nonnull<arith::MulFOp>(walk.step) &&
      !perRowOrColumn(r.scale, r.colScale))
    return std::nullopt;
  if (r.scale && isa_and_nonnull<arith::MulFOp>(walk.step) &&
      along(walk.other(), v) == Along::Column) {
    r.colScale = v;
    walk.advance();
  }
  // A bias; an add of neither kind may be the residual, below.
  if (isa_and_nonnull<arith::AddFOp>(walk.step))
    perRowOrColumn(r.bias, r.colBias);
  // The residual: an input of the output's shape, read through the
  // identity (perhaps the output's own buffer).
  if (isa_and_nonnull<arith::AddFOp>(walk.step)) {
    auto arg = dyn_cast<BlockArgument>(walk.other());
    if (!arg || arg.getOwner() != body || arg == in ||
        arg.getArgNumber() >= generic.getNumDpsInputs())
      return std::nullopt;
    OpOperand *operand = generic.getDpsInputOperand(arg.getArgNumber());
    if (!generic.getMatchingIndexingMap(operand).isIdentity() ||
        !rowsOfC(operand->get()))
      return std::nullopt;
    r.residual = operand->get();
    walk.advance();
  }
  walk.constantStep<arith::MaximumFOp>(r.lo);
  walk.constantStep<arith::MinimumFOp>(r.hi);
  if (!isa_and_nonnull<linalg::YieldOp>(walk.step))
    return std::nullopt;
  Value inValue = generic.getDpsInputs()[in.getArgNumber()];
  for (Value input : generic.getDpsInputs())
    if (input != inValue && input != r.scale && input != r.colScale &&
        input != r.bias && input != r.colBias && input != r.residual)
      return std::nullopt;
  return r;
}

/// `v`, read through `map` by a generic whose leading loops are batch
/// loops at `ivs` (a null one: a loop of one, at 0): the view of that
/// batch, each dim the map reads a batch loop with dropped. `v` itself when
/// it reads none: every batch reads all of it.
Value atBatch(OpBuilder &b, Location loc, Value v, AffineMap map,
              ArrayRef<Value> ivs) {
  SmallVector<Value> fixed;
  bool any = false;
  for (AffineExpr e : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || dim.getPosition() >= ivs.size()) {
      fixed.push_back(Value());
      continue;
    }
    Value iv = ivs[dim.getPosition()];
    fixed.push_back(iv ? iv : arith::ConstantIndexOp::create(b, loc, 0));
    any = true;
  }
  return any ? dropFixedDims(b, loc, v, fixed) : v;
}

/// The int8 contraction qc-lower-to-linalg builds for MatMulInteger and
/// QLinearMatMul, over (.., m, n, k) with leading batch loops or none: one
/// GEMM call, or one per batch in scf.for loops over the batch loops (an
/// attention's products, both operands quantized at run time), each on
/// its batch's views.
struct QuantizedMatmulToInt8Gemm : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    unsigned loops = op.getNumLoops();
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumDpsInputs() < 2 || op.getNumDpsInputs() > 4 || loops < 3 ||
        op.getNumReductionLoops() != 1 ||
        op.getIteratorTypesArray()[loops - 1] != utils::IteratorType::reduction)
      return failure();
    unsigned batch = loops - 3;
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    if (!isMemRefOf(a, batch + 2, 8) || !isMemRefOf(b, batch + 2, 8) ||
        !isMemRefOf(c, batch + 2, 32))
      return failure();
    auto cType = cast<MemRefType>(c.getType());
    // The batch loops' extents, static (C's).
    if (batch && !cType.hasStaticShape())
      return failure();
    ArrayRef<int64_t> batchExtents = cType.getShape().take_front(batch);
    MLIRContext *ctx = getContext();
    // The batch loops, then `rest` of (m, n, k).
    auto map = [&](std::initializer_list<unsigned> rest) {
      SmallVector<AffineExpr> exprs;
      for (unsigned i = 0; i < batch; ++i)
        exprs.push_back(getAffineDimExpr(i, ctx));
      for (unsigned i : rest)
        exprs.push_back(getAffineDimExpr(batch + i, ctx));
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps[0] != map({0, 2}) || maps[1] != map({2, 1}) ||
        maps.back() != map({0, 1}))
      return failure();

    std::optional<std::pair<WidenedOperand, WidenedOperand>> sides =
        matchIntegerProduct(op);
    if (!sides)
      return failure();
    std::optional<WidenedOperand> aSide = sides->first, bSide = sides->second;
    bool aUnsigned = aSide->isUnsigned, bUnsigned = bSide->isUnsigned;
    int aZpArg = aSide->zpArg, bZpArg = bSide->zpArg;
    // Every other input is a zero point, read per tensor or per row/column
    // (of each batch).
    FailureOr<Value> za = zeroPointOperand(op, aZpArg, map({0})),
                     zb = zeroPointOperand(op, bZpArg, map({1}));
    if (failed(za) || failed(zb) ||
        int(op.getNumDpsInputs()) != 2 + (aZpArg >= 0) + (bZpArg >= 0))
      return failure();

    Location loc = op.getLoc();
    // C only zeroed before: the kernel writes it instead. (An int32 bias
    // broadcast along C's columns is not the kernel's per-row bias.)
    std::optional<KernelWrittenInit> init =
        initBefore(op, c, rewriter.getI32Type());
    bool overwrite = init && !init->bias;
    // Batches add nothing to one another: each call writes its own.
    if (batch && !overwrite)
      return failure();
    auto module = op->getParentOfType<ModuleOp>();
    Type i8 = rewriter.getI8Type();
    std::optional<MatmulEpilogue> epilogue =
        overwrite ? matmulEpilogueAfter(op, c, *init, batchExtents)
                  : std::nullopt;
    // The calls go where the epilogue's generic is (where its output
    // exists), else where the contraction is.
    OpBuilder::InsertionGuard guard(rewriter);
    if (epilogue)
      rewriter.setInsertionPoint(epilogue->generic);
    Location at = epilogue ? epilogue->generic.getLoc() : loc;
    auto flag = [&](bool v) {
      return arith::ConstantIntOp::create(rewriter, at, v ? 1 : 0, 64);
    };
    // One loop per batch loop of more than one.
    SmallVector<Value> ivs(batch);
    for (unsigned i = 0; i < batch; ++i) {
      if (batchExtents[i] == 1)
        continue;
      auto loop = scf::ForOp::create(
          rewriter, at, arith::ConstantIndexOp::create(rewriter, at, 0),
          arith::ConstantIndexOp::create(rewriter, at, batchExtents[i]),
          arith::ConstantIndexOp::create(rewriter, at, 1));
      ivs[i] = loop.getInductionVar();
      rewriter.setInsertionPoint(loop.getBody()->getTerminator());
    }
    // The contraction's operands at this batch.
    auto ofBatch = [&](Value v, unsigned operand) {
      return atBatch(rewriter, at, v, maps[operand], ivs);
    };
    auto zpOfBatch = [&](FailureOr<Value> zp, int arg) {
      return *zp ? ofBatch(*zp, arg) : Value();
    };
    Value aView = ofBatch(a, 0), bView = ofBatch(b, 1),
          zaView = zpOfBatch(za, aZpArg), zbView = zpOfBatch(zb, bZpArg);
    if (epilogue) {
      Type f32 = rewriter.getF32Type();
      // The epilogue's leading loops at this batch: its ones at 0, the
      // others the batch loops in order.
      linalg::GenericOp generic = epilogue->generic;
      SmallVector<Value> epilogueIvs;
      if (batch) {
        SmallVector<Value> wide;
        for (unsigned i = 0; i < batch; ++i)
          if (batchExtents[i] != 1)
            wide.push_back(ivs[i]);
        // matmulEpilogueAfter checked that the extents match.
        unsigned next = 0;
        for (int64_t extent : cast<MemRefType>(epilogue->floats.getType())
                                  .getShape()
                                  .drop_back(2))
          epilogueIvs.push_back(extent == 1 ? Value() : wide[next++]);
      }
      // An operand of the epilogue's generic at this batch.
      auto epilogueView = [&](Value v) -> Value {
        if (!v || f32Constant(v))
          return v;
        for (OpOperand &operand : generic->getOpOperands())
          if (operand.get() == v)
            return atBatch(rewriter, at, v,
                           generic.getMatchingIndexingMap(&operand),
                           epilogueIvs);
        return v;
      };
      Value residual =
          epilogue->residual
              ? castToAnyStrided(
                    rewriter, at,
                    rowsByColumns(rewriter, at,
                                  epilogueView(epilogue->residual)))
              : emptyKernelArgument(rewriter, at, f32, 2);
      func::FuncOp kernel = kernelDeclaration(
          module, kMatmulI8Epilogue, {2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 2}, 2,
          {i8, i8, f32, i8, i8, f32, f32, f32, f32, f32, f32});
      func::CallOp::create(
          rewriter, at, kernel,
          ValueRange{
              castToAnyStrided(rewriter, at, aView),
              castToAnyStrided(rewriter, at, bView),
              castToAnyStrided(
                  rewriter, at,
                  rowsByColumns(rewriter, at, epilogueView(epilogue->floats))),
              zeroPointArgument(rewriter, at, zaView, aSide->zpValue),
              zeroPointArgument(rewriter, at, zbView, bSide->zpValue),
              epilogueOperand(rewriter, at, epilogueView(epilogue->scale)),
              epilogueOperand(rewriter, at, epilogueView(epilogue->colScale)),
              epilogueOperand(rewriter, at, epilogueView(epilogue->bias)),
              epilogueOperand(rewriter, at, epilogueView(epilogue->colBias)),
              epilogueParams(rewriter, at, epilogue->lo, epilogue->hi),
              residual, flag(aUnsigned), flag(bUnsigned)});
      rewriter.eraseOp(epilogue->generic);
      rewriter.eraseOp(op);
      eraseZerosWriter(rewriter, init);
      eraseIfOnlyFreed(rewriter, c);
      return success();
    }
    Value cView = ofBatch(c, maps.size() - 1);
    Value zaArg = zeroPointArgument(rewriter, at, zaView, aSide->zpValue);
    Value zbArg = zeroPointArgument(rewriter, at, zbView, bSide->zpValue);
    func::FuncOp kernel =
        kernelDeclaration(module, kMatmulI8, {2, 2, 2, 1, 1}, 3,
                          {i8, i8, rewriter.getI32Type(), i8, i8});
    func::CallOp::create(rewriter, at, kernel,
                         ValueRange{castToAnyStrided(rewriter, at, aView),
                                    castToAnyStrided(rewriter, at, bView),
                                    castToAnyStrided(rewriter, at, cView),
                                    zaArg, zbArg, flag(aUnsigned),
                                    flag(bUnsigned), flag(overwrite)});
    rewriter.eraseOp(op);
    eraseZerosWriter(rewriter, init);
    return success();
  }
};

struct QuantizedConvToInt8Conv : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    using utils::IteratorType;
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumDpsInputs() < 2 || op.getNumDpsInputs() > 4 ||
        op.getNumLoops() != 7 ||
        op.getIteratorTypesArray() !=
            SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                      IteratorType::parallel, IteratorType::parallel,
                                      IteratorType::reduction, IteratorType::reduction,
                                      IteratorType::reduction})
      return failure();
    Value x = op.getDpsInputs()[0], w = op.getDpsInputs()[1],
          y = op.getDpsInits()[0];
    if (!isMemRefOf(x, 4, 8) || !isMemRefOf(w, 4, 8) || !isMemRefOf(y, 4, 32))
      return failure();
    MLIRContext *ctx = getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    // x's map: (n, c, oh * sh + kh * dh, ow * sw + kw * dw).
    AffineMap xMap = maps[0];
    if (xMap.getNumResults() != 4)
      return failure();
    int64_t sh = coefficient(xMap.getResult(2), 7, 2),
            dh = coefficient(xMap.getResult(2), 7, 5),
            sw = coefficient(xMap.getResult(3), 7, 3),
            dw = coefficient(xMap.getResult(3), 7, 6);
    if (sh < 1 || dh < 1 || sw < 1 || dw < 1 ||
        xMap != AffineMap::get(7, 0, {d(0), d(4), d(2) * sh + d(5) * dh,
                                      d(3) * sw + d(6) * dw}, ctx) ||
        maps[1] != AffineMap::get(7, 0, {d(1), d(4), d(5), d(6)}, ctx) ||
        maps.back() != AffineMap::get(7, 0, {d(0), d(1), d(2), d(3)}, ctx))
      return failure();
    std::optional<std::pair<WidenedOperand, WidenedOperand>> sides =
        matchIntegerProduct(op);
    if (!sides)
      return failure();
    auto [xSide, wSide] = *sides;
    // x's zero point one value; w's one value or one per filter.
    FailureOr<Value> zx = zeroPointOperand(op, xSide.zpArg, AffineMap()),
                     zw = zeroPointOperand(op, wSide.zpArg,
                                           AffineMap::get(7, 0, d(1)));
    if (failed(zx) || failed(zw) ||
        int(op.getNumDpsInputs()) != 2 + (xSide.zpArg >= 0) + (wSide.zpArg >= 0))
      return failure();
    // The kernel reads each filter's bytes in a row and y's pixels one
    // stride apart.
    auto wType = cast<MemRefType>(w.getType());
    auto yType = cast<MemRefType>(y.getType());
    if (!wType.hasStaticShape() || !yType.hasStaticShape())
      return failure();
    ArrayRef<int64_t> ws = wType.getShape(), ys = yType.getShape();
    SmallVector<int64_t> yStrides;
    int64_t yOffset;
    if (!hasStrides(w, {ws[1] * ws[2] * ws[3], ws[2] * ws[3], ws[3], 1}) ||
        failed(yType.getStridesAndOffset(yStrides, yOffset)) ||
        yStrides[3] == ShapedType::kDynamic ||
        (ys[2] > 1 && yStrides[2] != ys[3] * yStrides[3]))
      return failure();

    Location loc = op.getLoc();
    std::optional<KernelWrittenInit> init =
        initBefore(op, y, rewriter.getI32Type());
    Type i8 = rewriter.getI8Type(), i32 = rewriter.getI32Type();
    Value bias = init && init->bias ? castToAnyStrided(rewriter, loc, init->bias)
                                    : emptyKernelArgument(rewriter, loc, i32);
    auto scalar = [&](int64_t v) -> Value {
      return arith::ConstantIntOp::create(rewriter, loc, v, 64);
    };
    auto module = op->getParentOfType<ModuleOp>();
    Value zxArg = zeroPointArgument(rewriter, loc, *zx, xSide.zpValue);
    Value zwArg = zeroPointArgument(rewriter, loc, *zw, wSide.zpValue);
    std::optional<FusedEpilogue> epilogue =
        init ? epilogueAfter(op, y, *init) : std::nullopt;
    // The kernel reads x while it writes the outputs: not into x's buffer.
    if (epilogue &&
        llvm::any_of(ValueRange{epilogue->bytes, epilogue->floats},
                     [&](Value v) { return v && viewBase(v) == viewBase(x); }))
      epilogue.reset();
    if (epilogue) {
      // At the last fused op's place: its outputs may be made (a padded
      // buffer filled) after the convolution.
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(epilogue->last());
      Location at = epilogue->last()->getLoc();
      auto f32 = rewriter.getF32Type();
      auto fourD = [&](Value v, Type element) {
        return v ? castToAnyStrided(rewriter, at, v)
                 : emptyKernelArgument(rewriter, at, element, 4);
      };
      func::FuncOp kernel = kernelDeclaration(
          module, kConvI8Epilogue, {4, 4, 4, 1, 1, 1, 1, 1, 1, 4, 4}, 6,
          {i8, i8, i8, i32, i8, i8, f32, f32, f32, f32, f32});
      func::CallOp::create(
          rewriter, at, kernel,
          ValueRange{castToAnyStrided(rewriter, at, x),
                     castToAnyStrided(rewriter, at, w),
                     fourD(epilogue->bytes, i8), bias, zxArg, zwArg,
                     epilogueOperand(rewriter, at, epilogue->scale),
                     epilogueOperand(rewriter, at, epilogue->bias),
                     epilogueParams(rewriter, at, *epilogue),
                     fourD(epilogue->residual, f32),
                     fourD(epilogue->floats, f32), scalar(xSide.isUnsigned),
                     scalar(wSide.isUnsigned), scalar(sh), scalar(sw),
                     scalar(dh), scalar(dw)});
      if (epilogue->quantize)
        rewriter.eraseOp(epilogue->quantize);
      rewriter.eraseOp(epilogue->generic);
      // The kernel writes all of the bytes' interior: only what is around
      // it is filled now.
      if (epilogue->bytes)
        for (linalg::FillOp fill : epilogue->fills)
          fillOnlyAround(rewriter, fill, epilogue->bytes);
    } else {
      func::FuncOp kernel = kernelDeclaration(
          module, kConvI8, {4, 4, 4, 1, 1, 1}, 7, {i8, i8, i32, i32, i8, i8});
      func::CallOp::create(
          rewriter, loc, kernel,
          ValueRange{castToAnyStrided(rewriter, loc, x),
                     castToAnyStrided(rewriter, loc, w),
                     castToAnyStrided(rewriter, loc, y), bias, zxArg, zwArg,
                     scalar(xSide.isUnsigned), scalar(wSide.isUnsigned),
                     scalar(init.has_value()), scalar(sh), scalar(sw),
                     scalar(dh), scalar(dw)});
    }
    rewriter.eraseOp(op);
    if (init && !init->shared)
      rewriter.eraseOp(init->writer);
    // y, which nothing uses any more but its deallocation. (Shared zeros
    // stay: copies read them before the convolution.)
    if (epilogue)
      eraseIfOnlyFreed(rewriter, y);
    return success();
  }
};

} // namespace

void populateInt8KernelCallPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizedMatmulToInt8Gemm, QuantizedConvToInt8Conv>(
      patterns.getContext());
}

} // namespace quantc::cpu_kernels
