"""`aitrack agents install|uninstall|status [--agent A]`: aitrack's hook in each agent's own config."""
from __future__ import annotations

from aitrack import output
from aitrack.agenthooks import manage

_WORDS = {"installed": "hook installed in", "updated": "hook updated in", "already": "hook already in",
          "removed": "hook removed:", "absent": "no aitrack hook in"}


def install(agent: str | None = None, python: str | None = None) -> int:
    rc = 0
    specs = manage.chosen(agent, only_present=True, by_default=True)
    if not specs:
        known = ", ".join(s.label for s in manage.chosen(None, only_present=False))
        output.out(f"no agent with a hook system found ({known}); nothing to do")
    for spec in specs:
        res = manage.install(spec, python)
        if res.status == "left-alone":
            output.out(output.bad(f"{spec.label}: {res.detail}"))
            rc = 1
        else:
            output.out(output.ok(f"{spec.label}: {_WORDS[res.status]} {res.detail}"))
    return rc


def uninstall(agent: str | None = None) -> int:
    rc = 0
    for spec in manage.chosen(agent, only_present=False):
        res = manage.uninstall(spec)
        if res.status == "left-alone":
            output.out(output.bad(f"{spec.label}: {res.detail}"))
            rc = 1
        elif res.status != "absent" or agent is not None:
            output.out(output.ok(f"{spec.label}: {_WORDS[res.status]} {res.detail}"))
    return rc


def status(agent: str | None = None) -> int:
    rc = 0
    for st in (manage.status(s) for s in manage.chosen(agent, only_present=False)):
        line = f"{st.agent}: {st.state} ({st.detail})"
        if st.state == "installed":
            output.out(output.ok(line))
        elif st.state in ("absent", "opt-in"):
            output.out(f"- {line}")
        else:
            output.out(output.bad(line))
            rc = 1
    return rc
