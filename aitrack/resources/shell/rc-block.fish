# >>> aitrack >>>
# Added by aitrack's install.sh: records AI coding-assistant sessions (aitrack init fish).
# Remove with `aitrack uninstall` or `./install.sh --uninstall`: this whole file goes.
if status is-interactive; and test -x @AITRACK_BIN@
    @AITRACK_BIN@ init fish | source
end
# <<< aitrack <<<
