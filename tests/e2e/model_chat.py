"""OpenAI Chat Completions with tools (OpenCode, Copilot CLI, Qwen Code): the scripted steps.

A request that offers tools gets the next step of the plan for its last prompt: a shell command
through the agent's shell tool, or a file written through its write tool. The step is the number
of tool results since that prompt (stateless, like the other wires), then the final text. Requests
without a shell tool (titles, classifiers, suggestions) get a short text: "side".
"""
from __future__ import annotations

import json
from typing import Any

# Shell tools of the chat-completion agents, first match wins (see agent-recipes/mockllm.patch).
SHELL_TOOLS = ("bash", "Bash", "shell", "run_shell_command", "shell_command", "exec_command",
               "execute_command", "run_command", "run_terminal_cmd", "terminal", "run_commands",
               "Shell", "Execute", "execute_bash", "bash_tool", "run_in_terminal")
WRITE_TOOLS = ("write", "write_file", "create", "Write", "create_file", "Create", "WriteFile",
               "file_editor")  # Create: droid, WriteFile: Kimi, file_editor: OpenHands
PATH_KEYS = ("filePath", "file_path", "filepath", "path", "absolute_path")  # filepath: Continue
CONTENT_KEYS = ("content", "file_text", "text")
# Side requests that still offer every tool: answer them with text, never a step.
SIDE_MARKERS = ("[SUGGESTION MODE",)


def has_tools(body: dict[str, Any]) -> bool:
    return bool(body.get("tools"))


def answer_tools(body: dict[str, Any], script: Any) -> tuple[str, str, list[dict[str, Any]]]:
    """(kind, text, tool_calls) for a request that offers tools."""
    fns = {f.get("name"): f.get("parameters") or {} for t in body.get("tools") or []
           if isinstance(t, dict) for f in [t.get("function") or t.get("custom") or t] if isinstance(f, dict)}
    custom = {(t.get("custom") or {}).get("name") for t in body.get("tools") or []
              if isinstance(t, dict) and t.get("type") == "custom"}
    shell = next((n for n in SHELL_TOOLS if n in fns), None)
    messages = body.get("messages") or []
    prompt, results = _last_prompt(messages)
    if shell is None or any(m in json.dumps(messages[-1:]) for m in SIDE_MARKERS):
        return "side", _side_text(fns), []
    plan = script.plan_for(prompt)
    if results >= len(plan):
        return "final", script.final, []
    step = plan[results]
    # Call ids count every tool result of the conversation, not of this prompt: OpenHands (and Vibe)
    # drop a result whose call id an earlier prompt's call already had.
    n = sum(1 for m in messages if isinstance(m, dict) and m.get("role") == "tool") + 1
    if step[0] == "write":
        write = next((w for w in WRITE_TOOLS if w in fns), None)
        if write is not None:
            props = fns[write].get("properties") or {}
            path_key = next((k for k in PATH_KEYS if k in props), "path")
            content_key = next((k for k in CONTENT_KEYS if k in props), "content")
            # OpenHands' file_editor takes its sub-command as an argument: `create` writes a new file.
            extra = {"command": "create"} if write == "file_editor" else {}
            args = _fill(fns[write], {path_key: f"{script.cwd}/{step[1]}" if script.cwd else step[1],
                                      content_key: step[2], **extra}, "Write the file")
            return "tool_call", "", [_call(n, write, args)]
        if "apply_patch" in fns:  # OpenCode offers GPT-like models a patch tool instead of write/edit
            props = fns["apply_patch"].get("properties") or {}
            key = next(iter(props), "patchText")
            body_lines = "".join(f"+{line}\n" for line in step[2].splitlines())
            patch = f"*** Begin Patch\n*** Add File: {step[1]}\n{body_lines}*** End Patch"
            if "apply_patch" in custom:  # Copilot CLI: a free-form (custom) tool, the patch is its input
                return "tool_call", "", [{"id": f"call_scripted{n}", "type": "custom",
                                          "custom": {"name": "apply_patch", "input": patch}}]
            return "tool_call", "", [_call(n, "apply_patch", _fill(fns["apply_patch"], {key: patch}, "Add the file"))]
        step = ("shell", f"printf '%s\\n' {json.dumps(step[2].rstrip())} > {step[1]}")
    props = fns[shell].get("properties") or {}
    key = next((k for k in ("command", "cmd", "script", "commands") if k in props), "command")
    value: Any = [step[1]] if key == "commands" else step[1]
    args = _fill(fns[shell], {key: value, "description": "Run a step of the task"}, "Run a step of the task")
    return "tool_call", "", [_call(n, shell, args)]


def _last_prompt(messages: list[Any]) -> tuple[str, int]:
    """The text of the last user message and how many tool results follow it."""
    results = 0
    for m in reversed(messages):
        if not isinstance(m, dict):
            continue
        if m.get("role") == "tool":
            results += 1
        elif m.get("role") == "user":
            return _text(m.get("content")), results
    return "", results


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
    return ""


def _fill(schema: dict[str, Any], args: dict[str, Any], text: str) -> dict[str, Any]:
    """Only properties the tool has, plus a value for every other required one."""
    props = schema.get("properties") or {}
    out = {k: v for k, v in args.items() if k in props or not props}
    for req in schema.get("required") or []:
        if req in out:
            continue
        sch = props.get(req) or {}
        if sch.get("enum"):
            out[req] = "LOW" if "LOW" in sch["enum"] else sch["enum"][0]
        elif sch.get("type") == "boolean":
            out[req] = False
        elif sch.get("type") in ("number", "integer"):
            out[req] = 120000
        else:
            out[req] = text
    return out


def _side_text(fns: dict[str, Any]) -> str:
    if "respond_in_schema" in fns:  # Qwen's auto-mode classifier: no opinion, ask the person
        return json.dumps({"decision": "ask", "reason": "scripted"})
    return "Scripted session"


def _call(n: int, name: str, args: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"call_scripted{n}", "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}


def reply(body: dict[str, Any], kind: str, text: str, calls: list[dict[str, Any]]) -> tuple[Any, list[Any] | None]:
    """(json, sse events): a whole completion, or chunks when the request streams."""
    model = body.get("model", "scripted")
    usage = {"prompt_tokens": 150, "completion_tokens": 30, "total_tokens": 180}
    finish = "tool_calls" if calls else "stop"
    base = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": 1, "model": model}
    if not body.get("stream"):
        message: dict[str, Any] = {"role": "assistant", "content": text or None}
        if calls:
            message["tool_calls"] = calls
        return {"id": "chatcmpl-scripted", "object": "chat.completion", "created": 1, "model": model,
                "choices": [{"index": 0, "finish_reason": finish, "message": message}], "usage": usage}, None
    delta: dict[str, Any] = {"role": "assistant", "content": text}
    if calls:
        delta["tool_calls"] = [dict(c, index=i) for i, c in enumerate(calls)]
    events: list[Any] = [(None, dict(base, choices=[{"index": 0, "delta": delta, "finish_reason": None}]))]
    events.append((None, dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": finish}])))
    events.append((None, dict(base, choices=[], usage=usage)))
    events.append((None, "[DONE]"))
    return None, events
