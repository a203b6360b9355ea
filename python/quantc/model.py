"""Loading and running a library built by `quantc compile`."""

import ctypes
import os
import threading

import numpy as np

from . import _capi
from .errors import InvalidArgumentError, LoadError, status_error


def _decode(raw):
    # ONNX names are UTF-8; surrogateescape keeps any other bytes round-trippable.
    return raw.decode("utf-8", errors="surrogateescape")


class TensorInfo:
    """One model input or output: ``name``, ``dtype`` (numpy) and ``shape``.

    A dim known only at run time is the model's name for it (``"batch"``) in
    ``shape``, or None where the model names none; ``bounds`` holds the
    (min, max) sizes each dim accepts, max None when unbounded."""

    __slots__ = ("name", "dtype", "shape", "bounds", "_code")

    def __init__(self, name, code, shape, bounds):
        self.name = name
        self._code = code
        self.dtype = _capi.DTYPE_TO_NUMPY.get(code)
        self.shape = tuple(shape)
        self.bounds = tuple(bounds)

    @property
    def is_static(self):
        return all(isinstance(d, int) for d in self.shape)

    def __repr__(self):
        return f"TensorInfo(name={self.name!r}, dtype={self.dtype}, shape={self.shape})"


class Model:
    """A loaded library with one execution context.

    ``run`` may be called any number of times. Calls on one Model are
    serialised (the runtime forbids concurrent use of a context); use one
    Model per thread to run in parallel. Call ``close()`` or use ``with`` to
    release the context early; it is also released when garbage collected.
    """

    def __init__(self, path, threads=1):
        # A bare file name would make dlopen search the library path.
        self.path = os.path.abspath(os.fspath(path))
        if not os.path.exists(self.path):
            raise LoadError(f"cannot load '{path}': no such file")
        self._lib = _capi.open_library(self.path)
        self._lock = threading.Lock()
        self._context = None
        context = ctypes.c_void_p()
        self._check(self._lib.qc_context_create(ctypes.byref(context)))
        self._context = context
        self.name = _decode(self._lib.qc_context_model_name(context))
        if threads != 1:
            self.threads = threads
        self.inputs = self._describe(self._lib.qc_context_input_count,
                                     self._lib.qc_context_input_info)
        self.outputs = self._describe(self._lib.qc_context_output_count,
                                      self._lib.qc_context_output_info)

    @property
    def threads(self):
        """How many threads a run uses (the calling thread included)."""
        return self._lib.qc_context_threads(self._context)

    @threads.setter
    def threads(self, count):
        if not isinstance(count, int) or count < 1:
            raise InvalidArgumentError(f"threads must be an int >= 1, got {count!r}")
        with self._lock:
            self._check(self._lib.qc_context_set_threads(self._context, count))

    @property
    def isa(self):
        """The vector instruction set the kernels use on this CPU."""
        return _decode(self._lib.qc_context_isa(self._context))

    def _check(self, status):
        if not status:
            return
        code = self._lib.qc_status_code(status)
        message = _decode(self._lib.qc_status_message(status))
        self._lib.qc_status_free(status)
        raise status_error(code, message)

    def _describe(self, count_fn, info_fn):
        infos = []
        for i in range(count_fn(self._context)):
            info = _capi.TensorInfoStruct()
            self._check(info_fn(self._context, i, ctypes.byref(info)))
            shape, bounds = [], []
            for d in range(info.rank):
                size = info.dims[d]
                if size >= 0:
                    shape.append(size)
                else:
                    shape.append(_decode(info.dim_names[d]) or None)
                high = info.max_dims[d]
                bounds.append((info.min_dims[d], high if high >= 0 else None))
            infos.append(TensorInfo(_decode(info.name), info.dtype, shape, bounds))
        return infos

    def _bind(self, given):
        """Orders `given` (name -> array-like) like the model's inputs."""
        names = ", ".join(f"'{info.name}'" for info in self.inputs) or "(none)"
        known = {info.name for info in self.inputs}
        for name in given:
            if name not in known:
                raise InvalidArgumentError(
                    f"the model has no input '{name}'; its inputs are {names}")
        arrays = []
        for info in self.inputs:
            if info.name not in given:
                raise InvalidArgumentError(
                    f"missing input '{info.name}'; the model's inputs are {names}")
            arrays.append(self._as_buffer(info, given[info.name]))
        return arrays

    @staticmethod
    def _as_buffer(info, value):
        # No casting: a wrong dtype is the caller's bug, and the runtime says so.
        array = np.asarray(value)
        if not (array.flags.c_contiguous and array.flags.aligned):
            # Not np.ascontiguousarray: it turns 0-d arrays into 1-d ones.
            array = np.array(array, order="C", copy=True)
        code = _capi.dtype_code(array.dtype, info._code)
        if code is None:
            expected = _capi.DTYPE_NAMES.get(info._code, "unknown")
            raise InvalidArgumentError(
                f"input '{info.name}': expected dtype {expected}, got numpy dtype "
                f"{array.dtype.str} (not supported by quantc)")
        return array, code

    @staticmethod
    def _tensor(array, keep, code=None):
        dims = (ctypes.c_int64 * max(array.ndim, 1))(*array.shape)
        keep.append(dims)
        if code is None:
            code = _capi.dtype_code(array.dtype)
        return _capi.TensorStruct(code, array.ndim,
                                  ctypes.cast(dims, ctypes.POINTER(ctypes.c_int64)),
                                  array.ctypes.data, array.nbytes)

    def run(self, inputs=None, **named):
        """Runs the model once.

        Inputs are given by name, as a dict and/or keyword arguments, and are
        not cast: pass arrays of the model's dtypes. Returns a dict from output
        name to a new ndarray, in model order. Raises InvalidArgumentError for
        missing or unknown names and for arrays of the wrong dtype or shape.
        """
        given = dict(inputs or {})
        for name, value in named.items():
            if name in given:
                raise InvalidArgumentError(f"input '{name}' is given twice")
            given[name] = value
        arrays = self._bind(given)
        # Static outputs are written straight into new arrays; an output sized
        # at run time comes back in a buffer of the context's, copied out.
        outputs = [np.empty(info.shape, dtype=info.dtype) if info.is_static else None
                   for info in self.outputs]
        out_codes = [info._code for info in self.outputs]
        keep = []
        in_structs = (_capi.TensorStruct * max(len(arrays), 1))(
            *[self._tensor(a, keep, code) for a, code in arrays])
        out_structs = (_capi.TensorStruct * max(len(outputs), 1))(
            *[self._tensor(a, keep, code) if a is not None else _capi.TensorStruct()
              for a, code in zip(outputs, out_codes)])
        with self._lock:
            if self._context is None:
                raise ValueError("the model is closed")
            self._check(self._lib.qc_context_run(
                self._context, in_structs, len(arrays), out_structs, len(outputs)))
            for i, info in enumerate(self.outputs):
                if outputs[i] is None:
                    outputs[i] = self._copy_out(info, out_structs[i])
        return {info.name: array for info, array in zip(self.outputs, outputs)}

    @staticmethod
    def _copy_out(info, struct):
        shape = tuple(struct.dims[d] for d in range(struct.rank))
        array = np.empty(shape, dtype=info.dtype)
        if array.nbytes:
            ctypes.memmove(array.ctypes.data, struct.data, array.nbytes)
        return array

    __call__ = run

    def close(self):
        """Destroys the context. The Model cannot run afterwards."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            if getattr(self, "_context", None) is not None:
                self._lib.qc_context_destroy(self._context)
                self._context = None
            if getattr(self, "_lib", None) is not None:
                _capi.close_library(self.path, self._lib)
                self._lib = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __del__(self):
        self.close()

    def __repr__(self):
        return (f"Model(name={self.name!r}, inputs={self.inputs}, "
                f"outputs={self.outputs})")


def load(path, threads=1):
    """Loads a library written by `quantc compile` and creates its context,
    whose runs use `threads` threads (the calling thread included)."""
    return Model(path, threads=threads)
