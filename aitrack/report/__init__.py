"""Compare and report: runs from the store → a terminal table (`aitrack compare`) or one
self-contained HTML file with inline SVG plots (`aitrack report`). Pure apart from `data.load_runs`."""
from __future__ import annotations
