"""The workflows of one-time links: one module each (tokens: the links themselves)."""
