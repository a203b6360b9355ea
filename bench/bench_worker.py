"""One peer's side of a benchmark: a process that loads one model in one
runtime and runs it when told to.

run_bench.py starts one worker per peer and alternates between them, so that
their runs interleave and each process's peak RSS is that runtime's alone
(plus the same Python and numpy every worker has; `base_rss_kb` is what the
process held before loading the model).

Protocol, one line each way: the worker prints `ready {json}` once loaded
(or `failed {"error": why}` and exits); then for each command on stdin it
prints one line of JSON, `{"error": why}` if the command failed:
    run           -> {"seconds": s}             one timed call of the model
    save PATH     -> {"saved": PATH}            one call, outputs to PATH (.npz)
    stats         -> {"peak_rss_kb": n, ...}
    quit          -> (exits)
"""

import argparse
import json
import sys
import time

import numpy as np


def peak_rss_kb():
    """This process's peak RSS (VmHWM). Not getrusage's ru_maxrss: that one
    starts from the parent's RSS at fork and would report the harness's."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])  # KiB
    raise RuntimeError("no VmHWM in /proc/self/status")


def one_line(error):
    """An exception as one line: its type and the first line of its message."""
    text = str(error).strip().splitlines()
    return type(error).__name__ + (": " + text[0] if text else "")


class OrtPeer:
    """onnxruntime with every graph optimization, `threads` intra-op threads
    and one inter-op thread (sequential execution)."""

    def __init__(self, model, threads):
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(model, options,
                                            providers=["CPUExecutionProvider"])
        self.names = [o.name for o in self.session.get_outputs()]
        self.version = ort.__version__

    def run(self, feeds):
        return dict(zip(self.names, self.session.run(None, feeds)))


class QuantcPeer:
    """A library built by `quantc compile`, through the Python package."""

    def __init__(self, library, threads):
        import quantc

        self.model = quantc.load(library, threads=threads)
        self.threads = self.model.threads
        self.version = "quantc"

    def run(self, feeds):
        return self.model.run(feeds)


class IreePeer:
    """A .vmfb compiled by iree-compile (llvm-cpu), on IREE's local-task
    driver with `threads` worker threads (iree_peer.py)."""

    def __init__(self, vmfb, threads):
        from iree_peer import IreeRunner

        self.runner = IreeRunner(vmfb, threads)
        self.threads = self.runner.threads
        self.version = self.runner.version

    def run(self, feeds):
        return self.runner.run(feeds)


PEERS = {"onnxruntime": OrtPeer, "quantc": QuantcPeer, "iree": IreePeer}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer", choices=sorted(PEERS), required=True)
    parser.add_argument("--model", required=True,
                        help="ONNX file, quantc library or IREE .vmfb")
    parser.add_argument("--inputs", required=True, help=".npz of the inputs")
    parser.add_argument("--threads", type=int, required=True)
    args = parser.parse_args()

    with np.load(args.inputs) as data:
        feeds = {k: data[k] for k in data.files}
    base = peak_rss_kb()
    start = time.perf_counter()
    try:
        peer = PEERS[args.peer](args.model, args.threads)
    except Exception as e:  # the harness prints why, and may go on without us
        print("failed " + json.dumps({"error": one_line(e)}), flush=True)
        raise
    load_seconds = time.perf_counter() - start
    info = {"load_seconds": load_seconds, "base_rss_kb": base,
            "version": peer.version,
            "threads": getattr(peer, "threads", args.threads)}
    print("ready " + json.dumps(info), flush=True)

    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        try:
            if command == "run":
                start = time.perf_counter()
                peer.run(feeds)
                reply = {"seconds": time.perf_counter() - start}
            elif command == "save":
                np.savez(argument, **peer.run(feeds))
                reply = {"saved": argument}
            elif command == "stats":
                reply = {"peak_rss_kb": peak_rss_kb(), "base_rss_kb": base}
            elif command == "quit":
                return
            else:
                reply = {"error": f"unknown command '{command}'"}
        except Exception as e:
            reply = {"error": one_line(e)}
        print(json.dumps(reply), flush=True)

if __name__ == "__main__":
    main()
