"""Runs nms.onnxtxt's and nms_center.onnxtxt's libraries on random boxes and
compares selected_indices with onnxruntime's, exactly.

    python run_nms.py LIBNMS LIBCENTER INPUTS_DIR

The boxes are snapped to a coarse grid so that identical boxes, IoUs exactly
at the threshold and zero-area boxes occur; corners come in either order
(flipped coordinates); scores are rounded so that ties are common.
"""
import os
import sys

import numpy as np
import onnx
import onnx.parser
import onnxruntime as ort
import quantc

rng = np.random.default_rng(0)


def session(path):
    with open(path) as f:
        model = onnx.parser.parse_model(f.read())
    return ort.InferenceSession(model.SerializeToString(),
                                providers=["CPUExecutionProvider"])


def random_case(b, c, n, center):
    if center:
        xy = rng.integers(0, 8, (b, n, 2)) / 2
        wh = rng.integers(0, 6, (b, n, 2)) / 2  # some zero width or height
        boxes = np.concatenate([xy, wh], axis=-1)
    else:
        boxes = rng.integers(0, 8, (b, n, 4)) / 2  # corners in any order
    scores = np.round(rng.random((b, c, n)), 1)  # many ties
    return boxes.astype(np.float32), scores.astype(np.float32)


def check(name, lib, sess, feeds):
    got = lib.run(feeds)["selected"]
    want = sess.run(None, feeds)[0]
    ok = got.dtype == want.dtype and np.array_equal(got, want)
    return ok, got.shape, want.shape


lib = quantc.load(sys.argv[1])
center = quantc.load(sys.argv[2])
sess = session(os.path.join(sys.argv[3], "nms.onnxtxt"))
center_sess = session(os.path.join(sys.argv[3], "nms_center.onnxtxt"))

failures = 0
count = 0
for b, c, n in [(1, 1, 1), (1, 1, 6), (2, 3, 20), (1, 2, 50), (3, 1, 33),
                (1, 1, 0)]:
    for max_out in [0, 1, 3, 100, -2]:
        for iou in [0.0, 0.25, 0.5, 1.0]:
            for score_threshold in [-1.0, 0.0, 0.45, 2.0]:
                boxes, scores = random_case(b, c, n, center=False)
                feeds = dict(boxes=boxes, scores=scores,
                             max_out=np.int64([max_out]),
                             iou=np.float32([iou]),
                             score_threshold=np.float32([score_threshold]))
                ok, got, want = check("nms", lib, sess, feeds)
                count += 1
                if not ok:
                    failures += 1
                    print(f"MISMATCH {b}x{c}x{n} max {max_out} iou {iou} "
                          f"score {score_threshold}: {got} vs {want}")
    boxes, scores = random_case(b, c, n, center=True)
    ok, got, want = check("center", center, center_sess,
                          dict(boxes=boxes, scores=scores))
    count += 1
    if not ok:
        failures += 1
        print(f"MISMATCH center {b}x{c}x{n}: {got} vs {want}")
print(f"nms: {count} cases, {failures} mismatches")
