# aitrack's git hooks (commit-msg, post-commit, post-rewrite) find a session an agent's own hook
# recorded (aitrack/agenthooks) with this block, which aitrack/vcs/hooknames.py writes into them in
# place of their `# @agent-sessions@` line, the tokens filled from the agent modules' HOOK facts:
#   @MARKED@  a test that is true in an agent's shell command: one of the variables by which its
#             session id reaches it (HOOK child_id) or that mark it (HOOK pid_indexed) is set
#   @KEYS@    the index keys those ids name (`<agent>-<id>`), one word each, empty where unset
# Through the index beside the session-hooks folder: by the agent's session id, else by the agent's
# process among our ancestors (an agent whose shell commands get no id). Outside such a session
# nothing here matches; a copy installed into a repository finds no index and does nothing.
if [ -z "${AITRACK_SESSION_ID:-}" ] && { @MARKED@; }; then
    __aitrack_idx=${0%/*}/../agent-sessions
    # shellcheck disable=SC2043 # @KEYS@ is one word here, several once filled in
    for __aitrack_key in @KEYS@; do
        case $__aitrack_key in
            ''|*[!A-Za-z0-9._-]*) ;;
            *) if [ -f "$__aitrack_idx/$__aitrack_key" ]; then
                   IFS= read -r AITRACK_SESSION_ID 2>/dev/null < "$__aitrack_idx/$__aitrack_key"
                   break
               fi ;;
        esac
    done
    __aitrack_pid=$PPID
    __aitrack_up=0
    while [ -z "${AITRACK_SESSION_ID:-}" ] && [ "$__aitrack_up" -lt 12 ] && [ "${__aitrack_pid:-1}" -gt 1 ] 2>/dev/null; do
        if [ -f "$__aitrack_idx/pid-$__aitrack_pid" ]; then
            IFS= read -r AITRACK_SESSION_ID 2>/dev/null < "$__aitrack_idx/pid-$__aitrack_pid"
            break
        fi
        IFS= read -r __aitrack_stat 2>/dev/null < "/proc/$__aitrack_pid/stat" || break
        __aitrack_stat=${__aitrack_stat##*) }  # after "pid (command) ": state, then the parent's pid
        __aitrack_pid=${__aitrack_stat#* }
        __aitrack_pid=${__aitrack_pid%% *}
        __aitrack_up=$((__aitrack_up + 1))
    done
    if [ -n "${AITRACK_SESSION_ID:-}" ]; then
        AITRACK_SESSION_DIR=${0%/*}/../sessions/$AITRACK_SESSION_ID
        # An index a finished session left behind (its pid reused since) names no session of ours.
        grep -q '"ended_at": null' "$AITRACK_SESSION_DIR/meta.json" 2>/dev/null || AITRACK_SESSION_ID=
    fi
fi
