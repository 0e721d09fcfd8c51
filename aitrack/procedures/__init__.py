"""Procedures: any command or block of Python tracked like an AI session (`type=procedure`).

A procedure is a session whose tool is any command: it gets a session folder (capture), its
output recorded, commits linked by the same hooks, and one MLflow run at ingest. What makes it a
procedure lives in two extra files of the folder (see `files`): `procedure.json` (name, params,
artifacts) and `metrics.jsonl` (metrics logged live from inside, shipped at ingest with steps).

Named `procedures` (plural) so that `aitrack.procedure(...)`, the Python API, is never shadowed
by a submodule of the same name.
"""
from __future__ import annotations
