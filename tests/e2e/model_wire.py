"""The four wire protocols of the scripted model: which answer a request gets, and its bytes.

`answer(method, path, body, script)` → an `Answer`: either a JSON body or a list of SSE events.
Kinds: "tool_call" (run the script's command), "final" (after a tool result), "side" (a CLI's own
side request: title, router, token count, quota probe), "commit_message" (aider), "other".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import model_chat

SSE = list[tuple[str | None, Any]]


@dataclass
class Answer:
    kind: str
    json: Any = None
    sse: SSE | None = None
    status: int = 200


def answer(method: str, path: str, body: Any, script: Any) -> Answer:
    route = path.split("?", 1)[0]
    if method == "POST" and route.endswith("/messages/count_tokens"):
        return Answer("side", json={"input_tokens": 42})
    if method == "POST" and route.endswith("/messages"):
        return _anthropic(body, script)
    if method == "POST" and route.endswith("/responses"):
        return _responses(body, script)
    if method == "POST" and route.endswith("/chat/completions"):
        return _chat(body, script)
    if method == "POST" and (":generateContent" in route or ":streamGenerateContent" in route):
        return _gemini(route, body, script)
    if method == "POST" and ":countTokens" in route:
        return Answer("side", json={"totalTokens": 42})
    if method == "GET" and route.endswith("/models"):
        return Answer("other", json={"object": "list", "data": [{"id": "scripted", "object": "model"}], "models": []})
    return Answer("other", json={}, status=404)


# --- Anthropic Messages (Claude Code) ---------------------------------------------------------

def _anthropic(body: dict[str, Any], script: Any) -> Answer:
    tools = {t.get("name") for t in body.get("tools") or []}
    messages = body.get("messages") or []
    last = messages[-1] if messages else {}
    has_result = isinstance(last.get("content"), list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in last["content"]
    )
    model = body.get("model", "claude-scripted")
    # With `script.write`: Write first, then Bash (stateless: the tool results so far say which).
    results = sum(1 for m in messages if isinstance(m.get("content"), list)
                  for b in m["content"] if isinstance(b, dict) and b.get("type") == "tool_result")
    tool, call_id = "Bash", "toolu_scripted1"
    if "Bash" not in tools:
        # Side calls (title, topic, quota probe) carry no tools: a short plain answer serves them all.
        blocks: list[tuple[str, Any]] = [("text", "Add hello")]
        kind, stop = "side", "end_turn"
    elif script.write is not None and results == 0:
        kind, stop, tool, call_id = "tool_call", "tool_use", "Write", "toolu_scripted0"
        blocks = [("text", "I will write it."), ("tool_use", {"file_path": script.write[0], "content": script.write[1]})]
    elif has_result and results >= (2 if script.write is not None else 1):
        kind, blocks, stop = "final", [("text", script.final)], "end_turn"
    else:
        kind = "tool_call"
        blocks = [("text", "I will commit it."), ("tool_use", {"command": script.command, "description": "Commit"})]
        stop = "tool_use"
    usage: dict[str, Any] = {"input_tokens": 120, "output_tokens": 0, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0}
    msg = {"id": f"msg_{kind}_{len(messages)}", "type": "message", "role": "assistant", "model": model,
           "content": [], "stop_reason": None, "stop_sequence": None, "usage": usage}
    if not body.get("stream"):
        content = [{"type": "text", "text": v} if t == "text" else
                   {"type": "tool_use", "id": call_id, "name": tool, "input": v} for t, v in blocks]
        full = dict(msg, content=content, stop_reason=stop, usage=dict(usage, output_tokens=12))
        return Answer(kind, json=full)
    events: SSE = [("message_start", {"type": "message_start", "message": msg})]
    for i, (btype, value) in enumerate(blocks):
        if btype == "text":
            start: dict[str, Any] = {"type": "text", "text": ""}
            delta = {"type": "text_delta", "text": value}
        else:
            start = {"type": "tool_use", "id": call_id, "name": tool, "input": {}}
            delta = {"type": "input_json_delta", "partial_json": json.dumps(value)}
        events += [
            ("content_block_start", {"type": "content_block_start", "index": i, "content_block": start}),
            ("content_block_delta", {"type": "content_block_delta", "index": i, "delta": delta}),
            ("content_block_stop", {"type": "content_block_stop", "index": i}),
        ]
    events += [
        ("message_delta", {"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": None},
                           "usage": {"output_tokens": 12}}),
        ("message_stop", {"type": "message_stop"}),
    ]
    return Answer(kind, sse=events)


# --- OpenAI Responses (Codex CLI) -------------------------------------------------------------

def _responses(body: dict[str, Any], script: Any) -> Answer:
    items = body.get("input") or []
    has_result = any(isinstance(i, dict) and i.get("type", "").endswith("_call_output") for i in items)
    tools = [t.get("name") for t in body.get("tools") or [] if isinstance(t, dict)]
    shell = next((n for n in ("exec_command", "shell_command", "shell") if n in tools), None)
    rid = f"resp_{len(items)}"
    usage = {"input_tokens": 200, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 20,
             "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 220}
    if shell is None:
        kind, item = "side", _out_message("Add hello")
    elif has_result:
        kind, item = "final", _out_message(script.final)
    else:
        # Codex's workspace-write sandbox keeps .git read-only: ask for escalation as a real model
        # does for `git commit`, which is what makes the TUI show its approval dialog.
        arg: dict[str, Any] = {"cmd": script.command, "sandbox_permissions": "require_escalated",
                               "justification": "git commit writes to .git"}
        if "`sandbox_mode` is `danger-full-access`" in json.dumps(body).replace('\\"', '"'):
            arg = {"cmd": script.command}  # no sandbox (exec mode): escalation would be refused
        if shell != "exec_command":
            arg = {"command": ["bash", "-lc", script.command], "with_escalated_permissions": True,
                   "justification": "git commit writes to .git"}
        kind = "tool_call"
        item = {"type": "function_call", "id": "fc_scripted1", "call_id": "call_scripted1", "name": shell,
                "arguments": json.dumps(arg), "status": "completed"}
    created: dict[str, Any] = {"id": rid, "object": "response", "status": "in_progress", "model": body.get("model"), "output": []}
    events: SSE = [("response.created", {"type": "response.created", "response": created})]
    if item["type"] == "message":
        text = item["content"][0]["text"]
        events.append(("response.output_item.added", {"type": "response.output_item.added", "output_index": 0,
                                                      "item": dict(item, content=[], status="in_progress")}))
        events.append(("response.output_text.delta", {"type": "response.output_text.delta", "output_index": 0,
                                                      "content_index": 0, "item_id": item["id"], "delta": text}))
    events.append(("response.output_item.done", {"type": "response.output_item.done", "output_index": 0, "item": item}))
    done = dict(created, status="completed", output=[item], usage=usage)
    events.append(("response.completed", {"type": "response.completed", "response": done}))
    return Answer(kind, sse=events)


def _out_message(text: str) -> dict[str, Any]:
    return {"type": "message", "id": "msg_scripted", "role": "assistant", "status": "completed",
            "content": [{"type": "output_text", "text": text, "annotations": []}]}


# --- Gemini (Gemini CLI) ----------------------------------------------------------------------

def _gemini(route: str, body: dict[str, Any], script: Any) -> Answer:
    contents = body.get("contents") or []
    decls = [d.get("name") for t in body.get("tools") or [] for d in t.get("functionDeclarations") or []]
    last_parts = (contents[-1].get("parts") if contents else None) or []
    has_result = any("functionResponse" in p for p in last_parts)
    usage = {"promptTokenCount": 300, "candidatesTokenCount": 20, "totalTokenCount": 320}
    if "run_shell_command" not in decls:
        # Router / next-speaker / JSON side calls: answer JSON that every schema we met accepts.
        kind = "side"
        text = json.dumps({"reasoning": "simple task", "model_choice": "flash",
                           "next_speaker": "user", "complexity_score": 1, "complexity_reasoning": "simple"})
        parts: list[dict[str, Any]] = [{"text": text}]
    elif has_result:
        kind, parts = "final", [{"text": script.final}]
    else:
        kind = "tool_call"
        parts = [{"functionCall": {"name": "run_shell_command",
                                   "args": {"command": script.command, "description": "Commit the change"}}}]
    chunk = {"candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP", "index": 0}],
             "usageMetadata": usage, "modelVersion": "gemini-scripted"}
    if ":streamGenerateContent" in route:
        return Answer(kind, sse=[(None, chunk)])
    return Answer(kind, json=chunk)


# --- OpenAI Chat Completions (aider) ----------------------------------------------------------

def _chat(body: dict[str, Any], script: Any) -> Answer:
    if model_chat.has_tools(body):  # OpenCode, Copilot CLI, Qwen Code: tool calls
        kind, text, calls = model_chat.answer_tools(body, script)
        whole, sse = model_chat.reply(body, kind, text, calls)
        return Answer(kind, json=whole, sse=sse)
    messages = body.get("messages") or []
    system = " ".join(str(m.get("content")) for m in messages if m.get("role") == "system")
    if "title generator" in system.lower():  # OpenCode names the session first
        kind, text = "side", "Scripted session"
    elif "commit message" in system.lower():
        kind, text = "commit_message", script.commit_message
    elif any("I ran this command" in str(m.get("content")) for m in messages[-1:]):
        kind, text = "final", script.final
    else:
        # aider's diff edit format: a SEARCH/REPLACE block that creates the file (aider applies it and
        # auto-commits with the message from the commit_message call), then a shell block it offers to run.
        kind = "tool_call"
        text = (f"I will create the file.\n\n{script.aider_file}\n```\n<<<<<<< SEARCH\n=======\n"
                f"{script.aider_content}>>>>>>> REPLACE\n```\n\nThen check it:\n\n```bash\n{script.command}\n```\n")
    model = body.get("model", "scripted")
    if not body.get("stream"):
        return Answer(kind, json={"id": "chatcmpl-scripted", "object": "chat.completion", "model": model,
                                  "choices": [{"index": 0, "finish_reason": "stop",
                                               "message": {"role": "assistant", "content": text}}],
                                  "usage": {"prompt_tokens": 150, "completion_tokens": 30, "total_tokens": 180}})
    base = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "model": model}
    events: SSE = [(None, dict(base, choices=[{"index": 0, "delta": {"role": "assistant", "content": text},
                                                "finish_reason": None}]))]
    events.append((None, dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}],
                              usage={"prompt_tokens": 150, "completion_tokens": 30, "total_tokens": 180})))
    events.append((None, "[DONE]"))
    return Answer(kind, sse=events)
