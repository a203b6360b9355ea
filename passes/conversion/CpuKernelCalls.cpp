//===- CpuKernelCalls.cpp - The runtime kernels as the IR calls them ------===//
#include "passes/conversion/CpuKernelCalls.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

namespace quantc::cpu_kernels {

MemRefType anyStrided(int64_t rank, Type elementType) {
  SmallVector<int64_t> dynamic(rank, ShapedType::kDynamic);
  auto layout = StridedLayoutAttr::get(elementType.getContext(),
                                       ShapedType::kDynamic, dynamic);
  return MemRefType::get(dynamic, elementType, layout);
}

MemRefType anyStridedF32(MLIRContext *ctx, int64_t rank) {
  return anyStrided(rank, Float32Type::get(ctx));
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
