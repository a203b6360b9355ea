"""ctypes bindings of the C ABI of a generated library (docs/runtime-abi.md)."""

import _ctypes
import ctypes
import os
import threading

import numpy as np

from .errors import LoadError

# qc_dtype_t values (ONNX TensorProto numbering) and their numpy types.
DTYPE_TO_NUMPY = {
    1: np.dtype(np.float32),
    2: np.dtype(np.uint8),
    3: np.dtype(np.int8),
    4: np.dtype(np.uint16),
    5: np.dtype(np.int16),
    6: np.dtype(np.int32),
    7: np.dtype(np.int64),
    9: np.dtype(np.bool_),
    10: np.dtype(np.float16),
    11: np.dtype(np.float64),
    12: np.dtype(np.uint32),
    13: np.dtype(np.uint64),
}
# Keyed by (kind, itemsize) so aliases (np.intc, np.longlong...) map too.
_NUMPY_TO_DTYPE = {(dt.kind, dt.itemsize): code for code, dt in DTYPE_TO_NUMPY.items()}

# The types numpy lacks: ml_dtypes' types where it is installed (onnx depends
# on it), else raw void arrays of the element size ('V1', 'V2'), as numpy
# loads what ml_dtypes saves. One byte per element for the 4- and 2-bit types
# too (not packed).
_ML_DTYPES = {16: ("bfloat16", 2), 17: ("float8_e4m3fn", 1),
              18: ("float8_e4m3fnuz", 1), 19: ("float8_e5m2", 1),
              20: ("float8_e5m2fnuz", 1), 21: ("uint4", 1), 22: ("int4", 1),
              23: ("float4_e2m1fn", 1), 24: ("float8_e8m0fnu", 1),
              25: ("uint2", 1), 26: ("int2", 1)}
try:
    import ml_dtypes as _ml_dtypes
except ImportError:  # pragma: no cover - ml_dtypes comes with onnx
    _ml_dtypes = None
_EXACT_TO_DTYPE = {}
for _code, (_name, _size) in _ML_DTYPES.items():
    _dt = getattr(_ml_dtypes, _name, None) if _ml_dtypes else None
    DTYPE_TO_NUMPY[_code] = np.dtype(_dt) if _dt is not None else np.dtype(f"V{_size}")
    if _dt is not None:
        _EXACT_TO_DTYPE[np.dtype(_dt)] = _code

# The runtime's spelling of each dtype, for messages.
DTYPE_NAMES = {1: "f32", 2: "u8", 3: "i8", 4: "u16", 5: "i16", 6: "i32", 7: "i64",
               9: "bool", 10: "f16", 11: "f64", 12: "u32", 13: "u64", 16: "bf16",
               17: "f8e4m3fn", 18: "f8e4m3fnuz", 19: "f8e5m2", 20: "f8e5m2fnuz",
               21: "u4", 22: "i4", 23: "f4e2m1", 24: "f8e8m0", 25: "u2", 26: "i2"}


def dtype_code(dtype, declared=None):
    """The qc_dtype_t of a numpy dtype, or None if the runtime has none. A
    void array ('V1', 'V2') is taken as `declared`, the model's type, when
    that is one of the types numpy lacks and has the same element size."""
    if dtype in _EXACT_TO_DTYPE:
        return _EXACT_TO_DTYPE[dtype]
    if dtype.kind == "V":
        if (declared in _ML_DTYPES and dtype.names is None
                and dtype.itemsize == _ML_DTYPES[declared][1]):
            return declared
        return None
    if not dtype.isnative:
        return None
    return _NUMPY_TO_DTYPE.get((dtype.kind, dtype.itemsize))


class TensorInfoStruct(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("dtype", ctypes.c_int),
        ("rank", ctypes.c_int32),
        ("dims", ctypes.POINTER(ctypes.c_int64)),
        ("min_dims", ctypes.POINTER(ctypes.c_int64)),
        ("max_dims", ctypes.POINTER(ctypes.c_int64)),
        ("dim_names", ctypes.POINTER(ctypes.c_char_p)),
    ]


class TensorStruct(ctypes.Structure):
    _fields_ = [
        ("dtype", ctypes.c_int),
        ("rank", ctypes.c_int32),
        ("dims", ctypes.POINTER(ctypes.c_int64)),
        ("data", ctypes.c_void_p),
        ("byte_size", ctypes.c_size_t),
    ]


# name: (restype, argtypes)
_SIGNATURES = {
    "qc_context_create": (ctypes.c_void_p, [ctypes.POINTER(ctypes.c_void_p)]),
    "qc_context_destroy": (None, [ctypes.c_void_p]),
    "qc_context_model_name": (ctypes.c_char_p, [ctypes.c_void_p]),
    "qc_context_input_count": (ctypes.c_size_t, [ctypes.c_void_p]),
    "qc_context_output_count": (ctypes.c_size_t, [ctypes.c_void_p]),
    "qc_context_input_info": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_size_t,
                                                ctypes.POINTER(TensorInfoStruct)]),
    "qc_context_output_info": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_size_t,
                                                 ctypes.POINTER(TensorInfoStruct)]),
    "qc_context_run": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.POINTER(TensorStruct),
                                         ctypes.c_size_t, ctypes.POINTER(TensorStruct),
                                         ctypes.c_size_t]),
    "qc_context_set_threads": (ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_int]),
    "qc_context_threads": (ctypes.c_int, [ctypes.c_void_p]),
    "qc_context_isa": (ctypes.c_char_p, [ctypes.c_void_p]),
    "qc_status_code": (ctypes.c_int, [ctypes.c_void_p]),
    "qc_status_message": (ctypes.c_char_p, [ctypes.c_void_p]),
    "qc_status_free": (None, [ctypes.c_void_p]),
}


# dlopen gives back the library already loaded from a path even when the file
# has been rewritten since (a recompile), so every library this process holds
# open is remembered with the identity of its file: path -> [(inode, mtime), count].
_OPEN = {}
_OPEN_LOCK = threading.Lock()


def _file_identity(path):
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns)


def open_library(path):
    """Loads the library at `path` and declares the C API's signatures.

    Raises LoadError when the file changed since another Model of this
    process loaded it: dlopen would silently return the old code."""
    with _OPEN_LOCK:
        identity = _file_identity(path)
        entry = _OPEN.get(path)
        if entry and entry[0] != identity:
            raise LoadError(
                f"cannot load '{path}': the file changed since this process loaded it, "
                "and a Model of the old library is still open; close() it first")
        try:
            lib = ctypes.CDLL(path, mode=ctypes.RTLD_LOCAL)
        except OSError as error:
            raise LoadError(f"cannot load '{path}': {error}") from None
        if entry:
            entry[1] += 1
        else:
            _OPEN[path] = [identity, 1]
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            function = getattr(lib, name)
        except AttributeError:
            raise LoadError(
                f"'{path}' is not a quantc library (it has no '{name}' symbol)") from None
        function.restype = restype
        function.argtypes = argtypes
    return lib


def close_library(path, lib):
    """Drops one use of a library from open_library; the last one unloads
    it, so that loading the path again reads the file anew."""
    with _OPEN_LOCK:
        entry = _OPEN.get(path)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _OPEN[path]
        _ctypes.dlclose(lib._handle)
