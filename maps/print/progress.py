"""Progress of a long print job (briefing book, atlas), for a progress bar in the app or CLI."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""Called as ``progress(steps_done, steps_in_all, what_is_being_drawn)``."""

FINISHING = "嵌入字体、书签 Embedding fonts and bookmarks"
"""What the last step of every print job is called."""


def no_progress(done: int, total: int, drawing: str) -> None:
    """A :data:`Progress` that reports nowhere."""
