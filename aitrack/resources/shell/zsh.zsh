# aitrack shell integration for zsh: eval "$(aitrack init zsh)". Generated; do not edit.
# Each wrapped tool becomes a function that runs it through `aitrack run`, which records the
# session. `command claude` bypasses it; AITRACK_DISABLE=1 turns it off for one call or a shell.
if [[ -o interactive ]]; then

typeset -g __aitrack_bin=@AITRACK_BIN@
typeset -g __aitrack_launch=@AITRACK_LAUNCH@
typeset -g __aitrack_tools=@AITRACK_TOOLS@

__aitrack_wrap() {
    \builtin emulate -L zsh
    \builtin local __aitrack_tool="$1"
    \builtin shift
    # The launcher (resources/shell/launch.py) runs the plain tool when aitrack cannot be
    # imported; without it, aitrack's own command.
    \builtin local __aitrack_run="$__aitrack_launch"
    [[ -x "$__aitrack_run" ]] || __aitrack_run="$__aitrack_bin"
    # aitrack gone (uninstalled, venv or its Python deleted), disabled, or already inside a
    # session: the plain tool.
    \builtin local __aitrack_py="" __aitrack_f __aitrack_gone=""
    for __aitrack_f in "$__aitrack_bin" "$__aitrack_launch"; do
        __aitrack_py=""
        \builtin read -r __aitrack_py < "$__aitrack_f" 2>/dev/null
        __aitrack_py=${__aitrack_py#\#!}
        __aitrack_py=${__aitrack_py%% *}
        [[ "$__aitrack_py" == /* && ! -x "$__aitrack_py" ]] && __aitrack_gone=1
    done
    if [[ -n "${AITRACK_SESSION_ID-}" || "${AITRACK_DISABLE-}" == 1 || ! -x "$__aitrack_bin" || -n "$__aitrack_gone" ]]; then
        \command "$__aitrack_tool" "$@"
        \builtin return
    fi
    \builtin local __aitrack_tty="" __aitrack_rc
    if [[ -t 0 ]]; then
        __aitrack_tty=$(\command stty -g 2>/dev/null)
    fi
    if [[ "$__aitrack_run" == "$__aitrack_launch" ]]; then
        __AITRACK_TOOL="$__aitrack_tool" "$__aitrack_run" "$@"
    else
        "$__aitrack_bin" run -- "$__aitrack_tool" "$@"
    fi
    __aitrack_rc=$?
    # A wrapper killed with SIGKILL cannot restore the terminal mode itself.
    if (( __aitrack_rc > 128 )) && [[ -n "$__aitrack_tty" ]]; then
        \command stty "$__aitrack_tty" 2>/dev/null
    fi
    \builtin return "$__aitrack_rc"
}

() {
    \builtin emulate -L zsh
    \builtin local t
    for t in ${=__aitrack_tools}; do
        # Claude Code's installer writes `alias claude=…`: an alias would shadow the function.
        \builtin unalias "$t" 2>/dev/null
        \builtin eval "$t() { __aitrack_wrap $t \"\$@\"; }"
    done
}

# Alerts raised at ingest (aitrack/alerts.py) wait in a file and are printed once, at a prompt,
# never while a tool runs; `mv` claims them so two shells never both print one. A stat per prompt.
__aitrack_alerts() {
    \builtin local __aitrack_f="${AITRACK_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/aitrack}/alerts.pending"
    if [[ -s "$__aitrack_f" ]] && \command mv -f "$__aitrack_f" "$__aitrack_f.$$" 2>/dev/null; then
        \command cat "$__aitrack_f.$$" >&2
        \command rm -f "$__aitrack_f.$$"
    fi
}
\builtin autoload -Uz add-zsh-hook
add-zsh-hook precmd __aitrack_alerts

fi
