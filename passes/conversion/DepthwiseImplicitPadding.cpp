//===- DepthwiseImplicitPadding.cpp - qc-depthwise-implicit-padding -------===//
//
// A padded depthwise convolution reads a buffer that holds its input inside
// a border of zeros: the producer writes the interior (a view), and fills
// write the border, on the main thread before every run, touching a cache
// line or two of every row of every channel. The producer's GEMM also has
// to write rows that are not contiguous (each interior row then a gap),
// through its masked edge path. The depthwise kernel reads zero padding
// itself (masked loads around its input, runtime/src/kernels), so here the
// padded buffer becomes a dense one the size of the interior: the border
// fills go, the interior's writers and readers get the dense buffer, and
// the call gets the padding's top and left widths.
//
//===----------------------------------------------------------------------===//
#include "passes/conversion/CpuKernelCalls.h"
#include "passes/conversion/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"

namespace quantc {
#define GEN_PASS_DEF_QCDEPTHWISEIMPLICITPADDING
#include "passes/conversion/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc::cpu_kernels;

namespace {

// The depthwise call's operands (CpuKernelCalls.h's kDepthwise).
constexpr unsigned kXOperand = 0, kPadTopOperand = 9, kPadLeftOperand = 10;

/// What a padded input buffer is made of, when it is only that: `buffer`,
/// an allocation of static shape; `fills` of zero, of it or of views of it
/// (its border); one `interior` view with unit strides, whole along batch
/// and channels, which everything else writes and reads through (memref
/// casts, linalg ops, copies); `cast`, its cast for the depthwise call,
/// which nothing else uses; and deallocations.
struct PaddedInput {
  memref::AllocOp buffer;
  SmallVector<Operation *> fills; // linalg.fill, each with its view if any
  memref::SubViewOp interior;
  memref::CastOp cast;
  SmallVector<memref::DeallocOp> deallocs;
};

bool isZeroFill(Operation *op, Value target) {
  auto fill = dyn_cast<linalg::FillOp>(op);
  return fill && fill.getOutputs()[0] == target &&
         matchPattern(fill.getInputs()[0], m_AnyZeroFloat());
}

/// The dense buffer that replaces the interior view: its shape, the
/// identity layout.
MemRefType denseTypeOf(memref::SubViewOp interior) {
  return MemRefType::get(interior.getType().getShape(),
                         interior.getType().getElementType());
}

/// Whether the interior's users are ones its dense replacement can take
/// unchanged: casts whose type the dense buffer casts to as well (a
/// dynamic strided one, as kernel calls take), linalg ops, copies.
bool interiorUsersRetargetable(memref::SubViewOp interior) {
  MemRefType dense = denseTypeOf(interior);
  return llvm::all_of(interior->getUsers(), [&](Operation *user) {
    if (auto cast = dyn_cast<memref::CastOp>(user))
      return memref::CastOp::areCastCompatible(TypeRange{dense},
                                               TypeRange{cast.getType()});
    return isa<linalg::LinalgOp, memref::CopyOp>(user);
  });
}

std::optional<PaddedInput> paddedInputOf(func::CallOp call) {
  auto cast = call.getOperand(kXOperand).getDefiningOp<memref::CastOp>();
  if (!cast || !cast->hasOneUse())
    return std::nullopt;
  auto buffer = cast.getSource().getDefiningOp<memref::AllocOp>();
  if (!buffer || !buffer.getType().hasStaticShape() ||
      buffer.getType().getRank() != 4 || buffer->getBlock() != call->getBlock())
    return std::nullopt;
  PaddedInput padded{buffer, {}, nullptr, cast, {}};
  for (Operation *user : buffer->getUsers()) {
    if (user == cast)
      continue;
    if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
      padded.deallocs.push_back(dealloc);
      continue;
    }
    if (isZeroFill(user, buffer)) {
      padded.fills.push_back(user);
      continue;
    }
    auto view = dyn_cast<memref::SubViewOp>(user);
    if (!view)
      return std::nullopt;
    // A border view: zero fills are all that use it.
    if (!view->use_empty() &&
        llvm::all_of(view->getUsers(), [&](Operation *viewUser) {
          return isZeroFill(viewUser, view);
        })) {
      for (Operation *fill : view->getUsers())
        padded.fills.push_back(fill);
      continue;
    }
    if (padded.interior)
      return std::nullopt;
    padded.interior = view;
  }
  memref::SubViewOp interior = padded.interior;
  if (!interior || !interior.hasUnitStride() ||
      interior.getType().getRank() != 4 ||
      !interior.getType().hasStaticShape() ||
      llvm::any_of(interior.getStaticOffsets(), ShapedType::isDynamic))
    return std::nullopt;
  ArrayRef<int64_t> offsets = interior.getStaticOffsets();
  ArrayRef<int64_t> sizes = interior.getType().getShape();
  ArrayRef<int64_t> whole = buffer.getType().getShape();
  if (offsets[0] != 0 || offsets[1] != 0 || sizes[0] != whole[0] ||
      sizes[1] != whole[1] || !interiorUsersRetargetable(interior))
    return std::nullopt;
  // The zeros the kernel will assume must be the buffer's border when it
  // reads it: every fill comes before the interior's first writer (a fill
  // after it would zero the interior too) and before the call.
  Block *block = call->getBlock();
  for (Operation *fill : padded.fills) {
    if (fill->getBlock() != block || !fill->isBeforeInBlock(call))
      return std::nullopt;
    for (Operation *user : interior->getUsers()) {
      Operation *at = block->findAncestorOpInBlock(*user);
      if (!at || !fill->isBeforeInBlock(at))
        return std::nullopt;
    }
  }
  return padded;
}

void useDenseInput(func::CallOp call, PaddedInput padded) {
  OpBuilder b(padded.buffer);
  memref::SubViewOp interior = padded.interior;
  auto dense =
      memref::AllocOp::create(b, padded.buffer.getLoc(), denseTypeOf(interior),
                              padded.buffer.getAlignmentAttr());
  interior.getResult().replaceAllUsesWith(dense.getResult());
  padded.cast.getSourceMutable().assign(dense);
  ArrayRef<int64_t> offsets = interior.getStaticOffsets();
  b.setInsertionPoint(call);
  for (auto [operand, pad] :
       {std::pair{kPadTopOperand, offsets[2]}, {kPadLeftOperand, offsets[3]}})
    call->setOperand(operand,
                     arith::ConstantIntOp::create(b, call.getLoc(), pad, 64));
  for (memref::DeallocOp dealloc : padded.deallocs)
    dealloc.getMemrefMutable().assign(dense);
  for (Operation *fill : padded.fills) {
    Value target = cast<linalg::FillOp>(fill).getOutputs()[0];
    fill->erase();
    if (target != padded.buffer.getResult() && target.use_empty())
      target.getDefiningOp()->erase();
  }
  interior->erase();
  padded.buffer->erase();
}

struct DepthwiseImplicitPadding
    : quantc::impl::QcDepthwiseImplicitPaddingBase<DepthwiseImplicitPadding> {
  void runOnOperation() override {
    SmallVector<func::CallOp> calls;
    getOperation()->walk([&](func::CallOp call) {
      if (call.getCallee() == kDepthwise &&
          call.getNumOperands() == kPadLeftOperand + 1 &&
          matchPattern(call.getOperand(kPadTopOperand), m_Zero()) &&
          matchPattern(call.getOperand(kPadLeftOperand), m_Zero()))
        calls.push_back(call);
    });
    for (func::CallOp call : calls)
      if (std::optional<PaddedInput> padded = paddedInputOf(call))
        useDenseInput(call, *padded);
  }
};

} // namespace
