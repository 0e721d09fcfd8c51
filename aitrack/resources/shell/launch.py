#!@PYTHON@ -S
# aitrack-shim: the shell integration's launcher (written by `aitrack init` and install.sh).
# The shell functions run the wrapped tool through this file, with the tool's name in
# __AITRACK_TOOL. When aitrack cannot be imported (package removed, base Python upgraded under
# the venv) the plain tool runs instead of a traceback: a broken aitrack never stops the tool.
# Without `site` (-S: a few ms of every start); aitrack's folder is put where site would put it.
import os
import sys

sys.path.append("@PACKAGE_DIR@")

tool = os.environ.pop("__AITRACK_TOOL", "")
try:
    from aitrack.main import main
except Exception:
    if not tool:
        sys.stderr.write("aitrack: broken install and no tool to run\n")
        sys.exit(127)
    for entry in os.environ.get("PATH", os.defpath).split(os.pathsep):
        path = os.path.join(entry or ".", tool)
        name = os.path.basename(os.path.realpath(path))
        # aitrack's own entry points are as broken as this install: skip them.
        if os.path.isfile(path) and os.access(path, os.X_OK) and name != "aitrack" \
                and not name.endswith("-with-tracking"):
            os.execv(path, [tool, *sys.argv[1:]])
    sys.stderr.write(f"aitrack: {tool}: command not found\n")
    sys.exit(127)
sys.argv[1:] = ["run", "--", tool, *sys.argv[1:]] if tool else sys.argv[1:]
sys.exit(main())
