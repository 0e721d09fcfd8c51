"""The capture wrapper: `aitrack run TOOL …` records a session through a PTY.

Everything under this package imports only the standard library: it runs before the child does.
"""
