"""Amounts of money ("$1,250.00", "1.250,00 €", "GH¢ 30,000.00"), read as whole units.

A table whose only measure is money (contract awards, donations, lobbying spending) gives
its amount as the record's count. price-parser reads the number and the currency in any of
the usual conventions; this module only decides what is money and rounds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from price_parser import Price

from foialog.extract.blocks import CellValue
from foialog.extract.values.counts import ParsedCount

_EMPTY = ParsedCount(None, "")
_CURRENCY = re.compile(
    r"(?:\b[a-z]{1,3})?[$€£¥₹¢₵₦]|\b(?:usd|eur|gbp|chf|cad|aud|ghs|ngn|kes|zar|inr)\b", re.I
)
#: What is left of an amount once its currency is taken out: a number and nothing else.
_BARE_NUMBER = re.compile(r"[-+]?\s*\d[\d.,'’ \u00a0]*")
#: Exactly two decimals at the end: "37,499.96", "1.250,00".
_CENTS = re.compile(r"\d[.,]\d\d\s*$")
#: Longest cell read as an amount; longer text is a sentence that may mention one.
_MAX_AMOUNT_TEXT = 40


def parse_amount(raw: CellValue, *, decimal_comma: bool = False) -> ParsedCount:
    """The amount a cell holds, rounded to whole units ("approx" when it had cents)."""
    if isinstance(raw, bool) or raw is None:
        return _EMPTY
    if isinstance(raw, int | float | Decimal):
        return _rounded(Decimal(str(raw)))
    if not isinstance(raw, str):
        return _EMPTY
    return _parse_text(raw, decimal_comma)


@lru_cache(maxsize=1 << 14)
def _parse_text(raw: str, decimal_comma: bool) -> ParsedCount:
    text = raw.strip()
    if len(text) > _MAX_AMOUNT_TEXT or not _BARE_NUMBER.fullmatch(_CURRENCY.sub("", text).strip()):
        return _EMPTY
    price = Price.fromstring(text, decimal_separator="," if decimal_comma else None)
    if price.amount is None or price.amount < 0:
        return _EMPTY
    return _rounded(price.amount)


def _rounded(amount: Decimal) -> ParsedCount:
    whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ParsedCount(whole, "exact" if amount == whole else "approx")


def is_money_text(raw: CellValue) -> bool:
    """True for a cell written as money: a currency sign or code, or a number with cents."""
    if not isinstance(raw, str):
        return False
    text = raw.strip()
    if parse_amount(text).value is None:
        return False
    return bool(_CURRENCY.search(text) or _CENTS.search(text))


def money_share(values: Sequence[CellValue]) -> tuple[float, float]:
    """Of a column's filled values: the share that are amounts, and the share written as money."""
    filled = [v for v in values if v is not None and (not isinstance(v, str) or v.strip())]
    if not filled:
        return 0.0, 0.0
    amounts = sum(parse_amount(v).value is not None for v in filled)
    written = sum(is_money_text(v) for v in filled)
    return amounts / len(filled), written / len(filled)
