//===- Int4WeightCalls.cpp - MatMuls on 4-bit weights to the w4 GEMM ------===//
//
// --quantize=w4 (and MatMulNBits) leave a MatMul's B as 4-bit constants
// dequantized by one elementwise generic into a float [K, N/2, 2] buffer
// on every run, then viewed [K, N]: the bytes [K, N/2, 1] split into their
// two halves by a shift of 0 and 4 and a mask of 15, then (q - zero) *
// scale with the scales and zero points [groups, N/2, 2] read through
// (k floordiv group, ., .). Here the GEMM gets the bytes, scales and zero
// points instead (qc_kernel_matmul_w4_f32), and unpacks them block by block
// into the panels it packs anyway: the float weight is never written out,
// and its buffer (4 bytes a weight) leaves the arena. The generic goes when
// nothing else reads what it wrote.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/CpuKernelCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

using namespace mlir;

namespace quantc::cpu_kernels {
namespace {

/// Whether `v` is a constant global of i8 holding exactly {0, 4}: the
/// shifts that take a byte's low and high halves.
bool isHalfShiftTable(Value v, SymbolTableCollection &symbols) {
  memref::GlobalOp global = constantGlobal(v, symbols);
  auto values = global
                    ? dyn_cast<DenseIntElementsAttr>(*global.getInitialValue())
                    : nullptr;
  if (!values || values.getNumElements() != 2 ||
      !values.getElementType().isInteger(8))
    return false;
  auto it = values.value_begin<APInt>();
  return (*it).getZExtValue() == 0 && (*std::next(it)).getZExtValue() == 4;
}

/// Whether `v` is the integer constant `expected`.
bool isConstantInt(Value v, int64_t expected) {
  APInt value;
  return matchPattern(v, m_ConstantInt(&value)) &&
         value.getSExtValue() == expected;
}

/// `v` past a `select(cmp(shift, c), 0, v)` guard that ONNX's BitShift
/// lowering puts around a shift (a shift by the width or more gives 0),
/// when the guard cannot fire for the shifts 0 and 4.
Value pastShiftGuard(Value v, Value shift) {
  auto select = v.getDefiningOp<arith::SelectOp>();
  if (!select)
    return v;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpIOp>();
  APInt bound;
  if (!cmp || cmp.getLhs() != shift ||
      !matchPattern(cmp.getRhs(), m_ConstantInt(&bound)) ||
      !isConstantInt(select.getTrueValue(), 0))
    return Value();
  for (uint64_t s : {0, 4})
    if (arith::applyCmpPredicate(cmp.getPredicate(), APInt(8, s),
                                 bound.zextOrTrunc(8)))
      return Value();
  return select.getFalseValue();
}

/// Whether the generic's body yields (uitofp((byte >> shift) & 15) -
/// uitofp(zero)) * scale, its block arguments being (byte, shift, scale,
/// zero, out).
bool dequantizesHalves(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  Value byte = body.getArgument(0), shift = body.getArgument(1),
        scale = body.getArgument(2), zero = body.getArgument(3);
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto mul = yield.getOperand(0).getDefiningOp<arith::MulFOp>();
  if (!mul)
    return false;
  Value difference = mul.getLhs() == scale ? mul.getRhs() : mul.getLhs();
  if (mul.getLhs() != scale && mul.getRhs() != scale)
    return false;
  auto sub = difference.getDefiningOp<arith::SubFOp>();
  if (!sub)
    return false;
  auto q = sub.getLhs().getDefiningOp<arith::UIToFPOp>();
  auto z = sub.getRhs().getDefiningOp<arith::UIToFPOp>();
  if (!q || !z || z.getIn() != zero)
    return false;
  auto mask = q.getIn().getDefiningOp<arith::AndIOp>();
  if (!mask || !isConstantInt(mask.getRhs(), 15))
    return false;
  Value shifted = pastShiftGuard(mask.getLhs(), shift);
  auto shr = shifted ? shifted.getDefiningOp<arith::ShRUIOp>() : nullptr;
  return shr && shr.getLhs() == byte &&
         pastShiftGuard(shr.getRhs(), shift) == shift;
}

/// A static memref type of `shape` with the identity layout and `element`.
bool hasShape(Value v, ArrayRef<int64_t> shape, Type element) {
  auto type = dyn_cast<MemRefType>(v.getType());
  return type && type.getShape() == shape && type.getLayout().isIdentity() &&
         type.getElementType() == element;
}

/// `buffer` and every view of it (casts, reshapes, subviews), transitively.
SmallPtrSet<Value, 8> aliasesOf(Value buffer) {
  SmallPtrSet<Value, 8> aliases{buffer};
  SmallVector<Value> work{buffer};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    for (Operation *user : v.getUsers())
      if (isa<ViewLikeOpInterface>(user))
        for (Value result : user->getResults())
          if (aliases.insert(result).second)
            work.push_back(result);
  }
  return aliases;
}

/// Whether `op` (or an op nested in it) uses one of `aliases`, other than
/// by making another view of it.
bool touches(Operation *op, const SmallPtrSet<Value, 8> &aliases) {
  if (isa<ViewLikeOpInterface>(op))
    return false;
  WalkResult walk = op->walk([&](Operation *nested) {
    for (Value operand : nested->getOperands())
      if (aliases.contains(operand))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return walk.wasInterrupted();
}

} // namespace

std::optional<Int4WeightSource> int4WeightSource(Value b, Operation *consumer) {
  auto view = b.getDefiningOp<memref::CollapseShapeOp>();
  if (!view || view.getReassociationIndices().size() != 2 ||
      view.getReassociationIndices()[0].size() != 1 ||
      view.getReassociationIndices()[1].size() != 2)
    return std::nullopt;
  Value buffer = view.getSrc();
  auto bufferType = dyn_cast<MemRefType>(buffer.getType());
  if (!buffer.getDefiningOp<memref::AllocOp>() || !bufferType ||
      !bufferType.hasStaticShape() || bufferType.getShape()[2] != 2)
    return std::nullopt;
  // The op that wrote the buffer last before the consumer, with nothing
  // else using it in between (bufferization may give one buffer to the
  // dequantized weights of several MatMuls in turn).
  SmallPtrSet<Value, 8> aliases = aliasesOf(buffer);
  linalg::GenericOp generic;
  for (Operation *op = consumer->getPrevNode(); op && !generic;
       op = op->getPrevNode()) {
    auto writer = dyn_cast<linalg::GenericOp>(op);
    if (writer && writer.getNumDpsInits() == 1 &&
        writer.getDpsInits()[0] == buffer)
      generic = writer;
    else if (touches(op, aliases))
      return std::nullopt;
  }
  if (!generic || generic.getNumDpsInputs() != 4 ||
      generic.getNumParallelLoops() != 3 || generic.getNumLoops() != 3)
    return std::nullopt;
  int64_t k = bufferType.getShape()[0], half = bufferType.getShape()[1];
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  MLIRContext *ctx = generic.getContext();
  AffineExpr d0 = getAffineDimExpr(0, ctx), d1 = getAffineDimExpr(1, ctx),
             d2 = getAffineDimExpr(2, ctx);
  auto groupOf = [&](AffineMap map) -> int64_t {
    if (map.getNumResults() != 3)
      return 0;
    auto div = dyn_cast<AffineBinaryOpExpr>(map.getResult(0));
    auto by = div ? dyn_cast<AffineConstantExpr>(div.getRHS()) : nullptr;
    if (!div || div.getKind() != AffineExprKind::FloorDiv ||
        div.getLHS() != d0 || !by || map.getResult(1) != d1 ||
        map.getResult(2) != d2)
      return 0;
    return by.getValue();
  };
  Int4WeightSource source;
  source.bytes = generic.getDpsInputs()[0];
  source.scales = generic.getDpsInputs()[2];
  source.zeros = generic.getDpsInputs()[3];
  source.group = groupOf(maps[2]);
  source.dequantize = generic;
  source.view = view;
  Type i8 = IntegerType::get(ctx, 8), f32 = Float32Type::get(ctx);
  SymbolTableCollection symbols;
  int64_t groups = source.group > 0 ? (k + source.group - 1) / source.group : 0;
  if (source.group <= 0 || groupOf(maps[3]) != source.group ||
      maps[0] !=
          AffineMap::get(3, 0, {d0, d1, getAffineConstantExpr(0, ctx)}, ctx) ||
      maps[1] != AffineMap::get(3, 0, {d2}, ctx) || !maps[4].isIdentity() ||
      !hasShape(source.bytes, {k, half, 1}, i8) ||
      !hasShape(source.scales, {groups, half, 2}, f32) ||
      !hasShape(source.zeros, {groups, half, 2}, i8) ||
      !constantGlobal(source.bytes, symbols) ||
      !constantGlobal(source.scales, symbols) ||
      !constantGlobal(source.zeros, symbols) ||
      !isHalfShiftTable(generic.getDpsInputs()[1], symbols) ||
      !dequantizesHalves(generic))
    return std::nullopt;
  return source;
}

void eraseIfUnread(RewriterBase &rewriter, Int4WeightSource source,
                   Operation *after) {
  // Dead when the next op to use the buffer after `after` writes it all
  // afresh (the next weight's dequantization) or is its dealloc, or none is.
  Value buffer = source.view.getSrc();
  SmallPtrSet<Value, 8> aliases = aliasesOf(buffer);
  for (Operation *op = after->getNextNode(); op; op = op->getNextNode()) {
    if (!touches(op, aliases))
      continue;
    auto writer = dyn_cast<linalg::GenericOp>(op);
    bool overwrites =
        writer && writer.getNumDpsInits() == 1 &&
        writer.getDpsInits()[0] == buffer &&
        writer.getIndexingMapsArray().back().isIdentity() &&
        !writer.payloadUsesValueFromOperand(writer.getDpsInitOperand(0)) &&
        llvm::none_of(writer.getDpsInputs(),
                      [&](Value v) { return aliases.contains(v); });
    if (!overwrites && !isa<memref::DeallocOp>(op))
      return;
    break;
  }
  rewriter.eraseOp(source.dequantize);
  // The buffer itself, once nothing but views and deallocs are left.
  for (Value alias : aliases)
    for (Operation *user : alias.getUsers())
      if (!isa<ViewLikeOpInterface, memref::DeallocOp>(user))
        return;
  SmallVector<Operation *> dead;
  for (Value alias : aliases)
    for (Operation *user : alias.getUsers())
      dead.push_back(user);
  llvm::sort(dead);
  dead.erase(llvm::unique(dead), dead.end());
  // Views last-made first, so that each goes after its users.
  while (!dead.empty()) {
    for (Operation *&op : dead)
      if (op && op->use_empty()) {
        rewriter.eraseOp(op);
        op = nullptr;
      }
    llvm::erase(dead, nullptr);
  }
  rewriter.eraseOp(buffer.getDefiningOp());
}

} // namespace quantc::cpu_kernels
