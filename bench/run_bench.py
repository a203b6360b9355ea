#!/usr/bin/env python3
"""Benchmarks quantc's libraries against onnxruntime and IREE, side by side.

    .venv/bin/python bench/run_bench.py [--models resnet50,minilm] [--threads 1,2]
                                        [--peers onnxruntime,iree] [--reps 20]
                                        [--warmup 3] [--json FILE]

For each model and thread count, one worker process per peer loads the model
(bench_worker.py); the runs take turns between the peers (the order rotates
every repetition, so each peer runs first as often as the others), after
`--warmup` untimed runs each, with a pause between runs (`--gap-ms`) so that
one runtime's spinning idle threads do not share the cores with the next
one's run. Each peer's outputs are compared with onnxruntime's before anything
is timed; a mismatch is printed in the table. Per model it prints the median
latency of each peer with its spread (10th to 90th percentile), the ratios
quantc/onnxruntime and quantc/IREE of the medians, each process's peak RSS,
quantc's and IREE's compile times and the arena size (with its ratio to the
liveness lower bound, which issue 5 asks to keep within 1.05x). The geometric means of
the ratios close each thread count. The same figures go to a JSON file
(default build/bench/results.json). The exit status is non-zero when quantc's
outputs differ from onnxruntime's (IREE's differing is only reported).

onnxruntime runs with every graph optimization, `threads` intra-op threads and
sequential execution. IREE (bench/iree_peer.py) compiles each model with
iree-compile for llvm-cpu, the host CPU and every ukernel, and runs it on its
local-task driver with `threads` worker threads; a model it cannot import or
compile gets "IREE: not supported (why)" in its row. Absolute times on shared
machines drift; the ratios, taken in one run on the same inputs, are the
figures to quote.
"""

import argparse
import datetime
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "python"))

import bench_models  # noqa: E402
import iree_peer  # noqa: E402
import quantc  # noqa: E402

RTOL, ATOL = 1e-3, 1e-4  # as test/models checks the same models
# quantc is what is measured and onnxruntime the reference every output is
# checked against: both always run. --peers chooses among the rest.
PEERS = ["quantc", "onnxruntime", "iree"]
ALWAYS = ("quantc", "onnxruntime")


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


class WorkerError(RuntimeError):
    """A worker failed to load its model or to carry out a command; `reason`
    is its own one-line account."""

    def __init__(self, message, reason):
        super().__init__(message)
        self.reason = reason


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
            why = "no reply"
            if line.startswith("failed "):
                why = json.loads(line[len("failed "):])["error"]
            self.proc.kill()
            self.proc.wait()
            raise WorkerError(f"the {peer} worker failed to load {model}: {why}", why)
        self.info = json.loads(line[len("ready "):])
        self.times = []

    def ask(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise WorkerError(f"the {self.peer} worker died on '{command}'",
                              f"died on '{command}'")
        reply = json.loads(line)
        if "error" in reply:
            raise WorkerError(f"{self.peer} worker: {reply['error']}", reply["error"])
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


def arena_plan(lib_path):
    """The arena size and its liveness lower bound that `quantc inspect`
    reports, as {"arena_bytes", "bound_bytes"}, each None where it reports
    none."""
    out = subprocess.run([quantc.compiler.find_quantc(), "inspect", lib_path],
                         capture_output=True, text=True).stdout
    plan = {"arena_bytes": None, "bound_bytes": None}
    for line in out.splitlines():
        for key, label in (("arena_bytes", "arena:"),
                           ("bound_bytes", "liveness lower bound:")):
            if line.strip().startswith(label):
                plan[key] = int(line.split(":", 1)[1].split()[0])
    return plan


def peer_stats(worker):
    stats = worker.ask("stats")
    ms = [t * 1e3 for t in worker.times]
    return {"median_ms": percentile(ms, 50), "p10_ms": percentile(ms, 10),
            "p90_ms": percentile(ms, 90), "min_ms": min(ms), "runs": len(ms),
            "peak_rss_mb": stats["peak_rss_kb"] / 1024,
            "base_rss_mb": stats["base_rss_kb"] / 1024,
            "load_s": worker.info["load_seconds"], "threads": worker.info["threads"],
            "version": worker.info["version"]}


def bench_one(model, onnx_path, lib_path, inputs_path, threads, args, work_dir,
              vmfb=None):
    """Times quantc and onnxruntime, and IREE's module `vmfb` when given. An
    IREE worker that fails to load or run is dropped: result["iree"] is then
    {"error": why} and the others go on."""
    workers = {"quantc": Worker("quantc", lib_path, inputs_path, threads),
               "onnxruntime": Worker("onnxruntime", onnx_path, inputs_path, threads)}
    iree_error = None

    def attempt(peer, action):
        """action(worker); a failing IREE worker is dropped, any other's
        failure ends the benchmark."""
        nonlocal iree_error
        try:
            action(workers[peer])
        except WorkerError as e:
            if peer != "iree":
                raise
            iree_error = f"runtime: {e.reason}"
            worker = workers.pop("iree")
            worker.proc.kill()
            worker.proc.wait()

    try:
        if vmfb:
            try:
                workers["iree"] = Worker("iree", vmfb, inputs_path, threads)
            except WorkerError as e:
                iree_error = f"runtime: {e.reason}"
        saved = {}
        for peer in list(workers):
            saved[peer] = os.path.join(work_dir, f"{model.name}.{peer}.out.npz")
            attempt(peer, lambda w: w.ask("save " + saved[peer]))
        max_abs, close = compare_outputs(saved["quantc"], saved["onnxruntime"])
        for _ in range(args.warmup):
            for peer in list(workers):
                attempt(peer, lambda w: w.run())
                time.sleep(args.gap_ms / 1e3)
        for rep in range(args.reps):
            order = list(workers)
            k = rep % len(order)
            for peer in order[k:] + order[:k]:
                attempt(peer, lambda w: w.times.append(w.run()))
                # The runtimes' idle threads spin for a while after a run
                # before they sleep; let them park, or the next peer's run
                # shares the cores with them.
                time.sleep(args.gap_ms / 1e3)
        result = {"threads": threads, "max_abs_diff": max_abs, "outputs_match": close}
        for peer, w in workers.items():
            result[peer] = peer_stats(w)
        result["ratio"] = result["quantc"]["median_ms"] / result["onnxruntime"]["median_ms"]
        if "iree" in workers:
            iree_abs, iree_close = compare_outputs(saved["iree"], saved["onnxruntime"])
            result["iree"].update(max_abs_diff=iree_abs, outputs_match=iree_close)
            result["ratio_iree"] = result["quantc"]["median_ms"] / result["iree"]["median_ms"]
        elif vmfb:
            result["iree"] = {"error": iree_error}
        return result
    finally:
        for w in workers.values():
            w.close()


def geomean(values):
    return math.exp(sum(math.log(x) for x in values) / len(values))


def format_table(rows, threads, with_iree):
    header = ["model", "quantc ms (p10-p90)", "ort ms (p10-p90)", "ratio",
              "RSS MB q/ort", "arena MB (/bound)", "compile s", "max abs diff"]
    if with_iree:
        header += ["iree ms (p10-p90)", "q/iree", "RSS MB iree", "iree compile s",
                   "iree max abs diff"]
    first = rows[0]["result"] if rows else {}
    peer_threads = [f"onnxruntime {threads}",
                    f"quantc {first['quantc']['threads'] if rows else '?'}"]
    if with_iree:
        ran = [r["result"]["iree"]["threads"] for r in rows
               if "threads" in r["result"].get("iree", {})]
        peer_threads.append(f"iree {ran[0] if ran else '-'}")
    lines = ["threads: " + ", ".join(peer_threads),
             " | ".join(header), " | ".join("---" for _ in header)]
    for row in rows:
        r, q, o = row["result"], row["result"]["quantc"], row["result"]["onnxruntime"]
        arena = "-" if row["arena_bytes"] is None else f"{row['arena_bytes'] / 2**20:.1f}"
        if row["arena_bytes"] and row["arena_bound_bytes"]:
            arena += f" ({row['arena_bytes'] / row['arena_bound_bytes']:.3f}x)"
        cells = [
            row["model"],
            f"{q['median_ms']:.2f} ({q['p10_ms']:.2f}-{q['p90_ms']:.2f})",
            f"{o['median_ms']:.2f} ({o['p10_ms']:.2f}-{o['p90_ms']:.2f})",
            f"{r['ratio']:.2f}",
            f"{q['peak_rss_mb']:.0f} / {o['peak_rss_mb']:.0f}",
            arena, f"{row['compile_s']:.1f}",
            f"{r['max_abs_diff']:.2g}" + ("" if r["outputs_match"] else " MISMATCH")]
        if with_iree:
            i = r["iree"]
            if "error" in i:
                why = i["error"] if len(i["error"]) <= 100 else i["error"][:97] + "..."
                cells += [f"IREE: not supported ({why})", "-", "-", "-", "-"]
            else:
                cells += [
                    f"{i['median_ms']:.2f} ({i['p10_ms']:.2f}-{i['p90_ms']:.2f})",
                    f"{r['ratio_iree']:.2f}", f"{i['peak_rss_mb']:.0f}",
                    f"{row['iree_compile']['total_s']:.1f}",
                    f"{i['max_abs_diff']:.2g}" + ("" if i["outputs_match"] else " MISMATCH")]
        lines.append(" | ".join(cells))
    ratios = [row["result"]["ratio"] for row in rows]
    if ratios:
        lines.append(f"geomean ratio quantc/onnxruntime: {geomean(ratios):.2f}")
    if with_iree:
        ratios = [row["result"]["ratio_iree"] for row in rows if "ratio_iree" in row["result"]]
        if ratios:
            lines.append(f"geomean ratio quantc/IREE: {geomean(ratios):.2f} "
                         f"(the {len(ratios)} of {len(rows)} models IREE ran)")
        else:
            lines.append("geomean ratio quantc/IREE: - (IREE ran none of the models)")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--models", default=",".join(bench_models.DEFAULT_MODELS),
                        help="comma-separated, from: " + ", ".join(bench_models.MODELS))
    parser.add_argument("--threads", default="1,2", help="thread counts (default 1,2)")
    parser.add_argument("--peers", help="comma-separated, from: " + ", ".join(PEERS) +
                        " (default: every installed one); " + " and ".join(ALWAYS) +
                        " always run, so this turns IREE on or off")
    parser.add_argument("--iree-flags", default="", metavar="FLAGS",
                        help="more iree-compile flags, after the defaults "
                             "(one string: --iree-flags='--iree-opt-level=O3')")
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
    peers = PEERS if args.peers is None else [p for p in args.peers.split(",") if p]
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        parser.error(f"unknown peer(s) {', '.join(unknown)}; known: {', '.join(PEERS)}")
    iree_skipped = None
    if "iree" in peers:
        iree_skipped = iree_peer.missing()
        if iree_skipped:
            print(f"IREE: skipped ({iree_skipped})", flush=True)
    elif args.peers is not None:
        iree_skipped = "not in --peers"
    with_iree = iree_skipped is None
    iree_flags = shlex.split(args.iree_flags)
    peers = [p for p in PEERS if p in ALWAYS or (p == "iree" and with_iree)]
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
        iree = None
        if with_iree:
            print(f"[{name}] compiling with IREE", flush=True)
            try:
                vmfb, timings = iree_peer.compile_model(
                    onnx_path, model.feeds(), args.work_dir, name, iree_flags)
                iree = {"vmfb": vmfb, "compile": timings, "error": None}
                print(f"[{name}] IREE compiled in {timings['total_s']:.1f} s", flush=True)
            except iree_peer.Unsupported as e:
                iree = {"vmfb": None, "compile": None, "error": str(e)}
                print(f"[{name}] IREE: not supported ({e})", flush=True)
        prepared.append((model, onnx_path, lib_path, inputs_path, compile_s,
                         arena_plan(lib_path), iree))

    report = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
              "cpu": cpu_name(), "cores": os.cpu_count(), "reps": args.reps,
              "warmup": args.warmup, "peers": peers, "runs": []}
    if with_iree:
        report["iree"] = {"versions": iree_peer.versions(),
                          "import": f"iree-import-onnx (--opset-version {iree_peer.MIN_OPSET} "
                                    f"for a model below opset {iree_peer.MIN_OPSET})",
                          "compile_flags": iree_peer.COMPILE_FLAGS + iree_flags,
                          "tuned_flags": iree_peer.TUNED_FLAGS,
                          "flags_per_model": {m.name: (i["compile"] or {}).get("flags")
                                              for m, *_, i in prepared if i},
                          "driver": iree_peer.DRIVER,
                          "runtime_flags": ["--task_topology_group_count=THREADS"]}
    else:
        report["iree"] = {"skipped": iree_skipped}
    tables = []
    for threads in thread_counts:
        rows = []
        for model, onnx_path, lib_path, inputs_path, compile_s, arena, iree in prepared:
            print(f"[{model.name}] {threads} thread(s): {args.warmup} warm-up and "
                  f"{args.reps} timed runs per peer", flush=True)
            result = bench_one(model, onnx_path, lib_path, inputs_path, threads,
                               args, args.work_dir, iree and iree["vmfb"])
            row = {"model": model.name, "compile_s": compile_s,
                   "arena_bytes": arena["arena_bytes"],
                   "arena_bound_bytes": arena["bound_bytes"], "result": result}
            if iree:
                row["iree_compile"] = iree["compile"]
                if iree["error"]:
                    result["iree"] = {"error": iree["error"]}
                elif "error" in result["iree"]:
                    print(f"[{model.name}] IREE: not supported "
                          f"({result['iree']['error']})", flush=True)
            rows.append(row)
            report["runs"].append(row)
        tables.append(format_table(rows, threads, with_iree))

    print(f"\nCPU: {report['cpu']}, {report['cores']} cores; {args.reps} runs per "
          f"peer after {args.warmup} warm-up; medians")
    if with_iree:
        v = report["iree"]["versions"]
        print(f"IREE {v['iree-base-compiler']} (compiler) / {v['iree-base-runtime']} "
              f"(runtime): {' '.join(report['iree']['compile_flags'])}; "
              f"{iree_peer.DRIVER}")
        plain = [m for m, f in report["iree"]["flags_per_model"].items()
                 if f is not None and iree_peer.TUNED_FLAGS[0] not in f]
        print(f"IREE also with {' '.join(iree_peer.TUNED_FLAGS)} (im2col convolutions), "
              f"except where that fails to compile: "
              f"{', '.join(plain) if plain else 'none'}")
    print()
    print("\n\n".join(tables))
    json_path = args.json or os.path.join(args.work_dir, "results.json")
    with open(json_path, "w") as f:
        json.dump(report, f, indent=2)
    print(f"\nresults: {json_path}")
    if with_iree:
        unsupported = sorted({r["model"] for r in report["runs"]
                              if "error" in r["result"]["iree"]})
        differ = sorted({r["model"] for r in report["runs"]
                         if not r["result"]["iree"].get("outputs_match", True)})
        if unsupported:
            print("IREE did not run: " + ", ".join(unsupported))
        if differ:
            print("IREE's outputs differ from onnxruntime for: " + ", ".join(differ))
    mismatched = [r["model"] for r in report["runs"] if not r["result"]["outputs_match"]]
    if mismatched:
        print("outputs differ from onnxruntime for: " + ", ".join(sorted(set(mismatched))))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
