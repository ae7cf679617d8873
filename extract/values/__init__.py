"""Parsers for single cell values: counts, dates and redaction markers; raw text is always kept."""
