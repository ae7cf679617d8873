"""atheris target: the value parsers and the type sniffer never raise on any bytes.

Run with `make fuzz` (FUZZ_RUNS sets how many inputs; the default is a short smoke run).
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from foialog.extract.sources import sniff_bytes
    from foialog.extract.tables.layout import is_value_like
    from foialog.extract.values.counts import parse_count
    from foialog.extract.values.dates import parse_date
    from foialog.extract.values.places import parse_country, parse_region
    from foialog.extract.values.redaction import find_redaction


def test_one_input(data: bytes) -> None:
    """Feed one fuzzer input to every parser; any exception is a finding."""
    provider = atheris.FuzzedDataProvider(data)
    text = provider.ConsumeUnicodeNoSurrogates(200)
    dayfirst = provider.ConsumeBool()
    parse_count(text, decimal_comma=dayfirst)
    parse_date(text, dayfirst=dayfirst, excel_serial=not dayfirst)
    parse_date(provider.ConsumeFloat(), excel_serial=True)
    parse_country(text)
    parse_region(text, "US")
    find_redaction(text)
    is_value_like(text)
    sniff_bytes(data)


def main() -> None:
    """Start the fuzzer with the command-line arguments."""
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
