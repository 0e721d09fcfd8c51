# aitrack shell integration for bash: eval "$(aitrack init bash)". Generated; do not edit.
# Each wrapped tool becomes a function that runs it through `aitrack run`, which records the
# session. `command claude` bypasses it; AITRACK_DISABLE=1 turns it off for one call or a shell.
if [[ $- == *i* ]]; then

__aitrack_bin=@AITRACK_BIN@
__aitrack_tools=@AITRACK_TOOLS@

__aitrack_wrap() {
    \builtin local __aitrack_tool="$1"
    \builtin shift
    # aitrack gone (uninstalled, venv or its Python deleted), disabled, or already inside a
    # session: the plain tool.
    \builtin local __aitrack_py=""
    \builtin read -r __aitrack_py < "$__aitrack_bin" 2>/dev/null
    __aitrack_py=${__aitrack_py#\#!}
    __aitrack_py=${__aitrack_py%% *}
    if [[ -n "${AITRACK_SESSION_ID-}" || "${AITRACK_DISABLE-}" == 1 || ! -x "$__aitrack_bin" ]] ||
        [[ "$__aitrack_py" == /* && ! -x "$__aitrack_py" ]]; then
        \command "$__aitrack_tool" "$@"
        \builtin return
    fi
    \builtin local __aitrack_tty="" __aitrack_rc
    if [[ -t 0 ]]; then
        __aitrack_tty=$(\command stty -g 2>/dev/null)
    fi
    "$__aitrack_bin" run -- "$__aitrack_tool" "$@"
    __aitrack_rc=$?
    # A wrapper killed with SIGKILL cannot restore the terminal mode itself.
    if (( __aitrack_rc > 128 )) && [[ -n "$__aitrack_tty" ]]; then
        \command stty "$__aitrack_tty" 2>/dev/null
    fi
    \builtin return "$__aitrack_rc"
}

for __aitrack_t in $__aitrack_tools; do
    # Claude Code's installer writes `alias claude=…`: an alias would shadow the function.
    \builtin unalias "$__aitrack_t" 2>/dev/null
    \builtin eval "$__aitrack_t() { __aitrack_wrap $__aitrack_t \"\$@\"; }"
done
\builtin unset __aitrack_t

# Alerts raised at ingest (aitrack/alerts.py) wait in a file and are printed once, at a prompt,
# never while a tool runs; `mv` claims them so two shells never both print one. A stat per prompt.
__aitrack_alerts() {
    \builtin local __aitrack_s=$? __aitrack_f
    __aitrack_f="${AITRACK_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/aitrack}/alerts.pending"
    if [[ -s "$__aitrack_f" ]] && \command mv -f "$__aitrack_f" "$__aitrack_f.$$" 2>/dev/null; then
        \command cat "$__aitrack_f.$$" >&2
        \command rm -f "$__aitrack_f.$$"
    fi
    \builtin return "$__aitrack_s"
}
if [[ "${PROMPT_COMMAND[*]-}" != *__aitrack_alerts* ]]; then
    if [[ "$(\builtin declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
        PROMPT_COMMAND+=(__aitrack_alerts)
    else
        # shellcheck disable=SC2128,SC2178  # a string here: the array case is handled above
        PROMPT_COMMAND="__aitrack_alerts${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
    fi
fi

fi
