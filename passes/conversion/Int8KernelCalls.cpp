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
// two flags and the zero points as 1-D memrefs (empty when absent).
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/CpuKernelCalls.h"
#include "dialects/qc/IR/ShapeUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

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

struct QuantizedMatmulToInt8Gemm : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || op.getNumDpsInits() != 1 ||
        op.getNumDpsInputs() < 2 || op.getNumDpsInputs() > 4 ||
        op.getNumLoops() != 3 || op.getNumReductionLoops() != 1 ||
        op.getIteratorTypesArray()[2] != utils::IteratorType::reduction)
      return failure();
    Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
          c = op.getDpsInits()[0];
    if (!isMemRefOf(a, 2, 8) || !isMemRefOf(b, 2, 8) || !isMemRefOf(c, 2, 32))
      return failure();
    MLIRContext *ctx = getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    if (maps[0] != AffineMap::get(3, 0, {d(0), d(2)}, ctx) ||
        maps[1] != AffineMap::get(3, 0, {d(2), d(1)}, ctx) ||
        maps.back() != AffineMap::get(3, 0, {d(0), d(1)}, ctx))
      return failure();

    // acc + x * y, x and y the widened A and B.
    Block *body = op.getBody();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    auto add = yield.getOperand(0).getDefiningOp<arith::AddIOp>();
    if (!add)
      return failure();
    Value acc = body->getArguments().back();
    Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
    auto mul = product.getDefiningOp<arith::MulIOp>();
    if ((add.getLhs() != acc && add.getRhs() != acc) || !mul)
      return failure();
    std::optional<WidenedOperand> aSide = matchWidened(mul.getLhs(), body, 0);
    std::optional<WidenedOperand> bSide = matchWidened(mul.getRhs(), body, 1);
    if (!aSide || !bSide)
      return failure();
    bool aUnsigned = aSide->isUnsigned, bUnsigned = bSide->isUnsigned;
    int aZpArg = aSide->zpArg, bZpArg = bSide->zpArg;
    // Every other input is a zero point, read per tensor or per row/column.
    auto zpOperand = [&](int arg, unsigned dim) -> FailureOr<Value> {
      if (arg < 0)
        return Value();
      if (arg < 2 || arg >= int(op.getNumDpsInputs()))
        return failure();
      AffineMap map = maps[arg];
      Value zp = op.getDpsInputs()[arg];
      auto type = dyn_cast<MemRefType>(zp.getType());
      if (!type || !type.getElementType().isInteger(8))
        return failure();
      bool one = qc::holdsOneValue(type) &&
                 llvm::all_of(map.getResults(), [](AffineExpr e) {
                   return isa<AffineConstantExpr>(e);
                 });
      bool perIndex = type.getRank() == 1 && map == AffineMap::get(3, 0, d(dim));
      if (!one && !perIndex)
        return failure();
      return zp;
    };
    FailureOr<Value> za = zpOperand(aZpArg, 0), zb = zpOperand(bZpArg, 1);
    if (failed(za) || failed(zb) ||
        int(op.getNumDpsInputs()) != 2 + (aZpArg >= 0) + (bZpArg >= 0))
      return failure();

    Location loc = op.getLoc();
    Value zaArg = zeroPointArgument(rewriter, loc, *za, aSide->zpValue);
    Value zbArg = zeroPointArgument(rewriter, loc, *zb, bSide->zpValue);
    auto module = op->getParentOfType<ModuleOp>();
    Type i8 = rewriter.getI8Type();
    func::FuncOp kernel = kernelDeclaration(
        module, kMatmulI8, {2, 2, 2, 1, 1}, 2,
        {i8, i8, rewriter.getI32Type(), i8, i8});
    auto flag = [&](bool v) {
      return arith::ConstantIntOp::create(rewriter, loc, v ? 1 : 0, 64);
    };
    func::CallOp::create(rewriter, loc, kernel,
                         ValueRange{castToAnyStrided(rewriter, loc, a),
                                    castToAnyStrided(rewriter, loc, b),
                                    castToAnyStrided(rewriter, loc, c), zaArg,
                                    zbArg, flag(aUnsigned), flag(bUnsigned)});
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void populateInt8KernelCallPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizedMatmulToInt8Gemm>(patterns.getContext());
}

} // namespace quantc::cpu_kernels
