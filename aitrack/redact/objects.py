"""Redaction of JSON-like values: dicts, lists, tuples, strings; other scalars pass through."""
from __future__ import annotations

from collections import Counter
from typing import Any

from aitrack.redact import assign
from aitrack.redact.engine import Redactor, marker


def redact_obj_with(redactor: Redactor, obj: Any, findings: Counter[str] | None = None) -> Any:
    if isinstance(obj, str):
        return redactor.redact_text(obj, findings)
    if isinstance(obj, dict):
        out: dict[Any, Any] = {}
        for key, value in obj.items():
            new_key = redactor.redact_text(key, findings) if isinstance(key, str) else key
            out[new_key] = _value(redactor, key, value, findings)
        return out
    if isinstance(obj, (list, tuple)):
        items = [redact_obj_with(redactor, v, findings) for v in obj]
        return items if isinstance(obj, list) else tuple(items)
    return obj


def _value(redactor: Redactor, key: Any, value: Any, findings: Counter[str] | None) -> Any:
    # The key is the context a bare value lacks: {"DB_PASSWORD": "hunter2"} is `DB_PASSWORD="hunter2"`.
    if isinstance(key, str) and isinstance(value, str) and "\n" not in value:
        rule = assign.classify(key.lstrip("-."))
        env_style = assign.is_env_key(key)
        if rule is not None and not redactor.allowed(value) and not redactor.find(value):
            if assign.value_ok(rule, value, env_style=env_style, quoted=True):
                if findings is not None:
                    findings[rule] += 1
                return marker(rule)
    return redact_obj_with(redactor, value, findings)
