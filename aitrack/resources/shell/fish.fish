# aitrack shell integration for fish: aitrack init fish | source. Generated; do not edit.
# Each wrapped tool becomes a function that runs it through `aitrack run`, which records the
# session. `command claude` bypasses it; AITRACK_DISABLE=1 turns it off for one call or a shell.
if status is-interactive

set -g __aitrack_bin @AITRACK_BIN@
set -g __aitrack_launch @AITRACK_LAUNCH@
set -g __aitrack_tools @AITRACK_TOOLS@

function __aitrack_wrap
    set -l __aitrack_tool $argv[1]
    set -e argv[1]
    # The launcher (resources/shell/launch.py) runs the plain tool when aitrack cannot be
    # imported; without it, aitrack's own command.
    set -l __aitrack_run $__aitrack_launch
    if not test -x "$__aitrack_run"
        set __aitrack_run $__aitrack_bin
    end
    # aitrack gone (uninstalled, venv or its Python deleted), disabled, or already inside a
    # session: the plain tool.
    set -l __aitrack_broken 0
    for __aitrack_f in $__aitrack_bin $__aitrack_launch
        if test -r "$__aitrack_f"; and read -l __aitrack_line < "$__aitrack_f"
            set -l __aitrack_py (string replace -r '^#!(/\S*).*' '$1' -- $__aitrack_line)
            if string match -q '/*' -- "$__aitrack_py"; and not test -x "$__aitrack_py"
                set __aitrack_broken 1
            end
        end
    end
    # fish chains and/or left to right: keep this one a plain list of `or`s.
    if set -q AITRACK_SESSION_ID; or test "$AITRACK_DISABLE" = 1; or not test -x "$__aitrack_bin"; or test $__aitrack_broken = 1
        command $__aitrack_tool $argv
        return $status
    end
    set -l __aitrack_tty
    if isatty stdin
        set __aitrack_tty (command stty -g 2>/dev/null)
    end
    if test "$__aitrack_run" = "$__aitrack_launch"
        __AITRACK_TOOL=$__aitrack_tool $__aitrack_run $argv
    else
        $__aitrack_bin run -- $__aitrack_tool $argv
    end
    set -l __aitrack_rc $status
    # A wrapper killed with SIGKILL cannot restore the terminal mode itself.
    if test $__aitrack_rc -gt 128; and test -n "$__aitrack_tty"
        command stty $__aitrack_tty 2>/dev/null
    end
    return $__aitrack_rc
end

function __aitrack_define
    for __aitrack_t in $__aitrack_tools
        # An alias is a function in fish: defining ours replaces it.
        functions --erase $__aitrack_t
        function $__aitrack_t --inherit-variable __aitrack_t
            __aitrack_wrap $__aitrack_t $argv
        end
    end
end
__aitrack_define

# conf.d files run before config.fish, where an installer may have written `alias claude …`:
# define the functions once more at the first prompt, after every startup file.
function __aitrack_define_once --on-event fish_prompt
    functions --erase __aitrack_define_once
    __aitrack_define
end

# Alerts raised at ingest (aitrack/alerts.py) wait in a file and are printed once, at a prompt,
# never while a tool runs; `mv` claims them so two shells never both print one.
function __aitrack_alerts --on-event fish_prompt
    set -l __aitrack_d $HOME/.local/share/aitrack
    if set -q XDG_DATA_HOME; and test -n "$XDG_DATA_HOME"
        set __aitrack_d $XDG_DATA_HOME/aitrack
    end
    if set -q AITRACK_HOME; and test -n "$AITRACK_HOME"
        set __aitrack_d $AITRACK_HOME
    end
    set -l __aitrack_f $__aitrack_d/alerts.pending
    if test -s $__aitrack_f; and command mv -f $__aitrack_f $__aitrack_f.$fish_pid 2>/dev/null
        command cat $__aitrack_f.$fish_pid >&2
        command rm -f $__aitrack_f.$fish_pid
    end
end

end
