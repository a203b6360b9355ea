#!/usr/bin/env python3
"""Benchmarks quantc's libraries against onnxruntime, side by side.

    .venv/bin/python bench/run_bench.py [--models resnet50,minilm] [--threads 1,2]
                                        [--reps 20] [--warmup 3] [--json FILE]

For each model and thread count, one worker process per peer loads the model
(bench_worker.py); the runs alternate between the peers (the first to run
switches every repetition), after `--warmup` untimed runs each, with a pause
between runs (`--gap-ms`) so that one runtime's spinning idle threads do not
share the cores with the other's run. Each peer's
outputs are compared with onnxruntime's before anything is timed, so a table
never times a library that computes something else. Per model it prints the
median latency of each peer with its spread (10th to 90th percentile), the
ratio quantc/onnxruntime of the medians, each process's peak RSS, quantc's
compile time and the arena size. The geometric mean of the ratios closes each
thread count. The same figures go to a JSON file (default
build/bench/results.json).

onnxruntime runs with every graph optimization, `threads` intra-op threads and
sequential execution. Absolute times on shared machines drift; the ratios,
taken in one run on the same inputs, are the figures to quote.
"""

import argparse
import datetime
import json
import math
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))

import bench_models  # noqa: E402
import quantc  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4  # as test/models checks the same models


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


class Worker:
    """A bench_worker.py process for one peer."""

    def __init__(self, peer, model, inputs, threads):
        self.peer = peer
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "bench_worker.py"), "--peer", peer,
             "--model", model, "--inputs", inputs, "--threads", str(threads)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": os.path.join(ROOT, "python")})
        line = self.proc.stdout.readline()
        if not line.startswith("ready "):
            self.proc.kill()
            raise RuntimeError(f"the {peer} worker failed to load {model}")
        self.info = json.loads(line[len("ready "):])
        self.times = []

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.peer} worker died on '{command}'")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"{self.peer} worker: {reply['error']}")
        return reply

    def run(self):
        seconds = self.ask("run")["seconds"]
        return seconds

    def close(self):
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
        except OSError:
            pass
        self.proc.wait(timeout=60)


def compare_outputs(got_path, ref_path):
    """(max abs difference, all close) of two runs' outputs."""
    worst, close = 0.0, True
    with np.load(got_path) as got, np.load(ref_path) as ref:
        for name in ref.files:
            if name not in got.files or got[name].shape != ref[name].shape:
                return math.inf, False
            a, b = got[name].astype(np.float64), ref[name].astype(np.float64)
            if a.size:
                worst = max(worst, float(np.max(np.abs(a - b))))
            close = close and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))
    return worst, close


def compile_model(model, onnx_path, lib_path):
    if os.path.exists(lib_path):
        os.unlink(lib_path)  # never time a stale library
    start = time.perf_counter()
    quantc.compile(onnx_path, lib_path, **model.compile_options())
    return time.perf_counter() - start


def arena_bytes(lib_path):
    """The arena size `quantc inspect` reports, or None while it reports none."""
    out = subprocess.run([quantc.compiler.find_quantc(), "inspect", lib_path],
                         capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("arena:"):
            return int(line.split(":", 1)[1].split()[0])
    return None


def bench_one(model, onnx_path, lib_path, inputs_path, threads, args, work_dir):
    workers = {"quantc": Worker("quantc", lib_path, inputs_path, threads),
               "onnxruntime": Worker("onnxruntime", onnx_path, inputs_path, threads)}
    try:
        saved = {}
        for peer, w in workers.items():
            saved[peer] = os.path.join(work_dir, f"{model.name}.{peer}.out.npz")
            w.ask("save " + saved[peer])
        max_abs, close = compare_outputs(saved["quantc"], saved["onnxruntime"])
        order = list(workers.values())
        for _ in range(args.warmup):
            for w in order:
                w.run()
                time.sleep(args.gap_ms / 1e3)
        for rep in range(args.reps):
            for w in (order if rep % 2 == 0 else order[::-1]):
                w.times.append(w.run())
                # Both runtimes' idle threads spin for a while after a run
                # before they sleep; let them park, or the next peer's run
                # shares the cores with them.
                time.sleep(args.gap_ms / 1e3)
        result = {"threads": threads, "max_abs_diff": max_abs, "outputs_match": close}
        for peer, w in workers.items():
            stats = w.ask("stats")
            ms = [t * 1e3 for t in w.times]
            result[peer] = {
                "median_ms": percentile(ms, 50), "p10_ms": percentile(ms, 10),
                "p90_ms": percentile(ms, 90), "min_ms": min(ms), "runs": len(ms),
                "peak_rss_mb": stats["peak_rss_kb"] / 1024,
                "base_rss_mb": stats["base_rss_kb"] / 1024,
                "load_s": w.info["load_seconds"], "threads": w.info["threads"],
                "version": w.info["version"]}
        result["ratio"] = result["quantc"]["median_ms"] / result["onnxruntime"]["median_ms"]
        return result
    finally:
        for w in workers.values():
            w.close()


def format_table(rows, threads):
    header = ["model", "quantc ms (p10-p90)", "ort ms (p10-p90)", "ratio",
              "RSS MB q/ort", "arena MB", "compile s", "max abs diff"]
    lines = [f"threads: onnxruntime {threads}, quantc "
             f"{rows[0]['result']['quantc']['threads'] if rows else '?'}",
             " | ".join(header), " | ".join("---" for _ in header)]
    for row in rows:
        r, q, o = row["result"], row["result"]["quantc"], row["result"]["onnxruntime"]
        arena = "-" if row["arena_bytes"] is None else f"{row['arena_bytes'] / 2**20:.1f}"
        lines.append(" | ".join([
            row["model"],
            f"{q['median_ms']:.2f} ({q['p10_ms']:.2f}-{q['p90_ms']:.2f})",
            f"{o['median_ms']:.2f} ({o['p10_ms']:.2f}-{o['p90_ms']:.2f})",
            f"{r['ratio']:.2f}",
            f"{q['peak_rss_mb']:.0f} / {o['peak_rss_mb']:.0f}",
            arena, f"{row['compile_s']:.1f}",
            f"{r['max_abs_diff']:.2g}" + ("" if r["outputs_match"] else " MISMATCH")]))
    ratios = [row["result"]["ratio"] for row in rows]
    if ratios:
        geomean = math.exp(sum(math.log(x) for x in ratios) / len(ratios))
        lines.append(f"geomean ratio quantc/onnxruntime: {geomean:.2f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--models", default=",".join(bench_models.DEFAULT_MODELS),
                        help="comma-separated, from: " + ", ".join(bench_models.MODELS))
    parser.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    parser.add_argument("--reps", type=int, default=20, help="timed runs per peer")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs per peer")
    parser.add_argument("--gap-ms", type=float, default=50,
                        help="pause between two runs, untimed (default 50 ms)")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, "build", "bench"),
                        help="libraries, inputs and outputs (default build/bench)")
    parser.add_argument("--json", help="results file (default WORK_DIR/results.json)")
    args = parser.parse_args(argv)

    names = [n for n in args.models.split(",") if n]
    unknown = [n for n in names if n not in bench_models.MODELS]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; "
                     f"known: {', '.join(bench_models.MODELS)}")
    thread_counts = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.work_dir, exist_ok=True)
    models_dir = bench_models.assemble.models_dir(
        os.path.join(ROOT, "build", "test-models", "real-models"))

    prepared = []
    for name in names:
        model = bench_models.MODELS[name]
        print(f"[{name}] assembling the model", flush=True)
        onnx_path = bench_models.model_path(name, models_dir)
        inputs_path = os.path.join(args.work_dir, f"{name}.inputs.npz")
        np.savez(inputs_path, **model.feeds())
        lib_path = os.path.join(args.work_dir, f"lib{name}.so")
        print(f"[{name}] compiling with quantc", flush=True)
        compile_s = compile_model(model, onnx_path, lib_path)
        print(f"[{name}] compiled in {compile_s:.1f} s", flush=True)
        prepared.append((model, onnx_path, lib_path, inputs_path, compile_s,
                         arena_bytes(lib_path)))

    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "cpu": cpu_name(), "cores": os.cpu_count(), "reps": args.reps,
              "warmup": args.warmup, "runs": []}
    tables = []
    for threads in thread_counts:
        rows = []
        for model, onnx_path, lib_path, inputs_path, compile_s, arena in prepared:
            print(f"[{model.name}] {threads} thread(s): {args.warmup} warm-up and "
                  f"{args.reps} timed runs per peer", flush=True)
            result = bench_one(model, onnx_path, lib_path, inputs_path, threads,
                               args, args.work_dir)
            row = {"model": model.name, "compile_s": compile_s, "arena_bytes": arena,
                   "result": result}
            rows.append(row)
            report["runs"].append(row)
        tables.append(format_table(rows, threads))

    print(f"\nCPU: {report['cpu']}, {report['cores']} cores; {args.reps} runs per "
          f"peer after {args.warmup} warm-up; medians\n")
    print("\n\n".join(tables))
    json_path = args.json or os.path.join(args.work_dir, "results.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"\nresults: {json_path}")
    mismatched = [r["model"] for r in report["runs"] if not r["result"]["outputs_match"]]
    if mismatched:
        print("outputs differ from onnxruntime for: " + ", ".join(sorted(set(mismatched))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
