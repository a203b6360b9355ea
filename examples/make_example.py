"""Builds examples/mlp_classifier.onnx, the model the README's first command runs.

    python examples/make_example.py [-o examples/mlp_classifier.onnx]

The model is a small trained classifier: 64 features -> Gemm(128) -> Relu ->
Gemm(10) -> logits, and Softmax -> probabilities, for a batch of 4 samples.
It is trained here, with numpy only and a fixed seed, on a synthetic data set
of 10 classes (one Gaussian cluster per class in 64 dimensions), so that its
predictions mean something: run_example.py shows the true labels next to them.
The result is deterministic for a given numpy version and checked in (~40 KB).
"""

import argparse
import os
import sys

import numpy as np

FEATURES, HIDDEN, CLASSES, BATCH = 64, 128, 10, 4
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_PATH = os.path.join(HERE, "mlp_classifier.onnx")


def class_centers():
    return np.random.default_rng(64).normal(0.0, 1.0, (CLASSES, FEATURES))


def make_dataset(count, seed):
    """`count` samples (float32 [count, 64]) and their labels (int64 [count])."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, CLASSES, count)
    x = class_centers()[labels] + rng.normal(0.0, 2.0, (count, FEATURES))
    return x.astype(np.float32), labels.astype(np.int64)


def example_batch():
    """The fixed input that run_example.py feeds the model, with its labels."""
    return make_dataset(BATCH, seed=8)


def train(steps=300, lr=0.02, seed=0):
    """A 2-layer MLP trained with full-batch Adam on softmax cross-entropy."""
    x, y = make_dataset(2000, seed=1)
    rng = np.random.default_rng(seed)
    params = {
        "w1": rng.normal(0, np.sqrt(2.0 / FEATURES), (HIDDEN, FEATURES)),
        "b1": np.zeros(HIDDEN),
        "w2": rng.normal(0, np.sqrt(1.0 / HIDDEN), (CLASSES, HIDDEN)),
        "b2": np.zeros(CLASSES),
    }
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    onehot = np.eye(CLASSES)[y]
    for step in range(1, steps + 1):
        h_pre = x @ params["w1"].T + params["b1"]
        h = np.maximum(h_pre, 0)
        logits = h @ params["w2"].T + params["b2"]
        p = np.exp(logits - logits.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        d_logits = (p - onehot) / len(x)
        d_h = d_logits @ params["w2"] * (h_pre > 0)
        grads = {"w2": d_logits.T @ h, "b2": d_logits.sum(0),
                 "w1": d_h.T @ x, "b1": d_h.sum(0)}
        grads["w1"] += 1e-3 * params["w1"]  # a little weight decay
        grads["w2"] += 1e-3 * params["w2"]
        for k, g in grads.items():
            m, v = moments[k]
            m[:] = 0.9 * m + 0.1 * g
            v[:] = 0.999 * v + 0.001 * g * g
            params[k] -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return {k: v.astype(np.float32) for k, v in params.items()}


def accuracy(params, count=2000, seed=3):
    x, y = make_dataset(count, seed)
    h = np.maximum(x @ params["w1"].T + params["b1"], 0)
    return float(np.mean(np.argmax(h @ params["w2"].T + params["b2"], 1) == y))


def build_model(params):
    from onnx import TensorProto, helper, numpy_helper

    inits = [numpy_helper.from_array(params[k], name)
             for k, name in (("w1", "fc1.weight"), ("b1", "fc1.bias"),
                             ("w2", "fc2.weight"), ("b2", "fc2.bias"))]
    nodes = [
        helper.make_node("Gemm", ["features", "fc1.weight", "fc1.bias"], ["fc1"],
                         name="fc1", transB=1),
        helper.make_node("Relu", ["fc1"], ["hidden"], name="relu"),
        helper.make_node("Gemm", ["hidden", "fc2.weight", "fc2.bias"], ["logits"],
                         name="fc2", transB=1),
        helper.make_node("Softmax", ["logits"], ["probabilities"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(
        nodes, "mlp_classifier",
        [helper.make_tensor_value_info("features", TensorProto.FLOAT, [BATCH, FEATURES])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [BATCH, CLASSES]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [BATCH, CLASSES])],
        inits)
    graph.doc_string = ("A 64-feature, 10-class MLP classifier trained on synthetic "
                        "Gaussian clusters (examples/make_example.py).")
    model = helper.make_model(graph, producer_name="quantc-examples",
                              opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", default=DEFAULT_PATH)
    args = parser.parse_args()

    import onnx

    params = train()
    model = build_model(params)
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, args.output)
    print(f"wrote {args.output} ({os.path.getsize(args.output) / 1024:.1f} KB); "
          f"held-out accuracy {accuracy(params):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
