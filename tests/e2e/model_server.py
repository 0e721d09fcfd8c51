"""A scripted model server for the real agent CLIs: one shell tool call, then a final text.

Stdlib only. It speaks just enough of four wire protocols for one short agent turn:
Anthropic Messages (Claude Code), OpenAI Responses (Codex CLI), Gemini generateContent (Gemini
CLI) and OpenAI Chat Completions (aider). The script is stateless per request: a request that
already carries a tool result gets the final text, any other main-loop request gets the tool call,
so retries and parallel side calls (titles, routers, token counts) cannot derail it. Every request
is kept in `requests` for the tests' assertions.
"""
from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import model_wire as wire


@dataclass
class Script:
    """What the scripted model does: run `command` through the agent's shell tool, then say `final`."""

    command: str
    final: str = "Done: committed the change."
    # aider edits files through its edit format, not a shell tool: the file it is told to write.
    aider_file: str = "hello.txt"
    aider_content: str = "hello\n"
    commit_message: str = "Add hello #42"
    # Chat-completion agents: steps per prompt, the first plan whose key is in the prompt (else the
    # command alone). A step is ("shell", command) or ("write", relative path, content).
    plans: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
    cwd: str = ""  # where the agent runs: write steps name absolute paths under it
    # Anthropic (Claude Code): a Write tool call (absolute path, content) before the shell command.
    write: tuple[str, str] | None = None

    def plan_for(self, prompt: str) -> tuple[tuple[str, ...], ...]:
        for key, steps in self.plans:
            if key in prompt:
                return steps
        return (("shell", self.command),)


@dataclass
class Logged:
    method: str
    path: str
    headers: dict[str, str]
    body: Any
    reply: str = ""  # which scripted answer it got: tool_call | final | side | …


@dataclass
class ModelServer:
    script: Script
    sock: socket.socket | None = None  # a listening socket made elsewhere (e.g. in a netns)
    requests: list[Logged] = field(default_factory=list)
    _httpd: ThreadingHTTPServer | None = None
    _thread: threading.Thread | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ModelServer:
        server = self

        class Handler(_Handler):
            owner = server

        if self.sock is None:
            self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        else:
            # Adopt a socket already bound and listening (made inside the CLI's network namespace).
            self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
            self._httpd.socket.close()
            self._httpd.socket = self.sock
            self._httpd.server_address = self.sock.getsockname()[:2]
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def log(self, entry: Logged) -> None:
        with self._lock:
            self.requests.append(entry)

    def replies(self, kind: str) -> list[Logged]:
        with self._lock:
            return [r for r in self.requests if r.reply == kind]

    def dump(self) -> str:
        """All requests, one line each, for a failing test's message."""
        with self._lock:
            return "\n".join(f"{r.method} {r.path} -> {r.reply}" for r in self.requests)


class _Handler(BaseHTTPRequestHandler):
    owner: ModelServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the tests read .requests instead

    def do_GET(self) -> None:
        self._serve(None)

    def do_HEAD(self) -> None:
        self._send_json({}, 200)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not length and self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            raw = _read_chunked(self.rfile)
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        self._serve(body)

    def _serve(self, body: Any) -> None:
        entry = Logged(self.command, self.path, dict(self.headers.items()), body)
        answer = wire.answer(self.command, self.path, body, self.owner.script)
        entry.reply = answer.kind
        self.owner.log(entry)
        if answer.sse is not None:
            self._send_sse(answer.sse)
        else:
            self._send_json(answer.json, answer.status)

    def _send_json(self, obj: Any, status: int) -> None:
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _send_sse(self, events: list[tuple[str | None, Any]]) -> None:
        chunks = []
        for name, data in events:
            text = data if isinstance(data, str) else json.dumps(data)
            chunks.append((f"event: {name}\n" if name else "") + f"data: {text}\n\n")
        payload = "".join(chunks).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()


def _read_chunked(rfile: Any) -> bytes:
    out = b""
    while True:
        size = int(rfile.readline().strip() or b"0", 16)
        if size == 0:
            rfile.readline()
            return out
        out += rfile.read(size)
        rfile.readline()


def main() -> None:
    """By hand: `python tests/e2e/model_server.py --command 'git commit …' [--port N] [--log F]`."""
    import argparse
    import sys
    import time

    ap = argparse.ArgumentParser()
    ap.add_argument("--command", required=True)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--log", default="")
    ap.add_argument("--seconds", type=float, default=1800, help="stop after this long, whatever happens")
    args = ap.parse_args()
    sock = socket.create_server(("127.0.0.1", args.port))
    server = ModelServer(Script(args.command), sock=sock).start()
    print(server.url, flush=True)
    seen = 0
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        time.sleep(0.2)
        for r in server.requests[seen:]:
            line = json.dumps({"method": r.method, "path": r.path, "reply": r.reply, "body": r.body})
            if args.log:
                with open(args.log, "a", encoding="utf-8") as fh:
                    fh.write(line + "\n")
            print(f"{r.method} {r.path} -> {r.reply}", file=sys.stderr, flush=True)
        seen = len(server.requests)
    server.stop()


if __name__ == "__main__":
    main()
