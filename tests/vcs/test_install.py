"""Installing and removing hooks: chaining, husky/core.hooksPath, templates, config-based hooks."""
from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from .conftest import Repo, Session, make_repo

from aitrack.vcs import git as vgit
from aitrack.vcs import hooks as vh
from aitrack.vcs.hooknames import HOOK_NAMES, MARKER
from aitrack.vcs.sessionhooks import ensure_hooks


def hook_dir(repo: Repo) -> Path:
    return repo.root / ".git" / "hooks"


def test_install_is_idempotent_and_uninstall_restores_foreign_hooks(repo: Repo) -> None:
    foreign = hook_dir(repo) / "post-commit"
    foreign.write_text("#!/bin/sh\necho mine\n")
    foreign.chmod(0o755)
    for _ in range(2):
        report = vh.install_repo(repo.root)
        assert report.status == "installed" and not report.messages
    assert MARKER in foreign.read_text()
    assert (hook_dir(repo) / "post-commit.legacy").read_text() == "#!/bin/sh\necho mine\n"
    assert "refs/notes/aitrack*" in repo.out("config", "--get-all", "notes.rewriteRef")
    vh.uninstall_repo(repo.root)
    assert foreign.read_text() == "#!/bin/sh\necho mine\n"
    assert not (hook_dir(repo) / "post-commit.legacy").exists()
    assert not (hook_dir(repo) / "commit-msg").exists()
    assert repo.git("config", "--get-all", "notes.rewriteRef", check=False).returncode == 1


def test_existing_rewrite_ref_is_kept(repo: Repo) -> None:
    repo.git("config", "notes.rewriteRef", "refs/notes/commits")
    vh.install_repo(repo.root)
    assert repo.out("config", "--get-all", "notes.rewriteRef").split() == ["refs/notes/commits", "refs/notes/aitrack*"]


def test_hook_and_legacy_both_present_is_reported_not_clobbered(repo: Repo) -> None:
    for name in ("commit-msg", "commit-msg.legacy"):
        (hook_dir(repo) / name).write_text(f"#!/bin/sh\n# {name}\n")
    report = vh.install_repo(repo.root)
    assert any("cannot be chained" in m for m in report.messages)
    assert (hook_dir(repo) / "commit-msg").read_text() == "#!/bin/sh\n# commit-msg\n"


def test_husky_style_hooks_path_is_not_written(repo: Repo, session: Session) -> None:
    husky = repo.root / ".husky"
    (husky / "_").mkdir(parents=True)
    # husky 9: `.husky/_/<hook>` sources its runner, which runs the user's `.husky/<hook>`.
    for name in HOOK_NAMES:
        gen = husky / "_" / name
        gen.write_text(f'#!/bin/sh\nh="$(dirname "$(dirname "$0")")/{name}"\n[ -f "$h" ] || exit 0\nsh -e "$h" "$@"\n')
        gen.chmod(0o755)
    repo.git("config", "core.hooksPath", ".husky/_")
    repo.git("add", ".husky")
    before = sorted(p.name for p in husky.rglob("*"))
    report = vh.install_repo(repo.root)
    assert report.status == "bypassed"
    assert sorted(p.name for p in husky.rglob("*")) == before
    assert not (hook_dir(repo) / "commit-msg").exists()
    assert vh.repo_status(repo.root)[0] == "bypassed"
    # Following the printed advice wires us in: the line is the exact text to add.
    for line in report.messages[1:]:
        target, code = line.split(":  ", 1)
        Path(target).write_text(code + "\n")
    repo.commit("through husky")
    assert repo.trailers() == [session.id]
    assert session.journal()[-1][1] == repo.head()
    assert vh.repo_status(repo.root)[0] == "installed"


def test_hooks_path_inside_git_dir_is_used(repo: Repo, session: Session) -> None:
    repo.git("config", "core.hooksPath", str(repo.root / ".git" / "my-hooks"))
    assert vh.install_repo(repo.root).status == "installed"
    repo.commit("x")
    assert repo.trailers() == [session.id]


def test_global_template_dir_reaches_new_repositories(tmp_path: Path, session: Session) -> None:
    report = vh.install_global()
    assert report.status == "installed"
    tdir = Path(vgit.out(["config", "--global", "init.templateDir"]))
    assert (tdir / "hooks" / "commit-msg").exists()
    assert vgit.try_out(["config", "--global", "core.hooksPath"]) is None
    fresh = make_repo(tmp_path / "fresh clone")
    fresh.commit("born tracked")
    assert fresh.trailers() == [session.id]
    vh.uninstall_global()
    assert vgit.try_out(["config", "--global", "init.templateDir"]) is None
    assert not (tdir / "hooks" / "commit-msg").exists()


def test_global_uninstall_removes_a_gitconfig_that_install_created(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user with no global git config: install creates one for init.templateDir; uninstall must
    leave no trace of it. A config the user had stays, whatever else it holds."""
    created = tmp_path / "fresh-home" / ".gitconfig"
    created.parent.mkdir()
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(created))
    vh.install_global()
    assert created.exists()
    vh.uninstall_global()
    assert not created.exists()
    created.write_text("[user]\n\tname = Someone\n")
    vh.install_global()
    vh.uninstall_global()
    assert created.read_text() == "[user]\n\tname = Someone\n"


def test_global_install_keeps_a_users_template_dir(tmp_path: Path) -> None:
    mine = tmp_path / "my template"
    (mine / "hooks").mkdir(parents=True)
    (mine / "hooks" / "post-commit").write_text("#!/bin/sh\necho hi\n")
    vgit.run(["config", "--global", "init.templateDir", str(mine)])
    vh.install_global()
    assert (mine / "hooks" / "post-commit.legacy").exists()
    vh.uninstall_global()
    assert vgit.out(["config", "--global", "init.templateDir"]) == str(mine)
    assert (mine / "hooks" / "post-commit").read_text() == "#!/bin/sh\necho hi\n"


def test_config_based_hooks_follow_the_git_version(repo: Repo) -> None:
    """git >= 2.54 runs `hook.<name>.command`; older gits get files. This machine's git decides."""
    if vgit.version() >= vh.CONFIG_HOOKS_SINCE:
        assert vh.install_repo(repo.root).status == "config"
        assert repo.out("config", "hook.aitrack-commit-msg.event") == "commit-msg"
    else:
        assert vh.install_repo(repo.root).status == "installed"
        assert repo.git("config", "--get-regexp", "^hook\\.", check=False).stdout == ""
    # The config writer itself works on any git (the keys are inert before 2.54).
    vh._install_config("--local", repo.root)
    command = repo.out("config", "hook.aitrack-post-commit.command")
    assert command.endswith("/hooks/post-commit") and Path(command.strip("'")).exists()
    vh._uninstall_config("--local", repo.root)
    assert repo.git("config", "--get-regexp", "^hook\\.", check=False).stdout == ""


def test_ensure_hooks_installs_once_and_honours_opt_out(repo: Repo, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AITRACK_HOOKS_AUTO", "0")
    ensure_hooks(repo.root)
    assert not (hook_dir(repo) / "commit-msg").exists()
    monkeypatch.delenv("AITRACK_HOOKS_AUTO")
    config = tmp_path / "config.toml"
    config.write_text("[hooks]\nauto_install = false\n")
    monkeypatch.setenv("AITRACK_CONFIG", str(config))
    from aitrack import config as cfg

    cfg.load.cache_clear()
    ensure_hooks(repo.root)
    assert not (hook_dir(repo) / "commit-msg").exists()
    config.write_text("[hooks]\nauto_install = true\n")
    cfg.load.cache_clear()
    ensure_hooks(repo.root)
    assert all(MARKER in (hook_dir(repo) / n).read_text() for n in HOOK_NAMES)
    cfg.load.cache_clear()


def test_ensure_hooks_never_raises(tmp_path: Path) -> None:
    ensure_hooks(tmp_path / "nowhere")
    ensure_hooks(tmp_path)
    (tmp_path / ".git").write_text("garbage")
    ensure_hooks(tmp_path)


def test_ensure_hooks_leaves_husky_alone(repo: Repo) -> None:
    (repo.root / ".githooks").mkdir()
    repo.git("config", "core.hooksPath", ".githooks")
    ensure_hooks(repo.root)
    assert list((repo.root / ".githooks").iterdir()) == []
    assert not (hook_dir(repo) / "commit-msg").exists()


def test_cli_install_and_uninstall(repo: Repo) -> None:
    from aitrack.cli import main

    assert main(["hooks", "install", "--repo", str(repo.root)]) == 0
    assert vh.repo_status(repo.root)[0] == "installed"
    assert main(["hooks", "uninstall", "--repo", str(repo.root)]) == 0
    assert vh.repo_status(repo.root)[0] == "missing"
    assert main(["hooks", "install", "--repo", str(repo.root.parent)]) == 1  # not a repository


def test_worktree_shares_the_common_hooks(repo: Repo, tmp_path: Path) -> None:
    repo.commit("base")
    wt = tmp_path / "wt"
    repo.git("worktree", "add", "-q", str(wt))
    vh.install_repo(wt)
    assert (hook_dir(repo) / "commit-msg").exists()
    assert subprocess.run(["git", "-C", str(wt), "rev-parse", "--git-path", "hooks"],
                          capture_output=True, text=True).stdout.strip().endswith(".git/hooks")


def test_ensure_hooks_sees_config_based_hooks(repo: Repo) -> None:
    """Once `hook.aitrack-*` is configured (git >= 2.54), ensure_hooks writes no hook files."""
    vh._install_config("--local", repo.root)
    ensure_hooks(repo.root)
    assert not (hook_dir(repo) / "commit-msg").exists()
    vh._uninstall_config("--local", repo.root)
    ensure_hooks(repo.root)
    assert (hook_dir(repo) / "commit-msg").exists() or vh.config_hooks_supported()


def test_cli_global(capsys: pytest.CaptureFixture[str]) -> None:
    from aitrack.cli import main

    assert main(["hooks", "install", "--global"]) == 0
    assert "hooks installed in" in capsys.readouterr().out or vh.config_hooks_supported()
    assert vgit.try_out(["config", "--global", "core.hooksPath"]) is None
    assert main(["hooks", "uninstall", "--global"]) == 0
    assert vgit.try_out(["config", "--global", "init.templateDir"]) is None
