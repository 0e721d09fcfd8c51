"""The harness itself: the namespace really has only loopback, the scripted model keeps its script."""
from __future__ import annotations

import json
import subprocess
import urllib.request
from typing import Any

import netns
import pytest
from model_server import ModelServer, Script

CMD = 'git commit -m "x #1"'


def post(url: str, body: dict) -> tuple[str, bytes]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.headers.get("Content-Type", ""), resp.read()


def test_namespace_has_only_loopback() -> None:
    reason = netns.available()
    if reason:
        pytest.skip(f"no network namespace here: {reason}")
    ns = netns.open_netns()
    try:
        links = subprocess.run(ns.prefix() + ["ip", "-o", "link", "show"], capture_output=True, text=True,
                               timeout=10, check=True).stdout.splitlines()
        assert [line.split(":")[1].strip() for line in links] == ["lo"]
        routes = subprocess.run(ns.prefix() + ["ip", "route", "show"], capture_output=True, text=True,
                                timeout=10, check=True).stdout
        assert routes.strip() == "", routes  # no default route: nothing leaves 127.0.0.1
        server = ModelServer(Script(CMD), sock=ns.listener).start()
        try:
            out = subprocess.run(ns.prefix() + ["python3", "-c", f"import urllib.request as u; print(u.urlopen('{server.url}/v1/models').status)"],
                                 capture_output=True, text=True, timeout=20, check=False)
            assert out.stdout.strip() == "200", out.stderr
        finally:
            server.stop()
    finally:
        ns.close()


def test_anthropic_script_is_stateless() -> None:
    server = ModelServer(Script(CMD, final="All done")).start()
    try:
        tools = [{"name": "Bash"}]
        first: dict[str, Any] = {"model": "m", "stream": True, "tools": tools, "messages": [{"role": "user", "content": "go"}]}
        ctype, body = post(f"{server.url}/v1/messages?beta=true", first)
        assert ctype == "text/event-stream"
        text = body.decode()
        assert '"name": "Bash"' in text and "git commit -m" in text and "All done" not in text
        result = [{"type": "tool_result", "tool_use_id": "toolu_scripted1", "content": "ok"}]
        second = dict(first, messages=first["messages"] + [{"role": "user", "content": result}])
        _, body2 = post(f"{server.url}/v1/messages?beta=true", second)
        assert "All done" in body2.decode()
        _, again = post(f"{server.url}/v1/messages?beta=true", first)  # a retry: the same tool call
        assert again == body
        assert [r.reply for r in server.requests] == ["tool_call", "final", "tool_call"]
    finally:
        server.stop()
