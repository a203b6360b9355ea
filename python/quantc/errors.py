"""Exceptions raised by the quantc package.

Every error derives from :class:`quantc.Error`. Errors reported by a compiled
library's runtime carry its status code in ``.code`` and its message verbatim,
e.g. ``input 'x': expected dims [1, 3, 224, 224], got [1, 3, 224]``.
"""


class Error(Exception):
    """Base class of every quantc error."""


class CompileError(Error):
    """`quantc compile` failed, or the quantc binary could not be found.

    ``returncode`` is the CLI's exit status (None if it never ran), ``stderr``
    its full error output and ``command`` the argument list it was given.
    """

    def __init__(self, message, returncode=None, stderr="", command=None):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr
        self.command = command


class LoadError(Error):
    """A library could not be loaded, or is not a quantc library."""


class RuntimeStatusError(Error):
    """An error status returned by a compiled library's C API."""

    code = None


class InvalidArgumentError(RuntimeStatusError, ValueError):
    """Bad inputs: a missing or unknown name, a wrong dtype, rank or dim."""

    code = 1  # QC_STATUS_INVALID_ARGUMENT


class OutOfMemoryError(RuntimeStatusError, MemoryError):
    """The library could not allocate memory."""

    code = 2  # QC_STATUS_OUT_OF_MEMORY


class InternalError(RuntimeStatusError):
    """The library itself is broken (for example a damaged signature)."""

    code = 3  # QC_STATUS_INTERNAL


_BY_CODE = {cls.code: cls for cls in (InvalidArgumentError, OutOfMemoryError, InternalError)}


def status_error(code, message):
    """The exception for a runtime status `code` with `message`."""
    cls = _BY_CODE.get(code)
    if cls is None:
        error = RuntimeStatusError(f"{message} (status code {code})")
        error.code = code
        return error
    return cls(message)
