"""Ctrl-C that is never lost: remembered when pressed, acted on at the next step if need be.

Python turns Ctrl-C into a ``KeyboardInterrupt`` raised wherever the main thread happens to be;
raised inside a weak-reference callback or a ``__del__`` (the garbage collector runs them at any
moment), it is printed as "Exception ignored" and dropped, and the command went on to write its
output as if no key had been pressed (seen once in CI, while the briefing book was drawn).
:func:`catching_ctrl_c` installs a handler that remembers the key before raising, and
:func:`stop_if_interrupted` (called by the progress bar at every step) raises it again; the
"Exception ignored ... KeyboardInterrupt" traceback Python would print is not printed (any other
ignored exception is, as before).
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["catching_ctrl_c", "handled", "interrupted", "stop_if_interrupted"]

_pressed = threading.Event()


def _on_ctrl_c(signum: int, frame: FrameType | None) -> None:
    """Remember Ctrl-C, then raise it where the main thread is (as Python's own handler)."""
    _pressed.set()
    raise KeyboardInterrupt


def interrupted() -> bool:
    """Whether Ctrl-C was pressed while :func:`catching_ctrl_c` was in force."""
    return _pressed.is_set()


def handled() -> None:
    """Forget Ctrl-C: the command stopped on it as designed (``longtu app``: the way to end it)."""
    _pressed.clear()


def stop_if_interrupted() -> None:
    """Raise ``KeyboardInterrupt`` if Ctrl-C was pressed (and perhaps swallowed) before.

    Examples
    --------
    >>> stop_if_interrupted()  # nothing pressed: nothing happens
    """
    if _pressed.is_set():
        raise KeyboardInterrupt


@contextmanager
def catching_ctrl_c() -> Iterator[None]:
    """Within the block, Ctrl-C is remembered as well as raised (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _pressed.clear()
    previous = signal.signal(signal.SIGINT, _on_ctrl_c)
    previous_hook = sys.unraisablehook

    def quiet_ctrl_c(unraisable) -> None:
        if unraisable.exc_type is not KeyboardInterrupt:
            previous_hook(unraisable)

    sys.unraisablehook = quiet_ctrl_c
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        sys.unraisablehook = previous_hook
