//===- Passes.td - quantization passes on the qc dialect ---*- tablegen -*-===//
#ifndef QUANTC_PASSES_QUANT
#define QUANTC_PASSES_QUANT

include "mlir/Pass/PassBase.td"

def QcQuantizeDynamic : Pass<"qc-quantize-dynamic", "mlir::ModuleOp"> {
  let summary = "int8 weights, activations quantized at run time "
                "(`--quantize=int8-dynamic`)";
  let description = [{
    Runs after qc-shape-inference. Rewrites, in float32 models:

    - MatMul(A, W) and Gemm(A, W, C) (transA = 0) whose W is a constant 2-D
      float32 matrix: W becomes int8, symmetric per output column
      (scale = max |W[:, n]| / 127, zero point 0), computed here once; A is
      quantized when the model runs by DynamicQuantizeRows (uint8, each row
      with the scale and zero point of its own range); MatMulInteger
      multiplies them in int32, and the result is cast to float32 and
      scaled by the row's scale x W's column scale (times Gemm's alpha),
      then beta x C is added. This is onnxruntime's `quantize_dynamic`
      graph with per-row activation and per-column weight scales where it
      has one scale per tensor for each.
    - Gather(D, indices) on axis 0 of a constant 2-D float32 table D (an
      embedding): D becomes int8, symmetric per row, and the gathered rows
      are scaled by their gathered scales. The table, often the largest
      weight of a language model, shrinks 4x.

    - With `activation-products`, a MatMul of two float32 activations of
      the same rank (3 or more) and batch dims, an attention's Q x K^T or
      P x V: both are quantized when the model runs, A per row and B per
      column (DynamicQuantizeRows of B's transpose), and MatMulInteger
      multiplies them per batch. A Div or Mul of the product by a one-value
      constant (1 / sqrt(d)) moves onto A, so that the GEMM's epilogue
      writes the scaled scores. Off by default: onnxruntime's
      quantize_dynamic keeps these products in float too, and on
      MiniLM-L6 (head dim 32) the int8 products plus the quantization and
      transposes around them took longer than the float ones.

    Every other op stays in float32. With `print-decisions`, each candidate
    is printed with the node's ONNX name and why it was or was not
    quantized.
  }];
  let options = [
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each quantization decision and its reason to stderr">,
    Option<"activationProducts", "activation-products", "bool", "false",
           "Quantize MatMuls of two activations (attention) at run time too">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcFoldQdq : Pass<"qc-fold-qdq", "mlir::ModuleOp"> {
  let summary = "Convolutions and products of DequantizeLinear results "
                "run on the integers";
  let description = [{
    Runs after qc-shape-inference, on every model (it changes nothing in a
    model without QDQ pairs). `Q(Conv(DQ(x), DQ(w), b))` with constant
    weights and scales, x and y quantized per tensor, w per tensor or per
    output channel, and the Conv read only by the QuantizeLinear, becomes
    `QLinearConv(x, .., w, .., y_scale, y_zero_point, B)` with the int32
    bias B = round(b / (x_scale * w_scale)) computed here (b a constant or
    DequantizeLinear of one), as onnxruntime runs such a model. The
    convolution then runs on the int8 GEMM instead of dequantizing its
    weights on every call.

    A `Conv(DQ(x), DQ(w), b)` whose result is not quantized again becomes
    `ConvInteger(x, w)` scaled back to float per channel, plus b (a
    constant, or DequantizeLinear of one).

    MatMul and Gemm (transA = 0) of `DQ(x)` and `DQ(w)`, x per tensor and w
    a constant per tensor or per output column, become `MatMulInteger(x, w)`
    (w stored [K, N], transposed here for transB) scaled back to float by
    x_scale * w_scale * alpha, plus beta * C: the product runs on the int8
    GEMM, and what read it (a QuantizeLinear, usually) reads the same float
    result.
  }];
  let statistics = [
    Statistic<"folds", "folded-convs", "Convolutions folded into QLinearConv">,
    Statistic<"floatFolds", "folded-float-convs",
              "Convolutions folded into ConvInteger with a float result">,
    Statistic<"productFolds", "folded-products",
              "MatMuls and Gemms folded into MatMulInteger">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcExpandMatMulNBits : Pass<"qc-expand-matmul-nbits", "mlir::ModuleOp"> {
  let summary = "onnxruntime's MatMulNBits as a MatMul of a blocked "
                "DequantizeLinear";
  let description = [{
    Runs after qc-shape-inference, on every model. A com.microsoft
    MatMulNBits (onnxruntime's 4-bit weight-only MatMul) with constant B,
    scales and zero points becomes `MatMul(A, W)` (+ bias), W [K, N] the
    dequantized weight in the form `--quantize=w4` makes
    (WeightQuantization.h, dequantizedInt4): its values re-read from B's
    blocks, per block of K a scale and zero point (8 when none is given).
    Any other MatMulNBits (bits other than 4, g_idx, a computed B, float
    zero points) is an error that says which.
  }];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcQuantizeWeightsInt4 : Pass<"qc-quantize-weights-int4", "mlir::ModuleOp"> {
  let summary = "Weight-only int4 per group by RTN, GPTQ or AWQ "
                "(`--quantize=w4`)";
  let description = [{
    MatMul and Gemm (transA = 0) with a constant 2-D float32 weight: op(B),
    [K, N], becomes uint4 per group of `group-size` rows of each column
    (asymmetric: scale = (max - min) / 15 over the group, with 0 in the
    range, and a uint4 zero point), read through DequantizeLinear with
    axis 0 and that block size, so that the product itself stays in float.
    A Gemm's transposed weight is stored [K, N] and transB cleared.

    `method` chooses the rounding (passes/quant/Int4Rounding.h):
    - `rtn`: each weight to its nearest level.
    - `gptq`: GPTQ (Frantar et al., 2023). The rows of B are rounded in
      order and each row's error is spread over the rows still to come
      through the inverse of the op's `qc.hessian` (X^T X of its input X
      over the calibration inputs, 1% of its mean diagonal added), which
      makes X B move far less than rounding alone.
    - `awq`: AWQ (Lin et al., 2024). For each input X, a scale per input
      channel s = mean|X|^alpha (from `qc.channel_mean_abs`), alpha searched
      in steps of 0.05 from 0 for the smallest error of X B over every
      reader of X (measured with `qc.hessian`); the weights are rounded as
      diag(s) B and X is divided by s (one Mul). Where the paper measures
      the error after the whole block, this measures it at the product.
    An op without calibration data (no `qc.hessian`) is rounded by RTN, and
    `print-decisions` says so; the pass removes the calibration attributes.

    With N even, two values go in a byte: the weight is stored [K, N/2, 1],
    split by BitShift (0, 4) and BitwiseAnd 15 into [K, N/2, 2],
    dequantized with scales and zero points viewed [groups, N/2, 2], and
    reshaped to [K, N]; odd N keeps a value a byte, as uint4.

    Embeddings, Gather(D, indices) on axis 0 of a constant float32 table D
    [V, C] with C a whole number of groups (of an even size), become uint4
    too, by RTN in groups along each row, two a byte; only the gathered
    rows are unpacked and dequantized ((q - zero point) * scale, then a
    Reshape to [..., C]).

    The weights are dequantized on every call: smaller, not faster.
  }];
  let options = [
    Option<"groupSize", "group-size", "int64_t", "32",
           "Rows of K that share a scale and zero point">,
    Option<"method", "method", "std::string", "\"rtn\"",
           "How weights are rounded: rtn, gptq or awq">,
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each weight's method and output error to stderr">,
  ];
  let statistics = [
    Statistic<"quantized", "quantized-weights", "Weights and tables made int4">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcCalibrationOutputs : Pass<"qc-calibration-outputs", "mlir::ModuleOp"> {
  let summary = "Return every activation static int8 would quantize, for "
                "calibration";
  let description = [{
    The first of `--quantize=int8`'s two compiles. Each float32 activation
    read by a Conv, MatMul or Gemm with a constant float32 weight (in the
    entry function's body; StaticQuantization.h) becomes an extra output of
    the model, named `qc_calibration.<i>.<ONNX node>`, i counting the
    activations in order of first use. Running that library over the
    calibration inputs gives each activation's range.
  }];
}

def QcSmoothQuant : Pass<"qc-smooth-quant", "mlir::ModuleOp"> {
  let summary = "Move activation outliers into the weights before static "
                "int8 (always for depthwise Convs; `--smoothquant=ALPHA` for "
                "the rest)";
  let description = [{
    SmoothQuant (Xiao et al., 2023), between calibration and
    qc-quantize-static. For each activation X whose readers (Convs, MatMuls
    and Gemms with constant weights) all carry X's per-channel range
    (`qc.channel_min`, `qc.channel_max` along the channel axis: 1 for a
    Conv, K for a product; from calibration): per channel j,
    s_j = max|X_j|^alpha / max|W_j|^(1-alpha), W_j over every weight element
    that multiplies channel j. X becomes X * (1 / s) (one Mul, which fuses
    into the quantization after it), those weight elements are multiplied
    by s_j, so the results are unchanged, and each reader's
    `qc.calibration` range becomes that of X / s. Channels with large
    outliers get a small scale and the weights absorb them, so that one
    per-tensor activation scale fits every channel better.

    When every reader is a depthwise Conv (each filter reads one channel),
    the per-filter int8 weight scale absorbs s_j exactly, so alpha is 1
    whatever the option says: the activation is quantized as if per
    channel. Other activations are smoothed only when `alpha` is 0 or more.
    qc-quantize-static drops the channel ranges of those left alone.
  }];
  let options = [
    Option<"alpha", "alpha", "float", "-1.0",
           "Migration strength for activations that not only depthwise "
           "Convs read: 0 leaves them, 1 moves all of their range into the "
           "weights; below 0 (the default), they are left alone">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

def QcQuantizeStatic : Pass<"qc-quantize-static", "mlir::ModuleOp"> {
  let summary = "Quantize and dequantize the activations and weights of "
                "calibrated ops (`--quantize=int8`)";
  let description = [{
    The second compile of `--quantize=int8`. Each candidate op (as
    qc-calibration-outputs finds them) carries its activation's range as
    `qc.calibration = array<f32: lo, hi>`; its activation is replaced by
    DequantizeLinear(QuantizeLinear(x)) with the uint8 scale and zero point
    of that range (widened to include 0), and its weight by DequantizeLinear
    of int8 values, symmetric per output channel (Conv's filters, MatMul's
    and Gemm's output columns). qc-fold-qdq then runs the op on the
    integers. A Conv whose activation carries its channel means
    (`qc.channel_mean`, from calibration) gets its bias corrected for the
    shift rounding its filters causes on average: b_o -= sum over filter o
    of (w_int8 - w) * mean of the channel each tap reads (Nagel et al.,
    2019); a Conv without a bias gets one. A candidate marked `qc.keep_float = "why"` (calibration found
    int8 costs the model's outputs too much) stays in float. A candidate
    with neither is an error. With `print-decisions`, each candidate is
    printed with its ONNX name, int8 or float32 and why.

    With `probe`, the model stays float but can be quantized op by op at
    run time, for `--int8-error-budget` to measure what each op's int8
    costs: the entry function takes one more input, `qc_probe_mask` (f32,
    one per candidate in order), and candidate i reads x + m_i (DQ(Q(x)) -
    x) and w + m_i (DQ(w_int8) - w), so that m_i = 1 gives it exactly the
    int8 values it would compute with and 0 the float ones.
  }];
  let options = [
    Option<"printDecisions", "print-decisions", "bool", "false",
           "Print each quantization decision and its reason to stderr">,
    Option<"probe", "probe", "bool", "false",
           "Blend each candidate's int8 and float operands by a run-time "
           "mask input instead of quantizing it">,
  ];
  let dependentDialects = ["::quantc::qc::QcDialect"];
}

#endif
