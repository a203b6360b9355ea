"""Driving the `quantc` command-line compiler."""

import os
import pathlib
import shutil
import subprocess

from .errors import CompileError


def find_quantc():
    """The quantc binary: $QUANTC_BIN, else <repo>/build/bin/quantc next to
    this package's source tree, else `quantc` on PATH."""
    env = os.environ.get("QUANTC_BIN")
    if env:
        if not (os.path.isfile(env) and os.access(env, os.X_OK)):
            raise CompileError(f"QUANTC_BIN={env} is not an executable file")
        return env
    in_repo = pathlib.Path(__file__).resolve().parents[2] / "build" / "bin" / "quantc"
    if in_repo.is_file() and os.access(in_repo, os.X_OK):
        return str(in_repo)
    on_path = shutil.which("quantc")
    if on_path:
        return on_path
    raise CompileError(
        "cannot find the quantc binary: set QUANTC_BIN, build it into "
        f"{in_repo.parent}, or put it on PATH")


def _option_args(options):
    """`--key=value` per option (underscores become dashes). True gives a
    bare flag, False `--key=false`, None nothing, a list one flag per item."""
    args = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None:
            continue
        if value is True:
            args.append(flag)
        elif value is False:
            args.append(flag + "=false")
        elif isinstance(value, (list, tuple)):
            args.extend(f"{flag}={os.fspath(item) if isinstance(item, os.PathLike) else item}"
                        for item in value)
        else:
            if isinstance(value, os.PathLike):
                value = os.fspath(value)
            args.append(f"{flag}={value}")
    return args


def compile(model_path, output_path, **options):
    """Compiles an ONNX model into a shared library with `quantc compile`.

    ``quantc.compile("m.onnx", "libm.so", target="cpu", quantize="int8")``
    runs ``quantc compile m.onnx -o libm.so --target=cpu --quantize=int8``.
    Returns the output path. Raises CompileError with the CLI's messages.
    """
    command = [find_quantc(), "compile", os.fspath(model_path),
               "-o", os.fspath(output_path)] + _option_args(options)
    try:
        result = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        raise CompileError(f"cannot run {command[0]}: {error}", command=command) from None
    if result.returncode != 0:
        stderr = result.stderr.strip()
        raise CompileError(stderr or f"quantc exited with status {result.returncode}",
                           returncode=result.returncode, stderr=result.stderr,
                           command=command)
    return pathlib.Path(output_path)
