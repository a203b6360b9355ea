#!/usr/bin/env bash
# Installs, builds and runs every test: lit (passes, import, CLI, end to end
# against onnxruntime) and the GoogleTest unit tests. Exits non-zero if any
# test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
# Exported torchvision models are cached between runs (they take a while).
export QUANTC_TEST_MODELS="${QUANTC_TEST_MODELS:-$PWD/build/test-models}"
status=0
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output build/test-results.xml \
  build/test build/test/unit || status=$?
# One summary line that CI reads: "N passed, N failed".
.venv/bin/python - <<'PY'
import xml.etree.ElementTree as ET
root = ET.parse("build/test-results.xml").getroot()
cases = root.iter("testcase")
passed = failed = skipped = 0
for c in cases:
    if c.find("failure") is not None or c.find("error") is not None:
        failed += 1
    elif c.find("skipped") is not None:
        skipped += 1
    else:
        passed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
