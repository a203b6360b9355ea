"""The models the benchmark runs: where each comes from, how quantc compiles
it, and the realistic inputs it is timed on.

Every model is assembled by test/models/assemble.py from installed packages
(nothing is downloaded); the inputs come from test/models/inputs.py, the same
ones the end-to-end tests check quantc's outputs on.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS_TEST_DIR = os.path.join(HERE, os.pardir, "test", "models")
sys.path.insert(0, MODELS_TEST_DIR)

import assemble  # noqa: E402  (test/models/assemble.py)
import inputs  # noqa: E402  (test/models/inputs.py)

MINILM_SENTENCE = (
    "The new open source library compiles trained neural networks into small, "
    "fast shared libraries that run without a heavyweight framework, so that "
    "engineers can ship models inside products on phones, laptops and servers. "
    "It imports models, quantizes their weights, fuses operators, plans memory "
    "and emits optimized code for the processors people actually have, and a "
    "benchmark compares it side by side with the runtimes they would use instead "
    "of it, on the same inputs, with the same number of threads.")

OCR_LINES = ["quantc compiles ONNX models", "into small native libraries",
             "Invoice 2026-11-23  total 1,234.50", "fast and lean on CPU"]


class BenchModel:
    """name: as printed; builder: the assemble.py builder; dims/shapes:
    quantc compile's --dim and --shape options (fixing every run-time dim,
    so that quantc compiles the one shape it is timed on); feeds(): the
    inputs, a dict of numpy arrays."""

    def __init__(self, name, builder, feeds, dims=None, shapes=None):
        self.name = name
        self.builder = builder
        self.feeds = feeds
        self.dims = dims or {}
        self.shapes = shapes or {}

    def compile_options(self):
        options = {}
        if self.dims:
            options["dim"] = [f"{n}={v}" for n, v in self.dims.items()]
        if self.shapes:
            options["shape"] = [f"{n}={'x'.join(map(str, d))}"
                                for n, d in self.shapes.items()]
        return options


def _minilm_feeds(seq_len=128):
    import wordpiece

    vocab = wordpiece.load_vocab(os.path.join(assemble.minilm_dir(), "vocab.txt"))
    feeds = wordpiece.encode([MINILM_SENTENCE], vocab, seq_len)
    if int(feeds["attention_mask"].sum()) < seq_len // 2:
        raise RuntimeError("the MiniLM sentence is too short for the benchmark length")
    return feeds


def _ocr_det_feeds(height=480, width=640):
    return {"x": inputs.ocr_page(OCR_LINES, height, width)}


MODELS = {
    "resnet50": BenchModel(
        "resnet50", "resnet50", lambda: {"input": inputs.imagenet_image(0)}),
    "mobilenet_v2": BenchModel(
        "mobilenet_v2", "mobilenet_v2", lambda: {"input": inputs.imagenet_image(1)}),
    "minilm": BenchModel(
        "minilm", "minilm", _minilm_feeds, dims={"batch": 1, "sequence": 128}),
    "ppocr_det": BenchModel(
        "ppocr_det", "ppocr_det", _ocr_det_feeds, shapes={"x": (1, 3, 480, 640)}),
}

# The four models issue 5's acceptance is measured on, in its order.
DEFAULT_MODELS = ["resnet50", "mobilenet_v2", "minilm", "ppocr_det"]


def model_path(name, models_dir):
    """The assembled ONNX file (built or refreshed by assemble.py)."""
    return assemble.assemble(MODELS[name].builder, models_dir)
