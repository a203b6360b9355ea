//===- PlanMemory.cpp - qc-plan-memory -------------------------------------===//
//
// Finds the entry function's plannable buffers and their lifetimes, asks
// MemoryPlan.cpp for offsets, and rewrites each buffer as a view of its slice
// of the arena.
//
//===----------------------------------------------------------------------===//
#include "dialects/qc/IR/QcOps.h"
#include "passes/abi/Passes.h"
#include "passes/memory/MemoryPlan.h"
#include "passes/memory/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace quantc {
#define GEN_PASS_DEF_QCPLANMEMORY
#include "passes/memory/Passes.h.inc"
} // namespace quantc

using namespace mlir;
using namespace quantc;

namespace {

constexpr int64_t kArenaAlignment = 64;
constexpr llvm::StringLiteral kArenaFunction = "qc_runtime_arena";

struct Buffer {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  Operation *firstUser; // names the buffer in the plan
  memory::BufferLifetime lifetime;
};

// Bytes per element as the LLVM lowering stores them (i1 and the 4-bit
// types take a byte each), or 0 for a type this pass leaves alone.
int64_t elementBytes(Type type) {
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return std::max<int64_t>(1, llvm::divideCeil(type.getIntOrFloatBitWidth(), 8));
  return 0;
}

class Planner {
public:
  explicit Planner(Block &body) : body(body) {
    int64_t position = 0;
    for (Operation &op : body)
      positions[&op] = position++;
  }

  // The buffer `alloc` and its lifetime, or nothing when it must stay on
  // the heap.
  std::optional<Buffer> analyze(memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    int64_t bytesPerElement = elementBytes(type.getElementType());
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !bytesPerElement || type.getMemorySpace())
      return std::nullopt;
    Buffer buffer{alloc, nullptr, alloc, {}};
    buffer.lifetime.bytes = type.getNumElements() * bytesPerElement;
    int64_t first = INT64_MAX, last = -1;
    bool escapes = false;
    SmallVector<Value> aliases{alloc.getResult()};
    DenseSet<Value> seen{alloc.getResult()};
    while (!aliases.empty()) {
      Value alias = aliases.pop_back_val();
      for (OpOperand &use : alias.getUses()) {
        Operation *user = use.getOwner();
        if (auto dealloc = dyn_cast<memref::DeallocOp>(user)) {
          // Freed here, unconditionally, or somewhere this pass does not
          // follow: then it stays on the heap.
          if (alias != alloc.getResult() || dealloc->getBlock() != &body ||
              buffer.dealloc)
            return std::nullopt;
          buffer.dealloc = dealloc;
          continue;
        }
        Operation *top = body.findAncestorOpInBlock(*user);
        if (!top)
          return std::nullopt;
        int64_t position = positions.lookup(top);
        if (position < first)
          buffer.firstUser = user;
        first = std::min(first, position);
        last = std::max(last, position);
        // Yielded or returned, or its address taken as an integer: the
        // buffer lives on as something this walk does not see, up to its
        // dealloc.
        if (user->hasTrait<OpTrait::IsTerminator>() ||
            isa<memref::ExtractAlignedPointerAsIndexOp>(user))
          escapes = true;
        // Any memref an op makes from this one may alias it (views, casts,
        // loop results): follow them all.
        for (Value result : user->getResults())
          if (isa<BaseMemRefType>(result.getType()) && seen.insert(result).second)
            aliases.push_back(result);
      }
    }
    if (!buffer.dealloc)
      return std::nullopt;
    int64_t allocPosition = positions.lookup(alloc);
    if (last < 0) // never used
      first = last = allocPosition;
    if (escapes)
      last = positions.lookup(buffer.dealloc);
    buffer.lifetime.first = first;
    buffer.lifetime.last = last;
    return buffer;
  }

  // Marks buffers written in place of one an elementwise generic reads for
  // the last time (see the pass description).
  void findInPlace(std::vector<Buffer> &buffers) {
    DenseMap<Value, int64_t> index;
    for (auto [i, buffer] : llvm::enumerate(buffers))
      index[buffer.alloc.getResult()] = i;
    DenseSet<int64_t> donors;
    for (Operation &op : body) {
      auto generic = dyn_cast<linalg::GenericOp>(op);
      if (!generic || generic.getNumDpsInits() != 1 ||
          generic.getNumParallelLoops() != generic.getNumLoops())
        continue;
      OpOperand *init = generic.getDpsInitOperand(0);
      auto out = index.find(init->get());
      if (out == index.end() || generic.payloadUsesValueFromOperand(init))
        continue;
      Buffer &written = buffers[out->second];
      int64_t position = positions.lookup(&op);
      if (written.lifetime.first != position)
        continue;
      for (OpOperand *input : generic.getDpsInputOperands()) {
        auto in = index.find(input->get());
        if (in == index.end() || donors.contains(in->second))
          continue;
        Buffer &read = buffers[in->second];
        if (read.lifetime.last != position ||
            read.alloc.getType() != written.alloc.getType() ||
            generic.getMatchingIndexingMap(input) !=
                generic.getMatchingIndexingMap(init))
          continue;
        // Read through this operand only: another operand with another
        // map would see elements already overwritten.
        if (llvm::count_if(generic->getOperands(), [&](Value v) {
              return v == input->get();
            }) != 1)
          continue;
        written.lifetime.inPlaceOf = in->second;
        donors.insert(in->second);
        break;
      }
    }
  }

private:
  Block &body;
  DenseMap<Operation *, int64_t> positions;
};

struct PlanMemoryPass : public quantc::impl::QcPlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto func = module.lookupSymbol<func::FuncOp>(kEntryFunctionName);
    if (!func || func.isExternal())
      return;
    Block &body = func.getBody().front();
    Planner planner(body);
    std::vector<Buffer> buffers;
    for (auto alloc : body.getOps<memref::AllocOp>())
      if (std::optional<Buffer> buffer = planner.analyze(alloc))
        buffers.push_back(*buffer);
    planner.findInPlace(buffers);

    std::vector<memory::BufferLifetime> lifetimes;
    for (const Buffer &buffer : buffers)
      lifetimes.push_back(buffer.lifetime);
    memory::MemoryPlan plan = memory::planArena(lifetimes, kArenaAlignment);
    record(module, buffers, plan);
    if (buffers.empty())
      return;
    rewrite(module, func, buffers, plan);
  }

  // Each buffer a slice of the arena, one qc_runtime_arena call each, rather
  // than views of one arena pointer: LLVM takes views of one object for
  // accesses whose distance it must know, and gives up vectorizing a loop
  // over two of them ("unknown data dependence"), where it checks distinct
  // objects for overlap at run time and vectorizes.
  void rewrite(ModuleOp module, func::FuncOp func, std::vector<Buffer> &buffers,
               const memory::MemoryPlan &plan) {
    MLIRContext *ctx = &getContext();
    auto sliceType = MemRefType::get({ShapedType::kDynamic},
                                     IntegerType::get(ctx, 8));
    auto i64 = IntegerType::get(ctx, 64);
    auto declaration = module.lookupSymbol<func::FuncOp>(kArenaFunction);
    if (!declaration) {
      OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
      declaration = func::FuncOp::create(
          b, module.getLoc(), kArenaFunction,
          FunctionType::get(ctx, {i64, i64, i64}, {sliceType}));
      declaration.setPrivate();
      declaration->setAttr("llvm.emit_c_interface", UnitAttr::get(ctx));
    }
    // The slices at the top of the body, so that each dominates every use.
    // A buffer written in place of another is the same slice: the op that
    // reads one and writes the other must see one object to vectorize.
    SmallVector<Value> slices(buffers.size());
    OpBuilder top = OpBuilder::atBlockBegin(&func.getBody().front());
    for (auto [index, buffer, offset] :
         llvm::enumerate(buffers, plan.offsets)) {
      if (buffer.lifetime.inPlaceOf >= 0)
        continue;
      Location loc = buffer.alloc.getLoc();
      SmallVector<Value> args;
      for (int64_t v : {plan.arenaBytes, offset, buffer.lifetime.bytes})
        args.push_back(arith::ConstantIntOp::create(top, loc, i64, v));
      slices[index] =
          func::CallOp::create(top, loc, declaration, args).getResult(0);
    }
    for (auto [index, buffer] : llvm::enumerate(buffers)) {
      Value slice = slices[index];
      for (int64_t donor = buffer.lifetime.inPlaceOf; !slice;
           donor = buffers[donor].lifetime.inPlaceOf)
        slice = slices[donor];
      OpBuilder b(buffer.alloc);
      Location loc = buffer.alloc.getLoc();
      Value zero = arith::ConstantIndexOp::create(b, loc, 0);
      auto view = memref::ViewOp::create(b, loc, buffer.alloc.getType(), slice,
                                         zero, ValueRange{});
      buffer.alloc.replaceAllUsesWith(view.getResult());
      buffer.alloc.erase();
      buffer.dealloc.erase();
    }
  }

  // qc.memory_plan on the module, and qc_memory_plan in the library.
  void record(ModuleOp module, const std::vector<Buffer> &buffers,
              const memory::MemoryPlan &plan) {
    MLIRContext *ctx = &getContext();
    Builder b(ctx);
    SmallVector<int64_t> spans;
    SmallVector<Attribute> names;
    for (auto [buffer, offset] : llvm::zip(buffers, plan.offsets)) {
      spans.append({buffer.lifetime.first, buffer.lifetime.last, offset,
                    buffer.lifetime.bytes});
      StringRef name = qc::getOnnxNodeName(buffer.alloc);
      if (name.empty())
        name = qc::getOnnxNodeName(buffer.firstUser);
      names.push_back(b.getStringAttr(name));
    }
    module->setAttr(kMemoryPlanAttr,
                    b.getDictionaryAttr({
                        b.getNamedAttr("arena_bytes", b.getI64IntegerAttr(plan.arenaBytes)),
                        b.getNamedAttr("lower_bound_bytes",
                                       b.getI64IntegerAttr(plan.lowerBoundBytes)),
                        b.getNamedAttr("naive_bytes", b.getI64IntegerAttr(plan.naiveBytes)),
                        b.getNamedAttr("buffers", b.getDenseI64ArrayAttr(spans)),
                        b.getNamedAttr("names", b.getArrayAttr(names)),
                    }));
    if (auto old = module.lookupSymbol(kMemoryPlanSymbol))
      old->erase();
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto i64 = IntegerType::get(ctx, 64);
    auto arrayType = LLVM::LLVMArrayType::get(i64, 4);
    SmallVector<int64_t> summary{plan.arenaBytes, plan.lowerBoundBytes,
                                 plan.naiveBytes, int64_t(buffers.size())};
    LLVM::GlobalOp::create(
        builder, module.getLoc(), arrayType, /*isConstant=*/true,
        LLVM::Linkage::External, kMemoryPlanSymbol,
        DenseIntElementsAttr::get(RankedTensorType::get({4}, i64), summary));
  }
};

} // namespace
