"""quantc: compile ONNX models to native libraries, and run them from numpy.

    import numpy as np, quantc
    quantc.compile("resnet50.onnx", "libresnet50.so", target="cpu")
    with quantc.load("libresnet50.so") as model:
        print(model.inputs)          # [TensorInfo(name='x', dtype=float32, ...)]
        outputs = model.run({"x": np.zeros((1, 3, 224, 224), np.float32)})

Pure Python (ctypes + numpy): the library's C ABI is docs/runtime-abi.md.
"""

from .compiler import compile, find_quantc
from .errors import (CompileError, Error, InternalError, InvalidArgumentError, LoadError,
                     OutOfMemoryError, RuntimeStatusError)
from .model import Model, TensorInfo, load

__all__ = [
    "compile", "find_quantc", "load", "Model", "TensorInfo",
    "Error", "CompileError", "LoadError", "RuntimeStatusError",
    "InvalidArgumentError", "OutOfMemoryError", "InternalError",
]
