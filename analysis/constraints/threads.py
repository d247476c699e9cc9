"""The overlay's two threads: GEOS work split in halves (shapely releases the GIL in it).

The heavy shapely calls of the overlay (union, intersection, rectangle clips, validity) run
without Python's lock, so splitting an array of them in two halves, one on a worker thread and
one on the caller's, takes about half the time on two cores. :func:`in_parallel` splits a
vectorised call, :func:`each_in_halves` a list of costly calls (one union or clip each).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

__all__ = ["PARALLEL_MIN_SIZE", "each_in_halves", "in_parallel", "thread_pool"]

PARALLEL_MIN_SIZE = 2_000
"""Arrays shorter than this run on one thread (splitting them costs more than it saves)."""

_WORKERS = min(2, os.cpu_count() or 1)


@cache
def thread_pool() -> ThreadPoolExecutor:
    """The process's two threads for GEOS work (shapely releases the GIL in it)."""
    return ThreadPoolExecutor(max_workers=_WORKERS)


def in_parallel(func, *arrays: np.ndarray, min_size: int = PARALLEL_MIN_SIZE) -> np.ndarray:
    """``func(*arrays)`` element-wise, split in two halves run on two threads when large.

    Arrays shorter than `min_size` run on one thread (lower it for costly elements, such as
    the intersections of features with merged cells).

    Examples
    --------
    >>> import shapely
    >>> boxes = shapely.box(np.arange(3000), 0, np.arange(3000) + 2, 1)
    >>> bool(in_parallel(shapely.is_valid, boxes).all())
    True
    """
    n = len(arrays[0])
    if n < max(min_size, 2) or _WORKERS < 2:
        return func(*arrays)
    half = n // 2
    first = thread_pool().submit(func, *[a[:half] for a in arrays])
    second = func(*[a[half:] for a in arrays])
    return np.concatenate([first.result(), second])


def each_in_halves(func, items: np.ndarray, pool=None) -> np.ndarray:
    """``[func(i) for i in items]`` as an object array, in two halves on `pool` when given.

    For calls each costly enough to pay for a thread (a cell's union, a clip of a polygon of
    a million vertices).

    Examples
    --------
    >>> each_in_halves(lambda i: i * 2, np.arange(3), thread_pool()).tolist()
    [0, 2, 4]
    """
    halves = np.array_split(items, 2 if pool is not None and len(items) > 1 else 1)

    def run(half: np.ndarray) -> list:
        return [func(item) for item in half.tolist()]

    done = list(map(run, halves) if pool is None else pool.map(run, halves))
    return np.array([*(value for half in done for value in half), None], dtype=object)[:-1]
