"""Sessions as OpenTelemetry over OTLP/HTTP with JSON encoding (any collector: `otelcol`, Jaeger,
Grafana Alloy…): one trace per session in the GenAI semantic conventions — a root span for the
session (`gen_ai.conversation.id`), an `invoke_agent` span per turn, `chat` spans with
`gen_ai.usage.*` per API response, `execute_tool` spans per tool call — and one gauge data point
per session for each metric, attributes naming the session.

Stdlib only (urllib): the OTLP JSON mapping is small and stable (ids as hex, times as nanosecond
strings, attributes as typed AnyValue), and the exporter SDK would be a dependency for a loop.
"""
from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from typing import Any

from aitrack import __version__
from aitrack.agents import registry
from aitrack.errors import AitrackError
from aitrack.parse.values import epoch
from aitrack.sessionrecord import SessionRecord

BATCH = 100
SCOPE = {"name": "aitrack", "version": __version__}
RESOURCE = {"attributes": [{"key": "service.name", "value": {"stringValue": "aitrack"}}]}


def _id(text: str, size: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[: size * 2]  # stable: re-export = same ids


def _ns(epoch: float) -> str:
    return str(int(epoch * 1e9))


def _epoch(value: Any) -> float | None:
    return epoch(value, naive=True)


def attr(key: str, value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"key": key, "value": {"boolValue": value}}
    if isinstance(value, int):
        return {"key": key, "value": {"intValue": str(value)}}
    if isinstance(value, float):
        return {"key": key, "value": {"doubleValue": value}}
    return {"key": key, "value": {"stringValue": str(value)}}


def session_attrs(run: dict[str, Any]) -> list[dict[str, Any]]:
    tags = run.get("tags") or {}
    out = [attr("aitrack.session_id", run.get("session_id") or ""), attr("aitrack.run_id", run.get("run_id") or ""),
           attr("aitrack.provider", run.get("provider") or ""), attr("aitrack.type", tags.get("type") or "ai_session")]
    out += [attr(f"aitrack.tag.{k}", tags[k]) for k in ("model", "git.repo", "git.branch", "issues", "alert") if tags.get(k)]
    return out


def spans(run: dict[str, Any], record: SessionRecord | None) -> list[dict[str, Any]]:
    """One trace per session in the OpenTelemetry GenAI conventions: the session's root span, an
    `invoke_agent` span per user turn, under it a `chat {model}` span per API response and an
    `execute_tool {name}` span per tool call; a subagent's under an `invoke_agent` of its own."""
    key = str(run.get("session_id") or run.get("run_id"))
    trace_id, root_id = _id(key, 16), _id(key + "/root", 8)
    start = float(run.get("start_time") or time.time())
    end = float(run.get("end_time") or start)
    metrics = run.get("metrics") or {}
    failed = metrics.get("success") == 0
    attrs = session_attrs(run) + [attr("gen_ai.conversation.id", key)]
    attrs += [attr(f"aitrack.param.{k}", v) for k, v in sorted((run.get("params") or {}).items())]
    attrs += [attr(f"aitrack.metric.{k}", float(v)) for k, v in sorted(metrics.items())]
    root = {"traceId": trace_id, "spanId": root_id, "name": str(run.get("run_name") or key), "kind": 1,
            "startTimeUnixNano": _ns(start), "endTimeUnixNano": _ns(max(end, start)), "attributes": attrs,
            "status": {"code": 2, "message": "session failed"} if failed else {"code": 1}}
    out = [root]
    if record is None:
        return out
    from aitrack.store.mapping import initial_ask
    from aitrack.store.turns import turns

    provider = str(record.provider or run.get("provider") or "")
    common = [attr("gen_ai.conversation.id", key), attr("gen_ai.provider.name", _PROVIDER_NAMES.get(provider, provider))]
    agent = str(record.meta.tool or provider)
    cut = turns(record, initial_ask(record))
    for turn in cut:
        turn_id = _id(f"{key}/turn/{turn.index}", 8)
        last = turn is cut[-1]
        out.append(_span(trace_id, turn_id, root_id, f"invoke_agent {agent}", 1, turn.start, turn.end,
                         common + [attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", agent),
                                   attr("aitrack.turn", turn.index), attr("aitrack.prompt", turn.prompt[:2000])],
                         failed and last, "session failed"))
        parents: dict[str, str] = {}
        for name, (s, e) in turn.agents().items():
            parents[name] = _id(f"{key}/turn/{turn.index}/agent/{name}", 8)
            out.append(_span(trace_id, parents[name], turn_id, f"invoke_agent {name}", 1, s, e,
                             common + [attr("gen_ai.operation.name", "invoke_agent"), attr("gen_ai.agent.name", name)]))
        for it in turn.items:
            parent = parents.get(it.agent or "", turn_id)
            sid = _id(f"{key}/{it.kind}/{it.index}", 8)
            d = it.data
            if it.kind == "llm":
                model = str(d.get("model") or "unknown")
                cached, written = int(d.get("cache_read_tokens") or 0), int(d.get("cache_write_tokens") or 0)
                # OpenTelemetry's input_tokens include the cache (aitrack's, like Anthropic's, do not).
                usage = [attr("gen_ai.usage.input_tokens", int(d.get("input_tokens") or 0) + cached + written),
                         attr("gen_ai.usage.output_tokens", int(d.get("output_tokens") or 0)),
                         attr("gen_ai.usage.cache_read.input_tokens", cached),
                         attr("gen_ai.usage.cache_creation.input_tokens", written)]
                out.append(_span(trace_id, sid, parent, f"chat {model}", 3, it.start, it.end,
                                 common + [attr("gen_ai.operation.name", "chat"), attr("gen_ai.request.model", model),
                                           attr("gen_ai.response.model", model)] + usage))
                continue
            name = str(d.get("name") or "tool")
            t_attrs = common + [attr("gen_ai.operation.name", "execute_tool"), attr("gen_ai.tool.name", name),
                                attr("gen_ai.tool.type", "function")]
            if d.get("call_id"):
                t_attrs.append(attr("gen_ai.tool.call.id", d["call_id"]))
            if d.get("input") is not None:  # the record is redacted: arguments and results are safe to send
                t_attrs.append(attr("gen_ai.tool.call.arguments", json.dumps(d["input"], default=str)[:2000]))
            if d.get("output"):
                t_attrs.append(attr("gen_ai.tool.call.result", str(d["output"])[:2000]))
            if d.get("is_error"):
                t_attrs.append(attr("error.type", "tool_error"))
            out.append(_span(trace_id, sid, parent, f"execute_tool {name}", 1, it.start, it.end, t_attrs,
                             bool(d.get("is_error")), "tool error"))
    return out


# aitrack's provider tag → the conventions' gen_ai.provider.name (their well-known values)
_PROVIDER_NAMES = {m.PROVIDER: m.OTEL_SYSTEM for m in registry.modules() if registry.get(m, "OTEL_SYSTEM")}


def _span(trace_id: str, span_id: str, parent: str, name: str, kind: int, start_ns: int, end_ns: int,
          attrs: list[dict[str, Any]], error: bool = False, message: str = "") -> dict[str, Any]:
    return {"traceId": trace_id, "spanId": span_id, "parentSpanId": parent, "name": name, "kind": kind,
            "startTimeUnixNano": str(start_ns), "endTimeUnixNano": str(max(end_ns, start_ns)), "attributes": attrs,
            "status": {"code": 2, "message": message} if error else {"code": 1}}


def traces_payload(pairs: list[tuple[dict[str, Any], SessionRecord | None]]) -> dict[str, Any]:
    all_spans = [s for run, record in pairs for s in spans(run, record)]
    return {"resourceSpans": [{"resource": RESOURCE, "scopeSpans": [{"scope": SCOPE, "spans": all_spans}]}]}


def metrics_payload(runs: list[dict[str, Any]]) -> dict[str, Any]:
    points: dict[str, list[dict[str, Any]]] = {}
    for run in runs:
        when = _ns(float(run.get("end_time") or run.get("start_time") or time.time()))
        for key, value in (run.get("metrics") or {}).items():
            points.setdefault(key, []).append({"timeUnixNano": when, "asDouble": float(value),
                                               "attributes": session_attrs(run)})
    units = {"duration_seconds": "s", "cost_usd": "USD"}
    metrics = [{"name": f"aitrack.{k}", "unit": units.get(k, "1"),
                "gauge": {"dataPoints": v}} for k, v in sorted(points.items())]
    return {"resourceMetrics": [{"resource": RESOURCE, "scopeMetrics": [{"scope": SCOPE, "metrics": metrics}]}]}


def post(endpoint: str, path: str, payload: dict[str, Any], timeout: float = 15.0) -> None:
    url = endpoint.rstrip("/") + path
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "User-Agent": f"aitrack/{__version__}"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as exc:
        raise AitrackError(f"OTLP collector {url} answered {exc.code}: {exc.read()[:200]!r}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise AitrackError(f"OTLP collector {url} unreachable: {getattr(exc, 'reason', exc)}") from None


def export(runs: list[dict[str, Any]], records: dict[str, SessionRecord | None], endpoint: str) -> tuple[int, int]:
    """POST traces (/v1/traces) and metrics (/v1/metrics) in batches; (spans, data points) sent."""
    if not endpoint.startswith(("http://", "https://")):
        raise AitrackError(f"--endpoint {endpoint!r}: expected an http(s):// OTLP/HTTP URL, e.g. http://127.0.0.1:4318")
    n_spans = n_points = 0
    for i in range(0, len(runs), BATCH):
        batch = runs[i:i + BATCH]
        traces = traces_payload([(r, records.get(str(r.get("session_id")))) for r in batch])
        metrics = metrics_payload(batch)
        post(endpoint, "/v1/traces", traces)
        post(endpoint, "/v1/metrics", metrics)
        n_spans += len(traces["resourceSpans"][0]["scopeSpans"][0]["spans"])
        n_points += sum(len(m["gauge"]["dataPoints"]) for m in metrics["resourceMetrics"][0]["scopeMetrics"][0]["metrics"])
    return n_spans, n_points
