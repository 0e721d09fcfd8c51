"""`signal` for the wrapper: CPython's C module `_signal` when there is one.

The `signal` module only wraps `_signal` in enums, and importing `enum` (with functools and
collections) costs the wrapper a few milliseconds before the tool starts. The functions and
constants are the same; handlers and return values are plain ints instead of enum members.
"""
from __future__ import annotations

TYPE_CHECKING = False  # mypy reads this name as True; `typing` itself would cost the import
if TYPE_CHECKING:
    import signal  # the same functions and constants, with the stubs `_signal` lacks
else:
    try:
        import _signal as signal
    except ImportError:  # not CPython
        import signal

__all__ = ["signal"]
