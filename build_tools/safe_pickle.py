"""Unpickling that cannot run code: only the tool's own data classes, numpy arrays and dates are rebuilt.

The cache (build/cache/) holds pickles, and pickle.loads of a file someone else wrote runs any function it
names (`os.system`...). The cache folder is git-ignored, but a pull request can commit one (`git add -f`),
and its CRC-32 is no secret. `loads` refuses every global but the data classes of build_tools modules
already imported (data classes and named tuples defined there: building one runs no code of the file's choosing), the
numpy functions that rebuild an array or a scalar, and datetime's dates: anything else is a damaged file.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
import sys

# (module, name) of the globals a cache entry or the corpus state holds besides the tool's own data classes.
ALLOWED = frozenset(
    (module, name)
    for module in ("numpy", "numpy.core.multiarray", "numpy._core.multiarray", "numpy.core.numeric", "numpy._core.numeric")
    for name in ("dtype", "ndarray", "_reconstruct", "_frombuffer", "scalar")
) | {("datetime", "date"), ("datetime", "datetime")}
PACKAGE = __name__.rsplit(".", 1)[0]


class Refused(pickle.UnpicklingError):
    """The pickle names a global that is not data (the message names it)."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> object:
        if (module, name) in ALLOWED:
            return super().find_class(module, name)
        found = getattr(sys.modules.get(module), name, None) if module.startswith(PACKAGE + ".") else None  # never imports
        if isinstance(found, type) and found.__module__ == module and (dataclasses.is_dataclass(found) or _named_tuple(found)):
            return found
        raise Refused(f"{module}.{name} is not data")


def _named_tuple(cls: type) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


def loads(data: bytes) -> object:
    """pickle.loads, refusing every global that is not data (Refused)."""
    return _Unpickler(io.BytesIO(data)).load()
