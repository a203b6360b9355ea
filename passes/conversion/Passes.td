//===- Passes.td - conversions out of qc -------------------*- tablegen -*-===//
#ifndef QUANTC_PASSES_CONVERSION
#define QUANTC_PASSES_CONVERSION

include "mlir/Pass/PassBase.td"

def QcToLinalg : Pass<"qc-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower qc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Each qc op becomes linalg ops on tensors (named ops where one fits, such
    as `linalg.conv_2d_nchw_fchw`, `linalg.transpose`; `linalg.generic`
    otherwise), with ONNX broadcasting expressed in indexing maps. Requires
    static shapes: an op with a dynamic dim is an error naming it.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def QcExpandSmallFloatCasts : Pass<"qc-expand-small-float-casts"> {
  let summary = "Expand casts to and from bf16, float8 and float4 into integer "
                "arithmetic";
  let description = [{
    `arith.extf` and `arith.truncf` with bf16 (upstream's expansion) or a
    float of at most 8 bits with a sign (f8E4M3FN, f8E4M3FNUZ, f8E5M2,
    f8E5M2FNUZ, f4E2M1FN, ...) on either side become bit arithmetic on i32:
    extension is exact; truncation rounds to nearest even and overflows to
    inf, else NaN, else the largest value, as the format allows. Sources and
    results other than f32 go through f32. LLVM cannot lower these casts on
    x86 by itself.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QcApproximateMath : Pass<"qc-approximate-math"> {
  let summary = "Replace f32 exp, expm1, erf, tanh, log, log1p and log2 with "
                "polynomial approximations LLVM can vectorize";
  let description = [{
    Upstream's approximations (populateMathPolynomialApproximationPatterns,
    accurate to a few ulp in f32, handling overflow, underflow, infinities
    and NaN), restricted to the functions listed: a libm call per element
    keeps a loop scalar. erf is ours: one rational function of degrees 13
    and 8 on x clamped to [-4, 4] (Eigen's and XLA's; error at most 4.5e-7),
    where upstream's picks one of three per element with compares and
    blends, twice the work in GELU. Other float types keep their libm calls.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def QcLinalgToCpuKernels : Pass<"qc-linalg-to-cpu-kernels", "mlir::ModuleOp"> {
  let summary = "Replace f32 contractions and 2-D convolutions on memrefs "
                "with calls to the runtime's GEMM kernels";
  let description = [{
    Runs after bufferization. A linalg op whose body multiplies and
    accumulates over one reduction dim (MatMul, Gemm, batch matmul), with an
    M and an N dim and plain (projected permutation) indexing maps, becomes
    a call to `qc_kernel_matmul_f32` per value of its other parallel dims
    (scf.for loops), on strided subviews of its operands.
    `linalg.conv_2d_nchw_fchw` becomes one call to
    `qc_kernel_conv2d_nchw_f32` (an implicit GEMM per image) and
    `linalg.conv_2d_ngchw_gfchw` one call per group;
    `linalg.depthwise_conv_2d_nchw_chw` one
    call to `qc_kernel_depthwise_conv2d_nchw_f32`. The kernels accumulate
    into the output buffer, which holds the op's init, or start from the
    bias whose broadcast made that init (the broadcast goes). A Relu, Clip
    or copy right after a convolution is done by its kernel as it stores,
    in place or into the buffer the copy wrote (the convolution's own
    buffer then goes); a residual add (and a clamp after it) right after a
    `linalg.conv_2d_nchw_fchw` makes the call
    `qc_kernel_conv2d_nchw_add_f32`, which adds the other operand (laid out
    as the sum) once. The runtime picks the
    AVX-512, AVX2 or generic micro-kernel when a context is created and runs
    the GEMM on the context's threads. Every other op is left alone.
  }];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
  ];
}

def QcDepthwiseImplicitPadding
    : Pass<"qc-depthwise-implicit-padding", "mlir::ModuleOp"> {
  let summary = "Let depthwise kernel calls read their zero padding "
                "instead of a padded copy";
  let description = [{
    Runs after qc-linalg-to-cpu-kernels. A call of
    `qc_kernel_depthwise_conv2d_nchw_f32` whose input is an allocation
    that holds the real input in an interior view (unit strides, whole
    along batch and channels) and zeros around it, written by fills of
    zero, of the buffer or of views of its border, that come before the
    interior is written, and that nothing else reads: the buffer becomes a
    dense one of the interior's shape, which the interior's writers and
    readers (casts, linalg ops, copies) use instead; the fills go; and the
    call's last two operands, the padding above and left of the input,
    become the interior's offsets. The kernel treats whatever its windows
    read outside the input as zero. Anything else is left alone.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def QcReductionsToLoops : Pass<"qc-reductions-to-loops"> {
  let summary = "Lower innermost reductions to loops that carry their "
                "accumulators in registers";
  let description = [{
    A `linalg.generic` on buffers whose reduction dims all come after its
    parallel dims (a reduction over the last axes: softmax's max and sum,
    LayerNorm's mean and variance, with whatever was fused into them)
    becomes scf.for loops: the parallel dims outer, then the reduction dims,
    which carry the outputs' values as iter_args (loaded once before, stored
    once after) instead of loading and storing the output buffer on every
    step, as the generic lowering (convert-linalg-to-loops) does. The ops
    that combine into an accumulator are marked `reassoc`, so that LLVM's
    loop vectorizer may reduce in vector lanes. In an op of 32768 or more
    iterations (static sizes), the outermost parallel loop of two or more
    iterations is marked `qc.share_among_threads` for qc-parallelize-loops.
    Other ops are left alone.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
  ];
}

def QcParallelizeLoops : Pass<"qc-parallelize-loops"> {
  let summary = "Lower large elementwise ops and outer-parallel reductions to "
                "loops whose outer loop is an OpenMP worksharing loop";
  let description = [{
    Runs on buffers, after qc-reductions-to-loops and before
    convert-linalg-to-loops. A `linalg.generic` whose outermost loop is
    parallel, with static sizes and at least 32768 iterations in all,
    becomes its scf.for loop nest with the outermost loop of two or more
    iterations and no reduction outside it made an `omp.parallel` holding
    an `omp.wsloop nowait` (the batch dim of 1 is skipped; the inner loops
    stay serial, so that LLVM vectorizes the innermost). An scf.for marked
    `qc.share_among_threads` (a large reduction over inner dims, lowered by
    qc-reductions-to-loops) becomes one as it is. LLVM's OpenMP IR builder
    emits it as libomp calls, which the runtime serves on the context's
    thread pool (runtime/src/kernels/OpenMpEntries.cpp). Smaller ops,
    reductions over the outermost dim and ops with run-time sizes are left
    to convert-linalg-to-loops.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect", "::mlir::omp::OpenMPDialect",
  ];
}

def QcPrepackWeights : Pass<"qc-prepack-weights", "mlir::ModuleOp"> {
  let summary = "Pack the GEMM kernels' constant operands at compile time";
  let description = [{
    Runs after qc-linalg-to-cpu-kernels. Where a kernel call's operand is a
    constant f32 global, seen through views with a static layout (whole,
    transposed, or a slice at a fixed offset), its values are packed at
    compile time into the panels the runtime's micro-kernels read
    (runtime/src/kernels/PanelLayout.h), and the call goes to the kernel's
    packed variant, which then packs only the activation per run:

    - `qc_kernel_matmul_f32` whose B is a constant becomes
      `qc_kernel_matmul_packed_b_f32` (B in 16-column panels); one whose A
      is (and B is not) becomes `qc_kernel_matmul_packed_a_f32` (A in
      12-row panels);
    - `qc_kernel_conv2d_nchw_f32` (and `_add_f32`) whose filter is a
      constant becomes `qc_kernel_conv2d_nchw_packed_f32` (`_packed_add_f32`)
      with three more scalars: the kernel's height and width, and the
      filter layout (PanelLayout.h's FilterLayout). The cost model picks
      the layout: the filter as the implicit GEMM's A, [F, C*KH*KW], in
      12-row panels (0: the vectors run over pixels), or, where the output
      has few pixels and the vectors would be fuller over filters (a 7x7
      map and 128 filters or more), as the transposed product's B,
      [C*KH*KW, F], in 16-column panels (1). The output's pixel count must
      be static for that; otherwise it is 0.

    A view whose offset moves with a loop is left alone. Each packed view is
    made once, as a private constant global named after its weight
    (`@w_packed_a`, `@w_packed_b`, then `_0`, `_1`, ... for other views of
    the same weight); a weight nothing else reads is dropped. The layout is
    the same for every ISA, so the library still picks AVX-512, AVX2 or
    generic code when it loads.

    With `print-decisions`, each convolution's layout decision is printed
    to stderr (`conv-vectors: yes|no ...`).
  }];
  let options = [
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each convolution's filter-layout decision to stderr">,
  ];
  let dependentDialects = [
    "::mlir::func::FuncDialect", "::mlir::memref::MemRefDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif
