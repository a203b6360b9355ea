"""Compiles real models with quantc and compares them with onnxruntime.

    python run_models.py FAMILY --work-dir DIR [--models-dir DIR]

FAMILY is one of: ocr, minilm, silero_vad, resnet50, mobilenet_v2,
efficientnet_b0, vit_b_16. The models come from assemble.py (cached in
$QUANTC_TEST_MODELS/real-models, else DIR/models) and the inputs from
inputs.py. Each library is compiled with `quantc compile` through the Python API into DIR,
run, and every output compared with onnxruntime (CPU, one thread) with
np.isclose semantics, rtol 1e-3 / atol 1e-4, plus the model's task metric:
identical CTC-decoded strings (OCR rec), labels (cls) and text lines (det),
cosine >= 0.9999 per sentence embedding (MiniLM), identical speech/non-speech
decisions over a stream (silero-vad), identical top-5 classes (vision).

It prints one line per output, each library's compile and run times, and a
table at the end. Exit status: 0 when everything matches, 1 on a mismatch, 2
when quantc fails to compile or run a model.
"""

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, os.pardir, "e2e"))
# The quantc package, for runs outside lit (lit puts it on PYTHONPATH).
sys.path.append(os.path.join(HERE, os.pardir, os.pardir, "python"))

import assemble  # noqa: E402
import compare as e2e_compare  # noqa: E402  (test/e2e/compare.py)
import inputs  # noqa: E402
import models as e2e_models  # noqa: E402  (test/e2e/models.py)

EXIT_OK, EXIT_MISMATCH, EXIT_QUANTC_FAILED = 0, 1, 2
RTOL, ATOL = 1e-3, 1e-4


class QuantcFailed(Exception):
    pass


class Run:
    """One family's run: compiles libraries, compares, keeps the table."""

    def __init__(self, work_dir, models_dir):
        self.work_dir = work_dir
        self.models_dir = models_dir
        self.rows = []
        self.failures = 0
        self.libraries = []
        self.quantc_failed = False

    def attempt(self, step, *args):
        """Runs one model's part of a family; a model quantc cannot compile
        or run is reported and the family goes on with the next."""
        try:
            step(*args)
        except QuantcFailed:
            self.quantc_failed = True

    def log(self, text=""):
        print(text, flush=True)

    def model(self, name):
        start = time.perf_counter()
        path = assemble.assemble(name, self.models_dir)
        self.log(f"model: {name} ({os.path.basename(path)}, "
                 f"{os.path.getsize(path) / 1e6:.1f} MB, assembled in "
                 f"{time.perf_counter() - start:.1f} s)")
        return path

    def compile(self, model_path, label, shapes=None, **extra):
        """Compiles `model_path` into DIR/lib<label>.so with --shape for each
        (name, dims) in `shapes` and the other `quantc compile` options in
        `extra` (quantize="int8-dynamic"); returns (loaded module, seconds)."""
        import quantc

        lib = os.path.join(self.work_dir, f"lib{label}.so")
        if os.path.exists(lib):
            os.unlink(lib)  # never test a stale library
        options = dict(extra)
        if shapes:
            options["shape"] = [f"{n}={'x'.join(str(d) for d in dims)}"
                                for n, dims in shapes.items()]
        start = time.perf_counter()
        try:
            quantc.compile(model_path, lib, **options)
        except quantc.Error as e:
            self.log(f"FAILED: quantc could not compile {os.path.basename(model_path)} "
                     f"({label}):\n{e}")
            raise QuantcFailed() from None
        seconds = time.perf_counter() - start
        self.libraries.append(lib)
        self.log(f"compile {label}: {seconds:.1f} s "
                 f"({os.path.getsize(lib) / 1e6:.1f} MB library)")
        try:
            module = quantc.load(lib)
        except quantc.Error as e:
            self.log(f"FAILED: quantc could not load {lib}:\n{e}")
            raise QuantcFailed() from None
        self._check_signature(module, model_path, label, shapes or {})
        return module, seconds

    def _check_signature(self, module, model_path, label, shapes):
        """Names and dtypes as in the model; input shapes as fixed."""
        import onnx
        from onnx import helper

        graph = onnx.load(model_path, load_external_data=False).graph
        inits = {i.name for i in graph.initializer}
        for kind, declared, actual in (
                ("input", [v for v in graph.input if v.name not in inits], module.inputs),
                ("output", list(graph.output), module.outputs)):
            want = [(v.name, np.dtype(helper.tensor_dtype_to_np_dtype(
                v.type.tensor_type.elem_type))) for v in declared]
            got = [(t.name, np.dtype(t.dtype)) for t in actual]
            if want != got:
                self.log(f"MISMATCH {label} {kind}s: quantc reports {got}, the model {want}")
                self.failures += 1
        for t in module.inputs:
            if t.name in shapes and tuple(t.shape) != tuple(shapes[t.name]):
                self.log(f"MISMATCH {label} input '{t.name}': shape {t.shape}, "
                         f"fixed as {shapes[t.name]}")
                self.failures += 1

    def run(self, module, feeds):
        import quantc

        saved = {k: v.copy() for k, v in feeds.items()}
        start = time.perf_counter()
        try:
            out = module.run(feeds)
        except quantc.Error as e:
            self.log(f"FAILED: running {module.path} raised:\n{e}")
            raise QuantcFailed() from None
        ms = (time.perf_counter() - start) * 1e3
        for k, v in feeds.items():
            if not np.array_equal(v, saved[k]):
                self.log(f"MISMATCH input '{k}': quantc wrote into an input buffer")
                self.failures += 1
        return out, ms

    def compare(self, label, got, ref, rtol=RTOL, atol=ATOL):
        """Every output element-wise; returns the largest abs difference."""
        self.failures += e2e_compare.compare_outputs(
            got, ref, rtol, atol, log=lambda line: self.log(f"{label}: {line}"))
        worst = 0.0
        for name, expected in ref.items():
            actual = got.get(name)
            if actual is not None and actual.shape == expected.shape and expected.size:
                worst = max(worst, float(np.max(np.abs(
                    actual.astype(np.float64) - expected.astype(np.float64)))))
        return worst

    def metric(self, label, ok, text):
        self.log(f"{label}: {text} {'ok' if ok else 'MISMATCH'}")
        if not ok:
            self.failures += 1

    def row(self, label, shapes, compile_s, quantc_ms, ort_ms, max_abs, metric):
        self.rows.append((label, shapes, compile_s, quantc_ms, ort_ms, max_abs, metric))

    def table(self):
        header = ("library", "input shapes", "compile s", "quantc ms", "ort ms",
                  "max abs diff", "task metric")
        lines = [header] + [(r[0], r[1], f"{r[2]:.1f}", f"{r[3]:.1f}", f"{r[4]:.1f}",
                             f"{r[5]:.2e}", r[6]) for r in self.rows]
        widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
        self.log()
        for line in lines:
            self.log("| " + " | ".join(str(c).ljust(w) for c, w in zip(line, widths)) + " |")
        self.log()


def _shapes_text(shapes):
    return " ".join(f"{n}={'x'.join(map(str, d))}" for n, d in shapes.items())


def _ort(path):
    session = e2e_models.ort_session(path)
    names = [o.name for o in session.get_outputs()]

    def run(feeds):
        start = time.perf_counter()
        out = dict(zip(names, session.run(names, feeds)))
        return out, (time.perf_counter() - start) * 1e3
    return run


def _one_shot(r, name, label, feeds, shapes=None):
    """Compiles, runs quantc and onnxruntime once on `feeds`; returns
    (quantc outputs, ort outputs, compile s, quantc ms, ort ms, max abs)."""
    path = r.model(name)
    module, compile_s = r.compile(path, label, shapes)
    got, quantc_ms = r.run(module, feeds)
    ref, ort_ms = _ort(path)(feeds)
    r.log(f"run {label}: quantc {quantc_ms:.1f} ms, onnxruntime {ort_ms:.1f} ms")
    worst = r.compare(label, got, ref)
    return got, ref, compile_s, quantc_ms, ort_ms, worst


# ---------------------------------------------------------------------------
# PP-OCR: det, cls, rec

OCR_LINES = ["Hello quantc 2024", "The quick brown fox", "ONNX ahead-of-time"]
OCR_PAGE = ["Invoice No. 2024-117", "Total: 42.50 EUR", "Thank you for your order!",
            "quantc compiles ONNX"]


def _text_lines(prob_map, threshold=0.3):
    """DB post-processing reduced to what needs no opencv: the bands of rows
    holding text pixels, each with its column extent: [(y0, y1, x0, x1)]."""
    mask = prob_map > threshold
    rows = mask.any(axis=1)
    lines, y = [], 0
    while y < len(rows):
        if rows[y]:
            y0 = y
            while y < len(rows) and rows[y]:
                y += 1
            cols = np.flatnonzero(mask[y0:y].any(axis=0))
            lines.append((y0, y - 1, int(cols[0]), int(cols[-1])))
        y += 1
    return lines


def _ocr_det(r):
    # One page, 224x448 (sides multiples of 32, as DetPreProcess makes them).
    shapes = {"x": (1, 3, 224, 448)}
    feeds = {"x": inputs.ocr_page(OCR_PAGE, 224, 448)}
    got, ref, *times = _one_shot(r, "ppocr_det", "ppocr_det", feeds, shapes)
    (out_name,) = ref
    q, o = _text_lines(got[out_name][0, 0]), _text_lines(ref[out_name][0, 0])
    r.metric("ppocr_det", q == o,
             f"text lines (y0, y1, x0, x1) at threshold 0.3: quantc {q}, onnxruntime {o}")
    r.row("ppocr_det", _shapes_text(shapes), *times, f"{len(o)} text lines, same: {q == o}")


def _ocr_cls(r):
    # Each line upright and turned by 180 degrees.
    feeds = {"x": inputs.ocr_cls_batch(OCR_LINES)}
    shapes = {"x": feeds["x"].shape}
    got, ref, *times = _one_shot(r, "ppocr_cls", "ppocr_cls", feeds, shapes)
    (out_name,) = ref
    labels = ["0", "180"]
    q = [labels[i] for i in got[out_name].argmax(axis=1)]
    o = [labels[i] for i in ref[out_name].argmax(axis=1)]
    r.metric("ppocr_cls", q == o, f"labels: quantc {q}, onnxruntime {o}")
    r.row("ppocr_cls", _shapes_text(shapes), *times, f"labels same: {q == o}")


def _ocr_rec(r):
    # Three rendered lines at 48x320, CTC greedy decoding with the character
    # list from the model's metadata.
    feeds = {"x": inputs.ocr_rec_batch(OCR_LINES)}
    shapes = {"x": feeds["x"].shape}
    got, ref, *times = _one_shot(r, "ppocr_rec", "ppocr_rec", feeds, shapes)
    (out_name,) = ref
    characters = inputs.ctc_characters(assemble.assemble("ppocr_rec", r.models_dir))
    q = inputs.ctc_greedy_decode(got[out_name], characters)
    o = inputs.ctc_greedy_decode(ref[out_name], characters)
    r.metric("ppocr_rec", q == o, f"decoded: quantc {q}, onnxruntime {o}")
    r.row("ppocr_rec", _shapes_text(shapes), *times, f"decoded strings same: {q == o}")


def family_ocr(r):
    for step in (_ocr_det, _ocr_cls, _ocr_rec):
        r.attempt(step, r)


# ---------------------------------------------------------------------------
# all-MiniLM-L6-v2 at three sequence lengths

MINILM_BATCH = 4
MINILM_INPUTS = ("input_ids", "attention_mask", "token_type_ids")

# One library, compiled with batch and sequence left as run-time dims, serves
# every length (issue 4's acceptance: three lengths from one library).


def family_minilm(r):
    import wordpiece

    path = r.model("minilm")
    vocab = wordpiece.load_vocab(os.path.join(assemble.minilm_dir(), "vocab.txt"))
    try:  # the reference tokenizer, when installed (transformers pulls it in)
        import tokenizers

        reference = tokenizers.Tokenizer.from_file(
            os.path.join(assemble.minilm_dir(), "tokenizer.json"))
        reference.no_truncation()
        reference.no_padding()
    except ImportError:
        reference = None
    ort_run = _ort(path)
    libraries = {}
    for seq_len, sentences in inputs.SENTENCES.items():
        r.attempt(_minilm_length, r, path, vocab, reference, ort_run, libraries,
                  seq_len, sentences)


def _minilm_length(r, path, vocab, reference, ort_run, libraries, seq_len, sentences):
    """One sequence length, run on the one library (compiled on first use)."""
    import wordpiece

    feeds = wordpiece.encode(sentences, vocab, seq_len)
    lengths = feeds["attention_mask"].sum(axis=1).tolist()
    if reference is not None:
        same = all(reference.encode(s).ids == wordpiece.token_ids(s, vocab)
                   for s in sentences)
        r.metric(f"minilm seq {seq_len}", same, "wordpiece ids equal the tokenizers library's")
    if max(lengths) > seq_len or max(lengths) <= seq_len // 2:
        raise RuntimeError(f"sentences for {seq_len} tokens have lengths {lengths}")
    if "minilm" not in libraries:
        libraries["minilm"] = r.compile(path, "minilm", None)
        compile_s = libraries["minilm"][1]
    else:
        compile_s = 0.0
    module, _ = libraries["minilm"]
    label = "minilm"
    got, quantc_ms = r.run(module, feeds)
    ref, ort_ms = ort_run(feeds)
    tag = f"minilm seq {seq_len}"
    r.log(f"run {tag} ({label}, tokens per sentence {lengths}): "
          f"quantc {quantc_ms:.1f} ms, onnxruntime {ort_ms:.1f} ms")
    worst = r.compare(tag, got, ref)
    q, o = got["sentence_embedding"], ref["sentence_embedding"]
    cos = np.sum(q * o, axis=1) / (np.linalg.norm(q, axis=1) * np.linalg.norm(o, axis=1))
    r.metric(tag, bool(np.all(cos >= 0.9999)),
             f"cosine(quantc, onnxruntime) per sentence min {cos.min():.7f} (>= 0.9999)")
    # The model itself: the paraphrase pair (rows 0, 1) is closer than
    # unrelated sentences. Informative (a property of the weights).
    r.log(f"{tag}: cosine paraphrase {float(q[0] @ q[1]):.3f}, "
          f"unrelated {float(q[0] @ q[2]):.3f}")
    described = f"3 inputs {MINILM_BATCH}x{seq_len} (one library)"
    r.row(label, described, compile_s, quantc_ms, ort_ms, worst,
          f"min cosine {cos.min():.7f}")

    # --quantize=int8-dynamic: close to the float model's embeddings (issue
    # 6's bar: cosine >= 0.995 per sentence), not equal to them.
    if "minilm-int8" not in libraries:
        libraries["minilm-int8"] = r.compile(path, "minilm-int8", None,
                                             quantize="int8-dynamic")
        compile_s = libraries["minilm-int8"][1]
    else:
        compile_s = 0.0
    got8, int8_ms = r.run(libraries["minilm-int8"][0], feeds)
    q8 = got8["sentence_embedding"]
    cos8 = np.sum(q8 * o, axis=1) / (np.linalg.norm(q8, axis=1) * np.linalg.norm(o, axis=1))
    r.metric(f"{tag} int8-dynamic", bool(np.all(cos8 >= 0.995)),
             f"cosine(quantc int8-dynamic, onnxruntime float) per sentence "
             f"min {cos8.min():.5f} (>= 0.995)")
    r.row("minilm-int8", described, compile_s, int8_ms, ort_ms,
          float(np.max(np.abs(q8 - o))), f"min cosine {cos8.min():.5f}")


# ---------------------------------------------------------------------------
# silero-vad: a stream of speech-like audio, 576 samples a step, state carried

def _vad_segments(probs, threshold=0.5):
    """[(first, last)] runs of chunks with speech probability > threshold."""
    runs, start = [], None
    for i, p in enumerate(list(probs) + [0.0]):
        if p > threshold and start is None:
            start = i
        elif p <= threshold and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def family_silero_vad(r):
    audio = inputs.speech_like_audio()
    chunks = inputs.vad_chunks(audio)
    chunks_8k = inputs.vad_chunks(inputs.to_8khz(audio), chunk=256, context=32)
    r.log(f"audio: {len(chunks)} chunks of {chunks.shape[1]} samples "
          f"({len(chunks) * inputs.VAD_CHUNK / inputs.VAD_SR:.2f} s at 16 kHz)")
    variants = [
        # As shipped, static [1, 576]: LSTM, Pad reflect, 1-D Conv.
        ("silero_vad_16k", "silero_vad_16k", None, None, chunks),
        # The If inlined; symbolic batch and sequence fixed with --shape.
        ("silero_vad_16k_noif", "silero_vad_16k_noif",
         {"input": (1, 576), "state": (2, 1, 128)}, None, chunks),
        # silero_vad.onnx as shipped: If on sr == 16000 picks the 16 kHz or
        # the 8 kHz network at run time; the Ifs nested in each branch test
        # shapes and fold at compile time. One library per chunk size.
        ("silero_vad_if", "silero_vad_if_16k",
         {"input": (1, 576), "state": (2, 1, 128)}, 16000, chunks),
        ("silero_vad_if", "silero_vad_if_8k",
         {"input": (1, 288), "state": (2, 1, 128)}, 8000, chunks_8k),
    ]
    for name, label, shapes, sr, stream in variants:
        r.attempt(_vad_stream, r, name, label, shapes, sr, stream)


def _vad_stream(r, name, label, shapes, sr, chunks):
    path = r.model(name)
    module, compile_s = r.compile(path, label, shapes)
    ort_run = _ort(path)
    state_q = state_o = np.zeros((2, 1, 128), np.float32)
    extra = {} if sr is None else {"sr": np.array(sr, np.int64)}
    got = {"output": [], "stateN": []}
    ref = {"output": [], "stateN": []}
    quantc_ms = ort_ms = 0.0
    for chunk in chunks:
        # Each runtime carries its own state, as a streaming caller does.
        q, ms = r.run(module, {"input": chunk[None], "state": state_q, **extra})
        quantc_ms += ms
        o, ms = ort_run({"input": chunk[None], "state": state_o, **extra})
        ort_ms += ms
        state_q, state_o = q["stateN"], o["stateN"]
        for key in got:
            got[key].append(q[key])
            ref[key].append(o[key])
    got = {k: np.stack(v) for k, v in got.items()}
    ref = {k: np.stack(v) for k, v in ref.items()}
    r.log(f"run {label}: {len(chunks)} steps, quantc {quantc_ms:.1f} ms, "
          f"onnxruntime {ort_ms:.1f} ms")
    worst = r.compare(label, got, ref)
    q, o = _vad_segments(got["output"].ravel()), _vad_segments(ref["output"].ravel())
    r.metric(label, q == o, f"speech chunks (p > 0.5): quantc {q}, onnxruntime {o}")
    shapes_text = (_shapes_text(shapes) if shapes else "input=1x576 state=2x1x128")
    if sr is not None:
        shapes_text += f" sr={sr}"
    r.row(label, f"{len(chunks)} steps of {shapes_text}",
          compile_s, quantc_ms, ort_ms, worst, f"speech segments same: {q == o}")


# ---------------------------------------------------------------------------
# torchvision

def family_vision(r, arch):
    feeds = {"input": inputs.imagenet_image(seed=3)}
    got, ref, *times = _one_shot(r, arch, arch, feeds)
    q = np.argsort(-got["logits"][0])[:5].tolist()
    o = np.argsort(-ref["logits"][0])[:5].tolist()
    r.metric(arch, q == o, f"top-5 classes: quantc {q}, onnxruntime {o}")
    r.row(arch, "input=1x3x224x224", *times, f"top-5 same: {q == o}")
    if arch == "mobilenet_v2":
        r.attempt(_vision_int8, r, arch, feeds, ref, times[2])


def _vision_int8(r, arch, feeds, ref, ort_ms):
    """--quantize=int8 calibrated on four other scenes: the logits stay
    within cosine 0.99 of the float model's (issue 6)."""
    calib = os.path.join(r.work_dir, f"{arch}_calib")
    os.makedirs(calib, exist_ok=True)
    for i in range(4):
        np.savez(os.path.join(calib, f"{i}.npz"), input=inputs.imagenet_image(seed=100 + i))
    module, compile_s = r.compile(r.model(arch), f"{arch}-int8", None,
                                  quantize="int8", calib=calib)
    got, quantc_ms = r.run(module, feeds)
    q, o = got["logits"][0], ref["logits"][0]
    cos = float(q @ o / (np.linalg.norm(q) * np.linalg.norm(o)))
    r.metric(f"{arch} int8", cos >= 0.99,
             f"cosine(quantc int8 static, onnxruntime float) {cos:.5f} (>= 0.99)")
    # onnxruntime's time is its float model's, for reference.
    r.row(f"{arch}-int8", "input=1x3x224x224", compile_s, quantc_ms, ort_ms,
          float(np.max(np.abs(q - o))), f"cosine {cos:.5f}")


FAMILIES = {
    "ocr": family_ocr,
    "minilm": family_minilm,
    "silero_vad": family_silero_vad,
    "resnet50": lambda r: family_vision(r, "resnet50"),
    "mobilenet_v2": lambda r: family_vision(r, "mobilenet_v2"),
    "efficientnet_b0": lambda r: family_vision(r, "efficientnet_b0"),
    "vit_b_16": lambda r: family_vision(r, "vit_b_16"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("family", choices=sorted(FAMILIES))
    parser.add_argument("--work-dir", required=True, help="where the libraries go")
    parser.add_argument("--models-dir",
                        help="model cache (default: $QUANTC_TEST_MODELS/real-models or "
                        "WORK_DIR/models)")
    args = parser.parse_args(argv)
    os.makedirs(args.work_dir, exist_ok=True)
    r = Run(args.work_dir,
            args.models_dir or assemble.models_dir(os.path.join(args.work_dir, "models")))
    start = time.perf_counter()
    status = EXIT_OK
    r.attempt(FAMILIES[args.family], r)
    if r.quantc_failed:
        status = EXIT_QUANTC_FAILED
    r.table()
    total = time.perf_counter() - start
    if status == EXIT_OK and r.failures:
        status = EXIT_MISMATCH
    if status == EXIT_OK:
        r.log(f"{args.family}: all outputs match ({total:.0f} s)")
        # The libraries embed the weights (ViT-B/16's is 350 MB): keep them
        # only when something went wrong.
        for lib in r.libraries:
            os.unlink(lib)
    elif status == EXIT_QUANTC_FAILED:
        r.log(f"{args.family}: FAILED: quantc could not compile or run a model, "
              f"and {r.failures} mismatch(es) ({total:.0f} s)")
    else:
        r.log(f"{args.family}: FAILED with {r.failures} mismatch(es) ({total:.0f} s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
