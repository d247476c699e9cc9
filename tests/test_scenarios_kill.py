"""A process killed (SIGKILL) in the middle of saving leaves the workspace as before or after.

A child process saves edits to a workspace as fast as it can: batches of five edits (one a
polygon of ~800 vertices) through the same transaction :meth:`Workspace.save` writes with
(:func:`longtu.layout.scenarios.store.append`) with a review, and once a new scenario. It
is killed at a random moment, 30 times. After each kill the workspace opens, SQLite's
``integrity_check`` says ``ok``, every scenario loads with every edit applying, the edit count
is that of the last save reported done or of the one after it, and never a partial batch.
Most kills land inside a transaction (they leave a rollback journal behind).

The savers are forked from one helper process that has imported Longtu once (a fresh
interpreter per kill would spend most of the test importing geopandas).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest

from longtu.layout.scenarios import Workspace

KILLS = 30
BATCH = 5
FORKER = r"""
import os, sys
from pathlib import Path
import shapely
from longtu.layout.scenarios import store
from longtu.layout.scenarios.edits import Edit
from longtu.layout.scenarios.store import Review


def save_forever(path, name, batch, log, tag):
    out = open(log, "w", buffering=1, encoding="utf-8")
    conn = store.connect(Path(path))
    version = store.read_scenario(conn, name).version
    polygon = shapely.Point(103.65, 36.10).buffer(0.03, quad_segs=200)
    n = 0
    while True:
        if n == 2:
            print(f"start new {n}", file=out)
            store.insert_scenario(conn, f"extra_{tag}", by="kill")
            print(f"done new {n}", file=out)
        edits = [Edit("reshape", "park_lanzhou_etdz", "parks", "kill", f"{n}", geometry=polygon)]
        edits += [
            Edit("set", "park_zhangye_etdz", "parks", "kill", f"{n}", {"notes": f"{n}.{i}"})
            for i in range(batch - 1)
        ]
        review = Review(name, "", "park_zhangye_etdz", "kill", "comment", f"save {n}")
        print(f"start save {n}", file=out)
        version = store.append(conn, name, version, edits=edits, reviews=[review])
        print(f"done save {n}", file=out)
        n += 1


print("ready", flush=True)
for line in sys.stdin:
    command, *args = line.split()
    if command == "fork":
        pid = os.fork()
        if pid == 0:
            try:
                save_forever(*args[:2], int(args[2]), *args[3:])
            finally:
                os._exit(1)
        print(pid, flush=True)
    elif command == "reap":
        print(os.waitpid(int(args[0]), 0)[1], flush=True)
"""


class Forker:
    """The helper process that forks savers and reaps them once killed."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", FORKER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline().strip() == "ready"

    def ask(self, line: str) -> int:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


def saves_reported(lines: list[str]) -> int:
    return sum(1 for line in lines if line.startswith("done save"))


def check_workspace(path, edits_before: int, saves_done: int) -> int:
    with Workspace(path) as ws:  # reading rolls back a hot journal left by the kill
        names = ws.scenarios()["name"].tolist()
        scenarios = [ws.load(name) for name in names]
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        edits = conn.execute("SELECT COUNT(*) FROM edits").fetchone()[0]
        reviews = conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    assert all(not s.skipped for s in scenarios)
    assert edits % BATCH == 0 and reviews == edits // BATCH  # never a partial save
    done = edits_before + saves_done * BATCH
    assert edits in (done, done + BATCH), (edits_before, saves_done, edits)
    return edits


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")
def test_sigkill_during_saves_leaves_the_workspace_before_or_after(tmp_path):
    path = tmp_path / "ws.gpkg"
    with Workspace(path, create=True) as ws:
        ws.new_scenario("north", by="li")
    rng = random.Random(20261206)
    forker = Forker()
    edits = in_transaction = 0
    try:
        for round_number in range(KILLS):
            log = tmp_path / f"saver_{round_number}.log"
            pid = forker.ask(f"fork {path} north {BATCH} {log} {round_number}")
            time.sleep(rng.uniform(0.02, 0.3))
            os.kill(pid, signal.SIGKILL)
            status = forker.ask(f"reap {pid}")
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            # A saver killed before it opened its log (a busy machine) saved nothing.
            lines = Path(log).read_text(encoding="utf-8").splitlines() if log.exists() else []
            in_transaction += path.with_name(path.name + "-journal").exists()
            edits = check_workspace(path, edits, saves_reported(lines))
    finally:
        forker.close()
    assert edits > KILLS * BATCH  # the savers did save between kills
    assert in_transaction > 0  # kills that left a rollback journal (26 of 30 on an ext4 disk)
    frame = pyogrio.read_dataframe(path, layer="edits")
    assert len(frame) == edits and frame.geometry.notna().sum() == edits // BATCH
