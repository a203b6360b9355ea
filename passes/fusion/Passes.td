//===- Passes.td - fusion ----------------------------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_FUSION
#define QUANTC_PASSES_FUSION

include "mlir/Pass/PassBase.td"

def QcFoldTransposesIntoContractions
    : Pass<"qc-fold-transposes-into-contractions", "mlir::ModuleOp"> {
  let summary = "Let float contractions read and write through transposes "
                "instead of copying";
  let description = [{
    Runs on linalg on tensors, before qc-fuse-elementwise. A
    `linalg.transpose` whose result a float contraction (`linalg.generic`
    with a multiply-accumulate body and projected-permutation maps, as
    MatMul lowers to) reads is dropped: the contraction reads the
    transpose's input through its map with the results permuted. A
    transpose of such a contraction's result (its only use), where the
    contraction starts from a fill, is dropped too: the contraction fills
    the transpose's destination and writes it through its output map with
    the results permuted. qc-linalg-to-cpu-kernels then hands the GEMM
    kernel strided views of the untransposed buffers; nothing is copied.
    Attention's head split and merge (Reshape + Transpose on either side of
    its two batched MatMuls) are the case this is for. Transposes read by
    other ops stay copies: an elementwise loop reading through a permuted
    map walks memory with a stride and vectorizes badly.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
  ];
}

def QcFuseElementwise : Pass<"qc-fuse-elementwise", "mlir::ModuleOp"> {
  let summary = "Fuse elementwise producers into their consumers on tensors";
  let description = [{
    Runs on linalg on tensors, before bufferization. An elementwise
    `linalg.generic` whose result a later `linalg.generic` reads (another
    elementwise op, or a reduction such as LayerNorm's or Softmax's) is
    computed inside that consumer instead of being written to memory and
    read back, when the cost model (compiler/costmodel) says it is cheaper:
    a producer with one user always is; one with several users stays
    materialized (fusing would compute it again for nothing); a contraction
    consumer is never fused into, so that it keeps the runtime's GEMM
    kernel. Chains fuse transitively (Add -> Sigmoid -> Mul becomes one
    loop nest), so each group becomes one kernel. Upstream's elementwise
    fusion patterns do the rewriting; this pass decides.

    With `print-decisions`, every decision is printed to stderr, one line
    each: the ops by their ONNX names, yes or no, why, and the roofline
    time of the two ops apart and fused.
  }];
  let options = [
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each fusion decision and its reason to stderr">,
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def QcFusePadIntoProducer : Pass<"qc-fuse-pad-into-producer", "mlir::ModuleOp"> {
  let summary = "Compute an elementwise op straight into the padded buffer its consumer reads";
  let description = [{
    Runs on linalg on tensors, after qc-fuse-elementwise. A `tensor.pad`
    whose source is a `linalg` op with only parallel loops (an elementwise
    group such as a convolution's activation) becomes a fill of the pad
    value, the producer computed into an `extract_slice` of the filled
    tensor, and an `insert_slice` back: after bufferization the producer
    writes the middle of the padded buffer in place and the copy the pad
    made is gone. Upstream's pattern
    (`populateFuseTensorPadWithProducerLinalgOpPatterns`) does the rewrite;
    the padded tensor is then a `bufferization.alloc_tensor` rather than a
    `tensor.empty`, so that CSE cannot merge two pads' buffers into one that
    bufferization would have to copy for each.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::bufferization::BufferizationDialect",
  ];
}

def QcCollapseDims : Pass<"qc-collapse-dims", "mlir::ModuleOp"> {
  let summary = "Merge adjacent loop dims that every operand walks contiguously";
  let description = [{
    Runs on linalg on tensors, after fusion and before bufferization. In a
    `linalg.generic` whose indexing maps are projected permutations,
    adjacent loop dims of one iterator type that every operand either
    indexes as the same consecutive dims or not at all become one dim (the
    operands are reshaped by collapse_shape, a view, and the results
    expanded back). An NCHW elementwise op over [1, C, 7, 7] with a
    per-channel operand becomes [C, 49]: its innermost loop runs 49 times,
    which LLVM vectorizes, rather than 7, which it leaves scalar. A float
    op beside a convolution that qc-linalg-to-cpu-kernels takes into the
    convolution's call, which it matches only in NCHW form, keeps its dims:
    one that writes an operand the convolution reads (its bias broadcast,
    its padded input), or one without math ops or divisions that reads its
    result (Relu, Clip, a residual add, a copy into padding). A SiLU after a
    convolution is merged. Upstream's collapse-dimensions pattern does the
    rewriting; this pass picks the groups.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
  ];
}

def QcReciprocalDivisors : Pass<"qc-reciprocal-divisors", "mlir::ModuleOp"> {
  let summary = "Divide by a constant or by one value per row as a "
                "multiplication by its reciprocal";
  let description = [{
    Runs on linalg on tensors, after the fusion passes. In a linalg.generic's
    body, `x / c` with `c` an f32 constant whose reciprocal is a normal float
    becomes `x * (1/c)`; in an all-parallel generic, `x / d` with `d`
    computed only from inputs that do not vary along the innermost loop
    (softmax's row sum, LayerNorm's deviation) becomes `x * r`, `r` = 1/d
    computed once per row by a new generic over the outer loops and read as
    an extra input. A division costs several multiplications, and LLVM
    cannot hoist `d`'s loads and arithmetic out of the inner loop itself
    (the arena's buffers may alias, as far as it knows). Results differ
    from the division by about an ulp. A constant divisor below 2^-126 in
    magnitude stays a division; a row's is scaled by 2^64 first (x / d =
    (x * s) * (1 / (d * s)), s per row too), so that its reciprocal stays
    finite where x / d is.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
  ];
}

#endif
