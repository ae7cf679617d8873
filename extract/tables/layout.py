"""Where a table's header, title rows, data rows, repeated headers and totals rows are."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from price_parser import Price

from foialog.extract.blocks import CellValue, Table, is_blank, raw_text
from foialog.extract.values.counts import parse_count
from foialog.extract.values.dates import parse_date
from foialog.extract.values.money import is_money_text
from foialog.extract.values.redaction import find_redaction

#: Words that make up column headers (not agency names): a cell mostly made of them is a header.
HEADER_WORDS = frozenset(
    [
        "agency",
        "agencies",
        "organization",
        "organisation",
        "organizations",
        "org",
        "name",
        "names",
        "client",
        "clients",
        "customer",
        "customers",
        "entity",
        "user",
        "users",
        "username",
        "email",
        "e-mail",
        "mail",
        "contact",
        "account",
        "type",
        "status",
        "plan",
        "tier",
        "license",
        "licence",
        "trial",
        "paid",
        "number",
        "no",
        "num",
        "nr",
        "count",
        "counts",
        "total",
        "totals",
        "search",
        "searches",
        "queries",
        "query",
        "hits",
        "hit",
        "detections",
        "detection",
        "requests",
        "request",
        "scans",
        "scan",
        "lookups",
        "matches",
        "alerts",
        "reads",
        "uploads",
        "logins",
        "checks",
        "date",
        "dates",
        "time",
        "datetime",
        "timestamp",
        "day",
        "month",
        "year",
        "period",
        "from",
        "to",
        "start",
        "started",
        "end",
        "ended",
        "first",
        "last",
        "access",
        "accessed",
        "created",
        "submitted",
        "received",
        "closed",
        "since",
        "country",
        "nation",
        "land",
        "state",
        "region",
        "province",
        "city",
        "location",
        "place",
        "reason",
        "purpose",
        "case",
        "id",
        "code",
        "of",
        "the",
        "in",
        "during",
        "per",
        "amount",
        "value",
        "description",
        "notes",
        "comment",
        "remarks",
        "category",
        "system",
        "camera",
        "ori",
        "jurisdiction",
        "sharing",
        "shared",
        "with",
        "report",
        "of",
        "suchanfragen",
        "anzahl",
        "datum",
        "behörde",
        "pays",
        "país",
        "fecha",
        "nombre",
        "organismo",
        "#",
        "login",
        "logged",
    ]
)
#: Header vocabulary in French, German, Spanish, Dutch, Italian and Portuguese (accents off).
_FOREIGN_HEADER_WORDS = frozenset(
    [
        *("numero", "nombre", "nom", "naam", "nome", "nummer", "anzahl", "aantal", "cantidad"),
        *("organismo", "organisme", "orgao", "ente", "instantie", "behorde", "dienst"),
        *("organisation", "organisatie", "organizzazione", "organizacion", "organizacao"),
        *("client", "cliente", "clientes", "kunde", "klant", "compte", "cuenta", "konto"),
        *("conta", "utilisateurs", "nutzer", "usuarios", "gebruikers", "utenti"),
        *("utilizadores", "licences", "licencias", "lizenzen", "licenties", "licenze"),
        *("licencas", "statut", "estado", "situacion", "situazione", "situacao"),
        *("actif", "activo", "attivo", "ativo", "aktiv", "actief", "date", "data", "fecha"),
        *("datum", "periode", "periodo", "zeitraum", "pays", "pais", "paese", "land"),
        *("region", "regione", "regiao", "provincia", "etat", "bundesland", "valor"),
        *("valeur", "wert", "montant", "importe", "importo", "bedrag", "frais", "kosten"),
        *("de", "do", "da", "des", "du", "la", "le", "el", "van", "der", "di", "del", "dos"),
        *("demandes", "anfragen", "solicitudes", "richieste", "verzoeken", "pedidos"),
        *("recherches", "busquedas", "zoekopdrachten", "ricerche", "pesquisas"),
        *("requetes", "consultas", "abfragen", "bevragingen", "interrogazioni"),
        *("effectuees", "realizadas", "durchgefuhrt", "uitgevoerde", "eseguite"),
        *("total", "totale", "totaal", "gesamt", "ultima", "derniere", "letzte", "laatste"),
        *("n", "no", "nr", "id", "code", "codigo", "codice", "kennung", "identifiant"),
    ]
)
# A sum of money as exports print it: "2.387,50 EUR", "$1,250.00", "€ 300".
_MONEY_VALUE = re.compile(
    r"(?:[$€£¥]|eur|usd|gbp|chf)?\s?-?\d[\d.,' \u00a0]*(?:\s?(?:[$€£¥]|eur|usd|gbp|chf))?",
    re.IGNORECASE,
)
# The whole label cell: "Total", "Grand total:", "Totals (all agencies)"; not "Total reads stats".
_TOTAL_RE = re.compile(
    r"(grand\s+|sub-?|overall\s+)?(totals?|totale|totaal|eindtotaal|sum|suma|summe|somme|"
    r"gesamt(summe)?|endsumme|"
    r"insgesamt|summary|all\s+agencies)(\s+(general|geral|g[ée]n[ée]ral|generale|generaal))?"
    r"\s*:?(\s*\([^)]*\))?",
    re.IGNORECASE,
)
# A subtotal names its group after the word: "Subtotal Texas", "Subtotale NL", "Total for OR".
_SUBTOTAL_RE = re.compile(
    r"(sub-?\s?tota(ux|l|le|al|les)|sous-total|zwischensumme|total\s+parcial|parziale|"
    r"(sub)?totals?\s+(for|of|per|pour|für|para|por|voor|per)\b)\s*:?.{0,60}",
    re.IGNORECASE,
)
# "Total US-IN", "Totals Texas": a total word and one more word, which could also begin a name
# ("Total Security"); such a row is a total only when its number adds up the rows above.
_GROUP_TOTAL_RE = re.compile(r"(sub-?\s?)?(totals?|totale|totaal|summe|gesamt)\s+[^\s]{1,24}", re.I)
# A group banner: a short label, a colon, a value ("Request Type: FOIA/PA", "Region: West").
_BANNER_RE = re.compile(r"(?P<label>[^\W\d][\w .'/&()-]{0,40}?)\s*:\s*(?P<value>\S.{0,80})")
# A total that prints its number in the label's cell: "Total No of Cases : 72".
_TOTAL_IN_LABEL_RE = re.compile(
    r"(sub-?\s?)?(grand\s+)?totals?\b.{0,80}?[:=]\s*(?P<n>\d[\d,.]*)", re.IGNORECASE
)
# Text every total label and sum formula above holds somewhere: a row with none of it is no
# total, found without testing each of its cells as a number (80,000 rows of a wide table).
_TOTAL_HINT = re.compile(r"tot|sum|som|gesamt|all\s+agencies|parziale", re.IGNORECASE)
# A spreadsheet formula that adds up a range, as a CSV or an uncalculated workbook shows it.
_SUM_FORMULA = re.compile(r"=\s*(sum|summe|somme|suma|soma|somma|subtotal)\s*\(", re.IGNORECASE)
_TOKEN_RE = re.compile(r"[#\w'-]+", re.UNICODE)
_HEADER_SEARCH_ROWS = 25


@dataclass(frozen=True)
class Layout:
    """The parts of a table; row positions are indexes into ``Table.rows``."""

    header_index: int | None
    header: tuple[str, ...]
    title: tuple[str, ...]
    data: tuple[int, ...]
    totals: tuple[int, ...]
    repeated_headers: tuple[int, ...]
    width: int
    reason: str
    #: Rows after the data that repeat one value across the table (a print date, "- 1 -").
    footers: tuple[int, ...] = ()
    #: Group banners inside the data ("Request Type: Consultation"): what follows belongs to it.
    groups: tuple[int, ...] = ()


def data_columns(table: Table, layout: Layout) -> list[list[CellValue]]:
    """The data rows' cells, column by column (None where a row is short)."""
    return [
        [table.rows[i][c] if c < len(table.rows[i]) else None for i in layout.data]
        for c in range(layout.width)
    ]


def find_layout(table: Table) -> Layout:
    """Find the header (or decide there is none), title rows above it and the data below."""
    rows = table.rows
    width = _typical_width(rows)
    header_index, reason = _find_header(rows, width)
    title_end = header_index
    if header_index is None:
        first = _skip_titles(rows, width)
        title_end = first
        header = tuple(f"column {i + 1}" for i in range(width))
    else:
        cells = [_header_text(c) for c in rows[header_index]]
        cells += [""] * (width - len(cells))
        if _is_sub_header(rows, header_index, width):
            # Two-level header: group labels ("Total Requests", merged) over column labels.
            below = [_header_text(c) for c in rows[header_index + 1]]
            below += [""] * (width - len(below))
            cells = [_join_levels(a, b) for a, b in zip(cells, below, strict=False)]
            header_index += 1
            # No row number here: the caller numbers rows as the source does (inspect, hints).
            reason += "; the row above it holds the group labels of a two-level header"
        first = header_index + 1
        header = tuple(c or f"column {i + 1}" for i, c in enumerate(cells[:width]))
    assert title_end is not None
    title = tuple(_row_text(rows[i]) for i in range(title_end))
    header_key = [c.casefold() for c in header]
    if header_index is not None:
        # Compared with the header row as printed (a two-level header's lower row).
        header_key = [_label_key(c) for c in rows[header_index][:width]]
    data: list[int] = []
    totals: list[int] = []
    repeated: list[int] = []
    group_start = first
    groups: list[int] = []
    for i in range(first, len(rows)):
        row = rows[i]
        if header_index is not None and _repeats_header(row, header_key):
            repeated.append(i)
        elif width >= 3 and group_banner(row) is not None:
            groups.append(i)
        elif _is_totals_row(row) or (
            _is_group_total_label(row) and _sums_rows_above(row, rows, data, group_start)
        ):
            totals.append(i)
            group_start = i + 1
        else:
            data.append(i)
    footers: list[int] = []
    while data and (_is_banner(rows[data[-1]], width) or _is_footnote(rows[data[-1]], width)):
        footers.insert(0, data.pop())
    return Layout(
        footers=tuple(footers),
        groups=tuple(groups),
        header_index=header_index,
        header=header,
        title=tuple(t for t in title if t),
        data=tuple(data),
        totals=tuple(totals),
        repeated_headers=tuple(repeated),
        width=width,
        reason=reason,
    )


def is_value_like(value: CellValue) -> bool:
    """Return True for a cell that holds a value (number, date, redaction) rather than a label."""
    if is_blank(value):
        return False
    if not isinstance(value, str):
        return True
    text = value.strip()
    if find_redaction(text) is not None or "@" in text:
        return True
    if re.fullmatch(r"(19|20)\d\d", text):
        return False  # a year is a common column header in pivoted tables
    if _number(text) is not None or _MONEY_VALUE.fullmatch(text):
        return True
    return parse_date(text).precision == "day"


def header_word_share(text: str) -> float:
    """Return the share of a cell's words that are header vocabulary."""
    tokens = [_fold(t.casefold()) for t in _TOKEN_RE.findall(text)]
    if not tokens or len(text) > 60:
        return 0.0
    return sum(t in HEADER_WORDS or t in _FOREIGN_HEADER_WORDS for t in tokens) / len(tokens)


def _fold(word: str) -> str:
    """A word without its accents ("órgão" -> "orgao")."""
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _typical_width(rows: list[list[CellValue]]) -> int:
    widths = [_last_filled(row) + 1 for row in rows]
    if not widths:
        return 0
    counts = Counter(w for w in widths if w > 0)
    if not counts:
        return 0
    common, _ = counts.most_common(1)[0]
    return max(common, max(w for w in widths if counts[w] * 10 >= len(widths)))


def _last_filled(row: list[CellValue]) -> int:
    for i in range(len(row) - 1, -1, -1):
        if not is_blank(row[i]):
            return i
    return -1


def _labels_only(cells: list[CellValue]) -> bool:
    """True for a row of labels: no number or date, and only a few cells that read as markers.

    FOIA logs head exemption columns "B1" ... "B7", which read as redaction codes in a cell;
    among many labels they are labels too.
    """
    marked = 0
    for cell in cells:
        if not is_value_like(cell):
            continue
        if not isinstance(cell, str) or find_redaction(cell.strip()) is None:
            return False
        if "\u2588" in cell:
            return False  # a redaction box ("████"): a value withheld, never a label
        marked += 1
    return marked * 3 < len(cells)


def _find_header(rows: list[list[CellValue]], width: int) -> tuple[int | None, str]:
    data_above = 0
    for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        cells = [c for c in row[: max(width, 1)] if not is_blank(c)]
        if not cells or not _labels_only(cells) or _is_totals_row(row):
            # Rows as full as the table's, with values in them, are its data: a header is
            # above them, never below ("1971 | A-15628 | GA" under headerless rows).
            wide = len(cells) >= max(3, 0.6 * width)
            data_above += wide and any(is_value_like(c) for c in cells)
            continue  # "Total US-AZ | =SUM(C1,C3:C4)": a total under headerless rows
        if data_above >= 2:
            break
        texts = [raw_text(c).strip() for c in cells]
        if width > 1 and len(set(texts)) < 2:
            continue  # a title row, merged across the table or alone in its row
        if len(cells) * 2 < width:
            continue
        if i + 1 >= len(rows) and i > 0:
            break  # the last of several rows heads nothing: a footnote under the table
        hits = sum(header_word_share(t) >= 0.5 for t in texts)
        next_values = i + 1 < len(rows) and any(is_value_like(c) for c in rows[i + 1])
        if hits * 2 >= len(texts) or (hits and next_values):
            return i, f"{hits} of {len(texts)} cells are header words"
        if next_values and all(len(t) <= 40 for t in texts):
            return i, "labels above a row of values"
    return None, "no row of header labels in the first rows; columns are judged by their values"


def _is_group_total_label(row: list[CellValue]) -> bool:
    """A row whose only text is a total word and one more word ("Total US-IN")."""
    if not any(isinstance(c, str) and _TOTAL_HINT.search(c) for c in row):
        return False
    texts = [c for c in row if isinstance(c, str) and c.strip() and not _is_amount(c)]
    return len(texts) == 1 and bool(_GROUP_TOTAL_RE.fullmatch(texts[0].strip()))


def rows_counted_in_label(row: list[CellValue]) -> int | None:
    """The number a totals row prints inside its label ("Total No of Cases : 72"), if any."""
    for cell in row:
        if isinstance(cell, str) and (match := _TOTAL_IN_LABEL_RE.fullmatch(cell.strip())):
            return _number(match["n"])
    return None


def _is_amount(text: str) -> bool:
    """A number or a sum of money written as text ("1.684", "12.950,00 $")."""
    return _number(text) is not None or bool(_MONEY_VALUE.fullmatch(text.strip()))


def _number(value: CellValue) -> int | None:
    """A whole number in either convention ("1,684" or "1.684"), else None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    parsed = parse_count(value).value
    return parse_count(value, decimal_comma=True).value if parsed is None else parsed


def _sums_rows_above(
    row: list[CellValue], rows: list[list[CellValue]], data: list[int], start: int
) -> bool:
    """True when a number in the row equals its column's sum over the data rows since start."""
    above = [rows[i] for i in data if i >= start]
    for column, cell in enumerate(row):
        printed = _number(cell)
        if printed == 0 and not isinstance(cell, str):
            return True  # a subtotal formula never calculated: the workbook holds 0
        if not above:
            continue
        if printed:
            total = sum(_number(r[column]) or 0 for r in above if column < len(r))
            if total == printed:
                return True
            continue
        # A sum of money to the cent ("EUR 6,350.00"): it adds up where a count of the
        # group is redacted and the counts cannot.
        money = _exact_amount(cell)
        if money:
            cents = [_exact_amount(r[column]) for r in above if column < len(r)]
            if sum(c or 0 for c in cents) == money:
                return True
    return False


def _exact_amount(value: CellValue) -> Decimal | None:
    """The amount a cell written as money holds, to the cent; None for any other cell."""
    if not is_money_text(value):
        return None
    return Price.fromstring(str(value).strip()).amount


def group_banner(row: list[CellValue]) -> tuple[str, str] | None:
    """(label, value) of a row that opens a group: one cell "Request Type: Consultation"."""
    cells = [c for c in row if not is_blank(c)]
    if len(cells) != 1 or not isinstance(cells[0], str):
        return None
    match = _BANNER_RE.fullmatch(cells[0].strip())
    if match is None or _TOTAL_RE.match(match["label"]):
        return None
    return match["label"].strip(), match["value"].strip()


def _is_footnote(row: list[CellValue], width: int) -> bool:
    """A line of text alone under a wide table ("* Counts are searches run by ...")."""
    cells = [c for c in row[:width] if not is_blank(c)]
    if width < 2 or len(cells) != 1 or not isinstance(cells[0], str):
        return False
    text = cells[0].strip()
    if text[:1] in "*†‡¹([":
        return True
    # A sentence, not a name left alone on its row: mostly lower-case words, a full stop.
    words = text.split()
    lower = sum(w[:1].islower() for w in words)
    return len(words) >= 4 and lower * 2 > len(words) and text.endswith((".", ":"))


def _is_banner(row: list[CellValue], width: int) -> bool:
    """A row merged across a wide table: at most three values, each repeated over columns."""
    cells = [raw_text(c).strip() for c in row[:width] if not is_blank(c)]
    if width < 6 or len(cells) * 3 < width * 2:
        return False
    seen = Counter(cells)
    return len(seen) <= 3 and min(seen.values()) >= 2


def _header_text(value: CellValue) -> str:
    """A header cell as a label: line breaks and runs of spaces folded, a trailing colon dropped."""
    return " ".join(raw_text(value).split()).rstrip(":： ").strip()


def _join_levels(upper: str, lower: str) -> str:
    """One label from a two-level header's group and column labels."""
    if not upper or upper.casefold() == lower.casefold():
        return lower
    if not lower:
        return upper
    return f"{upper} {lower}"


def _is_sub_header(rows: list[list[CellValue]], index: int, width: int) -> bool:
    """True when the header row holds group labels and the row below it the column labels.

    Group labels are merged over several columns (a spreadsheet repeats them) or leave gaps;
    the row below is labels only, as wide, and values start right after it.
    """
    if index + 2 >= len(rows):
        return False
    upper = [raw_text(c).strip() for c in rows[index][:width]]
    lower_row = rows[index + 1]
    lower = [c for c in lower_row[:width] if not is_blank(c)]
    if not lower or any(is_value_like(c) for c in lower) or len(lower) * 2 < width:
        return False
    if not any(is_value_like(c) for c in rows[index + 2]):
        return False
    filled = [u for u in upper if u]
    merged = any(a and a == b for a, b in itertools.pairwise(upper))
    # A CSV cannot merge cells: there the lower row must read as column labels itself.
    labels = sum(header_word_share(raw_text(c)) >= 0.5 for c in lower) * 2 >= len(lower)
    return merged or len(filled) < len(lower) or labels


def _skip_titles(rows: list[list[CellValue]], width: int) -> int:
    i = 0
    while i < len(rows) and width > 1:
        cells = {raw_text(c).strip() for c in rows[i] if not is_blank(c)}
        if len(cells) > 1:
            break
        i += 1
    return i if i < len(rows) else 0


def _repeats_header(row: list[CellValue], header_key: list[str]) -> bool:
    """True when a row's cells read as the header's labels, up to the shorter of the two."""
    if row and header_key and _label_key(row[0]) != header_key[0]:
        return False  # most rows: told apart by their first cell
    return all(_label_key(c) == key for c, key in zip(row, header_key, strict=False))


def _label_key(value: CellValue) -> str:
    """A cell's text as header labels are compared: as _header_text cleans it, case folded."""
    return _header_text(value).casefold()


def _is_totals_row(row: list[CellValue]) -> bool:
    """A row adding up the rows above: a "Total" label with numbers, formulas or nothing else."""
    if not any(isinstance(c, str) and _TOTAL_HINT.search(c) for c in row):
        return False
    cells = [c for c in row if not is_blank(c)]
    if not cells:
        return False
    if any(isinstance(c, str) and _SUM_FORMULA.match(c.strip()) for c in cells):
        return True  # "=SUM(E3:E22)": a total whatever its label
    # The label may sit in any column (the agency column, right of the counts): the row's
    # only text, or its first text followed by numbers.
    texts = [c for c in cells if isinstance(c, str) and not _is_amount(c)]
    if not texts:
        return False
    first = texts[0].strip()
    if len(texts) == 1 and _TOTAL_IN_LABEL_RE.fullmatch(first):
        return True
    if not (_TOTAL_RE.fullmatch(first) or _SUBTOTAL_RE.fullmatch(first)):
        return False
    if len(texts) > 1 and cells[0] is not texts[0]:
        return False
    rest = [c for c in cells if c is not texts[0]]
    # A label alone is a total whose formula was never calculated (a workbook written by a
    # program shows the cell empty); a label beside text is a row about "Total Wine Co.".
    return not rest or any(_number(c) is not None for c in rest)


def _row_text(row: list[CellValue]) -> str:
    seen: list[str] = []
    for cell in row:
        text = raw_text(cell).strip()
        if text and text not in seen:
            seen.append(text)
    return " | ".join(seen)
