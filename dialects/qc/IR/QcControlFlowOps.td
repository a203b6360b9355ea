//===- QcControlFlowOps.td - ONNX If -----------------------*- tablegen -*-===//
//
// ONNX control flow: If, whose branches are subgraphs. Loop and Scan are not
// here yet; the importer refuses them by name.
//
//===----------------------------------------------------------------------===//
#ifndef QUANTC_QC_CONTROL_FLOW_OPS
#define QUANTC_QC_CONTROL_FLOW_OPS


def Qc_IfOp : Qc_Op<"If", [
    // Not Qc_SignednessAgnostic: its generic retyping would drop the
    // regions; the If's own lowering converts its types.
    Qc_RunTimeDims, RecursiveMemoryEffects, NoRegionArguments,
    DeclareOpInterfaceMethods<Qc_ShapeInferenceOpInterface>]> {
  let summary = "ONNX If: runs one of two subgraphs, chosen by a bool";
  let description = [{
    `cond` is a one-element bool tensor. Each branch is the ONNX subgraph
    (`then_branch`, `else_branch`) in one block that ends in `qc.Yield` with
    the subgraph's outputs; like an ONNX subgraph it has no arguments and
    reads values of the enclosing graph directly. Shape inference infers both
    branches, then each result joins the two branches' types: same element
    type and rank, and a dim on which they differ becomes `?`. When the
    condition is a constant, the taken branch replaces the op.
  }];
  let arguments = (ins AnyTensor:$cond);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$then_branch,
                        SizedRegion<1>:$else_branch);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let assemblyFormat = [{
    $cond `:` type($cond) `->` `(` type($outputs) `)` attr-dict-with-keyword
    `then` $then_branch `else` $else_branch
  }];
  let extraClassDeclaration = [{
    /// The yield that ends a branch (0: then, 1: else).
    YieldOp getYield(unsigned branch);
    /// The condition's value when it is a constant.
    std::optional<bool> getConstantCondition();
    /// Moves the ops of branch `taken` (0: then, 1: else) before the op,
    /// replaces the op's results with what that branch yields and erases
    /// the op.
    void inlineBranch(mlir::RewriterBase &rewriter, unsigned taken);
  }];
}

def Qc_YieldOp : Qc_Op<"Yield", [
    Pure, Terminator, HasParent<"IfOp">, Qc_RunTimeDims]> {
  let summary = "The outputs of an If branch";
  let arguments = (ins Variadic<AnyTensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // QUANTC_QC_CONTROL_FLOW_OPS
