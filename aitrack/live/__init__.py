"""Live sessions (#17): while the agent runs, a detached updater follows its log and keeps the
session folder's `live.json` (what `aitrack status` reads) and a RUNNING MLflow run current.
Started by the wrapper when `AITRACK_LIVE=1` (aitrack/capture/live.py); see worker.py."""
