"""The agents' own hook systems: `aitrack agents install|uninstall|status` and the hook they run."""
