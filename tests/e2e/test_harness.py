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


# --- chat completions with tools (OpenCode, Copilot CLI, Qwen Code) ----------------------------
BASH = {"type": "function", "function": {"name": "bash", "parameters": {
    "type": "object", "properties": {"command": {"type": "string"}, "description": {"type": "string"},
                                     "timeout": {"type": "number"}}, "required": ["command", "timeout"]}}}
WRITE = {"type": "function", "function": {"name": "write_file", "parameters": {
    "type": "object", "properties": {"file_path": {"type": "string"}, "content": {"type": "string"}}}}}
PLANS = (("notes", (("write", "n.txt", "hi\n"), ("shell", "git status"))),)


def _chat(server: ModelServer, messages: list[dict], tools: list[dict]) -> dict:
    _, raw = post(f"{server.url}/v1/chat/completions", {"model": "m", "messages": messages, "tools": tools})
    return json.loads(raw)["choices"][0]


def test_chat_plan_steps_then_final() -> None:
    """Each tool result since the prompt moves one step on; a later prompt starts its own plan."""
    server = ModelServer(Script(CMD, plans=PLANS, cwd="/r")).start()
    try:
        msgs: list[dict] = [{"role": "system", "content": "agent"}, {"role": "user", "content": "write notes"}]
        first = _chat(server, msgs, [BASH, WRITE])["message"]["tool_calls"][0]["function"]
        assert (first["name"], json.loads(first["arguments"])) == ("write_file", {"file_path": "/r/n.txt", "content": "hi\n"})
        msgs += [{"role": "assistant", "tool_calls": []}, {"role": "tool", "content": "ok"}]
        second = _chat(server, msgs, [BASH, WRITE])["message"]["tool_calls"][0]["function"]
        # Every required argument gets a value (timeout: a number).
        assert json.loads(second["arguments"]) == {"command": "git status", "description": "Run a step of the task",
                                                   "timeout": 120000}
        msgs += [{"role": "tool", "content": "ok"}]
        assert _chat(server, msgs, [BASH])["message"]["content"] == "Done: committed the change."
        other = _chat(server, msgs + [{"role": "user", "content": "something else"}], [BASH])
        assert json.loads(other["message"]["tool_calls"][0]["function"]["arguments"])["command"] == CMD
        # No shell tool (a classifier, a title) or a suggestion request: a side answer, never a step.
        assert "tool_calls" not in _chat(server, msgs, [WRITE])["message"]
        assert [r.reply for r in server.requests] == ["tool_call", "tool_call", "final", "tool_call", "side"]
    finally:
        server.stop()


def test_chat_title_request_is_a_side_call() -> None:
    server = ModelServer(Script(CMD)).start()
    try:
        _, raw = post(f"{server.url}/v1/chat/completions", {"model": "m", "messages": [
            {"role": "system", "content": "You are a title generator. You output ONLY a thread title."},
            {"role": "user", "content": "Commit hello.txt"}]})
        assert json.loads(raw)["choices"][0]["message"]["content"] == "Scripted session"
        assert [r.reply for r in server.requests] == ["side"]
    finally:
        server.stop()
