"""The command line: the only module that imports click.

Each command parses its options and calls a plain function in `aitrack/commands/<name>.py` that
takes plain values and returns an exit code. Imports happen inside the commands so that
`aitrack show` never pays for mlflow. `aitrack run` does not come through here at all (see main.py).
"""
from __future__ import annotations

import sys

import click

from aitrack import __version__
from aitrack.agents import facts
from aitrack.guard import guarded


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="aitrack")
def cli() -> None:
    """Record AI coding-assistant sessions, log them to MLflow, link them to commits."""


@cli.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--provider", help="Provider tag to record (default: from the tool's name).")
@click.argument("tool_and_args", nargs=-1, type=click.UNPROCESSED, required=True)
def run(provider: str | None, tool_and_args: tuple[str, ...]) -> None:
    """Run TOOL [ARGS…] through the recording PTY wrapper."""
    from aitrack.capture.run import main as run_main

    argv = (["--provider", provider] if provider else []) + list(tool_and_args)
    sys.exit(run_main(argv))


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def init(shell: str) -> None:
    """Print the shell integration to eval: eval "$(aitrack init bash)"."""
    from aitrack.commands import init as cmd

    sys.exit(cmd.init(shell))


@cli.command()
@click.option("--provider", help="Force a parser: " + ", ".join((*facts.PROVIDERS, "generic")) + " (or a command: "
                                  + ", ".join(n for n, p in facts.TOOL_PROVIDERS.items() if n != p) + ").")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a summary.")
@click.argument("paths", nargs=-1, required=True)
def parse(provider: str | None, as_json: bool, paths: tuple[str, ...]) -> None:
    """Parse agent session logs or terminal transcripts."""
    from aitrack.commands import parse as cmd

    sys.exit(cmd.parse(list(paths), provider=provider, as_json=as_json))


@cli.command()
@click.argument("rev", default="HEAD")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--transcript", is_flag=True, help="Page the cleaned terminal transcript.")
@click.option("--replay", is_flag=True, help="Play the terminal back.")
@click.option("--speed", type=float, default=1.0, show_default=True, help="Replay speed factor.")
@click.option("--repo", default=".", help="Repository to resolve REV in.")
def show(rev: str, as_json: bool, transcript: bool, replay: bool, speed: float, repo: str) -> None:
    """Which session wrote this commit: what was asked, what ran, what failed."""
    from aitrack.commands import show as cmd

    sys.exit(cmd.show(rev, repo=repo, as_json=as_json, transcript=transcript, replay=replay, speed=speed))


@cli.command()
@click.option("--format", "fmt", default="line", show_default=True,
              help="line, json, or a template: '{agent} {turns} {commands} {errors} {tokens_in} {tokens_out} {cost}'.")
@click.option("--last", is_flag=True, help="Outside a session: the newest session instead of nothing.")
def status(fmt: str, last: bool) -> None:
    """One line about the current session, for a shell prompt or Claude Code's statusLine."""
    from aitrack.commands import status as cmd

    sys.exit(cmd.status(fmt=fmt, last=last))


@cli.group()
def hooks() -> None:
    """Install or remove aitrack's git hooks in repositories (sessions get them without this)."""


@hooks.command("install")
@click.option("--repo", default=None, help="Repository (default: the current one).")
@click.option("--global", "global_", is_flag=True, help="Install into init.templateDir for new clones.")
def hooks_install(repo: str | None, global_: bool) -> None:
    """Install the commit-msg, post-commit and post-rewrite hooks."""
    from aitrack.commands import hooks as cmd

    sys.exit(cmd.install(repo=repo, global_=global_))


@hooks.command("uninstall")
@click.option("--repo", default=None, help="Repository (default: the current one).")
@click.option("--global", "global_", is_flag=True, help="Remove from init.templateDir.")
def hooks_uninstall(repo: str | None, global_: bool) -> None:
    """Remove aitrack's hooks, putting chained hooks back."""
    from aitrack.commands import hooks as cmd

    sys.exit(cmd.uninstall(repo=repo, global_=global_))


@cli.group("agents")
def agents_group() -> None:
    """Register aitrack's hook in the agents' own hook systems (sessions started without the wrapper)."""


@agents_group.command("install")
@click.option("--agent", default=None, help="Only this agent (" + ", ".join(facts.HOOK_START) + ").")
def agents_install(agent: str | None) -> None:
    """Add aitrack's hook to each installed agent's user-wide config (merged with yours)."""
    from aitrack.commands import agents as cmd

    sys.exit(cmd.install(agent))


@agents_group.command("uninstall")
@click.option("--agent", default=None, help="Only this agent.")
def agents_uninstall(agent: str | None) -> None:
    """Take aitrack's hook out again (the file as it was, when you did not edit it since)."""
    from aitrack.commands import agents as cmd

    sys.exit(cmd.uninstall(agent))


@agents_group.command("status")
@click.option("--agent", default=None, help="Only this agent.")
def agents_status(agent: str | None) -> None:
    """Per agent: hook installed, missing or bypassed."""
    from aitrack.commands import agents as cmd

    sys.exit(cmd.status(agent))


@cli.group()
def notes() -> None:
    """Share the git notes that link commits to sessions."""


@notes.command("sync")
@click.option("--remote", default="origin", show_default=True)
@click.option("--repo", default=".", help="Repository (default: the current one).")
@click.option("--no-push", is_flag=True, help="Only fetch and merge the remote's notes.")
def notes_sync(remote: str, repo: str, no_push: bool) -> None:
    """Fetch the remote's notes, merge them with yours (nothing is overwritten), push."""
    from aitrack.commands import notes as cmd

    sys.exit(cmd.sync(repo=repo, remote=remote, push=not no_push))


@cli.command()
@click.option("--repo", default=".", help="Repository to check.")
def doctor(repo: str) -> None:
    """Check shell integration, hooks, store and agent CLIs."""
    from aitrack.commands import doctor as cmd

    sys.exit(cmd.doctor(repo=repo))


@cli.command()
@click.argument("session_ids", nargs=-1)
@click.option("--worker", is_flag=True, help="Drain the spool in the background (used by the wrapper).")
def ingest(session_ids: tuple[str, ...], worker: bool) -> None:
    """Parse, link and log finished sessions (normally run detached)."""
    from aitrack.commands import ingest as cmd

    sys.exit(cmd.ingest(list(session_ids), worker=worker))


@cli.command()
def sync() -> None:
    """Log every pending session now, with progress."""
    from aitrack.commands import ingest as cmd

    sys.exit(cmd.sync())


@cli.command()
@click.option("--filter", "filter_string", default="", help='MLflow search, e.g. tags.provider = "claude_code".')
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", type=int, default=50, show_default=True)
def sessions(filter_string: str, as_json: bool, limit: int) -> None:
    """List recorded sessions."""
    from aitrack.commands import sessions as cmd

    sys.exit(cmd.sessions(filter_string, as_json=as_json, limit=limit))


@cli.command()
@click.argument("action", type=click.Choice(["start", "stop", "status"]), default="start")
@click.option("--port", type=int, default=5000, show_default=True)
@click.option("--background", is_flag=True, help="Return once the UI answers.")
def ui(action: str, port: int, background: bool) -> None:
    """Start the MLflow UI on 127.0.0.1 for aitrack's store."""
    from aitrack.commands import ui as cmd

    sys.exit(cmd.ui(action, port=port, background=background))


@cli.command()
@click.argument("session_id", required=False)
@click.option("--older-than", default=None, help="e.g. 30d, 12h.")
def purge(session_id: str | None, older_than: str | None) -> None:
    """Delete a session's local files and its MLflow run."""
    from aitrack.commands import purge as cmd

    sys.exit(cmd.purge(session_id, older_than=older_than))


@cli.command()
@click.option("--yes", is_flag=True, help="Do not ask.")
def uninstall(yes: bool) -> None:
    """Remove the shell integration and hooks install.sh added."""
    from aitrack.commands import uninstall as cmd

    sys.exit(cmd.uninstall(yes=yes))


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("name")
@click.option("--param", "params", multiple=True, metavar="K=V", help="A param of the run (repeatable).")
@click.option("--artifact", "artifacts", multiple=True, metavar="PATH", help="A file to keep with the run (repeatable).")
@click.argument("command", nargs=-1, type=click.UNPROCESSED, required=True)
def track(name: str, params: tuple[str, ...], artifacts: tuple[str, ...], command: tuple[str, ...]) -> None:
    """Run COMMAND as a tracked procedure NAME: aitrack track NAME [--param k=v]… -- COMMAND…"""
    from aitrack.commands import track as cmd

    sys.exit(cmd.track(name, list(params), list(artifacts), list(command)))


@cli.command("import")
@click.argument("agent", type=click.Choice([*facts.SHELL_TOOLS, "all"]), default="all")
@click.argument("paths", nargs=-1)
@click.option("--no-progress", is_flag=True, help="No progress bar even on a terminal.")
def import_(agent: str, paths: tuple[str, ...], no_progress: bool) -> None:
    """Backfill past sessions from the agents' own logs (idempotent)."""
    from aitrack.commands import import_ as cmd

    sys.exit(cmd.import_sessions(agent, list(paths), progress=not no_progress))


@cli.command()
@click.option("--by", "by", type=click.Choice(["provider", "model", "procedure", "repo", "type"]),
              default="provider", show_default=True)
@click.option("--since", default=None, help="e.g. 30d, 12h, 2w.")
@click.option("--filter", "filter_string", default="", help="MLflow search to narrow the runs.")
def compare(by: str, since: str | None, filter_string: str) -> None:
    """Compare sessions by provider, model, procedure or repo."""
    from aitrack.commands import compare as cmd

    sys.exit(cmd.compare(by, since=since, filter_string=filter_string))


@cli.command()
@click.option("--by", "by", type=click.Choice(["session", "day", "week", "issue", "branch", "commit", "repo", "model",
                                               "provider"]), default="issue", show_default=True)
@click.option("--since", default=None, help="e.g. 30d, 12h, 2w.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output.")
def cost(by: str, since: str | None, as_json: bool, as_csv: bool) -> None:
    """What the sessions cost at API list prices, grouped (from the local records)."""
    from aitrack.commands import cost as cmd

    sys.exit(cmd.cost(by, since=since, as_json=as_json, as_csv=as_csv))


@cli.command()
@click.option("--out", "out", default="aitrack-report.html", show_default=True, help="HTML file to write.")
@click.option("--since", default=None, help="e.g. 90d.")
def report(out: str, since: str | None) -> None:
    """Write one self-contained HTML report with plots (readable offline)."""
    from aitrack.commands import report as cmd

    sys.exit(cmd.report(out, since=since))


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "otlp", "agent-trace", "git-ai"]), required=True)
@click.option("--filter", "filter_string", default="", help="MLflow search, e.g. metrics.success = 0.")
@click.option("--out", "out", default=None, help="File to write (csv/jsonl; default stdout).")
@click.option("--endpoint", default=None, help="OTLP/HTTP collector, e.g. http://127.0.0.1:4318.")
@click.option("--since", default=None, help="e.g. 30d.")
@click.option("--range", "rev_range", default=None, help="Commits to export (agent-trace, git-ai; default HEAD).")
def export(fmt: str, filter_string: str, out: str | None, endpoint: str | None, since: str | None,
           rev_range: str | None) -> None:
    """Export runs as CSV/JSON lines, or as OTLP traces and metrics to a collector; line attribution
    as Agent Trace records or Git AI authorship notes."""
    from aitrack.commands import export as cmd

    sys.exit(cmd.export(fmt, filter_string=filter_string, out=out, endpoint=endpoint, since=since,
                        rev_range=rev_range))


@cli.command()
@click.argument("path")
@click.option("--rev", default=None, help="Blame the file as of this revision.")
@click.option("--json", "as_json", is_flag=True, help="A list of {line, commit, session_id, provider, model, prompt}.")
def blame(path: str, rev: str | None, as_json: bool) -> None:
    """git blame, with the AI session, model and prompt that wrote each line."""
    from aitrack.commands import blame as cmd

    sys.exit(cmd.blame(path, as_json=as_json, rev=rev))


@cli.command()
@click.argument("rev_range", default="HEAD")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def stats(rev_range: str, as_json: bool) -> None:
    """Share of added lines written by AI per commit, author, provider and model (e.g. main..HEAD)."""
    from aitrack.commands import stats as cmd

    sys.exit(cmd.stats(rev_range, as_json=as_json))


@cli.command()
@click.argument("rev_range", default="HEAD")
@click.option("--from-notes", is_flag=True, help="Match lines against other commits' notes (CI after a squash merge).")
def attribute(rev_range: str, from_notes: bool) -> None:
    """Attribute commits made after a session (reviewed, then committed) to the sessions that wrote their lines."""
    from aitrack.commands import attribute as cmd

    sys.exit(cmd.attribute(rev_range, from_notes=from_notes))


def main(argv: list[str] | None = None) -> int:
    """Run the CLI with the one error handler (aitrack/guard.py), click's own errors added."""
    return guarded(lambda: _click_main(argv))


def _click_main(argv: list[str] | None) -> int:
    try:
        cli.main(args=argv, prog_name="aitrack", standalone_mode=False)
    except click.exceptions.Abort:
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return 0
