"""Shell integration: the code `aitrack init SHELL` prints and the rc-file blocks install.sh adds."""
