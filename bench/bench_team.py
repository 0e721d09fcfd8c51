"""Team server vs embedded store, in the same run: ingest latency and `aitrack show` latency.

    .venv/bin/python bench/bench_team.py [--sessions 20] [--shows 7]

Starts what tests/team starts (PostgreSQL in a tmp data dir, `mlflow server` from deploy/ with
proxied artifacts and basic auth; needs root or the postgres binaries on PATH), then times:
  ingest (in process)   ingest_one() per session with a warm store: embedded SQLite vs server
  sync (process)        `aitrack sync` of a batch, whole process (mlflow import included)
  show (no local rec.)  `aitrack show SHA` in a clone whose machine has no session folder: the
                        record comes from the store (SQLite file vs server over HTTP + auth)
  show (local record)   the floor: the record is on this machine, mlflow never imported
and prints medians and the server/embedded ratios.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
AITRACK = [sys.executable, "-m", "aitrack"]


def sessions(home: Path, n: int, tag: str) -> list[Path]:
    from ingest.kit import make_session

    os.environ["AITRACK_HOME"] = str(home)
    raw = b"$ pytest -q\r\n" + b"... " * 2000 + b"\r\n3 passed\r\n"
    return [make_session(tool="claude", argv=["claude", f"close-issue {i}"], raw=raw, duration=45,
                         session_id=f"20261127T0000{i:02d}000Z-{tag}{i:04x}") for i in range(n)]


def ingest_times(store: object, folders: list[Path]) -> list[float]:
    from aitrack.ingest.pipeline import ingest_one

    out = []
    for folder in folders:
        start = time.perf_counter()
        ingest_one(folder, store)  # type: ignore[arg-type]
        out.append(time.perf_counter() - start)
    return out


def timed(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    res = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"{argv} failed: {res.stderr[-800:]}")
    return took


def trailer_commit(repo: Path, sid: str) -> str:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=b", "-c", "user.email=b@x", "commit", "-q",
                    "--allow-empty", "-m", f"work\n\nAitrack-Session: {sid}"], check=True)
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True,
                          check=True).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--shows", type=int, default=7)
    args = ap.parse_args()
    os.environ.update(MLFLOW_DISABLE_TELEMETRY="true", DO_NOT_TRACK="1")
    from team.conftest import USERS, TeamServer
    from team.pg import start_postgres

    from aitrack.store.mlflow_store import MlflowStore
    from aitrack.store.uri import StoreLocation

    tmp = Path(tempfile.mkdtemp(prefix="aitrack-bench-team-"))
    pg = start_postgres()
    srv = TeamServer(pg)
    try:
        t0 = time.perf_counter()
        srv.start()
        srv.setup_users()
        print(f"team server up in {time.perf_counter() - t0:.1f} s (PostgreSQL + mlflow server, basic auth)")
        os.environ.update(MLFLOW_TRACKING_USERNAME="alice", MLFLOW_TRACKING_PASSWORD=USERS["alice"])

        emb_home, srv_home = tmp / "embedded", tmp / "server"
        emb_loc = StoreLocation(f"sqlite:///{emb_home / 'mlflow.db'}", str(emb_home / "artifacts"), True)
        emb_store, srv_store = MlflowStore(emb_loc), MlflowStore(StoreLocation(srv.url, None, False))
        # Warm both (tables, experiment, first connection) outside the timings.
        ingest_times(emb_store, sessions(emb_home, 1, "w"))
        ingest_times(srv_store, sessions(srv_home, 1, "w"))
        emb = ingest_times(emb_store, sessions(emb_home, args.sessions, "e"))
        ser = ingest_times(srv_store, sessions(srv_home, args.sessions, "s"))

        batch = max(3, args.sessions // 4)
        sessions(emb_home, batch, "pe")
        sessions(srv_home, batch, "ps")
        base = {k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"}
        emb_env = dict(base, AITRACK_HOME=str(emb_home))
        srv_env = dict(base, AITRACK_HOME=str(srv_home), MLFLOW_TRACKING_URI=srv.url)
        sync_emb, sync_srv = timed([*AITRACK, "sync"], emb_env), timed([*AITRACK, "sync"], srv_env)

        # show from "another machine": an empty data dir, the same store.
        sid_e, sid_s = "20261127T000000000Z-e0000", "20261127T000000000Z-s0000"
        sha_e, sha_s = trailer_commit(tmp / "repo-e", sid_e), trailer_commit(tmp / "repo-s", sid_s)
        other = tmp / "other-machine"
        show_emb_env = dict(base, AITRACK_HOME=str(other), MLFLOW_TRACKING_URI=emb_loc.tracking_uri)
        show_srv_env = dict(base, AITRACK_HOME=str(other), MLFLOW_TRACKING_URI=srv.url)
        shows: dict[str, list[float]] = {"embedded": [], "server": [], "local": []}
        for _ in range(args.shows):  # alternate, so load on the shared machine hits both alike
            shows["embedded"].append(timed([*AITRACK, "show", sha_e, "--json"], show_emb_env, tmp / "repo-e"))
            shows["server"].append(timed([*AITRACK, "show", sha_s, "--json"], show_srv_env, tmp / "repo-s"))
            shows["local"].append(timed([*AITRACK, "show", sha_s, "--json"], srv_env, tmp / "repo-s"))
    finally:
        srv.stop()
        pg.close()

    med = statistics.median
    print(f"\n{'':28}{'embedded':>12}{'server':>12}{'ratio':>8}")
    rows = [("ingest one session (warm)", med(emb), med(ser)), (f"aitrack sync of {batch} (process)", sync_emb, sync_srv),
            ("show, record from store", med(shows["embedded"]), med(shows["server"]))]
    for name, e, s in rows:
        print(f"{name:28}{e * 1000:10.0f}ms{s * 1000:10.0f}ms{s / e:7.2f}x")
    print(f"{'show, local record (floor)':28}{'':>12}{med(shows['local']) * 1000:10.0f}ms")
    print(f"(medians; {args.sessions} sessions ingested per store, {args.shows} shows each; machine load "
          f"{os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
