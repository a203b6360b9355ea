//===- QcControlFlowOps.td - ONNX If -----------------------*- tablegen -*-===//
//
// ONNX control flow: If, Loop and Scan, whose subgraphs are regions. An If
// branch has no arguments; a Loop or Scan body has the subgraph's inputs as
// block arguments. Every region ends in qc.Yield with the subgraph's outputs.
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

def Qc_LoopOp : Qc_Op<"Loop", [
    Qc_RunTimeDims, RecursiveMemoryEffects, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<Qc_ShapeInferenceOpInterface>]> {
  let summary = "ONNX Loop: runs its body up to M times while cond holds";
  let description = [{
    `M` (a one-element int64 tensor, the most iterations) and `cond` (a
    one-element bool, checked before each iteration) may each be left out.
    The body's arguments are the iteration number (`tensor<i64>`), the
    condition and the loop-carried values; it yields the next condition, the
    next carried values and then one value per scan output. The results are
    the final carried values, then each scan output's values stacked along a
    new axis 0, as long as the number of iterations run.

    `body_output_types` holds the types the model declares for the body's
    outputs (unranked where it declares no shape). Shape inference trusts a
    declared dim that it cannot infer itself (a carried `float[1]` computed
    by a Slice at the iteration number); the lowering checks it at run time
    and gives NaN (0 for integers) where the model broke its word.
    A carried value must keep its shape from one iteration to the next.
  }];
  let arguments = (ins Optional<AnyTensor>:$M, Optional<AnyTensor>:$cond,
                   Variadic<AnyTensor>:$v_initial,
                   OptionalAttr<TypeArrayAttr>:$body_output_types);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
  let assemblyFormat = [{
    (`max` $M^ `:` type($M))? (`cond` $cond^ `:` type($cond))?
    (`carried` `(` $v_initial^ `:` type($v_initial) `)`)?
    `->` `(` type($outputs) `)` attr-dict-with-keyword $body
  }];
  let extraClassDeclaration = [{
    YieldOp getYield();
    /// Sets the body's argument types from the operands', before the body
    /// is inferred.
    mlir::LogicalResult inferBodyArguments();
    /// True when nothing but M ends the loop: cond is left out, or it is a
    /// constant true that the body passes on unchanged (or yields true).
    bool onlyTripCountEnds();
    /// M when it is a constant (negative counts as 0).
    std::optional<int64_t> getConstantTripLimit();
    unsigned getNumCarried() { return getVInitial().size(); }
    unsigned getNumScanOutputs() { return getNumResults() - getNumCarried(); }
  }];
}

def Qc_ScanOp : Qc_Op<"Scan", [
    Qc_RunTimeDims, RecursiveMemoryEffects,
    DeclareOpInterfaceMethods<Qc_ShapeInferenceOpInterface>]> {
  let summary = "ONNX Scan: runs its body once per slice of its scan inputs";
  let description = [{
    The inputs are the initial states, then `num_scan_inputs` scan inputs.
    Iteration t gives the body the states and slice t of each scan input
    along its `scan_input_axes` axis (from the end where its
    `scan_input_directions` entry is 1); the body yields the next states and
    one slice per scan output, stacked along `scan_output_axes` (from the
    end where `scan_output_directions` says 1). The results are the final
    states, then the scan outputs.

    `batched` is opset 8's form: every input and result has a leading batch
    dim that the body does not see, and the axes and directions are those
    of one batch element (opset 8's scan axis, 1, is axis 0 there). The
    importer turns opset 8's `directions` into `scan_input_directions` and
    refuses its `sequence_lens`.
    `body_output_types` is as for qc.Loop.
  }];
  let arguments = (ins Variadic<AnyTensor>:$inputs, I64Attr:$num_scan_inputs,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_input_directions,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_axes,
                   OptionalAttr<DenseI64ArrayAttr>:$scan_output_directions,
                   UnitAttr:$batched,
                   OptionalAttr<TypeArrayAttr>:$body_output_types);
  let results = (outs Variadic<AnyTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $inputs `:` `(` type($inputs) `)` `->` `(` type($outputs) `)`
    attr-dict-with-keyword $body
  }];
  let extraClassDeclaration = [{
    YieldOp getYield();
    /// As qc.Loop's: the states' and the scan slices' types.
    mlir::LogicalResult inferBodyArguments();
    unsigned getNumStates() {
      return getInputs().size() - getNumScanInputs();
    }
    unsigned getNumScanOutputs() { return getNumResults() - getNumStates(); }
    /// The axis and direction (true: reverse) of scan input / output `i`,
    /// the axis in [0, rank) of the per-batch tensor of `rank` dims (a scan
    /// output's rank counts its stacking axis).
    int64_t getInputAxis(unsigned i, int64_t rank);
    int64_t getOutputAxis(unsigned i, int64_t rank);
    bool isInputReversed(unsigned i);
    bool isOutputReversed(unsigned i);
  }];
}

def Qc_YieldOp : Qc_Op<"Yield", [
    Pure, Terminator, ParentOneOf<["IfOp", "LoopOp", "ScanOp"]>,
    Qc_RunTimeDims]> {
  let summary = "The outputs of an If branch or a Loop or Scan body";
  let arguments = (ins Variadic<AnyTensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // QUANTC_QC_CONTROL_FLOW_OPS
