"""A throwaway PostgreSQL cluster for the team tests: Debian's server binaries, a tmp data dir,
a free 127.0.0.1 port, password auth over TCP, always stopped.

PostgreSQL refuses to run as root, so when the tests run as root the cluster belongs to the
`postgres` system user (created by the Debian package) and every server command goes through
`runuser`. The data dir lives in its own mkdtemp folder because pytest's tmp dirs are 0700 root.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from support import free_port, require_program  # noqa: F401  (free_port: team/conftest.py imports it here)

USER, PASSWORD, DATABASE = "mlflow", "pg-secret-for-tests", "mlflow"


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        require_program("pg_ctl")  # skips locally, fails under CI: `.ci/run` installs postgresql
        return Path(shutil.which("pg_ctl") or "").parent
    return Path(found[-1]).parent


class Postgres:
    def __init__(self) -> None:
        self.bin = _bin_dir()
        self.root = Path(tempfile.mkdtemp(prefix="aitrack-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        self.port = free_port()
        self.owner = "postgres" if os.geteuid() == 0 else None

    @property
    def uri(self) -> str:
        return f"postgresql://{USER}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def _as_owner(self, argv: list[str], timeout: float = 120, env: dict[str, str] | None = None) -> str:
        cmd = ["runuser", "-u", self.owner, "--", *argv] if self.owner else argv
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=self.root,
                             env=dict(os.environ, **(env or {})), stdin=subprocess.DEVNULL, check=False)
        if res.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:2])} failed: {res.stderr.strip()[-1500:]}\n{self._log_tail()}")
        return res.stdout

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-1500:]
        except OSError:
            return ""

    def init(self) -> None:
        pwfile = self.root / "pw"
        pwfile.write_text(PASSWORD + "\n")
        if self.owner:
            shutil.chown(self.root, self.owner, self.owner)
            shutil.chown(pwfile, self.owner, self.owner)
        self.root.chmod(0o700)
        # Superuser `mlflow` with a password: MLflow connects over TCP like it would in a team.
        self._as_owner([str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}",
                        "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"])
        pwfile.unlink()
        self.start()
        self._as_owner([str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, DATABASE],
                       env={"PGPASSWORD": PASSWORD})

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", opts,
                        "-w", "-t", "90", "start"])

    def stop(self, mode: str = "fast") -> None:
        if not (self.data / "postmaster.pid").exists():
            return
        self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def restart(self, pause: float = 0.0) -> None:
        """Stop (fast: drops every client connection mid-transaction), wait, start on the same port."""
        self.stop()
        time.sleep(pause)
        self.start()

    def close(self) -> None:
        try:
            self.stop("immediate")
        except (RuntimeError, subprocess.SubprocessError):
            pass
        shutil.rmtree(self.root, ignore_errors=True)


def start_postgres() -> Postgres:
    pg = Postgres()
    try:
        pg.init()
    except BaseException:
        pg.close()
        raise
    return pg


def skip_without_runuser() -> None:
    """As root PostgreSQL runs as `postgres` through runuser: both missing skip (fail under CI)."""
    if os.geteuid() != 0:
        return

    require_program("runuser")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        message = "running as root without a `postgres` user: cannot start PostgreSQL as another user"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
