"""`aitrack ui [start|stop|status] [--port P] [--background]`: the MLflow UI for aitrack's store,
on 127.0.0.1 only (transcripts are private). For a tracking server, its own UI is the answer."""
from __future__ import annotations

import socket

from aitrack import output
from aitrack.errors import AitrackError
from aitrack.paths import data_dir, ensure_private_dir
from aitrack.store import server
from aitrack.store.uri import embedded_artifacts, resolve

START_TIMEOUT = 120.0  # a cold `mlflow server` needs ~8 s with one worker; slow disks far more


def ui(action: str = "start", port: int = server.DEFAULT_PORT, background: bool = False) -> int:
    if action == "status":
        return _status()
    if action == "stop":
        return _stop()
    loc = resolve()
    if not loc.tracking_uri.startswith("sqlite:"):
        output.out(f"aitrack logs to the tracking server {loc.tracking_uri}: open it in a browser")
        return 0
    from aitrack.store.uri import old_file_store_hint

    hint = old_file_store_hint()
    if hint:
        output.err(hint)
    running = server.read_state()
    if running:
        output.out(f"MLflow UI already running at {running['url']} (pid {running['pid']})")
        return 0
    if _port_busy(port):
        raise AitrackError(f"port {port} on {server.HOST} is in use; pick another with --port")
    ensure_private_dir(data_dir())
    ensure_private_dir(embedded_artifacts())
    url = f"http://{server.HOST}:{port}"
    log = ensure_private_dir(data_dir() / "logs") / "ui.log"
    proc = server.start(loc.tracking_uri, loc.artifact_root, port, log=log, env_extra=server.UI_ENV)
    state = {"pid": proc.pid, "port": port, "url": url, "tracking_uri": loc.tracking_uri}
    server.write_state(state)
    if not server.wait_healthy(url, proc, START_TIMEOUT):
        server.stop(proc.pid)
        server.clear_state()
        raise AitrackError(f"the MLflow UI did not start within {START_TIMEOUT:.0f} s; see {log}")
    output.out(f"MLflow UI at {url} (store {loc.tracking_uri})")
    exp = _experiment_id()
    if exp:
        from aitrack.store.view import runs_url

        output.out(f"aitrack's columns: {runs_url(url, exp)}")
    if background:
        output.out("stop it with: aitrack ui stop")
        return 0
    output.out("Ctrl-C stops it")
    try:
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop(proc.pid)
        server.clear_state()
    return 0


def _experiment_id() -> str | None:
    """The experiment of the newest logged session (its run.json), without asking mlflow."""
    from aitrack.paths import sessions_dir
    from aitrack.sessiondir import read_run

    root = sessions_dir()
    for folder in sorted(root.iterdir(), reverse=True) if root.is_dir() else []:
        run = read_run(folder)
        if run and run.get("experiment_id"):
            return str(run["experiment_id"])
    return None


def _status() -> int:
    state = server.read_state()
    if not state:
        output.out("MLflow UI not running (start it with: aitrack ui --background)")
        return 1
    answers = server.healthy(state["url"])
    output.out(f"MLflow UI {'running' if answers else 'starting or not answering'} at {state['url']} (pid {state['pid']})")
    return 0 if answers else 1


def _stop() -> int:
    state = server.read_state()
    if not state:
        server.clear_state()
        output.out("MLflow UI not running")
        return 0
    server.stop(int(state["pid"]))
    server.clear_state()
    output.out(f"stopped the MLflow UI at {state['url']}")
    return 0


def _port_busy(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((server.HOST, port))
        except OSError:
            return True
    return False
