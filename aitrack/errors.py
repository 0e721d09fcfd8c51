"""The one exception type aitrack raises on purpose."""
from __future__ import annotations


class AitrackError(Exception):
    """Something went wrong that the user can act on.

    The message says what went wrong and what to do; the CLI prints it as one line and exits 1.
    """
