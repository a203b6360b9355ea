//===- CpuKernelCalls.cpp - The runtime kernels as the IR calls them ------===//
#include "passes/conversion/CpuKernelCalls.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

namespace quantc::cpu_kernels {

linalg::GenericOp biasBroadcastBefore(Operation *op, Value out,
                                      Type elementType) {
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    auto generic = dyn_cast<linalg::GenericOp>(prev);
    if (!generic) {
      if (isMemoryEffectFree(prev))
        continue;
      return nullptr;
    }
    if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
        generic.getDpsInits()[0] != out ||
        generic.getNumParallelLoops() != generic.getNumLoops())
      return nullptr;
    auto biasType = dyn_cast<MemRefType>(generic.getDpsInputs()[0].getType());
    auto outType = cast<MemRefType>(out.getType());
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    MLIRContext *ctx = op->getContext();
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    if (!biasType || biasType.getRank() != 1 ||
        biasType.getElementType() != elementType ||
        biasType.getDimSize(0) != outType.getDimSize(1) ||
        biasType.getDimSize(0) == ShapedType::kDynamic ||
        maps[0] != AffineMap::get(outType.getRank(), 0,
                                  getAffineDimExpr(1, ctx)) ||
        !maps[1].isIdentity() || yield.getNumOperands() != 1 ||
        yield.getOperand(0) != generic.getBody()->getArgument(0))
      return nullptr;
    return generic;
  }
  return nullptr;
}

namespace {

/// A fill with integer 0 or float +0 (a sum from -0 keeps -0 where every
/// product is 0; one the kernel starts from +0 does not).
bool isZeroFill(Operation *op) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op);
  return fill && (matchPattern(fill.getInputs()[0], m_Zero()) ||
                  matchPattern(fill.getInputs()[0], m_PosZeroFloat()));
}

/// The allocation `v` is, or reshapes (collapse_shape, expand_shape: zeros
/// that folding unit dims reshaped), and the ops that use it through any
/// of its reshapes, the reshapes aside; `aliases` gets it and them. None
/// when `v` is neither.
std::optional<SmallVector<Operation *>>
allocationUsers(Value v, SmallVectorImpl<Value> &aliases) {
  Value buffer = v;
  if (isa_and_nonnull<memref::CollapseShapeOp, memref::ExpandShapeOp>(
          v.getDefiningOp()))
    buffer = v.getDefiningOp()->getOperand(0);
  if (!buffer.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  aliases.push_back(buffer);
  SmallVector<Operation *> users;
  for (Operation *user : buffer.getUsers()) {
    if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(user)) {
      aliases.push_back(user->getResult(0));
      llvm::append_range(users, user->getResult(0).getUsers());
      continue;
    }
    users.push_back(user);
  }
  return users;
}

/// y itself zeros at `op`: an allocation (or a reshape of one) filled with
/// 0 once before `op` in its block, and between them only copied from.
/// Bufferization leaves this where ops share one zero tensor: each but the
/// last copies it, and the last writes it in place.
std::optional<KernelWrittenInit> sharedZerosAt(Operation *op, Value y) {
  SmallVector<Value> aliases;
  std::optional<SmallVector<Operation *>> users = allocationUsers(y, aliases);
  if (!users)
    return std::nullopt;
  KernelWrittenInit init{nullptr, Value(), true, {}};
  for (Operation *user : *users) {
    if (user == op ||
        (user->getBlock() == op->getBlock() && op->isBeforeInBlock(user)))
      continue; // op, and what reads y after it: the caller's to check
    if (user->getBlock() != op->getBlock())
      return std::nullopt;
    if (isa<memref::DeallocOp>(user))
      continue;
    if (isZeroFill(user) && !init.writer) {
      init.writer = user;
      continue;
    }
    auto copy = dyn_cast<memref::CopyOp>(user);
    if (!copy || !llvm::is_contained(aliases, copy.getSource()))
      return std::nullopt;
    init.readers.push_back(copy);
  }
  if (!init.writer || llvm::any_of(init.readers, [&](Operation *reader) {
        return reader->isBeforeInBlock(init.writer);
      }))
    return std::nullopt;
  // With its copies gone (their ops now write from zeros themselves), the
  // fill is only this op's.
  init.shared = !init.readers.empty();
  return init;
}

/// Whether `copy` copies into y a buffer (or a reshape of one) that holds
/// zeros: written by one fill of 0 before the copy and by nothing else
/// until it (bufferization lets the last of the ops that share the zeros
/// write them in place, after every copy).
bool copiesZerosInto(memref::CopyOp copy, Value y) {
  SmallVector<Value> aliases;
  std::optional<SmallVector<Operation *>> users =
      allocationUsers(copy.getSource(), aliases);
  if (copy.getTarget() != y || !users)
    return false;
  int fills = 0;
  for (Operation *user : *users) {
    if (isZeroFill(user) && user->getBlock() == copy->getBlock() &&
        user->isBeforeInBlock(copy))
      ++fills;
    else if (!isa<memref::DeallocOp>(user) &&
             !(isa<memref::CopyOp>(user) &&
               !llvm::is_contained(aliases,
                                   cast<memref::CopyOp>(user).getTarget())) &&
             !(user->getBlock() == copy->getBlock() &&
               copy->isBeforeInBlock(user)))
      return false;
  }
  return fills == 1;
}

} // namespace

std::optional<KernelWrittenInit> initBefore(Operation *op, Value y,
                                            Type biasType) {
  Operation *prev = op->getPrevNode();
  while (prev && isMemoryEffectFree(prev))
    prev = prev->getPrevNode();
  if (prev && isZeroFill(prev) &&
      cast<linalg::FillOp>(prev).getOutputs()[0] == y)
    return KernelWrittenInit{prev, Value()};
  if (auto copy = dyn_cast_or_null<memref::CopyOp>(prev);
      copy && copiesZerosInto(copy, y))
    return KernelWrittenInit{prev, Value()};
  if (linalg::GenericOp broadcast = biasBroadcastBefore(op, y, biasType))
    return KernelWrittenInit{broadcast, broadcast.getDpsInputs()[0]};
  return sharedZerosAt(op, y);
}

void eraseZerosWriter(RewriterBase &rewriter,
                      const std::optional<KernelWrittenInit> &init) {
  if (init && !init->bias && !init->shared)
    rewriter.eraseOp(init->writer);
}

std::optional<float> f32Constant(Value v) {
  FloatAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.getType().isF32())
    return std::nullopt;
  return attr.getValueAsDouble();
}

MemRefType anyStrided(int64_t rank, Type elementType) {
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(elementType.getContext(),
                                       ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, elementType, layout);
}

MemRefType anyStridedF32(MLIRContext *ctx, int64_t rank) {
  return anyStrided(rank, Float32Type::get(ctx));
}

memref::GlobalOp constantGlobal(Value v, SymbolTableCollection &symbols) {
  auto get = v.getDefiningOp<memref::GetGlobalOp>();
  if (!get)
    return nullptr;
  auto global =
      symbols.lookupNearestSymbolFrom<memref::GlobalOp>(get, get.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return nullptr;
  return global;
}

Value viewBase(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::SubViewOp, memref::CastOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::ViewOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

linalg::GenericOp
nextGenericPastFills(Operation *op, SmallVectorImpl<linalg::FillOp> &fills) {
  Operation *next = op->getNextNode();
  while (next && !isa<linalg::GenericOp>(next)) {
    if (auto fill = dyn_cast<linalg::FillOp>(next))
      fills.push_back(fill);
    else if (!isMemoryEffectFree(next) && !isa<memref::AllocOp>(next))
      return {};
    next = next->getNextNode();
  }
  return dyn_cast_or_null<linalg::GenericOp>(next);
}

void fillOnlyAround(RewriterBase &rewriter, linalg::FillOp fill,
                    Value interior) {
  auto sub = interior.getDefiningOp<memref::SubViewOp>();
  Value buffer = fill.getOutputs()[0];
  if (!sub || sub.getSource() != buffer)
    return;
  auto type = cast<MemRefType>(buffer.getType());
  ArrayRef<int64_t> offsets = sub.getStaticOffsets(),
                    sizes = sub.getStaticSizes(),
                    strides = sub.getStaticStrides();
  int64_t rank = type.getRank();
  if (!type.hasStaticShape() || sub.getType().getRank() != rank ||
      llvm::any_of(offsets, ShapedType::isDynamic) ||
      llvm::any_of(sizes, ShapedType::isDynamic) ||
      llvm::any_of(strides, [](int64_t s) { return s != 1; }))
    return;
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(fill);
  Location loc = fill.getLoc();
  SmallVector<int64_t> ones(rank, 1);
  // The slab before and after the interior along dim d, spanning the
  // interior along the dims before d and the whole buffer along those
  // after: together exactly the buffer less the interior.
  for (int64_t d = 0; d < rank; ++d)
    for (bool before : {true, false}) {
      SmallVector<int64_t> slabOffsets(rank), slabSizes(rank);
      for (int64_t e = 0; e < rank; ++e) {
        slabOffsets[e] = e < d ? offsets[e] : 0;
        slabSizes[e] = e < d ? sizes[e] : type.getDimSize(e);
      }
      slabOffsets[d] = before ? 0 : offsets[d] + sizes[d];
      slabSizes[d] = before ? offsets[d] : type.getDimSize(d) - slabOffsets[d];
      if (slabSizes[d] == 0)
        continue;
      Value slab = memref::SubViewOp::create(rewriter, loc, buffer, slabOffsets,
                                             slabSizes, ones);
      linalg::FillOp::create(rewriter, loc, fill.getInputs()[0], slab);
    }
  rewriter.eraseOp(fill);
}

/// The view of `source` with each dim d where fixed[d] is set dropped at that
/// index, and every other dim whole.
Value dropFixedDims(OpBuilder &b, Location loc, Value source,
                    ArrayRef<Value> fixed) {
  if (llvm::all_of(fixed, [](Value v) { return !v; }))
    return source;
  auto type = cast<MemRefType>(source.getType());
  SmallVector<OpFoldResult> offsets, sizes,
      strides(type.getRank(), b.getIndexAttr(1));
  SmallVector<int64_t> keptShape;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (fixed[d]) {
      offsets.push_back(fixed[d]);
      sizes.push_back(b.getIndexAttr(1));
      continue;
    }
    offsets.push_back(b.getIndexAttr(0));
    sizes.push_back(memref::getMixedSize(b, loc, source, d));
    keptShape.push_back(type.getDimSize(d));
  }
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      keptShape, type, offsets, sizes, strides);
  return memref::SubViewOp::create(b, loc, viewType, source, offsets, sizes,
                                   strides);
}

Value castToAnyStrided(OpBuilder &b, Location loc, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  return memref::CastOp::create(
      b, loc, anyStrided(type.getRank(), type.getElementType()), memref);
}

Value emptyKernelArgument(OpBuilder &b, Location loc, Type elementType,
                          int64_t rank) {
  SmallVector<int64_t> zeros(rank, 0);
  Value empty =
      memref::AllocaOp::create(b, loc, MemRefType::get(zeros, elementType));
  return castToAnyStrided(b, loc, empty);
}

func::FuncOp kernelDeclaration(ModuleOp module, StringRef name,
                               ArrayRef<int64_t> memrefRanks, int numScalars,
                               ArrayRef<Type> elementTypes) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name))
    return existing;
  MLIRContext *ctx = module.getContext();
  SmallVector<Type> inputs;
  for (auto [i, rank] : llvm::enumerate(memrefRanks))
    inputs.push_back(anyStrided(rank, elementTypes.empty()
                                          ? Float32Type::get(ctx)
                                          : elementTypes[i]));
  inputs.append(numScalars, IntegerType::get(ctx, 64));
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 FunctionType::get(ctx, inputs, {}));
  fn.setPrivate();
  fn->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
  return fn;
}

} // namespace quantc::cpu_kernels
