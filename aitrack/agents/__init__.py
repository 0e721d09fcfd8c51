"""The agents aitrack records: one module per agent CLI, everything aitrack knows about it.

Nothing outside this package names an agent (tests/agents/test_names.py); the parsers and screen
patterns a module points to live in aitrack/parse/ (pure, usable alone). Two ways in:
- `aitrack.agents.registry` imports the modules (lazily, on first use) for everything after the
  session: locate, parse, backfill, doctor, agent hooks, tool versions, cost and exports.
- `aitrack.agents.facts` is a generated, stdlib-only table of the few facts the hot paths need
  (the wrapper, the agent hook, the shell functions): they never import an agent module.
  Regenerate it with `python -m aitrack.agents.generate` after changing a module (a test fails
  while it is stale).

An agent module holds:
  NAME            the command a person types (also its shell function and `<NAME>-with-tracking`)
  PROVIDER        `tags.provider`;  LABEL: its name in prose (the README's agent table)
  TESTED_VERSION  the version tests/e2e/install-clis.sh pins;  INSTALL_HINT: doctor's fix line
  READS           what is read from its log;  NO_TRAILER: "" when its commits carry the trailer, else why not
  log_roots()     where `aitrack import` looks;  wanted(folder, name): which files there are logs
  locate(real_cwd, cwd, window, ids)  the session's own log files: by time window, cwd, the ids on its
                  command line or the agent's own session id;  BY_CWD (default True): keep only the
                  parsed sessions of the session's cwd (one log for every project)
  PARSER          its parser's module in aitrack.parse ("" for none);  LOG_FORMATS: what that parser
                  reads ("records", "document", "text", "sqlite" → the label of its evidence);
                  SNIFF_RANK (50): the order formats are asked (the loosest shape last); SNIFF_DOCUMENT,
                  FORCED_DOCUMENT, SIDE_DOCUMENT, SPLIT: details of its document and records (parse/detect.py)
  SCREEN          its TUI patterns' module in aitrack.parse.terminal.providers;  SCREEN_RANK (500)
optional:
  CHILD_ENV       defaults for the tool's environment under `aitrack run`
  NPM_PACKAGE / PYTHON_DIST  its version from the installed package when the log has none
  WALK_DEPTH      how deep `aitrack import` walks a root;  ARGS_ARE_FILES: its command-line words are files
  SHELL = False   no shell function;  SEED_ONLY: a seed-compatibility command, not an agent
  HOOK, hook_spec()  its own hook system: events, exit watcher, how its shell commands find the session
  doctor()        doctor's line about its commits;  with_screen(session, transcript): what only its
                  screen shows;  live_feeder(evidence, path, budget): its parser fed record by record (live)
  side_file(path) a file beside its log that its parser reads (not a log of its own)
  PRICES / GITAI / AGENT_TRACE / OTEL_SYSTEM  the names genai-prices, git-ai, Agent Trace and
                  OpenTelemetry use for it
"""
