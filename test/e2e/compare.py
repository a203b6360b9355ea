"""Compile a test model with quantc and compare it with onnxruntime.

    python compare.py NAME --work-dir DIR [--rtol 1e-4] [--atol 1e-5]
                      [--quant-steps N]

Builds model NAME (see models.py; cached in $QUANTC_TEST_MODELS, else
DIR/models), compiles it with quantc's Python API into DIR/lib<NAME>.so,
runs quantc (on one thread, then on two) and onnxruntime (CPUExecutionProvider,
one thread) on the same seeded inputs and compares every output with
np.allclose semantics:
|quantc - ort| <= atol + rtol * |ort|. With --quant-steps N, an output that
a DequantizeLinear with a constant scale produces may instead differ by N
of its quantization steps (N * scale): a rounding that falls the other way
in one layer moves later values by whole steps. It prints one line per output and a
summary; the exit status is 0 when everything matches, 1 on a numerical
mismatch or a wrong signature, 2 when quantc fails to compile or run.

Importable too: compare(name, work_dir, ...) returns the exit status.
"""

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# The quantc package, for runs outside lit (lit puts it on PYTHONPATH).
sys.path.append(os.path.join(HERE, os.pardir, os.pardir, "python"))

import models  # noqa: E402

EXIT_OK, EXIT_MISMATCH, EXIT_QUANTC_FAILED = 0, 1, 2


def _fmt_index(index):
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def diff_stats(got, ref):
    """Max abs diff, max rel diff (over elements with ref != 0), mismatch mask."""
    got64 = got.astype(np.float64)
    ref64 = ref.astype(np.float64)
    abs_diff = np.abs(got64 - ref64)
    nonzero = ref64 != 0
    rel = np.zeros_like(abs_diff)
    rel[nonzero] = abs_diff[nonzero] / np.abs(ref64[nonzero])
    return abs_diff, rel


def output_steps(model_path):
    """Output name -> quantization step (the largest scale) for each graph
    output that a DequantizeLinear with a constant scale produces."""
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(model_path, load_external_data=False).graph
    constants = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    steps = {}
    outputs = {o.name for o in graph.output}
    for node in graph.node:
        if (node.op_type == "DequantizeLinear" and node.output[0] in outputs
                and node.input[1] in constants):
            steps[node.output[0]] = float(np.max(constants[node.input[1]]))
    return steps


def compare_outputs(got, ref, rtol, atol, log=print, steps=None):
    """Compares dicts name -> array; prints per-output lines; returns #failures.
    `steps` (name -> allowed absolute difference) overrides rtol and atol for
    the outputs it names."""
    failures = 0
    steps = steps or {}
    default_rtol, default_atol = rtol, atol
    for name, expected in ref.items():
        rtol, atol = ((0.0, steps[name]) if name in steps
                      else (default_rtol, default_atol))
        if name not in got:
            log(f"MISMATCH output '{name}': quantc did not return it "
                f"(it returned {sorted(got)})")
            failures += 1
            continue
        actual = np.asarray(got[name])
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            log(f"MISMATCH output '{name}': quantc gave {actual.dtype}{list(actual.shape)}, "
                f"onnxruntime {expected.dtype}{list(expected.shape)}")
            failures += 1
            continue
        if expected.size == 0:
            log(f"output '{name}': empty, ok")
            continue
        if not np.issubdtype(expected.dtype, np.floating):
            bad = actual != expected
            if bad.any():
                first = np.argwhere(bad)[0]
                log(f"MISMATCH output '{name}': {int(bad.sum())} of {expected.size} "
                    f"elements differ; first at {_fmt_index(first)}: quantc "
                    f"{actual[tuple(first)]}, onnxruntime {expected[tuple(first)]}")
                failures += 1
            else:
                log(f"output '{name}': {expected.dtype}{list(expected.shape)} exact, ok")
            continue
        abs_diff, rel_diff = diff_stats(actual, expected)
        nan_bad = np.isnan(actual) != np.isnan(expected)
        bad = ~np.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True) | nan_bad
        status = "ok" if not bad.any() else "MISMATCH"
        log(f"output '{name}': {expected.dtype}{list(expected.shape)} "
            f"max_abs_diff {np.nanmax(abs_diff):.3g} max_rel_diff {np.nanmax(rel_diff):.3g} "
            f"max_abs_ref {np.nanmax(np.abs(expected)):.3g} {status}")
        if bad.any():
            failures += 1
            worst = np.unravel_index(
                np.nanargmax(np.where(bad, abs_diff - rtol * np.abs(expected), -np.inf)),
                expected.shape)
            log(f"MISMATCH output '{name}': {int(bad.sum())} of {expected.size} elements "
                f"outside rtol {rtol:g} / atol {atol:g}; worst at {_fmt_index(worst)}: "
                f"quantc {actual[worst]!r}, onnxruntime {expected[worst]!r}")
    return failures


def check_signature(module, model_path, log=print):
    """quantc's reported inputs/outputs must match the ONNX graph's."""
    import onnx
    from onnx import helper

    graph = onnx.load(model_path, load_external_data=False).graph
    initializers = {i.name for i in graph.initializer}
    problems = 0
    for kind, expected_list, actual_list in (
            ("input", [v for v in graph.input if v.name not in initializers], module.inputs),
            ("output", list(graph.output), module.outputs)):
        expected = [(v.name,
                     np.dtype(helper.tensor_dtype_to_np_dtype(v.type.tensor_type.elem_type)),
                     tuple(d.dim_value for d in v.type.tensor_type.shape.dim))
                    for v in expected_list]
        actual = [(t.name, np.dtype(t.dtype), tuple(int(d) for d in t.shape))
                  for t in actual_list]
        if expected != actual:
            log(f"MISMATCH {kind}s: quantc reports {actual}, the model has {expected}")
            problems += 1
    return problems


def compare(name, work_dir, models_dir=None, rtol=1e-4, atol=1e-5, options=None,
            log=print, quant_steps=None):
    import quantc

    os.makedirs(work_dir, exist_ok=True)
    models_dir = models_dir or models.models_dir(os.path.join(work_dir, "models"))

    start = time.perf_counter()
    model_path, inputs = models.build(name, models_dir)
    log(f"model: {name} ({os.path.basename(model_path)}, "
        f"{os.path.getsize(model_path) / 1e6:.2f} MB, built/loaded in "
        f"{time.perf_counter() - start:.1f} s)")

    lib_name = os.path.splitext(os.path.basename(model_path))[0]
    lib_path = os.path.join(work_dir, f"lib{lib_name}.so")
    if os.path.exists(lib_path):
        os.unlink(lib_path)  # never test a stale library
    start = time.perf_counter()
    try:
        quantc.compile(model_path, lib_path, **(options or {}))
    except quantc.Error as e:
        log(f"FAILED: quantc could not compile {model_path}:\n{e}")
        return EXIT_QUANTC_FAILED
    compile_s = time.perf_counter() - start
    log(f"compile: {compile_s:.2f} s ({os.path.getsize(lib_path) / 1e6:.2f} MB library)")

    try:
        module = quantc.load(lib_path)
    except quantc.Error as e:
        log(f"FAILED: quantc could not load {lib_path}:\n{e}")
        return EXIT_QUANTC_FAILED
    problems = check_signature(module, model_path, log)

    saved = {k: v.copy() for k, v in inputs.items()}
    try:
        start = time.perf_counter()
        got = module.run(inputs)
        quantc_ms = (time.perf_counter() - start) * 1e3
    except quantc.Error as e:
        log(f"FAILED: running {lib_path} raised:\n{e}")
        return EXIT_QUANTC_FAILED
    session = models.ort_session(model_path)
    names = [o.name for o in session.get_outputs()]
    start = time.perf_counter()
    ref = dict(zip(names, session.run(names, saved)))
    ort_ms = (time.perf_counter() - start) * 1e3
    # Informative only: one cold call each, one thread, not a benchmark.
    log(f"first run: quantc {quantc_ms:.1f} ms, onnxruntime {ort_ms:.1f} ms")

    # 1e-3 of a step over: values on the grid of steps differ by a float32
    # rounding of k * scale.
    steps = ({k: quant_steps * v * (1 + 1e-3)
              for k, v in output_steps(model_path).items()}
             if quant_steps else {})
    for output, allowed in steps.items():
        log(f"output '{output}': allowed {quant_steps:g} quantization step(s), "
            f"{allowed:.3g}")
    problems += compare_outputs(got, ref, rtol, atol, log, steps)
    # Again on two threads: the kernels then split their work and the large
    # elementwise loops run as OpenMP worksharing loops on the pool.
    module.threads = 2
    try:
        got = module.run(inputs)
    except quantc.Error as e:
        log(f"FAILED: running {lib_path} on 2 threads raised:\n{e}")
        return EXIT_QUANTC_FAILED
    log("on 2 threads:")
    problems += compare_outputs(got, ref, rtol, atol, log, steps)
    for input_name, value in inputs.items():
        # Inputs must be left untouched (the ABI promises it).
        if not np.array_equal(value, saved[input_name]):
            log(f"MISMATCH input '{input_name}': quantc wrote into an input buffer")
            problems += 1
    if problems:
        log(f"FAILED: {problems} mismatch(es) between quantc and onnxruntime "
            f"for {name} (rtol {rtol:g}, atol {atol:g})")
        return EXIT_MISMATCH
    log(f"all outputs match ({len(ref)} outputs, rtol {rtol:g}, atol {atol:g})")
    return EXIT_OK


def _parse_option(text):
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got '{text}'")
    return key.replace("-", "_"), value


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Compile a test model with quantc and compare with onnxruntime.")
    parser.add_argument("name", help=f"one of: {', '.join(models.BUILDERS)}")
    parser.add_argument("--work-dir", required=True,
                        help="where the library and (by default) the model go")
    parser.add_argument("--models-dir",
                        help="model cache (default: $QUANTC_TEST_MODELS or WORK_DIR/models)")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--quant-steps", type=float,
                        help="let outputs of DequantizeLinear differ by this "
                             "many quantization steps")
    parser.add_argument("--option", action="append", type=_parse_option, default=[],
                        metavar="KEY=VALUE", help="passed to quantc.compile")
    args = parser.parse_args(argv)
    if args.name.replace("-", "_") not in models.BUILDERS:
        parser.error(f"unknown model '{args.name}'; known: {', '.join(models.BUILDERS)}")
    status = compare(args.name, args.work_dir, args.models_dir, args.rtol, args.atol,
                     dict(args.option), quant_steps=args.quant_steps)
    sys.stdout.flush()
    return status


if __name__ == "__main__":
    sys.exit(main())
