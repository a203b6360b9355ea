"""Real English sentences that no test or calibration uses: the first
sentence of the docstrings of Python's standard library, written by its
authors. They come with the interpreter (nothing is downloaded) and vary in
length, vocabulary and topic, as a retrieval corpus should.
"""

import functools
import importlib
import inspect
import re

MODULES = [
    "argparse", "asyncio", "base64", "bisect", "calendar", "collections", "configparser",
    "contextlib", "copy", "csv", "datetime", "decimal", "difflib", "email.message",
    "fractions", "functools", "getpass", "glob", "gzip", "hashlib", "heapq", "hmac",
    "html", "http.client", "http.cookies", "imaplib", "inspect", "io", "ipaddress",
    "itertools", "json", "locale", "logging", "mailbox", "mimetypes", "operator", "os",
    "pathlib", "pickle", "platform", "pprint", "queue", "random", "re", "sched",
    "secrets", "selectors", "shlex", "shutil", "smtplib", "socket", "sqlite3",
    "statistics", "string", "struct", "subprocess", "tarfile", "tempfile", "textwrap",
    "threading", "timeit", "tokenize", "traceback", "turtle", "unittest", "urllib.parse",
    "uuid", "warnings", "wave", "weakref", "webbrowser", "xml.dom.minidom", "zipfile",
]

_SENTENCE = re.compile(r"^([A-Z][^.!?]*[a-z][.!?])(\s|$)")


def first_sentence(doc):
    text = " ".join(doc.strip().split())
    m = _SENTENCE.match(text)
    if not m:
        return None
    sentence = m.group(1)
    words = sentence.split()
    # Prose, not signatures or code: enough words, few symbols.
    if not 6 <= len(words) <= 40 or re.search(r"[(){}\[\]=<>_*`|\\]", sentence):
        return None
    return sentence


@functools.lru_cache(maxsize=None)
def _all_sentences():
    """Every sentence found, in a fixed order. Read once per process: what
    the modules hold can change once other packages (torch, scikit-learn)
    have been imported, and the corpus must not depend on that."""
    seen, out = set(), []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 (a module this Python lacks)
            continue
        for attr in sorted(dir(module)):
            if attr.startswith("_"):
                continue
            doc = inspect.getdoc(getattr(module, attr, None))
            s = first_sentence(doc) if doc else None
            if s and s.lower() not in seen:
                seen.add(s.lower())
                out.append(s)
    return out


def sentences(count):
    """Up to `count` distinct sentences, in a fixed order."""
    out = _all_sentences()
    # Spread over the modules rather than the first few.
    step = max(1, len(out) // count)
    return out[::step][:count]


def held_apart(count, used):
    """Up to `count` other sentences, none of `used` (to calibrate with),
    spread over the modules too."""
    taken = set(used)
    out = [s for s in _all_sentences() if s not in taken]
    step = max(1, len(out) // count)
    return out[::step][:count]
