# GoogleTest unit tests, run by lit: every *Tests binary under build/test/unit.
import os
import lit.formats

config.name = "quantc-unit"
config.suffixes = []
config.test_source_root = os.path.join(config.quantc_binary_dir, "test", "unit")
config.test_exec_root = config.test_source_root
config.test_format = lit.formats.GoogleTest(".", "Tests")
