# aitrack shell integration for bash: eval "$(aitrack init bash)". Generated; do not edit.
# Each wrapped tool becomes a function that runs it through `aitrack run`, which records the
# session. `command claude` bypasses it; AITRACK_DISABLE=1 turns it off for one call or a shell.
if [[ $- == *i* ]]; then

__aitrack_bin=@AITRACK_BIN@
__aitrack_launch=@AITRACK_LAUNCH@
__aitrack_tools=@AITRACK_TOOLS@

__aitrack_wrap() {
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
    \builtin local __aitrack_tty="" __aitrack_rc __aitrack_args=""
    if [[ -t 0 ]]; then
        __aitrack_tty=$(\command stty -g 2>/dev/null)
    fi
    if [[ "$__aitrack_run" == "$__aitrack_launch" ]] && \builtin hash -p "$__aitrack_run" "$__aitrack_tool" 2>/dev/null; then
        # Ctrl-Z makes bash print the stopped command's own text as the job's name: run the
        # launcher under the tool's name (our function set aside for that one command, the name
        # hashed to the launcher) so the job reads `claude --resume`, not this function's code.
        (( $# )) && \builtin printf -v __aitrack_args ' %q' "$@"  # -v: no subshell
        \builtin unset -f "$__aitrack_tool"
        __AITRACK_TOOL="$__aitrack_tool" \builtin eval "$__aitrack_tool$__aitrack_args"
        __aitrack_rc=$?
        \builtin hash -d "$__aitrack_tool" 2>/dev/null
        __aitrack_define
    elif [[ "$__aitrack_run" == "$__aitrack_launch" ]]; then
        __AITRACK_TOOL="$__aitrack_tool" "$__aitrack_run" "$@"
        __aitrack_rc=$?
    else
        "$__aitrack_bin" run -- "$__aitrack_tool" "$@"
        __aitrack_rc=$?
    fi
    # A wrapper killed with SIGKILL cannot restore the terminal mode itself.
    if (( __aitrack_rc > 128 )) && [[ -n "$__aitrack_tty" ]]; then
        \command stty "$__aitrack_tty" 2>/dev/null
    fi
    \builtin return "$__aitrack_rc"
}

# Defines the functions (`all`: replacing any of the same name); also run at each prompt for
# the missing ones, in case a ^C cut __aitrack_wrap short while it had set one aside. Builtins only.
__aitrack_define() {
    \builtin local __aitrack_t
    for __aitrack_t in $__aitrack_tools; do
        [[ "${1-}" != all ]] && \builtin declare -F "$__aitrack_t" >/dev/null && \builtin continue
        # Claude Code's installer writes `alias claude=…`: an alias would shadow the function.
        \builtin unalias "$__aitrack_t" 2>/dev/null
        \builtin eval "$__aitrack_t() { __aitrack_wrap $__aitrack_t \"\$@\"; }"
    done
}
__aitrack_define all

# Alerts raised at ingest (aitrack/alerts.py) wait in a file and are printed once, at a prompt,
# never while a tool runs; `mv` claims them so two shells never both print one. A stat per prompt.
__aitrack_alerts() {
    \builtin local __aitrack_s=$? __aitrack_f
    __aitrack_define
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
