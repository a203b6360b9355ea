"""IREE as a benchmark peer: compiling an ONNX model to a .vmfb (harness side)
and running it (worker side).

Compile: the ONNX model gets the static input shapes it is timed on (IREE
compiles one shape, like quantc here), then

    iree-import-onnx model.onnx -o model.mlir     [--opset-version 17]
    iree-compile model.mlir <COMPILE_FLAGS> -o model.vmfb

A model whose default-domain opset is below MIN_OPSET is upgraded by the
importer (`--opset-version`): IREE's ONNX import has no patterns for some
older op versions (BatchNormalization before opset 15, for one). Whatever
fails raises Unsupported with a one-line reason; the harness prints it in the
model's row and goes on.

Run: the local-task driver with `--task_topology_group_count=THREADS`, so
IREE computes on exactly THREADS worker threads (IreeRunner checks that the
driver started that many). The module is mapped from the file, as quantc's
weights are.

The two wheels come from scripts/requirements-bench.txt (setup.sh).
"""

import json
import os
import re
import subprocess
import sys
import time
from importlib import metadata

PACKAGES = ("iree-base-compiler", "iree-base-runtime")
MIN_OPSET = 17
COMPILE_FLAGS = [
    "--iree-hal-target-backends=llvm-cpu",
    "--iree-llvmcpu-target-cpu=host",
    "--iree-llvmcpu-enable-ukernels=all",
]
# Tried first, as the fairest comparison: with it IREE runs NCHW
# convolutions as an im2col GEMM (ResNet-50: ~90 ms instead of ~350 at one
# thread). Some models (PP-OCR det) then fail to compile; they are compiled
# again with COMPILE_FLAGS alone.
TUNED_FLAGS = ["--iree-global-opt-use-im2col-for-convs"]
DRIVER = "local-task"
COMPILE_TIMEOUT_S = 1800


class Unsupported(Exception):
    """IREE could not import, compile or run the model; str() is the reason."""


def missing():
    """None when IREE can be used, else why not (one line)."""
    absent = []
    for package in PACKAGES:
        try:
            metadata.version(package)
        except metadata.PackageNotFoundError:
            absent.append(package)
    if absent:
        return (f"{', '.join(absent)} not installed; scripts/setup.sh installs "
                "it (scripts/requirements-bench.txt)")
    return None


def versions():
    return {p: metadata.version(p) for p in PACKAGES}


def _tool(name):
    """A console script of the compiler wheel, next to this Python, as a
    command run by this Python: a script's #! line names the interpreter pip
    ran as, which may be another path to the same venv that no longer exists."""
    path = os.path.join(os.path.dirname(sys.executable), name)
    if not os.access(path, os.R_OK):
        raise Unsupported(f"{name} not found next to {sys.executable}")
    return [sys.executable, path]


def short_reason(stderr, tool):
    """The first error of a tool's output, in a line short enough for a table."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    error = next((ln for ln in lines if "error:" in ln), None)
    if error is not None:
        error = error.split("error:", 1)[1].strip()
    elif "Traceback (most recent call last)" in stderr:
        error = lines[-1]  # the exception
    else:
        error = lines[0] if lines else "failed with no output"
    if error.startswith(tool + ":"):
        error = error[len(tool) + 1:].strip()
    legalize = re.search(r"failed to legalize operation '([^']+)'", error)
    if legalize:
        op = re.search(r'name = "(onnx\.[A-Za-z0-9]+)"', stderr)
        error = f"cannot lower {op.group(1) if op else legalize.group(1)}"
    if len(error) > 90:
        error = error[:87] + "..."
    return f"{tool}: {error}"


def _static_model(onnx_path, feeds, out_path):
    """Writes onnx_path with its inputs fixed to the shapes of `feeds` and its
    opset raised to MIN_OPSET if lower; returns (path to import, importer
    args, signature). The model is rewritten only when an input dim is not
    the fed one; value_info and output dims are dropped then, for the
    importer's shape inference to redo with the static shapes."""
    import onnx

    model = onnx.load(onnx_path)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    changed = False
    for i in inputs:
        if i.name not in feeds:
            raise Unsupported(f"no input '{i.name}' in the bench's feeds")
        shape = feeds[i.name].shape
        dims = i.type.tensor_type.shape.dim
        if len(dims) != len(shape):
            raise Unsupported(f"input '{i.name}' has rank {len(dims)}, fed {len(shape)}")
        for d, v in zip(dims, shape):
            if not (d.HasField("dim_value") and d.dim_value == v):
                d.Clear()
                d.dim_value = int(v)
                changed = True
    signature = {"inputs": [i.name for i in inputs],
                 "outputs": [o.name for o in model.graph.output]}
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    args = ["--opset-version", str(MIN_OPSET)] if opset < MIN_OPSET else []
    if not changed:
        return onnx_path, args, signature
    del model.graph.value_info[:]
    for o in model.graph.output:
        for d in o.type.tensor_type.shape.dim:
            d.Clear()
    onnx.save(model, out_path)
    return out_path, args, signature


def _run_tool(cmd, tool):
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=COMPILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Unsupported(f"{tool}: timed out after {COMPILE_TIMEOUT_S} s") from None
    except OSError as e:
        raise Unsupported(f"{tool}: cannot run ({e.strerror})") from None
    if proc.returncode != 0:
        raise Unsupported(short_reason(proc.stderr + proc.stdout, tool))


def compile_model(onnx_path, feeds, work_dir, name, extra_flags=()):
    """Compiles the ONNX model for the shapes of `feeds` into
    WORK_DIR/NAME.vmfb (its signature in NAME.vmfb.json, for the worker),
    with COMPILE_FLAGS and then `extra_flags`; returns (vmfb path,
    {"import_s", "compile_s", "total_s", "opset_upgrade"}). Raises
    Unsupported."""
    vmfb = os.path.join(work_dir, f"{name}.vmfb")
    static = os.path.join(work_dir, f"{name}.iree.onnx")
    mlir = os.path.join(work_dir, f"{name}.iree.mlir")
    for path in (vmfb, vmfb + ".json"):
        if os.path.exists(path):
            os.unlink(path)  # never time a stale module
    try:
        start = time.perf_counter()
        source, import_args, signature = _static_model(onnx_path, feeds, static)
        _run_tool([*_tool("iree-import-onnx"), source, "-o", mlir, *import_args],
                  "iree-import-onnx")
        imported = time.perf_counter()
        flags = [*COMPILE_FLAGS, *TUNED_FLAGS, *extra_flags]
        try:
            _run_tool([*_tool("iree-compile"), mlir, *flags, "-o", vmfb],
                      "iree-compile")
        except Unsupported:
            flags = [*COMPILE_FLAGS, *extra_flags]
            _run_tool([*_tool("iree-compile"), mlir, *flags, "-o", vmfb],
                      "iree-compile")
        done = time.perf_counter()
    finally:
        for path in (static, mlir):  # the MLIR holds the weights as text
            if os.path.exists(path):
                os.unlink(path)
    with open(vmfb + ".json", "w") as f:
        json.dump(signature, f)
    return vmfb, {"import_s": imported - start, "compile_s": done - imported,
                  "total_s": done - start, "opset_upgrade": bool(import_args),
                  "flags": flags}


def worker_threads():
    """The local-task driver's worker threads in this process."""
    count = 0
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/comm") as f:
                count += f.read().startswith("iree-worker")
        except OSError:
            pass
    return count


class IreeRunner:
    """A .vmfb on the local-task driver with `threads` worker threads. Takes
    and gives numpy arrays, by the ONNX input and output names in the
    module's NAME.vmfb.json."""

    def __init__(self, vmfb, threads):
        import iree.runtime as rt

        with open(vmfb + ".json") as f:
            signature = json.load(f)
        self.inputs, self.outputs = signature["inputs"], signature["outputs"]
        # Process-wide flags, read when the driver creates its device.
        rt.flags.parse_flags(f"--task_topology_group_count={threads}")
        config = rt.Config(DRIVER)
        # The workers name themselves once they run: give them a moment.
        deadline = time.monotonic() + 5
        while worker_threads() < threads and time.monotonic() < deadline:
            time.sleep(0.01)
        self.threads = worker_threads()
        if self.threads != threads:
            raise RuntimeError(f"IREE started {self.threads} worker threads, "
                               f"not the {threads} asked for")
        self.context = rt.SystemContext(config=config)
        module = rt.VmModule.mmap(self.context.instance, vmfb)
        self.context.add_vm_module(module)
        entries = [f for f in module.function_names
                   if f != "__init" and not f.endswith("$async")]
        if len(entries) != 1:
            raise RuntimeError(f"want one entry function in {vmfb}, found {entries}")
        self.function = self.context.modules[module.name][entries[0]]
        self.version = "iree " + versions()["iree-base-runtime"]

    def run(self, feeds):
        results = self.function(*(feeds[name] for name in self.inputs))
        if not isinstance(results, (list, tuple)):
            results = (results,)
        if len(results) != len(self.outputs):
            raise RuntimeError(f"{len(results)} results for outputs {self.outputs}")
        return {name: r.to_host() for name, r in zip(self.outputs, results)}
