"""The ingest pipeline: a finished session folder → parse → redact → link → session.json (local
stage, no mlflow) → one MLflow run → run.json. `worker` drains the spool one process at a time."""
