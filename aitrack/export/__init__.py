"""Export runs: flat rows (CSV, JSON lines) and OpenTelemetry (OTLP/HTTP JSON traces and metrics)."""
from __future__ import annotations
