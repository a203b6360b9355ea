"""quantc's quantized libraries against the float model and against
onnxruntime's own quantization of the same model: accuracy, latency, size.

    .venv/bin/python bench/accuracy/run_accuracy.py [--threads 1] [--reps 30]

One table, one row per (model, scheme):
- accuracy against the float model (onnxruntime, float32) on real data that
  no test or calibration uses (sentences.py);
- latency: the median of --reps runs on the benchmark's input (batch 1,
  bench/bench_models.py), every library and session taking runs in turn in
  this one process with the same thread count;
- size: the library (quantc) or the model file (onnxruntime) against its
  float counterpart.

Models and schemes today:
- MiniLM-L6 (sentence embeddings): quantc --quantize=int8-dynamic against
  onnxruntime quantize_dynamic (its default, per-tensor weights, and
  per_channel=True), and quantc --quantize=w4 (round to nearest, GPTQ and
  AWQ, the last two calibrated on 128 other sentences; groups of 32 and
  128) against onnxruntime's MatMulNBits quantizer (round to nearest) with
  the same blocks. The "/ort int8" column is against quantize_dynamic's default. Metrics: the cosine of each sentence's embedding to the
  float one (mean and minimum) and retrieval top-1 agreement (each sentence's
  nearest other sentence is the same one as with the float model).
- A small CNN trained here (torch, fixed seed) on scikit-learn's handwritten
  digits (1797 real 8x8 scans; 1000 to train, 797 held out): quantc
  --quantize=int8 calibrated on 64 training images against onnxruntime's
  quantize_static (QDQ, per channel, MinMax) on the same 64. Metric: top-1
  accuracy on the held-out digits, and agreement with the float model.
- PP-OCR v4 recognition (rapidocr's model) on text rendered with a real
  font (DejaVu): 96 lines cut from the standard library's docstrings, 16
  other lines to calibrate both quantc --quantize=int8 (as it is, with
  --smoothquant=0.5, and with both it and an --int8-error-budget) and onnxruntime's
  quantize_static. The lines keep their aspect ratio and are padded to the
  widest, as rapidocr batches them. Metric: exact-string agreement of the
  CTC-decoded text (without the spaces the padding reads as) with the
  float model's, and with the rendered text itself.
- ResNet-50 (torchvision's ImageNet classifier) on crops of nine real
  photographs: the two scikit-learn ships (load_sample_images: a temple,
  a flower) and seven of scikit-image's (skimage.data: an astronaut, a
  cat, a coffee cup, a motorcycle, a rocket, and two grey ones, a
  cameraman and coins), resized to 224 and normalized as torchvision does:
  64 crops to calibrate quantc --quantize=int8 (as it is, and with
  --calib-method=entropy) and onnxruntime's quantize_static, 288 other crops
  (other places and scales) to test.
  Metric: top-1 agreement with the float model. Crops of nine photos still
  overlap: this measures agreement on real image statistics, not ImageNet
  accuracy.
Not yet (issue 6): PP-OCR detection.
"""

import argparse
import math
import os
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, os.pardir, os.pardir)
sys.path[:0] = [HERE, os.path.join(ROOT, "bench"), os.path.join(ROOT, "python"),
                os.path.join(ROOT, "test", "models")]

import bench_models  # noqa: E402
import sentences  # noqa: E402

# The error budget the PP-OCR rec row compiles with (percent of the
# logits, relative RMS, on the calibration inputs).
OCR_BUDGET = 3

QUANTC_SCHEMES = [("int8-dynamic", {})] + [
    ("w4", {"group_size": group, "w4_method": method})
    for group in (32, 128) for method in ("rtn", "gptq", "awq")]


def scheme_label(scheme, options):
    return " ".join([scheme] + ([options["w4_method"]] if "w4_method" in options else [])
                    + ([f"g{options['group_size']}"] if "group_size" in options else []))


def ort_session(path, threads):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.log_severity_level = 3
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


class Peer:
    """A way to run the model: `run(feeds)` -> the first output."""

    def __init__(self, label, scheme, run, size, float_size):
        self.label, self.scheme, self.run = label, scheme, run
        self.size_ratio = size / float_size


def quantc_peer(model, lib, scheme, threads, float_lib, **options):
    import quantc

    if scheme != "float32":
        options["quantize"] = scheme
    quantc.compile(model, lib, **options)
    m = quantc.load(lib)
    m.threads = threads
    name = m.outputs[0].name
    size = os.path.getsize(lib)
    return Peer("quantc", scheme, lambda feeds: m.run(feeds)[name], size,
                os.path.getsize(float_lib) if float_lib else size)


def ort_peer(path, scheme, threads, float_path):
    session = ort_session(path, threads)
    name = session.get_outputs()[0].name
    return Peer("onnxruntime", scheme, lambda feeds: session.run([name], feeds)[0],
                os.path.getsize(path), os.path.getsize(float_path))


class CalibrationReader:
    """onnxruntime.quantization's CalibrationDataReader over a list of
    input dicts."""

    def __init__(self, feeds):
        self.items = iter(feeds)

    def get_next(self):
        return next(self.items, None)


def ort_static_int8(model, path, feeds):
    """onnxruntime's static int8 of `model` at `path`, calibrated on `feeds`
    (input dicts): QDQ, weights int8 per channel, activations uint8, MinMax
    (the settings its documentation suggests for CPU)."""
    import logging
    from onnxruntime.quantization import (CalibrationMethod, QuantFormat, QuantType,
                                          quantize_static)

    logging.getLogger().setLevel(logging.ERROR)
    quantize_static(model, path, CalibrationReader(feeds), quant_format=QuantFormat.QDQ,
                    per_channel=True, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, calibrate_method=CalibrationMethod.MinMax)
    return path


def static_int8_peers(model, name, work, threads, calib_dir, feeds, ort_model=None):
    """quantc float32 and --quantize=int8 (calibrated on `calib_dir`),
    onnxruntime float32 and its static int8 (on `feeds`, the same inputs):
    the four peers of a static int8 row. `ort_model` is what onnxruntime
    quantizes and runs (default `model`)."""
    ort_model = ort_model or model
    ort_int8 = ort_static_int8(ort_model, os.path.join(work, f"{name}.qdq.onnx"), feeds)
    float_lib = os.path.join(work, f"lib{name}.float32.so")
    return [quantc_peer(model, float_lib, "float32", threads, None),
            quantc_peer(model, os.path.join(work, f"lib{name}.int8.so"), "int8",
                        threads, float_lib, calib=calib_dir),
            ort_peer(ort_model, "float32", threads, ort_model),
            ort_peer(ort_int8, "int8 (quantize_static)", threads, ort_model)]


def table_row(model, peer, accuracy, ms, ort_int8, quantc_float, decimals=2):
    """One row: the peer's latency, its ratios to onnxruntime's int8 peer and
    to quantc's float32 one, and its size ratio."""
    t = ms[id(peer)]
    return (model, peer.label, peer.scheme, accuracy, f"{t:.{decimals}f}",
            f"{t / ms[id(ort_int8)]:.2f}", f"{t / ms[id(quantc_float)]:.2f}",
            f"{peer.size_ratio:.2f}")


def cosines(a, b):
    return np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def nearest_other(e):
    e = e / np.linalg.norm(e, axis=1, keepdims=True)
    sim = e @ e.T
    np.fill_diagonal(sim, -np.inf)
    return sim.argmax(axis=1)


def latencies(peers, feeds, reps):
    """Each peer's median ms; runs taken in turn, the order rotating."""
    for p in peers:
        for _ in range(3):
            p.run(feeds)
    times = {id(p): [] for p in peers}
    for r in range(reps):
        for p in peers[r % len(peers):] + peers[:r % len(peers)]:
            start = time.perf_counter()
            p.run(feeds)
            times[id(p)].append(time.perf_counter() - start)
    return {id(p): float(np.median(times[id(p)])) * 1e3 for p in peers}


def minilm(args, work):
    from onnxruntime.quantization import QuantType, quantize_dynamic
    import assemble
    import wordpiece

    model = assemble.assemble("minilm", args.models_dir)
    vocab = wordpiece.load_vocab(os.path.join(assemble.minilm_dir(), "vocab.txt"))
    corpus = sentences.sentences(args.sentences)
    data = wordpiece.encode(corpus, vocab, 64)
    # GPTQ and AWQ calibrate on other sentences, each at its own length; the
    # timed libraries, whose inputs are fixed at 128 tokens, on the same
    # sentences padded to 128 (their latency does not depend on the values).
    calib = sentences.held_apart(128, corpus)
    calib_dirs = {}
    for kind in ("run-time", "fixed"):
        calib_dirs[kind] = os.path.join(work, f"minilm_calib.{kind}")
        os.makedirs(calib_dirs[kind], exist_ok=True)
        for i, text in enumerate(calib):
            feeds = wordpiece.encode([text], vocab, 128)
            length = int(feeds["attention_mask"].sum()) if kind == "run-time" else 128
            np.savez(os.path.join(calib_dirs[kind], f"{i:03d}.npz"),
                     **{name: v[:, :length] for name, v in feeds.items()})
    bench_feeds = bench_models.MODELS["minilm"].feeds()
    dims = bench_models.MODELS["minilm"].compile_options()

    # Accuracy: libraries with run-time batch and sequence, on the corpus.
    reference = ort_session(model, args.threads).run(None, data)[0]
    ort_models = {}
    for scheme, options in (("int8-dynamic (per tensor)", {}),
                            ("int8-dynamic (per channel)", {"per_channel": True})):
        path = os.path.join(work, f"minilm.ort.{len(ort_models)}.onnx")
        quantize_dynamic(model, path, weight_type=QuantType.QInt8, **options)
        ort_models[scheme] = path
    # onnxruntime's int4 (MatMulNBits, round to nearest, asymmetric).
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer
    for block in (32, 128):
        path = os.path.join(work, f"minilm.ort.w4.{block}.onnx")
        quantizer = MatMulNBitsQuantizer(onnx.load(model), block_size=block,
                                         is_symmetric=False)
        quantizer.process()
        quantizer.model.save_model_to_file(path, False)
        ort_models[f"w4 g{block} (MatMulNBits)"] = path
    float_lib = os.path.join(work, "libminilm.float32.so")
    timed = [quantc_peer(model, float_lib, "float32", args.threads, None, **dims)]
    accuracy = {}
    for scheme, options in QUANTC_SCHEMES:
        label = scheme_label(scheme, options)
        calibrated = options.get("w4_method") in ("gptq", "awq")
        tag = label.replace(" ", "_")
        lib = os.path.join(work, f"libminilm.{tag}.dyn.so")
        calib_option = {"calib": calib_dirs["run-time"]} if calibrated else {}
        peer = quantc_peer(model, lib, scheme, args.threads, None, **options, **calib_option)
        accuracy[("quantc", label)] = peer.run(data)
        calib_option = {"calib": calib_dirs["fixed"]} if calibrated else {}
        timed.append(quantc_peer(model, os.path.join(work, f"libminilm.{tag}.so"),
                                 scheme, args.threads, float_lib, **dims, **options,
                                 **calib_option))
        timed[-1].scheme = label
    timed.append(ort_peer(model, "float32", args.threads, model))
    for scheme, path in ort_models.items():
        peer = ort_peer(path, scheme, args.threads, model)
        accuracy[("onnxruntime", scheme)] = peer.run(data)
        timed.append(peer)

    ms = latencies(timed, bench_feeds, args.reps)
    ort_int8 = next(p for p in timed  # onnxruntime's quantize_dynamic
                    if p.label == "onnxruntime" and p.scheme.endswith("(per tensor)"))
    want = nearest_other(reference)
    rows = []
    for p in timed:
        got = accuracy.get((p.label, p.scheme))
        if got is None and p.scheme != "float32":
            continue
        if got is not None:
            cos = cosines(got, reference)
            agree = float(np.mean(nearest_other(got) == want))
            acc = f"cosine mean {cos.mean():.5f} min {cos.min():.5f}; top-1 {agree:.1%}"
        else:
            acc = "(reference)" if p.label == "onnxruntime" else "float32"
        rows.append(table_row("MiniLM-L6", p, acc, ms, ort_int8, timed[0]))
    return rows, (f"MiniLM-L6: {len(corpus)} standard-library docstring sentences "
                  f"(seq 64) for accuracy; GPTQ and AWQ calibrated on {len(calib)} "
                  f"other sentences; latency at batch 1 x 128 tokens")


def train_digits_cnn(path):
    """A 3-conv CNN on sklearn's digits, exported to ONNX (batch 1)."""
    import torch
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None]
    y = digits.target.astype(np.int64)
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(32, 32, 3, padding=1), torch.nn.ReLU(),
        torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), torch.nn.Linear(32, 10))
    optimizer = torch.optim.Adam(net.parameters(), lr=3e-3)
    xt, yt = torch.from_numpy(x[:1000]), torch.from_numpy(y[:1000])
    for epoch in range(40):
        for i in range(0, 1000, 50):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(xt[i:i + 50]), yt[i:i + 50])
            loss.backward()
            optimizer.step()
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 1, 8, 8), path, input_names=["image"],
                      output_names=["logits"], opset_version=13)
    return x, y


def digits(args, work):
    model = os.path.join(work, "digits_cnn.onnx")
    x, y = train_digits_cnn(model)
    calib = x[:1000][::1000 // 64][:64]
    calib_dir = os.path.join(work, "digits_calib")
    os.makedirs(calib_dir, exist_ok=True)
    for i, image in enumerate(calib):
        np.savez(os.path.join(calib_dir, f"{i:03d}.npz"), image=image[None])

    peers = static_int8_peers(model, "digits", work, args.threads, calib_dir,
                              [{"image": image[None]} for image in calib])
    test_x, test_y = x[1000:], y[1000:]
    predictions = [np.array([int(np.argmax(p.run({"image": image[None]})))
                             for image in test_x]) for p in peers]
    reference = predictions[2]  # onnxruntime float32
    ms = latencies(peers, {"image": test_x[:1]}, args.reps)
    rows = []
    for p, pred in zip(peers, predictions):
        acc = f"top-1 {np.mean(pred == test_y):.2%}"
        if p.scheme != "float32":
            acc += f"; agrees with float {np.mean(pred == reference):.2%}"
        rows.append(table_row("digits CNN", p, acc, ms, peers[3], peers[0], decimals=3))
    return rows, (f"digits CNN: trained on 1000 of scikit-learn's digits, "
                  f"{len(test_x)} held out; calibrated on 64 training images; "
                  f"latency at batch 1")


def text_lines(count, skip=0, width=24):
    """Short lines of real text: docstring sentences cut at word boundaries
    to at most `width` characters."""
    lines = []
    for sentence in sentences.sentences(400):
        line = ""
        for word in sentence.split():
            if len(line) + len(word) + 1 > width:
                break
            line = f"{line} {word}".strip()
        if len(line) >= 8:
            lines.append(line)
    return lines[skip:skip + count]


def ocr_rec(args, work):
    import assemble
    import inputs

    model = assemble.assemble("ppocr_rec", args.models_dir)
    characters = inputs.ctc_characters(model)
    test_lines, calib_lines = text_lines(96), text_lines(16, skip=96)
    if len(test_lines) < 96 or len(calib_lines) < 16:
        raise RuntimeError("not enough docstring lines for the OCR rows")
    # As rapidocr feeds a batch: each line 48 high at its own aspect ratio,
    # padded on the right to the widest (here over every line, to a
    # multiple of 8, so that one fixed-shape library reads them all).
    # Squeezing the lines to 320 instead leaves the float model unsure of
    # 1 line in 10 (commas, "1" and "l"), and any noise flips those.
    images = [inputs.render_line(t) for t in test_lines + calib_lines]
    width = -(-max(math.ceil(48 * i.shape[1] / i.shape[0]) for i in images) // 8) * 8
    batches = [inputs.resize_norm_line(i, 48, width)[None] for i in images]
    test, calib = batches[:len(test_lines)], batches[len(test_lines):]
    calib_dir = os.path.join(work, "ocr_calib")
    os.makedirs(calib_dir, exist_ok=True)
    for i, x in enumerate(calib):
        np.savez(os.path.join(calib_dir, f"{i:03d}.npz"), x=x)

    # onnxruntime's quantizer wants the model's shapes: fixed to the lines'.
    import onnx
    fixed = os.path.join(work, "ppocr_rec.fixed.onnx")
    m = onnx.load(model)
    for d, v in zip(m.graph.input[0].type.tensor_type.shape.dim, test[0].shape):
        d.ClearField("dim_param")
        d.dim_value = v
    onnx.save(m, fixed)
    ort_int8 = ort_static_int8(fixed, os.path.join(work, "ppocr_rec.qdq.onnx"),
                               [{"x": x} for x in calib])
    shape = {"shape": ["x=" + "x".join(map(str, test[0].shape))]}
    float_lib = os.path.join(work, "libppocr_rec.float32.so")

    def int8(label, name, **options):
        peer = quantc_peer(model, os.path.join(work, f"libppocr_rec.{name}.so"), "int8",
                           args.threads, float_lib, calib=calib_dir, **shape, **options)
        peer.scheme = label
        return peer

    peers = [quantc_peer(model, float_lib, "float32", args.threads, None, **shape),
             int8("int8", "int8"),
             int8("int8 --smoothquant=0.5", "int8sq", smoothquant=0.5),
             int8(f"int8 --smoothquant=0.5 --int8-error-budget={OCR_BUDGET}",
                  "int8budget", smoothquant=0.5, int8_error_budget=OCR_BUDGET),
             ort_peer(fixed, "float32", args.threads, fixed),
             ort_peer(ort_int8, "int8 (quantize_static)", args.threads, fixed)]
    ort_float, ort_quantized = peers[-2], peers[-1]
    # The padding reads as spaces at either end: the text is what is between.
    texts = [[inputs.ctc_greedy_decode(p.run({"x": x}), characters)[0].strip() for x in test]
             for p in peers]
    reference = texts[peers.index(ort_float)]
    ms = latencies(peers, {"x": test[0]}, args.reps)
    rows = []
    for p, got in zip(peers, texts):
        exact = np.mean([g == t for g, t in zip(got, test_lines)])
        acc = f"lines read exactly {exact:.1%}"
        if p.scheme != "float32":
            acc += f"; same string as float {np.mean([g == r for g, r in zip(got, reference)]):.1%}"
        rows.append(table_row("PP-OCR rec", p, acc, ms, ort_quantized, peers[0]))
    return rows, (f"PP-OCR rec: {len(test)} rendered docstring lines (1x3x48x{width}); "
                  f"calibrated on {len(calib)} other lines")


def photos():
    """The nine photographs, as HxWx3 uint8 arrays (grey ones repeated over
    the three channels): scikit-learn's two, then scikit-image's seven."""
    from skimage import data
    from sklearn.datasets import load_sample_images

    found = list(load_sample_images().images)
    found += [data.astronaut(), data.chelsea(), data.coffee(),
              data.stereo_motorcycle()[0], data.rocket()]
    found += [np.repeat(grey[..., None], 3, axis=2)
              for grey in (data.camera(), data.coins())]
    return found


def photo_crops(count, seed):
    """`count` square crops of the photos, in turn (a random place and a
    side from 120 pixels to the photo's shorter one), each 1x3x224x224,
    normalized with ImageNet's mean and deviation."""
    from PIL import Image

    pictures = photos()
    rng = np.random.default_rng(seed)
    mean = np.array([0.485, 0.456, 0.406], np.float32)
    std = np.array([0.229, 0.224, 0.225], np.float32)
    crops = []
    for i in range(count):
        photo = pictures[i % len(pictures)]
        h, w, _ = photo.shape
        side = int(rng.integers(120, min(h, w) + 1))
        y, x = int(rng.integers(0, h - side + 1)), int(rng.integers(0, w - side + 1))
        image = Image.fromarray(photo[y:y + side, x:x + side]).resize((224, 224), Image.BILINEAR)
        a = (np.asarray(image, np.float32) / 255 - mean) / std
        crops.append(a.transpose(2, 0, 1)[None].astype(np.float32))
    return crops


def resnet50(args, work):
    model = os.path.join(args.models_dir, "resnet50.onnx")
    calib, test = photo_crops(64, seed=1), photo_crops(288, seed=2)
    calib_dir = os.path.join(work, "resnet50_calib")
    os.makedirs(calib_dir, exist_ok=True)
    for i, x in enumerate(calib):
        np.savez(os.path.join(calib_dir, f"{i:03d}.npz"), input=x)
    quantc_float, quantc_int8, ort_float, ort_int8 = static_int8_peers(
        model, "resnet50", work, args.threads, calib_dir, [{"input": x} for x in calib])
    # Entropy's ranges clip the pooled features' few large values, which
    # gives the classifier's input finer steps (PP-OCR rec needs its tails).
    entropy = quantc_peer(model, os.path.join(work, "libresnet50.int8entropy.so"), "int8",
                          args.threads, os.path.join(work, "libresnet50.float32.so"),
                          calib=calib_dir, calib_method="entropy")
    entropy.scheme = "int8 --calib-method=entropy"
    peers = [quantc_float, quantc_int8, entropy, ort_float, ort_int8]
    predictions = [np.array([int(np.argmax(p.run({"input": x}))) for x in test])
                   for p in peers]
    reference = predictions[peers.index(ort_float)]
    ms = latencies(peers, {"input": test[0]}, args.reps)
    rows = []
    for p, pred in zip(peers, predictions):
        acc = "" if p.scheme == "float32" else \
            f"top-1 agrees with float {np.mean(pred == reference):.1%}"
        rows.append(table_row("ResNet-50", p, acc, ms, ort_int8, quantc_float))
    return rows, (f"ResNet-50: {len(test)} crops of nine photos (scikit-learn's and scikit-image's); "
                  f"calibrated on {len(calib)} other crops; latency at batch 1")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--sentences", type=int, default=256)
    parser.add_argument("--models-dir", default=os.environ.get(
        "QUANTC_TEST_MODELS", os.path.join(ROOT, "build", "test-models")) + "/real-models")
    parser.add_argument("--models", default="digits,ocr-rec,minilm,resnet50",
                        help="which of digits, ocr-rec, minilm, resnet50 to run "
                             "(comma-separated)")
    parser.add_argument("--work-dir", help="where the libraries go (default: a temporary one)")
    args = parser.parse_args(argv)
    work = args.work_dir or tempfile.mkdtemp(prefix="quantc-accuracy-")
    os.makedirs(work, exist_ok=True)

    sentences.sentences(args.sentences)  # the corpus, before torch and the rest
    rows, notes = [], []
    families = {"digits": digits, "ocr-rec": ocr_rec, "minilm": minilm,
                "resnet50": resnet50}
    for family in (families[name] for name in args.models.split(",")):
        r, note = family(args, work)
        rows += r
        notes.append(note)
    header = ("model", "peer", "scheme", "accuracy vs float32", "ms",
              "/ort int8", "/quantc fp32", "size / fp32")
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    line = lambda row: "| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |"  # noqa: E731
    print(f"threads {args.threads}, {args.reps} runs each, median")
    for n in notes:
        print(n)
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line(row))


if __name__ == "__main__":
    main()
