"""The ONNX backend node tests, laid out on disk for the conformance runner.

The onnx wheel from PyPI carries the node test *definitions*
(onnx/backend/test/case/node/*.py: each builds a one-node model, inputs and
the expected outputs computed with numpy), and some versions also ship them
generated as onnx/backend/test/data/node/<test>/{model.onnx,
test_data_set_*/input_*.pb, output_*.pb}. We use the generated directory when
the wheel has it and otherwise generate the same thing from the definitions,
exactly as onnx's own `backend-test-tools generate-data` did for node tests.

For the runner, every data set is also converted once to two .npz files
(inputs keyed by the model's input names, outputs in order), which is what
`quantc run` reads. bfloat16, float8, float4, int4 and int2 arrays are
ml_dtypes arrays, which .npy holds as raw void ('<V1', '<V2'); the index
names their type so that the runner can view them as it again. Strings,
sequences, optionals and maps are marked unconvertible instead.
The result is cached under the work dir, keyed by the onnx version.
"""

import glob
import json
import os
import shutil
import warnings

import numpy as np

INDEX_VERSION = 4  # bump when the layout or the index format changes

# Element kinds that quantc's .npy reader and numpy both handle.
_PLAIN_DTYPES = {np.dtype(t) for t in (
    np.float32, np.float64, np.float16, np.int8, np.int16, np.int32, np.int64,
    np.uint8, np.uint16, np.uint32, np.uint64, np.bool_)}


def _ml_dtypes():
    """The ml_dtypes types quantc takes (as void arrays), by dtype name."""
    import ml_dtypes
    return {np.dtype(getattr(ml_dtypes, n)).name: np.dtype(getattr(ml_dtypes, n)) for n in (
        "bfloat16", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
        "float8_e5m2fnuz", "float8_e8m0fnu", "float4_e2m1fn", "int4", "uint4",
        "int2", "uint2")}


def ml_dtype(name):
    """The ml_dtypes dtype an index entry names, or None."""
    return _ml_dtypes().get(name) if name else None


def _save_npz(path, arrays):
    """np.savez without its keyword arguments: np.savez(path, **arrays) drops
    an array named like one of its own parameters (CastLike's input 'like')."""
    import zipfile
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in arrays.items():
            array = np.asanyarray(array)
            if array.dtype.name in _ml_dtypes():
                # As raw bytes: numpy cannot load the '<f1' that float8_e5m2
                # would write.
                array = array.view(f"V{array.dtype.itemsize}")
            with archive.open(name + ".npy", "w") as f:
                np.lib.format.write_array(f, array, allow_pickle=False)


def _onnx_version():
    import onnx
    return onnx.__version__


def _op_of(model, name):
    """The operator a test is about: its single node's op type, else None."""
    nodes = [n for n in model.graph.node]
    if len(nodes) == 1:
        return nodes[0].op_type
    return None


def _write_case(case_dir, model, data_sets, rtol, atol):
    """The ONNX data/node layout, as generate-data writes it."""
    from onnx import numpy_helper
    os.makedirs(case_dir, exist_ok=True)
    with open(os.path.join(case_dir, "model.onnx"), "wb") as f:
        f.write(model.SerializeToString())
    if (rtol, atol) != (1e-3, 1e-7):
        with open(os.path.join(case_dir, "data.json"), "w") as f:
            json.dump({"rtol": rtol, "atol": atol}, f)
    for i, (inputs, outputs) in enumerate(data_sets):
        ds = os.path.join(case_dir, f"test_data_set_{i}")
        os.makedirs(ds, exist_ok=True)
        for kind, values, infos in (("input", inputs, model.graph.input),
                                    ("output", outputs, model.graph.output)):
            for j, value in enumerate(values):
                info = infos[j]
                if info.type.HasField("sequence_type"):
                    proto = numpy_helper.from_list(value, info.name)
                elif info.type.HasField("optional_type"):
                    proto = numpy_helper.from_optional(value, info.name)
                elif info.type.HasField("map_type"):
                    proto = numpy_helper.from_dict(value, info.name)
                elif hasattr(value, "SerializeToString"):
                    proto = value
                else:
                    proto = numpy_helper.from_array(np.asarray(value), info.name)
                with open(os.path.join(ds, f"{kind}_{j}.pb"), "wb") as f:
                    f.write(proto.SerializeToString())


def _generate_from_definitions(node_dir):
    import onnx.backend.test.case.node as node_cases
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the reference code divides by zero on purpose
        cases = node_cases.collect_testcases(None)
    for case in cases:
        _write_case(os.path.join(node_dir, case.name), case.model,
                    case.data_sets, case.rtol, case.atol)


def _read_pb(path, info):
    """A data file as a numpy array, or None when it is not a plain tensor."""
    import onnx
    from onnx import numpy_helper
    if not info.type.HasField("tensor_type"):
        return None
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    try:
        array = numpy_helper.to_array(tensor)
    except Exception:  # noqa: BLE001 - any type numpy_helper cannot convert
        return None
    if array.dtype not in _PLAIN_DTYPES and array.dtype.name not in _ml_dtypes():
        return None
    return array


def _index_case(case_dir, name):
    import onnx
    model = onnx.load(os.path.join(case_dir, "model.onnx"), load_external_data=False)
    rtol, atol = 1e-3, 1e-7
    data_json = os.path.join(case_dir, "data.json")
    if os.path.exists(data_json):
        with open(data_json) as f:
            data = json.load(f)
        rtol, atol = data.get("rtol", rtol), data.get("atol", atol)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i for i in model.graph.input if i.name not in initializers]
    data_sets, convertible = [], True
    output_dtypes = [None] * len(model.graph.output)
    for ds in sorted(glob.glob(os.path.join(case_dir, "test_data_set_*"))):
        feeds, expected = {}, []
        for j, info in enumerate(inputs):
            array = _read_pb(os.path.join(ds, f"input_{j}.pb"), info)
            if array is None:
                convertible = False
                break
            feeds[info.name] = array
        for j, info in enumerate(model.graph.output):
            path = os.path.join(ds, f"output_{j}.pb")
            array = _read_pb(path, info) if os.path.exists(path) else None
            if array is None:
                convertible = False
                break
            expected.append(array)
            if array.dtype.name in _ml_dtypes():
                output_dtypes[j] = array.dtype.name
        if not convertible:
            break
        _save_npz(os.path.join(ds, "inputs.npz"), feeds)
        _save_npz(os.path.join(ds, "expected.npz"),
                  {f"output_{j}": a for j, a in enumerate(expected)})
        data_sets.append(os.path.relpath(ds, case_dir))
    return {
        "name": name,
        "op": _op_of(model, name),
        "rtol": rtol,
        "atol": atol,
        "outputs": [o.name for o in model.graph.output],
        "output_dtypes": output_dtypes,
        "data_sets": data_sets if convertible else [],
        "convertible": convertible,
    }


def _attribute_ops(index):
    """Names each test's operator. A multi-node test (an `_expanded` function
    body, a test built from several nodes) takes the operator of the test it
    expands, else the operator its name starts with."""
    single = {c["name"]: c["op"] for c in index if c["op"]}
    by_lower = {}
    for op in set(single.values()):
        by_lower[op.lower()] = op
    for c in index:
        if c["op"]:
            continue
        base = c["name"]
        for suffix in ("_expanded_ver18", "_expanded"):
            if suffix in base:
                base = base[:base.index(suffix)]
        if base in single:
            c["op"] = single[base]
            continue
        # The longest known operator whose lower-case name prefixes the test's.
        stem = c["name"][len("test_"):].replace("_", "")
        best = max((k for k in by_lower if stem.startswith(k)), key=len, default=None)
        c["op"] = by_lower[best] if best else c["name"][len("test_"):].split("_")[0]


def prepare(work_dir, log=print):
    """Returns (node_dir, index): the test directories and one dict per test."""
    import onnx
    node_dir = os.path.join(work_dir, "node")
    index_path = os.path.join(work_dir, "index.json")
    stamp = {"onnx": _onnx_version(), "index_version": INDEX_VERSION}
    if os.path.exists(index_path):
        with open(index_path) as f:
            cached = json.load(f)
        if cached.get("stamp") == stamp:
            return node_dir, cached["tests"]
    shipped = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data", "node")
    if os.path.exists(node_dir):
        shutil.rmtree(node_dir)
    if os.path.isdir(shipped):
        log(f"conformance: copying the node tests shipped in onnx {stamp['onnx']}")
        shutil.copytree(shipped, node_dir)
    else:
        log(f"conformance: onnx {stamp['onnx']} ships no generated node tests; "
            "generating them from its test case definitions")
        _generate_from_definitions(node_dir)
    index = [_index_case(os.path.join(node_dir, name), name)
             for name in sorted(os.listdir(node_dir))
             if os.path.isfile(os.path.join(node_dir, name, "model.onnx"))]
    _attribute_ops(index)
    with open(index_path, "w") as f:
        json.dump({"stamp": stamp, "tests": index}, f, indent=1)
    log(f"conformance: {len(index)} node tests in {node_dir}")
    return node_dir, index
