"""Our hooks against real git: trailers, journal, and every history-rewriting path — each test
both ways the hooks reach git: the session-hooks folder (the default) and installed into the repo."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from .conftest import Repo, Session, other_session

from aitrack.vcs.hooks import install_repo
from aitrack.vcs.sessionhooks import session_hooks_env


@pytest.fixture(params=["session", "installed"])
def hooked(request: pytest.FixtureRequest, repo: Repo, monkeypatch: pytest.MonkeyPatch) -> Repo:
    if request.param == "installed":
        install_repo(repo.root)
    else:  # what the wrapper adds to the session's environment
        for key, value in session_hooks_env(os.environ.get("GIT_CONFIG_PARAMETERS")).items():
            monkeypatch.setenv(key, value)
    return repo


def test_outside_a_session_nothing_happens(hooked: Repo, tmp_path: Path) -> None:
    hooked.commit("plain")
    assert hooked.message() == "plain"
    assert not list(tmp_path.rglob("commits"))


def test_trailer_and_journal_inside_a_session(hooked: Repo, session: Session) -> None:
    hooked.commit("first")  # the initial commit of a repository without commits
    assert hooked.trailers() == [session.id]
    hooked.commit("second")
    rows = session.journal()
    assert [r[0] for r in rows] == ["commit", "commit"]
    assert rows[1][1] == hooked.head()
    assert Path(rows[1][3]) == hooked.root.resolve()
    assert int(rows[1][2]) > 1_700_000_000


def test_amend_same_session_adds_no_duplicate(hooked: Repo, session: Session) -> None:
    hooked.commit("work")
    old = hooked.head()
    hooked.git("commit", "-q", "--amend", "--no-edit")
    assert hooked.trailers() == [session.id]
    assert ["rewrite", f"{old}:{hooked.head()}"] in [r[:2] for r in session.journal()]


def test_amend_from_another_session_appends_its_trailer(hooked: Repo, session: Session, tmp_path: Path) -> None:
    hooked.commit("work")
    second = other_session(tmp_path)
    hooked.git("commit", "-q", "--amend", "--no-edit", env=second.env)
    assert hooked.trailers() == [session.id, second.id]
    assert second.journal()[-1][0] == "rewrite"


def test_no_verify_skips_trailer_but_journal_still_records(hooked: Repo, session: Session) -> None:
    hooked.commit("sneaky", "--no-verify")
    assert hooked.trailers() == []
    assert session.journal()[-1][:2] == ["commit", hooked.head()]


def test_aborted_empty_message_still_aborts(hooked: Repo, session: Session) -> None:
    hooked.commit("base")
    (hooked.root / "x.txt").write_text("x\n")
    hooked.git("add", "x.txt")
    # An editor that leaves only the comment template: git must abort, our trailer must not save it.
    res = hooked.git("commit", env={"GIT_EDITOR": "true"}, check=False)
    assert res.returncode != 0
    assert "empty commit message" in res.stderr
    res = hooked.git("commit", "-m", "", check=False)
    assert res.returncode != 0
    assert hooked.message() != ""
    assert len(session.journal()) == 1


def test_verbose_commit_message_with_scissors(hooked: Repo, session: Session) -> None:
    hooked.commit("base")
    (hooked.root / "y.txt").write_text("y\n")
    hooked.git("add", "y.txt")
    editor = f"{sys.executable} -c \"import sys; p=sys.argv[1]; t=open(p).read(); open(p,'w').write('edited\\n'+t)\""
    hooked.git("commit", "-v", env={"GIT_EDITOR": editor})
    assert hooked.message().splitlines()[0] == "edited"
    assert hooked.trailers() == [session.id]


def test_foreign_hook_runs_first_and_can_refuse(repo: Repo, session: Session) -> None:
    hook = repo.root / ".git" / "hooks" / "commit-msg"
    hook.write_text('#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/foreign.log"\n'
                    'grep -q REJECT "$1" && exit 7\nexit 0\n')
    hook.chmod(0o755)
    install_repo(repo.root)
    assert (hook.parent / "commit-msg.legacy").exists()
    repo.commit("fine")
    assert repo.trailers() == [session.id]
    res = repo.commit("REJECT me", check=False)
    assert res.returncode != 0
    assert (repo.root / ".git" / "foreign.log").read_text().count("ran") == 2
    assert repo.message().startswith("fine")


def test_merge_commit_gets_no_trailer(hooked: Repo, session: Session) -> None:
    hooked.commit("base")
    hooked.git("checkout", "-q", "-b", "side")
    hooked.commit("side work", name="side.txt")
    hooked.git("checkout", "-q", "main")
    hooked.commit("main work", name="main.txt")
    hooked.git("merge", "-q", "--no-ff", "-m", "merge side", "side")
    assert hooked.trailers("HEAD") == []
    assert len(hooked.out("log", "-1", "--format=%P").split()) == 2
    # a conflicting merge concluded by `git commit` is skipped too (MERGE_HEAD is present)
    hooked.git("checkout", "-q", "-b", "c1", "HEAD~1")
    hooked.commit("one", name="c.txt")
    hooked.git("checkout", "-q", "main")
    hooked.commit("two", name="c.txt")
    assert hooked.git("merge", "c1", check=False).returncode != 0
    (hooked.root / "c.txt").write_text("resolved\n")
    hooked.git("add", "c.txt")
    hooked.git("commit", "-q", "--no-edit")
    assert hooked.trailers() == []


def test_cherry_pick_and_revert_keep_the_original_message(hooked: Repo, session: Session, tmp_path: Path) -> None:
    hooked.commit("base")
    hooked.git("checkout", "-q", "-b", "topic")
    outside = {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""}
    hooked.commit("picked", name="p.txt", env=outside)
    sha = hooked.head()
    hooked.git("checkout", "-q", "main")
    hooked.git("cherry-pick", sha)
    assert hooked.trailers() == []
    hooked.git("revert", "--no-edit", "HEAD")
    assert hooked.trailers() == []


def test_interactive_rebase_reword_squash_fixup(hooked: Repo, session: Session) -> None:
    hooked.commit("base")
    for name in ("a", "b", "c", "d"):
        hooked.commit(f"commit {name}", name=f"{name}.txt")
    before = hooked.out("rev-list", "HEAD~4..HEAD").split()
    # pick a, reword b, squash c into b, fixup d into b
    seq = ("sed -i -e '2s/^pick/reword/' -e '3s/^pick/squash/' -e '4s/^pick/fixup/'")
    msg_editor = f"{sys.executable} -c \"import sys; p=sys.argv[1]; t=open(p).read(); open(p,'w').write(t.replace('commit b', 'commit B'))\""
    hooked.git("rebase", "-q", "-i", "HEAD~4", env={"GIT_SEQUENCE_EDITOR": seq, "GIT_EDITOR": msg_editor})
    log = hooked.out("log", "--format=%s", "HEAD~2..HEAD").splitlines()
    assert log == ["commit B", "commit a"]
    # the squashed message keeps each original trailer once per commit message it concatenates
    assert session.id in hooked.trailers()
    rewrites = [r[1] for r in session.journal() if r[0] == "rewrite"]
    olds = {r.split(":")[0] for r in rewrites}
    assert set(before[:3]) <= olds  # d, c, b were rewritten; a was kept as it was
    assert hooked.out("rev-parse", "HEAD~1") == before[3]
    assert {r.split(":")[1] for r in rewrites} >= {hooked.head()}


def test_squash_merge(hooked: Repo, session: Session) -> None:
    hooked.commit("base")
    hooked.git("checkout", "-q", "-b", "feature")
    hooked.commit("f1", name="f1.txt")
    hooked.commit("f2", name="f2.txt")
    hooked.git("checkout", "-q", "main")
    hooked.git("merge", "-q", "--squash", "feature")
    hooked.git("commit", "-q", "-m", "squashed feature")
    assert hooked.trailers() == [session.id]
    assert session.journal()[-1][1] == hooked.head()


def test_detached_head_and_worktree(hooked: Repo, session: Session, tmp_path: Path) -> None:
    hooked.commit("base")
    hooked.git("checkout", "-q", "--detach")
    hooked.commit("detached")
    assert hooked.trailers() == [session.id]
    wt = tmp_path / "second tree"
    hooked.git("worktree", "add", "-q", "-b", "wt", str(wt))
    other = Repo(wt)
    other.commit("from the worktree")
    assert other.trailers() == [session.id]
    assert Path(session.journal()[-1][3]) == wt.resolve()


def test_missing_session_dir_is_harmless(hooked: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AITRACK_SESSION_ID", "x")
    monkeypatch.setenv("AITRACK_SESSION_DIR", str(tmp_path / "gone"))
    hooked.commit("still fine")
    hooked.git("commit", "-q", "--amend", "--no-edit")
    assert hooked.trailers() == ["x"]
    assert not (tmp_path / "gone").exists()


def _rendered(tmp_path: Path) -> list[Path]:
    """Every packaged hook script as the installers write it (hooknames.render)."""
    from aitrack.vcs.hooknames import FORWARD, HOOK_NAMES, render

    out = tmp_path / "rendered"
    out.mkdir(exist_ok=True)
    for name in (*HOOK_NAMES, FORWARD):
        (out / name).write_bytes(render(name))
        (out / name).chmod(0o755)
    return sorted(out.iterdir())


def test_hook_files_are_posix_sh_and_pass_shellcheck(tmp_path: Path) -> None:
    import shutil
    import subprocess

    from aitrack.vcs.hooknames import AGENT_SESSIONS_TEMPLATE

    sc = shutil.which("shellcheck")
    if not sc:
        if os.environ.get("CI"):
            pytest.fail("shellcheck is not installed")
        pytest.skip("shellcheck missing")
    files = _rendered(tmp_path)
    res = subprocess.run([sc, "-s", "sh", *map(str, files)], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout
    for f in files:
        assert "aitrack-managed-hook" in f.read_text() and "@agent-sessions@" not in f.read_text()
    res = subprocess.run([sc, "-s", "sh", AGENT_SESSIONS_TEMPLATE], capture_output=True, text=True)
    assert res.returncode == 0, res.stdout  # the template alone, tokens and all


def test_the_agent_session_lookup_comes_from_the_agent_modules(tmp_path: Path) -> None:
    """Every variable an agent module names for its shell commands is looked at, in each of our
    hooks; the packaged scripts themselves name no agent."""
    from aitrack.agents.facts import HOOK_CHILD_ID, HOOK_CHILD_MARKER
    from aitrack.vcs.hooknames import HOOK_NAMES, RESOURCES

    assert HOOK_CHILD_ID and HOOK_CHILD_MARKER
    for f in _rendered(tmp_path):
        text = f.read_text()
        raw = (Path(RESOURCES) / f.name).read_text()
        for agent, var in HOOK_CHILD_ID.items():
            assert (f'"${{{var}:+{agent}-${var}}}"' in text) == (f.name in HOOK_NAMES), (f.name, var)
            assert var not in raw
        for var in HOOK_CHILD_MARKER.values():
            assert (f'[ -n "${{{var}:-}}" ]' in text) == (f.name in HOOK_NAMES), (f.name, var)
            assert var not in raw


@pytest.mark.parametrize("shell", ["dash", "bash", "zsh"])
def test_commit_msg_hook_under_each_sh(shell: str, repo: Repo, session: Session, tmp_path: Path) -> None:
    """/bin/sh is dash here, bash or zsh-as-sh elsewhere (macOS): the hook must work under each."""
    import shutil
    import subprocess

    exe = shutil.which(shell)
    if not exe:
        pytest.skip(f"{shell} missing")
    hook = next(f for f in _rendered(tmp_path) if f.name == "commit-msg")
    msg = tmp_path / "MSG"
    msg.write_text("subject line\n\n# a comment\n")
    argv = [exe, "--emulate", "sh"] if shell == "zsh" else [exe]
    res = subprocess.run([*argv, str(hook), str(msg)], cwd=repo.root,
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert f"Aitrack-Session: {session.id}" in msg.read_text()
    assert msg.read_text().startswith("subject line\n")


def test_submodule_commit(tmp_path: Path, session: Session) -> None:
    """A submodule's .git is a file: the hook asks git for its git dir and still finds no rebase."""
    from .conftest import make_repo

    outside = {"AITRACK_SESSION_ID": "", "AITRACK_SESSION_DIR": ""}
    inner = make_repo(tmp_path / "inner src")
    inner.commit("i", env=outside)
    outer = make_repo(tmp_path / "outer")
    outer.commit("o", env=outside)
    outer.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(inner.root), "sub", env=outside)
    sub = Repo(outer.root / "sub")
    install_repo(sub.root)
    assert (outer.root / ".git" / "modules" / "sub" / "hooks" / "commit-msg").exists()
    sub.commit("inside the submodule")
    assert sub.trailers() == [session.id]
    assert Path(session.journal()[-1][3]) == sub.root.resolve()


def test_a_session_id_with_a_newline_injects_no_trailer(hooked: Repo, session: Session,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """#20 item 8: AITRACK_SESSION_ID is checked before it goes into the message."""
    monkeypatch.setenv("AITRACK_SESSION_ID", session.id + "\nSigned-off-by: Mallory <m@evil>")
    hooked.commit("fix it")
    assert hooked.message() == "fix it"
    monkeypatch.setenv("AITRACK_SESSION_ID", "x; Reviewed-by: Mallory")
    hooked.commit("fix again")
    assert hooked.message() == "fix again"
