#!/usr/bin/env python3
"""Run the ONNX backend node tests through quantc and say how each one ends.

    run_conformance.py [-k REGEX] [-j N] [--check | --update] [-v]

Each node test (see node_cases.py) is compiled with `quantc compile` and every
data set run with `quantc run`, each in its own process with a time limit,
and the outputs compared as ONNX's backend runner does (same shape, same
dtype, np.testing.assert_allclose with the test's rtol/atol). A test ends as:

  pass         every output of every data set matches
  fail         quantc compiled it but the numbers, shape or dtype are wrong,
               or the library refused valid inputs at run time
  unsupported  quantc refused the model at compile time with a clean error
  crash        quantc or the library died (a signal, an internal error)
  hang         compile or run exceeded its time limit

--check compares the statuses with the checked-in expectations
(test/conformance/expected.txt) and exits 1 on any difference, so that a
regression fails CI, and so does an improvement that was not recorded.
--update rewrites the expectations and the generated docs
(docs/conformance.md, docs/supported-ops.md) from this run; a fail keeps the
reason written after '#' on its line in expected.txt.
"""

import argparse
import collections
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, os.pardir, os.pardir))
sys.path.insert(0, HERE)

import node_cases  # noqa: E402

STATUSES = ("pass", "fail", "unsupported", "crash", "hang")
EXPECTED = os.path.join(HERE, "expected.txt")


def _first_error(stderr, model_path):
    """The first error line of quantc's message, without the temporary path."""
    lines = stderr.replace(model_path, "model.onnx").splitlines()
    for i, line in enumerate(lines):
        if "error:" in line:
            # An error's indented continuation lines (the list of unsupported
            # nodes) belong to it.
            more = [l.strip() for l in lines[i + 1:i + 4] if l.startswith(" ")]
            first = line.split("error:", 1)[1].strip()
            first = first.removeprefix("model.onnx:").strip()
            return " ".join([first] + more)
    text = "\n".join(lines)
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip() if lines else "(no message)"


def _run(cmd, timeout):
    """(returncode or None on timeout, stderr)."""
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                           errors="replace")
        return p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        return None, ""


def _died(rc):
    """A process that did not exit with 0 or quantc's clean error status 1."""
    return rc < 0 or rc > 1


def _compare(expected, got, rtol, atol, ml_dtype=None):
    """None when `got` matches `expected` as ONNX's runner judges, else why.
    `ml_dtype`: the ml_dtypes type of an output that .npy holds as raw void
    ('<V1'); both arrays are viewed as it and compared as float32 (bfloat16
    with two ulps of rtol, as ONNX's runner) or, for int4/int2, as int8."""
    if ml_dtype is not None:
        if got.dtype.kind != "V" or got.dtype.itemsize != ml_dtype.itemsize:
            return f"dtype {got.dtype}, expected {ml_dtype} (as void)"
        got, expected = got.view(ml_dtype), expected.view(ml_dtype)
        if ml_dtype.name == "bfloat16":
            rtol = max(rtol, 2**-6)
        wide = np.int8 if ml_dtype.name.startswith(("int", "uint")) else np.float32
        got, expected = got.astype(wide), expected.astype(wide)
    if got.shape != expected.shape:
        return f"shape {list(got.shape)}, expected {list(expected.shape)}"
    if got.dtype != expected.dtype:
        return f"dtype {got.dtype}, expected {expected.dtype}"
    try:
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)
    except AssertionError as e:
        lines = [l.strip() for l in str(e).splitlines() if l.strip()]
        detail = "; ".join(l for l in lines if l.startswith(("Mismatched", "Max abs")))
        return f"values differ ({detail or lines[0]})"
    return None


def run_test(test, node_dir, out_root, quantc, compile_timeout, run_timeout):
    name = test["name"]
    case_dir = os.path.join(node_dir, name)
    model = os.path.join(case_dir, "model.onnx")
    out_dir = os.path.join(out_root, name)
    shutil.rmtree(out_dir, ignore_errors=True)
    os.makedirs(out_dir)
    lib = os.path.join(out_dir, "libtest.so")
    start = time.monotonic()

    def result(status, reason=""):
        return {"name": name, "op": test["op"], "status": status, "reason": reason,
                "seconds": round(time.monotonic() - start, 2)}

    rc, err = _run([quantc, "compile", model, "-o", lib], compile_timeout)
    if rc is None:
        return result("hang", f"compile exceeded {compile_timeout}s")
    if _died(rc):
        return result("crash", f"compile exited with {rc}: {_first_error(err, model)}")
    if rc == 1:
        return result("unsupported", _first_error(err, model))
    if not test["convertible"]:
        return result("fail", "compiled, but the test data is not plain numpy arrays")
    for ds in test["data_sets"]:
        ds_dir = os.path.join(case_dir, ds)
        out_npz = os.path.join(out_dir, ds + ".npz")
        cmd = [quantc, "run", lib, "-o", out_npz]
        with np.load(os.path.join(ds_dir, "inputs.npz")) as feeds:
            if feeds.files:
                cmd += ["--input", os.path.join(ds_dir, "inputs.npz")]
        rc, err = _run(cmd, run_timeout)
        if rc is None:
            return result("hang", f"{ds}: run exceeded {run_timeout}s")
        if _died(rc):
            return result("crash", f"{ds}: run exited with {rc}: {_first_error(err, lib)}")
        if rc == 1:
            return result("fail", f"{ds}: run error: {_first_error(err, lib)}")
        with np.load(out_npz) as got, np.load(os.path.join(ds_dir, "expected.npz")) as exp:
            for j, out_name in enumerate(test["outputs"]):
                if out_name not in got.files:
                    return result("fail", f"{ds}: output '{out_name}' missing")
                dtypes = test.get("output_dtypes") or [None] * len(test["outputs"])
                why = _compare(exp[f"output_{j}"], got[out_name], test["rtol"], test["atol"],
                               node_cases.ml_dtype(dtypes[j]))
                if why:
                    return result("fail", f"{ds}: output '{out_name}': {why}")
    shutil.rmtree(out_dir, ignore_errors=True)  # keep only what explains a failure
    return result("pass")


def read_expected(path):
    """{test: (status, reason)} from `name status [# reason]` lines."""
    expected = {}
    if not os.path.exists(path):
        return expected
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            body, _, reason = line.partition("#")
            name, status = body.split()
            expected[name] = (status, reason.strip())
    return expected


def write_expected(path, results, old, onnx_version):
    with open(path, "w") as f:
        f.write("# Expected end of every ONNX backend node test (onnx "
                f"{onnx_version}) under quantc.\n"
                "# Generated by run_conformance.py --update; CI fails when a run differs.\n"
                "# A fail keeps the reason written after '#' by hand.\n")
        for r in sorted(results, key=lambda r: r["name"]):
            line = f"{r['name']} {r['status']}"
            if r["status"] == "fail":
                old_status, reason = old.get(r["name"], ("", ""))
                line += f"  # {reason if old_status == 'fail' and reason else 'reason not yet known: ' + r['reason']}"
            f.write(line + "\n")


def _counts(results):
    c = collections.Counter(r["status"] for r in results)
    return [c[s] for s in STATUSES]


def _unsupported_reasons(results):
    """The refusals grouped into a few kinds, for the docs."""
    groups = collections.Counter()
    for r in results:
        if r["status"] != "unsupported":
            continue
        reason = r["reason"]
        type_match = re.search(r"element type '?(\w+)", reason)
        cast_match = re.search(r"cast to (\w+)", reason)
        if "use operators that quantc does not support" in reason:
            key = "an operator is not supported"
        elif type_match or cast_match:
            key = f"element type {(type_match or cast_match).group(1)}"
        elif "is not a tensor" in reason:
            key = "a sequence, optional or map input"
        elif re.search(r"known at compile time|must be (a )?constant", reason):
            key = "a value that must be a constant (Tile's repeats, Dropout's training_mode, ...) is a graph input"
        else:
            key = re.sub(r"(node '[^']*'|node #\d+):? ?", "", reason).strip(" :")[:100]
        groups[key] += 1
    return groups


def write_docs(results, onnx_version, expected):
    total = len(results)
    counts = _counts(results)
    by_op = collections.defaultdict(list)
    for r in results:
        by_op[r["op"]].append(r)
    header = ("<!-- Generated by test/conformance/run_conformance.py --update. "
              "Do not edit. -->\n")
    lines = [header, "# ONNX backend conformance\n",
             f"The node tests of onnx {onnx_version} ({total} tests), compiled by "
             "`quantc compile` and run with `quantc run`, compared as ONNX's backend "
             "runner compares (shape, dtype, `assert_allclose` with each test's "
             "rtol/atol). How a test can end is explained in "
             "`test/conformance/run_conformance.py`.\n",
             "| | tests | pass | fail | unsupported | crash | hang |",
             "|---|---:|---:|---:|---:|---:|---:|",
             f"| **total** | {total} | " + " | ".join(
                 f"{n} ({100.0 * n / total:.1f}%)" for n in counts) + " |", "",
             "## Per operator\n",
             "Multi-node tests (`_expanded` function bodies) count under the operator "
             "they test.\n",
             "| operator | tests | pass | fail | unsupported | crash | hang |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for op in sorted(by_op, key=str.lower):
        rs = by_op[op]
        lines.append(f"| {op} | {len(rs)} | " + " | ".join(str(n) for n in _counts(rs)) + " |")
    lines += ["", "## Why tests are unsupported\n",
              "quantc's first error for each refused test, grouped.\n",
              "| reason | tests |", "|---|---:|"]
    for reason, n in _unsupported_reasons(results).most_common():
        lines.append(f"| {reason} | {n} |")
    fails = [r for r in results if r["status"] != "pass" and r["status"] != "unsupported"]
    lines += ["", "## Failures\n"]
    if not fails:
        lines.append("None.")
    else:
        lines += ["| test | ends as | reason |", "|---|---|---|"]
        for r in sorted(fails, key=lambda r: r["name"]):
            reason = expected.get(r["name"], ("", r["reason"]))[1] or r["reason"]
            lines.append(f"| {r['name']} | {r['status']} | {reason.replace('|', '/')} |")
    with open(os.path.join(ROOT, "docs", "conformance.md"), "w") as f:
        f.write("\n".join(lines) + "\n")

    lines = [header, "# Supported ONNX operators\n",
             "From the conformance run (docs/conformance.md): an operator is *supported* "
             "when all its node tests pass, *partial* when some do; the notes give the "
             "first reason quantc gives for the tests it refuses. Operators with no "
             "passing test are not listed: quantc refuses them at compile time, naming "
             "each node.\n",
             "| operator | status | node tests passing | not passing, why |",
             "|---|---|---:|---|"]
    for op in sorted(by_op, key=str.lower):
        rs = by_op[op]
        passed = sum(r["status"] == "pass" for r in rs)
        if not passed:
            continue
        status = "supported" if passed == len(rs) else "partial"
        reasons = collections.Counter(
            re.sub(r"(node '[^']*'|node #\d+):? ?", "", r["reason"]).strip(" :")[:100]
            for r in rs if r["status"] != "pass")
        why = "; ".join(f"{n}× {reason}" for reason, n in reasons.most_common(3))
        lines.append(f"| {op} | {status} | {passed}/{len(rs)} | {why.replace('|', '/')} |")
    with open(os.path.join(ROOT, "docs", "supported-ops.md"), "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quantc", default=os.path.join(ROOT, "build", "bin", "quantc"),
                        help="the quantc binary (default: build/bin/quantc)")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, "build", "conformance"),
                        help="where the tests and the libraries go (default: build/conformance)")
    parser.add_argument("-k", "--filter", help="only tests whose name matches this regex")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count(),
                        help="tests run in parallel (default: the number of cores)")
    parser.add_argument("--compile-timeout", type=float, default=180)
    parser.add_argument("--run-timeout", type=float, default=60)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="exit 1 when any status differs from expected.txt")
    mode.add_argument("--update", action="store_true",
                      help="rewrite expected.txt and docs/{conformance,supported-ops}.md")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="print every test, not only those that do not pass")
    args = parser.parse_args()
    if args.update and args.filter:
        parser.error("--update needs the whole suite; drop -k")
    if not os.access(args.quantc, os.X_OK):
        parser.error(f"no quantc binary at {args.quantc}; build first (scripts/build.sh)")

    import onnx
    node_dir, index = node_cases.prepare(args.work_dir)
    if args.filter:
        index = [t for t in index if re.search(args.filter, t["name"])]
    out_root = os.path.join(args.work_dir, "out")
    os.makedirs(out_root, exist_ok=True)

    start = time.monotonic()
    results = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(run_test, t, node_dir, out_root, args.quantc,
                               args.compile_timeout, args.run_timeout) for t in index]
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            r = future.result()
            results.append(r)
            if args.verbose or r["status"] not in ("pass", "unsupported"):
                print(f"[{n}/{len(index)}] {r['status'].upper():11s} {r['name']}: "
                      f"{r['reason']}", flush=True)
            elif n % 200 == 0:
                print(f"[{n}/{len(index)}] ...", flush=True)
    elapsed = time.monotonic() - start
    results.sort(key=lambda r: r["name"])
    with open(os.path.join(args.work_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)

    counts = _counts(results)
    total = max(1, len(results))
    print(f"conformance: {len(results)} tests in {elapsed:.0f}s: " + ", ".join(
        f"{n} {s} ({100.0 * n / total:.1f}%)" for s, n in zip(STATUSES, counts)))

    expected = read_expected(EXPECTED)
    if args.update:
        write_expected(EXPECTED, results, expected, onnx.__version__)
        write_docs(results, onnx.__version__, read_expected(EXPECTED))
        print(f"conformance: wrote {os.path.relpath(EXPECTED, ROOT)}, docs/conformance.md "
              "and docs/supported-ops.md")
        return 0
    if args.check:
        differences = []
        for r in results:
            want = expected.get(r["name"], ("(not in expected.txt)", ""))[0]
            if r["status"] != want:
                differences.append(f"  {r['name']}: expected {want}, got {r['status']}"
                                   + (f" ({r['reason']})" if r["reason"] else ""))
        if not args.filter:
            seen = {r["name"] for r in results}
            differences += [f"  {name}: in expected.txt but not run"
                            for name in sorted(set(expected) - seen)]
        if differences:
            print(f"conformance: {len(differences)} test(s) differ from "
                  "test/conformance/expected.txt:\n" + "\n".join(differences))
            print("A regression is a bug to fix. An improvement is recorded with "
                  "run_conformance.py --update (then commit expected.txt and docs/).")
            return 1
        print("conformance: every test ends as test/conformance/expected.txt says")
    return 0


if __name__ == "__main__":
    sys.exit(main())
