"""Readers: one module per input format; each gives Blocks (tables and text)."""
