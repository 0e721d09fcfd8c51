"""Sessions as OpenTelemetry over OTLP/HTTP with JSON encoding (any collector: `otelcol`, Jaeger,
Grafana Alloy…): one trace per session — a root span for the session, a child span per tool
call — and one gauge data point per session for each metric, attributes naming the session.

Stdlib only (urllib): the OTLP JSON mapping is small and stable (ids as hex, times as nanosecond
strings, attributes as typed AnyValue), and the exporter SDK would be a dependency for a loop.
"""
from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any

from aitrack import __version__
from aitrack.errors import AitrackError

BATCH = 100
SCOPE = {"name": "aitrack", "version": __version__}
RESOURCE = {"attributes": [{"key": "service.name", "value": {"stringValue": "aitrack"}}]}


def _id(text: str, size: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[: size * 2]  # stable: re-export = same ids


def _ns(epoch: float) -> str:
    return str(int(epoch * 1e9))


def _epoch(value: Any) -> float | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


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


def spans(run: dict[str, Any], record: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The session's root span and one child per tool call of its record (when the record is known)."""
    key = str(run.get("session_id") or run.get("run_id"))
    trace_id, root_id = _id(key, 16), _id(key + "/root", 8)
    start = float(run.get("start_time") or time.time())
    end = float(run.get("end_time") or start)
    metrics = run.get("metrics") or {}
    failed = metrics.get("success") == 0
    attrs = session_attrs(run)
    attrs += [attr(f"aitrack.param.{k}", v) for k, v in sorted((run.get("params") or {}).items())]
    attrs += [attr(f"aitrack.metric.{k}", float(v)) for k, v in sorted(metrics.items())]
    root = {"traceId": trace_id, "spanId": root_id, "name": str(run.get("run_name") or key), "kind": 1,
            "startTimeUnixNano": _ns(start), "endTimeUnixNano": _ns(max(end, start)), "attributes": attrs,
            "status": {"code": 2, "message": "session failed"} if failed else {"code": 1}}
    out = [root]
    for i, call in enumerate((record or {}).get("tool_calls") or []):
        c_start = _epoch(call.get("started_at")) or start
        c_end = _epoch(call.get("ended_at")) or c_start
        c_attrs = [attr("aitrack.tool.name", call.get("name") or "tool")]
        if call.get("input") is not None:
            c_attrs.append(attr("aitrack.tool.input", json.dumps(call["input"], default=str)[:2000]))
        if call.get("output"):
            c_attrs.append(attr("aitrack.tool.output", str(call["output"])[:2000]))
        if call.get("call_id"):
            c_attrs.append(attr("aitrack.tool.call_id", call["call_id"]))
        out.append({"traceId": trace_id, "spanId": _id(f"{key}/{i}", 8), "parentSpanId": root_id,
                    "name": str(call.get("name") or "tool"), "kind": 1, "startTimeUnixNano": _ns(c_start),
                    "endTimeUnixNano": _ns(max(c_end, c_start)), "attributes": c_attrs,
                    "status": {"code": 2, "message": "tool error"} if call.get("is_error") else {"code": 1}})
    return out


def traces_payload(pairs: list[tuple[dict[str, Any], dict[str, Any] | None]]) -> dict[str, Any]:
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


def export(runs: list[dict[str, Any]], records: dict[str, dict[str, Any] | None], endpoint: str) -> tuple[int, int]:
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
