"""Text: decoding, prose sentences and event logs into records."""
