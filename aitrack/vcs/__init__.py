"""Everything that runs git: hooks, trailers, notes, linking commits to sessions."""
