//===- QcEinsumOps.td - Einsum -----------------------------*- tablegen -*-===//
#ifndef QUANTC_QC_EINSUM_OPS
#define QUANTC_QC_EINSUM_OPS

def Qc_EinsumOp : Qc_OnnxOp<"Einsum", [Qc_SignednessAgnostic]> {
  let summary = "ONNX Einsum (explicit and implicit output, ellipsis, "
                "repeated subscripts for diagonals)";
  let arguments = (ins Variadic<AnyTensor>:$Inputs, StrAttr:$equation);
  let results = (outs AnyTensor:$Output);
  let extraClassDeclaration = [{
    /// The equation as one loop nest: a loop per ellipsis dim and per
    /// letter; each input and the output index the loops (or 0, for an
    /// ellipsis dim an input broadcasts).
    struct Plan {
      llvm::SmallVector<int64_t> loopSizes;
      llvm::SmallVector<bool> isReduction;
      /// Per input then the output: per tensor dim, the loop it reads
      /// (-1: the constant 0 of a broadcast dim).
      llvm::SmallVector<llvm::SmallVector<int64_t>> operandLoops;
    };
    /// Parses the equation against the (static) input shapes.
    mlir::FailureOr<Plan> getPlan();
  }];
}

#endif // QUANTC_QC_EINSUM_OPS
