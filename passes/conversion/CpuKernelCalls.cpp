//===- CpuKernelCalls.cpp - The runtime kernels as the IR calls them ------===//
#include "passes/conversion/CpuKernelCalls.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
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

Value viewBase(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<memref::SubViewOp, memref::CastOp, memref::CollapseShapeOp,
             memref::ExpandShapeOp, memref::ViewOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

Value castToAnyStrided(OpBuilder &b, Location loc, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  return memref::CastOp::create(
      b, loc, anyStrided(type.getRank(), type.getElementType()), memref);
}

Value emptyKernelArgument(OpBuilder &b, Location loc, Type elementType) {
  Value empty =
      memref::AllocaOp::create(b, loc, MemRefType::get({0}, elementType));
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
