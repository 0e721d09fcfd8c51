# >>> aitrack >>>
# Added by aitrack's install.sh: records AI coding-assistant sessions (aitrack init @SHELL@).
# Remove with `aitrack uninstall` or `./install.sh --uninstall`: this whole block goes.
# The code `aitrack init` printed last is kept in a file and sourced, so a new shell starts no
# process; it runs `aitrack init` again once aitrack, its shell template or its config file is
# newer than that file.
# shellcheck disable=SC3013  # -nt: only bash and zsh read this block
if [ -x @AITRACK_BIN@ ]; then
    case $- in *i*)
        if [ -z "${AITRACK_TOOLS+x}" ] && [ -r @AITRACK_INIT@ ] && [ ! @AITRACK_BIN@ -nt @AITRACK_INIT@ ] &&
            [ ! @AITRACK_TEMPLATE@ -nt @AITRACK_INIT@ ] &&
            [ ! "${AITRACK_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/aitrack/config.toml}" -nt @AITRACK_INIT@ ]; then
            # shellcheck disable=SC1090,SC1091  # written by aitrack init
            . @AITRACK_INIT@
        else
            eval "$(@AITRACK_BIN@ init @SHELL@)"
        fi ;;
    esac
fi
# <<< aitrack <<<
