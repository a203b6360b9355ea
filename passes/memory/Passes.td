//===- Passes.td - memory planning -------------------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_MEMORY
#define QUANTC_PASSES_MEMORY

include "mlir/Pass/PassBase.td"

def QcPlanMemory : Pass<"qc-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place the entry function's intermediate buffers in one arena";
  let description = [{
    Runs after bufferization and buffer deallocation. Every `memref.alloc`
    in the body of `qc_main` (not nested in a loop or branch) with a static
    shape, an identity layout and an unconditional `memref.dealloc` in the
    same block becomes a `memref.view` of its slice of the context's
    activation arena, at a fixed byte offset, which the function gets from
    the runtime at its start (`qc_runtime_arena(arena bytes, offset,
    bytes)`, one call per buffer, so that LLVM sees distinct objects and
    vectorizes loops over several of them with run-time overlap checks; a
    buffer written in place of another shares its slice); its dealloc goes
    away.

    A buffer is live from its first use to its last, counting uses of every
    view of it and positions in the function body (an op with regions is
    one position). A buffer whose view escapes the body's analysis (yielded
    out of a loop, say) is live until its dealloc. An all-parallel
    `linalg.generic` that reads a buffer for the last time through the same
    indexing map it writes a fresh buffer of the same size with, and never
    reads its output, writes in place: the two share one slot.

    Offsets come from greedy-by-size best-fit placement (MemoryPlan.h),
    64-byte aligned. The plan is recorded on the module as `qc.memory_plan`
    (arena bytes, liveness lower bound, naive sum, and per buffer its span,
    offset, size and the op that allocated it) and in the library as
    `qc_memory_plan`, an int64 array {arena bytes, lower bound, naive sum,
    buffer count} the runtime sizes each context's arena from and
    `quantc inspect` prints. Buffers with a run-time size, nested ones and
    those the function returns stay on the heap.
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::LLVM::LLVMDialect",
  ];
}

#endif
