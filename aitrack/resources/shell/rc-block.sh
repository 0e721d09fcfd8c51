# >>> aitrack >>>
# Added by aitrack's install.sh: records AI coding-assistant sessions (aitrack init @SHELL@).
# Remove with `aitrack uninstall` or `./install.sh --uninstall`: this whole block goes.
if [ -x @AITRACK_BIN@ ]; then
    case $- in *i*) eval "$(@AITRACK_BIN@ init @SHELL@)" ;; esac
fi
# <<< aitrack <<<
