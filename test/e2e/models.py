"""Model builders for quantc's end-to-end tests.

Each builder writes one ONNX model into a directory and returns
``(path, inputs)``: the model's path and a dict input name -> numpy array of
seeded random inputs in a realistic range. Models are cached: a builder
exports only when the file is missing (or unreadable), so re-runs are fast.
Inputs are regenerated every time from a fixed seed (cheap, deterministic).

All shapes are static. Every freshly built model is checked with
``onnx.checker`` (full check, with shape inference) and run once through
onnxruntime before it is kept.

Used as a script it builds a model and writes its inputs beside it:

    python models.py NAME OUT_DIR      # writes NAME.onnx, NAME.<input>.npy

Builders:
    mlp           MatMul+Add+Relu, Gemm+Tanh, Gemm+Sigmoid gate, Softmax
    small_cnn     most supported vision and shape ops in one small graph
    resnet18      torchvision resnet18, random weights, BatchNorm kept as nodes
    mobilenet_v2  torchvision mobilenet_v2, random weights, BatchNorm folded
                  into Conv by the exporter (as users usually export it)
    recurrent     LSTM (bidirectional, sequence_lens, clip, peepholes), GRU
                  (reverse, both linear_before_reset forms) and RNN in a chain
    mobilenet_v2_qdq  mobilenet_v2 quantized by onnxruntime.quantization's
                  quantize_static (QDQ format: uint8 activations, int8
                  per-channel weights, MinMax calibration on seeded images)
    mlp_dynamic   mlp quantized by quantize_dynamic (DynamicQuantizeLinear,
                  MatMulInteger)
    attention_integer  an attention's two batched products in int8, as a
                  pre-quantized model writes them: DynamicQuantizeLinear of
                  each operand, batched MatMulInteger, scaled back
"""

import argparse
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
# onnxruntime 1.x reads IR version <= 10; keep the files loadable by older
# tools too.
IR_VERSION = 8


def models_dir(default):
    """Where exported models are cached: $QUANTC_TEST_MODELS if set."""
    return os.environ.get("QUANTC_TEST_MODELS") or default


# ---------------------------------------------------------------------------
# Helpers


def _init(name, array):
    return numpy_helper.from_array(np.asarray(array), name)


# Bump a builder's version when its model changes: cached files carry it in
# their metadata and are rebuilt when it differs.
VERSIONS = {"mlp": 1, "small_cnn": 1, "resnet18": 1, "mobilenet_v2": 1,
            "recurrent": 1, "mobilenet_v2_qdq": 1, "mlp_dynamic": 1,
            "attention_integer": 1}
_VERSION_KEY = "quantc_e2e_builder"


def _version_tag(key):
    return f"{key} v{VERSIONS[key]}"


def _save_checked(model, path, key):
    """Checks `model`, tags it with the builder's version, then writes it
    atomically (so a crashed or concurrent run never leaves a half-written
    cache)."""
    onnx.helper.set_model_props(model, {_VERSION_KEY: _version_tag(key)})
    onnx.checker.check_model(model, full_check=True)
    _write_atomic(model.SerializeToString(), path)


def _save_helper_graph(graph, path, key, inputs):
    """Wraps an onnx.helper graph in a model of our opset and IR version,
    saves it checked, and runs it once in onnxruntime on `inputs`."""
    model = helper.make_model(graph, producer_name="quantc-e2e",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    _save_checked(model, path, key)
    _validate_with_ort(path, inputs)


def _write_atomic(data, path):
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".onnx.tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _cached(path, key):
    """True if `path` holds a valid model from the current version of builder
    `key` (a stale or corrupt file is rebuilt)."""
    if not os.path.isfile(path):
        return False
    try:
        model = onnx.load(path)
        onnx.checker.check_model(model)
    except Exception:  # corrupt or truncated cache entry
        return False
    props = {p.key: p.value for p in model.metadata_props}
    return props.get(_VERSION_KEY) == _version_tag(key)


def ort_session(path):
    """An onnxruntime CPU session with one thread, the reference for all tests."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def run_ort(path, inputs):
    """Runs the model in onnxruntime; returns dict output name -> array."""
    session = ort_session(path)
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, inputs)))


def _validate_with_ort(path, inputs):
    outputs = run_ort(path, inputs)
    for name, value in outputs.items():
        if not np.all(np.isfinite(value)):
            raise RuntimeError(f"{path}: onnxruntime output '{name}' is not finite")
    return outputs


# ---------------------------------------------------------------------------
# mlp: a classifier head on 64 features.


def mlp(out_dir, batch=4):
    path = os.path.join(out_dir, "mlp.onnx")
    rng = np.random.default_rng(1234)
    inputs = {"x": rng.normal(0.0, 1.0, (batch, 64)).astype(np.float32)}
    if _cached(path, "mlp"):
        return path, inputs

    def w(*shape, fan_in):
        return (rng.normal(0.0, 1.0, shape) / np.sqrt(fan_in)).astype(np.float32)

    inits = [
        _init("fc1.weight", w(64, 128, fan_in=64)),       # MatMul: [in, out]
        _init("fc1.bias", w(128, fan_in=16)),
        _init("fc2.weight", w(64, 128, fan_in=128)),      # Gemm transB: [out, in]
        _init("fc2.bias", w(64, fan_in=16)),
        _init("gate.weight", w(64, 64, fan_in=64)),       # Gemm: [in, out]
        _init("gate.bias", w(64, fan_in=16)),
        _init("fc3.weight", w(10, 64, fan_in=64)),
        _init("fc3.bias", w(10, fan_in=16)),
    ]
    nodes = [
        helper.make_node("MatMul", ["x", "fc1.weight"], ["fc1.mm"], name="fc1/MatMul"),
        helper.make_node("Add", ["fc1.mm", "fc1.bias"], ["fc1.out"], name="fc1/Add"),
        helper.make_node("Relu", ["fc1.out"], ["act1"], name="act1/Relu"),
        helper.make_node("Gemm", ["act1", "fc2.weight", "fc2.bias"], ["fc2.out"],
                         name="fc2/Gemm", transB=1),
        helper.make_node("Tanh", ["fc2.out"], ["act2"], name="act2/Tanh"),
        # A GLU-like gate: act2 * sigmoid(act2 @ Wg + bg), alpha/beta non-default.
        helper.make_node("Gemm", ["act2", "gate.weight", "gate.bias"], ["gate.pre"],
                         name="gate/Gemm", alpha=0.75, beta=0.5),
        helper.make_node("Sigmoid", ["gate.pre"], ["gate.sig"], name="gate/Sigmoid"),
        helper.make_node("Mul", ["act2", "gate.sig"], ["gated"], name="gate/Mul"),
        helper.make_node("Gemm", ["gated", "fc3.weight", "fc3.bias"], ["logits"],
                         name="fc3/Gemm", transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="head/Softmax", axis=-1),
    ]
    graph = helper.make_graph(
        nodes, "mlp",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, 64])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [batch, 10]),
         helper.make_tensor_value_info("probs", TensorProto.FLOAT, [batch, 10])],
        inits)
    _save_helper_graph(graph, path, "mlp", inputs)
    return path, inputs


# ---------------------------------------------------------------------------
# small_cnn: many vision and shape ops, batch 2, 3x32x32 images.


def small_cnn(out_dir, batch=2):
    path = os.path.join(out_dir, "small_cnn.onnx")
    rng = np.random.default_rng(2024)
    inputs = {"image": rng.uniform(-1.0, 1.0, (batch, 3, 32, 32)).astype(np.float32)}
    if _cached(path, "small_cnn"):
        return path, inputs

    def conv_w(cout, cin_per_group, kh, kw):
        fan_in = cin_per_group * kh * kw
        return (rng.normal(0.0, 1.0, (cout, cin_per_group, kh, kw))
                * np.sqrt(2.0 / fan_in)).astype(np.float32)

    def vec(n, lo, hi):
        return rng.uniform(lo, hi, n).astype(np.float32)

    inits = [
        # stem: 3x3 stride 2, TF-style asymmetric "SAME" padding, with bias
        _init("stem.w", conv_w(8, 3, 3, 3)),
        _init("stem.b", vec(8, -0.2, 0.2)),
        # BatchNormalization with non-trivial statistics
        _init("bn.scale", vec(8, 0.5, 1.5)),
        _init("bn.bias", vec(8, -0.3, 0.3)),
        _init("bn.mean", vec(8, -0.5, 0.5)),
        _init("bn.var", vec(8, 0.3, 2.0)),
        # grouped conv: 24 -> 24 channels in 3 groups
        _init("group.w", conv_w(24, 8, 3, 3)),
        _init("group.b", vec(24, -0.1, 0.1)),
        # depthwise conv, dilation 2, no bias
        _init("dw.w", conv_w(24, 1, 3, 3)),
        # pointwise conv 24 -> 16, bias
        _init("pw.w", conv_w(16, 24, 1, 1)),
        _init("pw.b", vec(16, -0.1, 0.1)),
        # elementwise section constants (broadcast per channel and scalar)
        _init("ew.center", vec(16, -0.2, 0.2).reshape(16, 1, 1)),
        _init("ew.one", np.array(1.0, dtype=np.float32)),
        _init("ew.half", np.array(0.5, dtype=np.float32)),
        # shape-subgraph constants
        _init("shape.batch_index", np.array(0, dtype=np.int64)),
        _init("gather.indices", np.array([0, 5, 63, -1, 10], dtype=np.int64)),
        # heads
        _init("head.w", (rng.normal(0, 1, (10, 16)) / 4.0).astype(np.float32)),
        _init("head.b", vec(10, -0.1, 0.1)),
        _init("aux.w", (rng.normal(0, 1, (80, 10)) / 9.0).astype(np.float32)),
        _init("aux.b", vec(10, -0.1, 0.1)),
    ]
    N = batch
    node = helper.make_node
    nodes = [
        # [N,3,32,32] -> [N,8,16,16]
        node("Conv", ["image", "stem.w", "stem.b"], ["stem"], name="stem/Conv",
             kernel_shape=[3, 3], strides=[2, 2], pads=[0, 0, 1, 1]),
        node("BatchNormalization", ["stem", "bn.scale", "bn.bias", "bn.mean", "bn.var"],
             ["stem.bn"], name="stem/BatchNormalization", epsilon=1e-3),
        node("Relu", ["stem.bn"], ["stem.act"], name="stem/Relu"),
        # three pooling branches, each [N,8,8,8]
        node("MaxPool", ["stem.act"], ["pool.max"], name="pool/MaxPool",
             kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),  # floor mode gives 7x7
        node("AveragePool", ["stem.act"], ["pool.avg_excl"], name="pool/AvgExcl",
             kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=0),
        node("AveragePool", ["stem.act"], ["pool.avg_incl"], name="pool/AvgIncl",
             kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1),
        node("Concat", ["pool.max", "pool.avg_excl", "pool.avg_incl"], ["pools"],
             name="pool/Concat", axis=1),                           # [N,24,8,8]
        node("Conv", ["pools", "group.w", "group.b"], ["group"], name="group/Conv",
             kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=3),
        node("Relu", ["group"], ["group.act"], name="group/Relu"),
        node("Conv", ["group.act", "dw.w"], ["dw"], name="dw/Conv",
             kernel_shape=[3, 3], pads=[2, 2, 2, 2], dilations=[2, 2], group=24),
        node("Relu", ["dw"], ["dw.act"], name="dw/Relu"),
        node("Conv", ["dw.act", "pw.w", "pw.b"], ["pw"], name="pw/Conv",
             kernel_shape=[1, 1]),                                  # [N,16,8,8]
        # elementwise: u = (p - c) / sqrt((p - c)^2 + 1); e = exp(u) * 0.5
        # followed by SiLU-ish gate: f = e * sigmoid(p)
        node("Sub", ["pw", "ew.center"], ["ew.centered"], name="ew/Sub"),
        node("Mul", ["ew.centered", "ew.centered"], ["ew.sq"], name="ew/Square"),
        node("Add", ["ew.sq", "ew.one"], ["ew.sq1"], name="ew/AddOne"),
        node("Sqrt", ["ew.sq1"], ["ew.norm"], name="ew/Sqrt"),
        node("Div", ["ew.centered", "ew.norm"], ["ew.soft"], name="ew/Div"),
        node("Exp", ["ew.soft"], ["ew.exp"], name="ew/Exp"),
        node("Mul", ["ew.exp", "ew.half"], ["ew.scaled"], name="ew/Scale"),
        node("Sigmoid", ["pw"], ["ew.gate"], name="ew/Sigmoid"),
        node("Mul", ["ew.scaled", "ew.gate"], ["feat"], name="ew/Gate"),  # [N,16,8,8]
        node("Identity", ["feat"], ["feat.id"], name="feat/Identity"),
        # head 1: GAP -> Flatten -> Gemm -> Softmax
        node("GlobalAveragePool", ["feat.id"], ["gap"], name="head/GlobalAveragePool"),
        node("Flatten", ["gap"], ["gap.flat"], name="head/Flatten", axis=1),  # [N,16]
        node("Gemm", ["gap.flat", "head.w", "head.b"], ["logits"], name="head/Gemm",
             transB=1),
        node("Softmax", ["logits"], ["probs"], name="head/Softmax", axis=1),
        # head 2: NHWC transpose, then a dynamic-looking reshape to [N, -1, 16]
        # built from Shape -> Gather -> Unsqueeze -> Concat -> Reshape
        node("Transpose", ["feat.id"], ["nhwc"], name="aux/Transpose", perm=[0, 2, 3, 1]),
        node("Shape", ["nhwc"], ["nhwc.shape"], name="aux/Shape"),
        node("Gather", ["nhwc.shape", "shape.batch_index"], ["nhwc.n"],
             name="aux/GatherBatch", axis=0),
        node("Constant", [], ["aux.unsq_axes"], name="aux/UnsqueezeAxes",
             value=_init("aux.unsq_axes", np.array([0], dtype=np.int64))),
        node("Unsqueeze", ["nhwc.n", "aux.unsq_axes"], ["nhwc.n1"], name="aux/Unsqueeze"),
        node("Constant", [], ["aux.tail"], name="aux/ShapeTail",
             value=_init("aux.tail", np.array([-1, 16], dtype=np.int64))),
        node("Concat", ["nhwc.n1", "aux.tail"], ["aux.shape"], name="aux/ConcatShape",
             axis=0),
        node("Reshape", ["nhwc", "aux.shape"], ["tokens"], name="aux/Reshape"),  # [N,64,16]
        # pick 5 tokens (incl. a negative index) -> [N,5,16]
        node("Gather", ["tokens", "gather.indices"], ["picked"], name="aux/GatherTokens",
             axis=1),
        node("Transpose", ["picked"], ["picked.t"], name="aux/TransposeTokens",
             perm=[0, 2, 1]),                                       # [N,16,5]
        node("Constant", [], ["aux.axis1"], name="aux/Axis1",
             value=_init("aux.axis1", np.array([1], dtype=np.int64))),
        node("Unsqueeze", ["picked.t", "aux.axis1"], ["picked.u"], name="aux/Unsqueeze1"),
        node("Squeeze", ["picked.u", "aux.axis1"], ["picked.s"], name="aux/Squeeze1"),
        node("Flatten", ["picked.s"], ["picked.flat"], name="aux/Flatten", axis=1),  # [N,80]
        node("Gemm", ["picked.flat", "aux.w", "aux.b"], ["aux.pre"], name="aux/Gemm",
             alpha=0.5, beta=2.0),
        # GAP output squeezed to [N,16], summed into a per-sample embedding
        node("Constant", [], ["gap.axes"], name="gap/Axes",
             value=_init("gap.axes", np.array([2, 3], dtype=np.int64))),
        node("Squeeze", ["gap", "gap.axes"], ["gap.sq"], name="gap/Squeeze"),
        node("Gemm", ["gap.sq", "head.w"], ["gap.proj"], name="gap/Gemm", transB=1),
        node("Add", ["aux.pre", "gap.proj"], ["emb.sum"], name="emb/Add"),
        node("Tanh", ["emb.sum"], ["embedding"], name="emb/Tanh"),
    ]
    graph = helper.make_graph(
        nodes, "small_cnn",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [N, 3, 32, 32])],
        [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [N, 10]),
         helper.make_tensor_value_info("embedding", TensorProto.FLOAT, [N, 10]),
         helper.make_tensor_value_info("picked", TensorProto.FLOAT, [N, 5, 16])],
        inits)
    _save_helper_graph(graph, path, "small_cnn", inputs)
    return path, inputs


# ---------------------------------------------------------------------------
# torchvision models


def _imagenet_batch(seed, shape=(1, 3, 224, 224)):
    """A normalised image-like batch: pixels in [0, 1], ImageNet mean/std."""
    rng = np.random.default_rng(seed)
    pixels = rng.uniform(0.0, 1.0, shape).astype(np.float32)
    mean = np.array([0.485, 0.456, 0.406], dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array([0.229, 0.224, 0.225], dtype=np.float32).reshape(1, 3, 1, 1)
    return ((pixels - mean) / std).astype(np.float32)


def _randomize_batchnorm(module, seed):
    """Random (but sane) BatchNorm affine parameters and running statistics, so
    that folding or applying them wrongly changes the result."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    for m in module.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            with torch.no_grad():
                m.weight.copy_(torch.rand(c, generator=gen) * 0.5 + 0.75)
                m.bias.copy_((torch.rand(c, generator=gen) - 0.5) * 0.2)
                m.running_mean.copy_((torch.rand(c, generator=gen) - 0.5) * 0.2)
                m.running_var.copy_(torch.rand(c, generator=gen) * 0.5 + 0.75)


def _export_torchvision(arch, path, seed, keep_batchnorm, reset_classifier=False):
    import torch
    import torchvision

    torch.manual_seed(seed)
    model = getattr(torchvision.models, arch)(weights=None)
    _randomize_batchnorm(model, seed + 1)
    if reset_classifier:
        # torchvision draws some classifier weights from N(0, 0.01), which
        # makes logits ~0.1 and the atol dominate the comparison; nn.Linear's
        # default init gives logits of order 1, as a trained model has.
        model.classifier[-1].reset_parameters()
    model.eval()
    example = torch.from_numpy(_imagenet_batch(seed))
    # TrainingMode.EVAL (the default) makes the exporter fold BatchNorm into
    # the preceding Conv; PRESERVE with the model in eval() keeps inference
    # BatchNormalization nodes, so quantc's own folding is what gets tested.
    training = (torch.onnx.TrainingMode.PRESERVE if keep_batchnorm
                else torch.onnx.TrainingMode.EVAL)
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, f"{arch}.onnx")
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, example, raw, opset_version=OPSET,
                              do_constant_folding=True, training=training,
                              input_names=["input"], output_names=["logits"])
        exported = onnx.load(raw)
    if keep_batchnorm:
        # PRESERVE sets `momentum`, a training-only attribute; drop it so the
        # nodes are plain inference BatchNormalization.
        for n in exported.graph.node:
            if n.op_type == "BatchNormalization":
                kept = [a for a in n.attribute if a.name != "momentum"]
                del n.attribute[:]
                n.attribute.extend(kept)
        assert any(n.op_type == "BatchNormalization" for n in exported.graph.node)
    # Reference numbers from PyTorch itself, to make sure the export is sound.
    with torch.no_grad():
        expected = model(example).numpy()
    _save_checked(exported, path, arch)
    got = _validate_with_ort(path, {"input": example.numpy()})["logits"]
    if not np.allclose(got, expected, rtol=1e-3, atol=1e-4):
        raise RuntimeError(f"{path}: onnxruntime disagrees with PyTorch "
                           f"(max abs diff {np.max(np.abs(got - expected)):.3g})")


def resnet18(out_dir):
    path = os.path.join(out_dir, "resnet18.onnx")
    inputs = {"input": _imagenet_batch(18)}
    if not _cached(path, "resnet18"):
        _export_torchvision("resnet18", path, seed=18, keep_batchnorm=True)
    return path, inputs


def mobilenet_v2(out_dir):
    path = os.path.join(out_dir, "mobilenet_v2.onnx")
    inputs = {"input": _imagenet_batch(2)}
    if not _cached(path, "mobilenet_v2"):
        _export_torchvision("mobilenet_v2", path, seed=2, keep_batchnorm=False,
                            reset_classifier=True)
    return path, inputs


def recurrent(out_dir, seq=6, batch=3, features=8, hidden=5):
    """Sequence models' recurrent ops, chained: the sequence lengths are
    uneven so that padding steps (kept state, zero output) are exercised."""
    path = os.path.join(out_dir, "recurrent.onnx")
    rng = np.random.default_rng(4321)
    inputs = {
        "x": rng.normal(0.0, 1.0, (seq, batch, features)).astype(np.float32),
        "lens": np.array([seq, 2, 4], np.int32),
    }
    if _cached(path, "recurrent"):
        return path, inputs

    def w(*shape):
        return (rng.normal(0.0, 1.0, shape) / np.sqrt(shape[-1])).astype(np.float32)

    h = hidden
    inits = [
        _init("lstm.W", w(2, 4 * h, features)), _init("lstm.R", w(2, 4 * h, h)),
        _init("lstm.B", w(2, 8 * h)), _init("lstm.P", w(2, 3 * h)),
        _init("gru0.W", w(1, 3 * h, 2 * h)), _init("gru0.R", w(1, 3 * h, h)),
        _init("gru0.B", w(1, 6 * h)),
        _init("gru1.W", w(1, 3 * h, h)), _init("gru1.R", w(1, 3 * h, h)),
        _init("gru1.B", w(1, 6 * h)),
        _init("rnn.W", w(1, h, h)), _init("rnn.R", w(1, h, h)),
        _init("shape3", np.array([seq, batch, 2 * h], np.int64)),
        _init("axis1", np.array([1], np.int64)),
    ]
    nodes = [
        helper.make_node("LSTM", ["x", "lstm.W", "lstm.R", "lstm.B", "lens", "", "", "lstm.P"],
                         ["lstm.Y", "lstm.Yh", "lstm.Yc"], name="lstm",
                         hidden_size=h, direction="bidirectional", clip=3.0),
        # (seq, 2, batch, h) -> (seq, batch, 2, h) -> (seq, batch, 2h)
        helper.make_node("Transpose", ["lstm.Y"], ["lstm.T"], name="lstm/T", perm=[0, 2, 1, 3]),
        helper.make_node("Reshape", ["lstm.T", "shape3"], ["lstm.out"], name="lstm/Reshape"),
        helper.make_node("GRU", ["lstm.out", "gru0.W", "gru0.R", "gru0.B", "lens"],
                         ["gru0.Y", "gru0.Yh"], name="gru0", hidden_size=h,
                         direction="reverse"),
        helper.make_node("Squeeze", ["gru0.Y", "axis1"], ["gru0.out"], name="gru0/Squeeze"),
        helper.make_node("GRU", ["gru0.out", "gru1.W", "gru1.R", "gru1.B"],
                         ["gru1.Y", "gru1.Yh"], name="gru1", hidden_size=h,
                         linear_before_reset=1),
        helper.make_node("Squeeze", ["gru1.Y", "axis1"], ["gru1.out"], name="gru1/Squeeze"),
        helper.make_node("RNN", ["gru1.out", "rnn.W", "rnn.R"], ["rnn.Y", "rnn.Yh"],
                         name="rnn", hidden_size=h, activations=["Relu"]),
    ]
    graph = helper.make_graph(
        nodes, "recurrent",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [seq, batch, features]),
         helper.make_tensor_value_info("lens", TensorProto.INT32, [batch])],
        [helper.make_tensor_value_info("lstm.Yh", TensorProto.FLOAT, [2, batch, h]),
         helper.make_tensor_value_info("lstm.Yc", TensorProto.FLOAT, [2, batch, h]),
         helper.make_tensor_value_info("gru0.Yh", TensorProto.FLOAT, [1, batch, h]),
         helper.make_tensor_value_info("rnn.Y", TensorProto.FLOAT, [seq, 1, batch, h]),
         helper.make_tensor_value_info("rnn.Yh", TensorProto.FLOAT, [1, batch, h])],
        inits)
    _save_helper_graph(graph, path, "recurrent", inputs)
    return path, inputs


# ---------------------------------------------------------------------------
# Models quantized by onnxruntime.quantization, as users bring them.


class _CalibrationBatches:
    """onnxruntime.quantization's CalibrationDataReader over a list of input
    dicts (duck-typed: get_next returns the next dict, then None)."""

    def __init__(self, batches):
        self._batches = iter(batches)

    def get_next(self):
        return next(self._batches, None)


def _quiet_quantizer():
    """onnxruntime.quantization logs advice on the root logger (run its
    pre-processing first, ...); tests print only what they check."""
    import logging

    logging.getLogger().setLevel(logging.ERROR)


def _quantize_static_qdq(float_path, path, key, batches):
    _quiet_quantizer()
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)

    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "quantized.onnx")
        quantize_static(float_path, raw, _CalibrationBatches(batches),
                        quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax)
        _save_checked(onnx.load(raw), path, key)


def mobilenet_v2_qdq(out_dir):
    path = os.path.join(out_dir, "mobilenet_v2_qdq.onnx")
    inputs = {"input": _imagenet_batch(2)}
    if not _cached(path, "mobilenet_v2_qdq"):
        float_path, _ = mobilenet_v2(out_dir)
        batches = [{"input": _imagenet_batch(100 + i)} for i in range(4)]
        _quantize_static_qdq(float_path, path, "mobilenet_v2_qdq", batches)
        _validate_with_ort(path, inputs)
    return path, inputs


def mlp_dynamic(out_dir):
    path = os.path.join(out_dir, "mlp_dynamic.onnx")
    float_path, inputs = mlp(out_dir)
    if not _cached(path, "mlp_dynamic"):
        _quiet_quantizer()
        from onnxruntime.quantization import QuantType, quantize_dynamic

        with tempfile.TemporaryDirectory() as tmp:
            raw = os.path.join(tmp, "quantized.onnx")
            quantize_dynamic(float_path, raw, weight_type=QuantType.QInt8)
            _save_checked(onnx.load(raw), path, "mlp_dynamic")
        _validate_with_ort(path, inputs)
    return path, inputs


# ---------------------------------------------------------------------------
# attention_integer: softmax(Q x K^T / sqrt(d)) x V for 2 x 3 heads of 6
# tokens, each product on uint8 operands quantized at run time.


def attention_integer(out_dir, batch=2, heads=3, tokens=6, dim=8):
    path = os.path.join(out_dir, "attention_integer.onnx")
    rng = np.random.default_rng(77)
    shape = (batch, heads, tokens, dim)
    inputs = {name: rng.normal(0.0, 1.0, shape).astype(np.float32)
              for name in ("q", "k", "v")}
    if _cached(path, "attention_integer"):
        return path, inputs
    nodes = []

    def int8_product(a, b, out):
        """out = float(MatMulInteger(quantized a, quantized b)) * scales."""
        for x in (a, b):
            nodes.append(helper.make_node(
                "DynamicQuantizeLinear", [x], [f"{x}.q", f"{x}.scale", f"{x}.zero"],
                name=f"{x}/DynamicQuantizeLinear"))
        nodes.extend([
            helper.make_node("MatMulInteger", [f"{a}.q", f"{b}.q", f"{a}.zero", f"{b}.zero"],
                             [f"{out}.int"], name=f"{out}/MatMulInteger"),
            helper.make_node("Cast", [f"{out}.int"], [f"{out}.float"], name=f"{out}/Cast",
                             to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{a}.scale", f"{b}.scale"], [f"{out}.scale"],
                             name=f"{out}/Scale"),
            helper.make_node("Mul", [f"{out}.float", f"{out}.scale"], [out], name=f"{out}/Mul"),
        ])

    nodes.append(helper.make_node("Transpose", ["k"], ["kt"], name="kt/Transpose",
                                  perm=[0, 1, 3, 2]))
    int8_product("q", "kt", "scores.raw")
    nodes.extend([
        helper.make_node("Div", ["scores.raw", "sqrt_d"], ["scores"], name="scores/Div"),
        helper.make_node("Softmax", ["scores"], ["probs"], name="probs/Softmax", axis=-1),
    ])
    int8_product("probs", "v", "context")
    graph = helper.make_graph(
        nodes, "attention_integer",
        [helper.make_tensor_value_info(name, TensorProto.FLOAT, list(shape))
         for name in ("q", "k", "v")],
        [helper.make_tensor_value_info("context", TensorProto.FLOAT, list(shape))],
        [_init("sqrt_d", np.float32(np.sqrt(dim)))])
    _save_helper_graph(graph, path, "attention_integer", inputs)
    return path, inputs


BUILDERS = {
    "recurrent": recurrent,
    "mlp": mlp,
    "small_cnn": small_cnn,
    "resnet18": resnet18,
    "mobilenet_v2": mobilenet_v2,
    "mobilenet_v2_qdq": mobilenet_v2_qdq,
    "mlp_dynamic": mlp_dynamic,
    "attention_integer": attention_integer,
}


def build(name, out_dir):
    """Builds (or reuses) model `name` in `out_dir`; returns (path, inputs)."""
    key = name.replace("-", "_")
    if key not in BUILDERS:
        raise KeyError(f"unknown model '{name}'; known: {', '.join(BUILDERS)}")
    return BUILDERS[key](out_dir)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", choices=sorted(BUILDERS) + [n.replace("_", "-") for n in BUILDERS if "_" in n])
    parser.add_argument("out_dir")
    args = parser.parse_args(argv)
    path, inputs = build(args.name, args.out_dir)
    stem = os.path.splitext(path)[0]
    for input_name, value in inputs.items():
        np.save(f"{stem}.{input_name}.npy", value)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
