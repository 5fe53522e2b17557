"""Spread a pure function over the machine's cores by forking, keeping the input order."""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def map_forked(function: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """Return ``[function(x) for x in items]``, computed by ``workers`` processes.

    Children are forked, so they share the parent's data (the indexed timeline, compiled
    templates) without pickling it; only results travel back, through a pipe, so keep them small
    (a child that can write its output itself should, and return a summary). Item ``i`` goes to
    worker ``i % workers``, which balances pages of different sizes, and the results are put back
    in input order, so the output does not depend on scheduling. Where ``fork`` does not exist,
    or a child fails, the work is simply done here.
    """
    workers = min(workers, len(items))
    if workers < 2 or not hasattr(os, "fork") or sys.platform == "win32":
        return [function(item) for item in items]
    children: list[tuple[int, int, int]] = []  # (worker number, pid, read end)
    for number in range(1, workers):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute its share, send it, and leave without cleanup handlers
            os.close(read)
            status = 1
            try:
                mine = [function(item) for item in items[number::workers]]
                with os.fdopen(write, "wb") as pipe:
                    # Straight into the pipe: no second, pickled copy of the results in memory.
                    pickle.dump(mine, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        children.append((number, pid, read))
    shares: dict[int, list[R]] = {0: [function(item) for item in items[0::workers]]}
    for number, pid, read in children:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status == 0 and data:
            shares[number] = pickle.loads(data)  # noqa: S301 - our own child's results
        else:
            shares[number] = [function(item) for item in items[number::workers]]
    results: list[R] = []
    for index in range(len(items)):
        results.append(shares[index % workers][index // workers])
    return results
