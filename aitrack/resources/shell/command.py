#!@PYTHON@ -S
# aitrack-command: written by install.sh (aitrack/shell/commandfile.py); `aitrack uninstall` removes it.
# Python starts without `site` (-S), a few ms of every start, and this file puts aitrack's folder on
# sys.path where site would have: `aitrack run`, the wrapped tools, `show`, `status`, `blame` and
# `init` need nothing else. Any other command loads site first (aitrack.main.load_site), and so
# does a module found only with it.
import sys

sys.path.append("@PACKAGE_DIR@")
entry = __import__("@MODULE@", fromlist=["@FUNCTION@"])
sys.exit(getattr(entry, "@FUNCTION@")())
