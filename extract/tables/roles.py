"""Column roles: which column holds the agency, the count and its metric, the date, the place."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from foialog.extract.blocks import CellValue
from foialog.extract.values.counts import (
    NULL_TOKENS,
    is_decimal_comma_column,
    number_convention,
    parse_count,
)
from foialog.extract.values.dates import infer_dayfirst, looks_like_excel_serial, parse_date
from foialog.extract.values.money import money_share, parse_amount
from foialog.extract.values.places import parse_country, parse_region
from foialog.extract.values.redaction import find_redaction

#: Roles a column can take; at most one column per role, the rest go to ``extra``.
ROLES = ("agency", "count", "date", "country", "region", "user_email", "account_type", "metric")

_HEADER_CUES: dict[str, re.Pattern[str]] = {
    "agency": re.compile(
        r"agenc|organi[sz]a|\borg\b|client|customer|kunde|entit|authorit|beh[öo]rde|organism|"
        r"institution|partner|jurisdiction|department|d[ée]partement|^name$|^names$|^nom$|"
        r"^nombre$|^nome$|^naam$|dienst|instantie|[óo]rg[ãa]o|ente\b|amt\b|autorit|"
        r"compan|contractor|employer|payee",
        re.IGNORECASE,
    ),
    "count": re.compile(
        r"\b(number|no\.?|num|nr|count|counts|#|total|searches|search count|queries|hits|"
        r"detections|requests|scans|lookups|matches|alerts|reads|uploads|logins|checks|"
        r"suchanfragen|anzahl|cantidad|nombre|aantal|numero|número|quantit|qty)\b|^#|#$",
        re.IGNORECASE,
    ),
    "date": re.compile(
        r"date|time|\bday\b|month|\byear\b|\bwhen\b|start|begin|since|until|period|access|"
        r"created|submitted|received|closed|login|seen|datum|fecha|\bfirst\b|\blast\b|"
        r"\bdata\b|zeit|mois|mes\b|monat|maand|mese|jahr|année|año|ano\b|jaar|anno|"
        r"p[ée]riode|per[ií]odo|zeitraum|activit|aktivit|actividad|attivit|atividade",
        re.IGNORECASE,
    ),
    "country": re.compile(
        r"country|nation|\bland\b|\bpays\b|país|paese|staat|jurisdiction|pa[ií]s", re.IGNORECASE
    ),
    "region": re.compile(
        r"\bstate\b|r[ée]gi[oó]n|regi[ãa]o|province|\bprov\b|territory|bundesland|bundesstaat|"
        r"^st\.?$|jurisdiction|estado|[ée]tat\b|"
        r"provincie|provincia",
        re.IGNORECASE,
    ),
    "user_email": re.compile(r"e-?mail|\buser\b|login", re.IGNORECASE),
    "account_type": re.compile(
        r"account|\btype\b|\bplan\b|tier|licen[cs]e|status|subscription", re.IGNORECASE
    ),
}
#: Header words that name what was counted, mapped to the metric written in records.
METRIC_WORDS: dict[str, str] = {
    "search": "searches", "searches": "searches", "suchanfragen": "searches",
    "query": "queries", "queries": "queries", "hit": "hits", "hits": "hits",
    "detection": "detections", "detections": "detections", "request": "requests",
    "requests": "requests", "scan": "scans", "scans": "scans", "lookup": "lookups",
    "lookups": "lookups", "match": "matches", "matches": "matches", "alert": "alerts",
    "alerts": "alerts", "read": "reads", "reads": "reads", "upload": "uploads",
    "uploads": "uploads", "login": "logins", "logins": "logins", "check": "checks",
    "checks": "checks", "image": "images", "images": "images", "photo": "photos",
    "photos": "photos", "event": "events", "events": "events",
    # French, German, Spanish, Dutch, Italian, Portuguese
    "recherche": "searches", "recherches": "searches", "requête": "queries",
    "requêtes": "queries", "requete": "queries", "requetes": "queries",
    "demande": "requests", "demandes": "requests", "consultation": "queries",
    "consultations": "queries", "suche": "searches", "suchen": "searches",
    "suchanfrage": "searches", "abfrage": "queries", "abfragen": "queries",
    "anfrage": "requests", "anfragen": "requests", "treffer": "hits",
    "búsqueda": "searches", "búsquedas": "searches", "busqueda": "searches",
    "busquedas": "searches", "consulta": "queries", "consultas": "queries",
    "solicitud": "requests", "solicitudes": "requests", "zoekopdracht": "searches",
    "zoekopdrachten": "searches", "zoekvraag": "searches", "zoekvragen": "searches",
    "bevraging": "queries", "bevragingen": "queries", "verzoek": "requests",
    "verzoeken": "requests", "ricerca": "searches", "ricerche": "searches",
    "interrogazione": "queries", "interrogazioni": "queries", "richiesta": "requests",
    "richieste": "requests", "pesquisa": "searches", "pesquisas": "searches",
    "pedido": "requests", "pedidos": "requests", "pedidos de": "requests",
}  # fmt: skip
#: Header words of a generic count: a count, but of nothing named.
_GENERIC_COUNT = frozenset(
    [
        "count",
        "counts",
        "total",
        "totals",
        "number",
        "numbers",
        "num",
        "qty",
        "quantity",
        "anzahl",
        "gesamt",
        "summe",
        "nombre",
        "cantidad",
        "conteo",
        "aantal",
        "totaal",
        "numero",
        "número",
        "quantità",
        "quantidade",
        "quantité",
        "volume",
    ]
)
#: Header words of an identifier: a row, account or customer number, a code, a key.
_ID_WORDS = frozenset(
    [
        "#",
        "no",
        "nr",
        "nº",
        "n°",
        "num",
        "number",
        "id",
        "ids",
        "identifier",
        "identificador",
        "code",
        "codes",
        "ref",
        "reference",
        "key",
        "uuid",
        "guid",
        "serial",
        "acct",
        "nummer",
        "numéro",
        "número",
        "numero",
        "kennung",
        "kennzeichen",
        "clave",
        "codice",
        "código",
        "codigo",
        "index",
        "idx",
        "row",
        "line",
        "ligne",
        "zeile",
        "fila",
        "riga",
        "rij",
        "linha",
    ]
)
#: Header words of money: never a count of searches.
_MONEY_WORDS = frozenset(
    [
        "fee",
        "fees",
        "cost",
        "costs",
        "amount",
        "amounts",
        "price",
        "prices",
        "spending",
        "spend",
        "spent",
        "budget",
        "revenue",
        "invoice",
        "invoiced",
        "charge",
        "charges",
        "charged",
        "payment",
        "payments",
        "paid",
        "dollars",
        "dollar",
        "usd",
        "eur",
        "euro",
        "euros",
        "gbp",
        "chf",
        "gebühr",
        "gebühren",
        "kosten",
        "betrag",
        "preis",
        "frais",
        "montant",
        "coût",
        "coûts",
        "prix",
        "tarif",
        "tarifa",
        "costo",
        "costos",
        "coste",
        "costes",
        "importe",
        "precio",
        "bedrag",
        "prijs",
        "tassa",
        "importo",
        "prezzo",
        "custo",
        "custos",
        "valor",
        "taxa",
        "preço",
    ]
)
#: Header words of a rate or share: never a count.
_RATE_WORDS = frozenset(
    [
        *("percent", "percentage", "pct", "rate", "ratio", "share", "proportion"),
        *("pourcentage", "taux", "prozent", "anteil", "quote", "porcentaje", "tasa"),
        *("percentuale", "tasso", "percentagem", "percentual", "aandeel"),
    ]
)
_CURRENCY = re.compile(r"[$€£¥₹]|\b(usd|eur|gbp|chf)\b", re.IGNORECASE)
_HEADER_TOKENS = re.compile(r"#|n[º°]|[^\W_]+", re.UNICODE)
#: Values of a Yes/No, True/False, Y/N column (several languages): flags, never places.
_FLAG_VALUES = frozenset(
    [
        "yes",
        "no",
        "y",
        "n",
        "true",
        "false",
        "t",
        "f",
        "x",
        "✓",
        "✔",
        "✗",
        "ja",
        "nein",
        "oui",
        "non",
        "sí",
        "si",
        "no",
        "sim",
        "não",
        "nao",
        "nee",
        "wahr",
        "falsch",
        "vrai",
        "faux",
        "verdadero",
        "falso",
        "vero",
    ]
)
_AGENCY_NOUNS = re.compile(
    r"\b(police|polic[ií]a|polizei|polizia|politie|politi|policja|polis|sheriff'?s?|"
    r"constabulary|gendarmerie|garda|guardia|guarda|"
    r"carabinieri|department|dept|ministry|ministerio|minist[eè]re|bureau|agency|authority|"
    r"office|service|services|force|patrol|marshal'?s?|attorney|prosecutor|court|commission|"
    r"corrections|university|college|school|district|county|city|state|federal|national|"
    r"interpol|europol|pd|so|da|fbi|dea|ice|cbp|dhs|rcmp|afp|bka|nypd|lapd)\b",
    re.IGNORECASE,
)
#: Words that make a name an organisation's (a kind of organisation, not any one's name).
_ORGANISATION_WORDS = re.compile(
    r"\b(inc|llc|ltd|corp|corporation|co|company|group|news|center|centre|foundation|"
    r"association|institute|law|media|press|radio|times|journal|tribune|herald|bank|union|"
    r"council|society|trust|partners|associates|network|coalition|alliance|project|"
    r"committee|gmbh|ag|sa|nv|bv|plc)\b",
    re.IGNORECASE,
)
#: One word of a person's name: "Alan", "Hansen-White", "O'Brien", "McKay", or all capitals.
_NAME_WORD = re.compile(r"[A-Z][a-z]+(?:[A-Z][a-z]+)?(?:[-'][A-Za-z][a-z]+)?|[A-Z]{2,}")
_INITIAL = re.compile(r"[A-Z]\.?")
#: A header that says only "name": it heads agency lists and lists of people alike.
_BARE_NAME_HEADER = re.compile(r"names?|nom|nombre|nome|naam", re.IGNORECASE)
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_ACCOUNT_RE = re.compile(
    r"\b(trial|paid|free|demo|pilot|subscription|subscriber|licen[cs]ed|enterprise|"
    r"evaluation|customer|expired|active|basic|premium|pro)\b",
    re.IGNORECASE,
)
# A code: letters and digits in one token, optionally joined by - _ / . ("C-90738", "ORG-11299",
# "FY24-01", "2YTAP7"); agency names have spaces or no digits.
_CODE_RE = re.compile(r"(?=[^ ]*\d)(?=[^ ]*[^\W\d_])[^\W_]+(?:[-_/.:][^\W_]+)*", re.UNICODE)
_DIGITS_RE = re.compile(r"\d+")
_NOT_AGENCY_HEADER = re.compile(
    r"e-?mail|\buser|login|address|street|\bcity\b|\bzip\b|postal|phone|\bfax\b|contact|"
    r"\burl\b|website|adresse|direcci[oó]n|indirizzo|endere[cç]o|stra(ss|ß)e",
    re.IGNORECASE,
)
#: Headers longer than this are sentences (form questions), not a column's name: no cue.
_MAX_CUE_HEADER = 48
#: Two candidates for one role closer than this are a close call, flagged for review.
CLOSE_CALL = 0.1


#: Values per column read to judge its role.
_SAMPLE = 500


@dataclass(frozen=True)
class ColumnRole:
    """The role judged for one column, how sure, and why."""

    index: int
    header: str
    role: str
    confidence: float
    reason: str
    metric: str = ""
    dayfirst: bool | None = None
    excel_serial: bool = False
    decimal_comma: bool = False
    #: The runner-up for this role when it scored within CLOSE_CALL: "'Hits' (0.85)"; else "".
    close_call: str = ""
    #: A count column that holds money (the table's only measure): read with parse_amount.
    money: bool = False
    #: The column holds people's names (a requester, a user): never the agency.
    people: bool = False


@dataclass(frozen=True)
class _Stats:
    n: int
    count: float
    date: float
    text: float
    email: float
    country: float
    region: float
    account: float
    agency_shaped: float
    metric_words: float
    mean_len: float
    excel_serial: bool
    dayfirst: bool | None
    decimal_comma: bool
    #: Share of the column's cells that hold a value.
    fill: float = 1.0
    #: Distinct values over values.
    distinct: float = 1.0
    #: How many distinct values.
    n_distinct: int = 0
    #: The values run 1, 2, 3 ... down the rows.
    sequence: bool = False
    #: Numbers of one width (five digits or more, or zero-padded): account numbers, postal codes.
    fixed_width_ids: bool = False
    code: float = 0.0
    flag: float = 0.0
    money: float = 0.0
    #: Share of numbers with a fraction or a percent sign (rates, shares, money).
    fraction: float = 0.0
    #: Sum of the counts, for the check against a printed total.
    total: int = 0
    #: Share of values that are a country or a state or region.
    place: float = 0.0
    #: Share of values shaped like a person's name ("Alan Torres", "John Q. Murray").
    person: float = 0.0


_NO_STATS = _Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, False, None, False, fill=0.0, distinct=0.0)


@dataclass(frozen=True)
class _Header:
    """What a column's header says about it."""

    text: str
    tokens: tuple[str, ...]
    #: Names what was counted ("Searches", "Number of queries", "Anzahl Suchanfragen").
    metric: bool
    generic_count: bool
    identifier: bool
    money: bool
    #: Names a rate or share ("Percentage of requests under seal", "Hit rate", "%").
    rate: bool = False
    #: The header without a first word other headers of the table begin with too (a group
    #: label: "Client" over "Client Name" and "Client Status"); the text when there is none.
    own: str = ""


def clean_header(text: str) -> str:
    """A header as judged: line breaks and runs of spaces folded, a trailing colon dropped."""
    return " ".join(text.split()).rstrip(":： ").strip()


def _header(text: str, headerless: bool) -> _Header:
    if headerless:
        return _Header("", (), False, False, False, False)
    text = clean_header(text)
    tokens = tuple(t.casefold() for t in _HEADER_TOKENS.findall(text))
    metric_at = [i for i, t in enumerate(tokens) if t in METRIC_WORDS]
    id_at = [i for i, t in enumerate(tokens) if t in _ID_WORDS]
    # "Request No." / "Search ID" name one request or search: an identifier. "No. of requests",
    # "# Searches", "Number of searches" and "Total requests" name what was counted.
    singular_id = any(i + 1 in id_at and not tokens[i].endswith("s") for i in metric_at)
    counted = bool(metric_at) and not singular_id
    generic = any(t in _GENERIC_COUNT for t in tokens) or (
        "of" in tokens and any(t in _ID_WORDS for t in tokens[: tokens.index("of")])
    )
    identifier = not counted and bool(id_at) and not ("of" in tokens or "de" in tokens)
    if identifier and all(t in _GENERIC_COUNT for t in tokens):
        # "Number", "Total", "Count" alone: generic; "#", "No." alone are row or id numbers.
        identifier = False
    money = any(t in _MONEY_WORDS for t in tokens) or bool(_CURRENCY.search(text))
    rate = "%" in text or any(t in _RATE_WORDS for t in tokens)
    return _Header(
        text, tokens, counted, generic and not identifier, identifier, money, rate, own=text
    )


def _grouped(heads: Sequence[_Header]) -> list[_Header]:
    """Headers with their ``own`` label: less a first word two or more headers share."""
    firsts = Counter(h.text.split()[0].casefold() for h in heads if len(h.text.split()) >= 2)
    out = []
    for head in heads:
        words = head.text.split()
        shared = len(words) >= 2 and firsts[words[0].casefold()] >= 2
        out.append(replace(head, own=" ".join(words[1:]) if shared else head.text))
    return out


def _decimal_comma(
    index: int, columns: Sequence[Sequence[CellValue]], totals: Sequence[Sequence[CellValue]]
) -> bool:
    """Whether a count column writes "1.290" for 1,290: by its own numbers and totals, else
    (all below 1,000) by the table's other columns ("4.100,00 EUR" beside it)."""
    own = number_convention([*columns[index], *(row[index] for row in totals if index < len(row))])
    if own:
        return own == "eu"
    others = [v for i, column in enumerate(columns) if i != index for v in column]
    return number_convention([*others, *(v for row in totals for v in row)]) == "eu"


def infer_roles(
    header: Sequence[str],
    columns: Sequence[Sequence[CellValue]],
    *,
    headerless: bool,
    totals: Sequence[Sequence[CellValue]] = (),
    fixed: Mapping[int, str] | None = None,
    stated: Sequence[int] = (),
) -> list[ColumnRole]:
    """Return one ColumnRole per column ("other" for columns with no role).

    ``totals`` are the table's printed totals rows (a column whose sum equals its printed
    total is a measure); ``fixed`` gives a column index's role outright (a reporter's hint);
    ``stated`` are totals the title states ("Total Records: 4,979,388"; see stated_totals).
    """
    heads = _grouped([_header(header[i], headerless) for i in range(len(columns))])
    stats = [_stats(values, heads[i].text) for i, values in enumerate(columns)]
    summed = _summed_columns(stats, totals)
    summed |= {i for i, st in enumerate(stats) if st.n and st.total and st.total in stated}
    # Rows that name a person (a requester, a user) are about that person's request or use:
    # another column is their agency only on evidence (a header, agency words), never by
    # merely holding varied words (a status column).
    people = any(_people(head, st) for head, st in zip(heads, stats, strict=True))
    fixed = fixed or {}
    candidates: list[tuple[float, int, str, str]] = []
    excluded: dict[int, str] = {}
    for i, st in enumerate(stats):
        if i in fixed:
            continue
        why_not = _excluded(heads[i], st)
        if why_not:
            excluded[i] = why_not
        for role in ROLES:
            if role in fixed.values():
                continue
            score, why = _score(role, heads[i], st, i in summed, people=people)
            if score > 0:
                candidates.append((score, -i, role, why))
    candidates.sort(reverse=True)
    taken_roles: dict[str, int] = {role: i for i, role in fixed.items() if role != "other"}
    taken_cols: dict[int, tuple[str, float, str]] = {
        i: (role, 1.0, "set by a hint") for i, role in fixed.items()
    }
    for score, neg_i, role, why in candidates:
        i = -neg_i
        if role in taken_roles or i in taken_cols:
            continue
        taken_roles[role] = i
        taken_cols[i] = (role, score, why)
    money_col = None
    if "count" not in taken_roles:
        money_col = _money_count(heads, stats, columns, excluded, taken_cols)
        if money_col is not None:
            taken_roles["count"] = money_col[0]
            taken_cols[money_col[0]] = ("count", money_col[1], money_col[2])
    close = _close_calls(candidates, taken_roles, taken_cols, header)
    result: list[ColumnRole] = []
    for i, st in enumerate(stats):
        name = header[i]
        default = ("other", 0.0, excluded.get(i) or "no role fits; kept raw in extra")
        role, score, why = taken_cols.get(i, default)
        runner_up = close.get(i, "")
        if runner_up:
            why += f"; close call over {runner_up}"
        result.append(
            ColumnRole(
                index=i,
                header=name,
                role=role,
                confidence=round(min(score, 1.0), 2),
                reason=why,
                metric=_count_metric(heads[i].text, headerless, money_col is not None)
                if role == "count"
                else "",
                dayfirst=st.dayfirst if role == "date" else None,
                excel_serial=st.excel_serial if role == "date" else False,
                decimal_comma=_decimal_comma(i, columns, totals) if role == "count" else False,
                close_call=runner_up,
                money=money_col is not None and money_col[0] == i,
                people=_people(heads[i], st),
            )
        )
    return result


def people_note(roles: Sequence[ColumnRole]) -> str:
    """Why the rows have no agency when a column of people's names is all that could be one."""
    people = [r for r in roles if r.people]
    if not people or any(r.role == "agency" for r in roles):
        return ""
    named = ", ".join(repr(r.header) for r in people)
    return (
        f"no column names an agency: {named} holds people's names, not agencies, so the"
        " agency is left empty; if a column holds it, name it with --role"
    )


def _count_metric(header: str, headerless: bool, money: bool) -> str:
    if money:
        return metric_from_text(header) or "amount"
    return _metric(header) if not headerless else ""


#: Of a money column taken as the count, the share of values that must read as amounts.
_MONEY_FIT = 0.8
#: An amount this large is no rate or share, even with cents and no currency ("37,499.96").
_LARGE_AMOUNT = 1000


def _money_count(
    heads: Sequence[_Header],
    stats: Sequence[_Stats],
    columns: Sequence[Sequence[CellValue]],
    excluded: Mapping[int, str],
    taken: Mapping[int, tuple[str, float, str]],
) -> tuple[int, float, str] | None:
    """The money column that is the count of a table that counts nothing else, if any.

    Money is never a count of searches beside one; a contract-award, donation or spending
    table has no other measure, and its amount is then what each row gives.
    """
    best: tuple[tuple[bool, float, float, int], int, float, str] | None = None
    for i, (head, st) in enumerate(zip(heads, stats, strict=True)):
        why_not = excluded.get(i, "")
        if i in taken or st.n == 0 or head.rate or (why_not and not why_not.startswith("money")):
            continue
        if st.sequence or st.flag >= 0.9 or st.code >= 0.8 or st.date >= 0.5:
            continue
        amounts, written = money_share(columns[i])
        if amounts < _MONEY_FIT:
            continue
        large = any((parse_amount(v).value or 0) >= _LARGE_AMOUNT for v in columns[i][:_SAMPLE])
        if not (head.money or st.money >= 0.5 or (written >= _MONEY_FIT and large)):
            continue
        said = (
            f"header {head.text!r} names money"
            if head.money
            else f"{pct(written)} written as money"
        )
        why = (
            f"{said}; {pct(amounts)} of values are amounts: money, taken as the count because "
            "no column counts anything else"
        )
        key = (head.money, written, amounts, -i)
        if best is None or key > best[0]:
            best = (key, i, 0.35 + 0.2 * amounts, why)
    return None if best is None else best[1:]


def _close_calls(
    candidates: Sequence[tuple[float, int, str, str]],
    taken_roles: Mapping[str, int],
    taken_cols: Mapping[int, tuple[str, float, str]],
    header: Sequence[str],
) -> dict[int, str]:
    """For the agency and count columns: the runner-up column when it scored almost as well."""
    close: dict[int, str] = {}
    for role in ("agency", "count"):
        if role not in taken_roles:
            continue
        winner = taken_roles[role]
        best = taken_cols[winner][1]
        for score, neg_i, other_role, _ in candidates:
            i = -neg_i
            if other_role != role or i == winner or taken_cols.get(i, ("other",))[0] != "other":
                continue
            if best - score < CLOSE_CALL:
                close[winner] = f"{clean_header(header[i])!r} ({min(score, 1.0):.2f})"
            break
    return close


def _summed_columns(stats: Sequence[_Stats], totals: Sequence[Sequence[CellValue]]) -> set[int]:
    """Columns whose counts add up to the number printed in a totals row."""
    found: set[int] = set()
    for row in totals:
        for i, st in enumerate(stats):
            if i >= len(row) or st.n == 0 or st.total == 0:
                continue
            printed = parse_count(row[i], decimal_comma=st.decimal_comma).value
            if printed is not None and printed == st.total:
                found.add(i)
    return found


_STATED_TOTAL = re.compile(
    r"\b(?:total|totals|gesamt|insgesamt|summe|totaal|totale)\b[^\d\n]{0,40}?"
    r"(\d{1,3}(?:[,.' \u00a0]\d{3})+|\d+)(?![\d/.:-]*\d)",
    re.IGNORECASE,
)


def stated_totals(lines: Sequence[str]) -> list[int]:
    """Totals a table's title or banner states in words ("Total Records: 4,979,388")."""
    found: list[int] = []
    for line in lines:
        for match in _STATED_TOTAL.finditer(line):
            number = match.group(1)
            value = parse_count(number).value or parse_count(number, decimal_comma=True).value
            if value:
                found.append(value)
    return found


def named_count_metric(header: str, values: Sequence[CellValue]) -> str:
    """The metric a column counts when its header names it and its values are counts, else ""."""
    head = _header(header, False)
    if not head.metric:
        return ""
    st = _stats(values, head.text)
    if _excluded(head, st) or _score_count(head, st, False)[0] <= 0:
        return ""
    return _metric(head.text)


def qualified_metric_header(header: str) -> bool:
    """True for a header that ends in what was counted after qualifiers ("Federal Requests").

    Not a total or a number of something ("Total Accounts Specified in the Requests"), and
    not the metric alone ("Requests"): one part of a measure split over columns.
    """
    head = _header(header, False)
    tokens = head.tokens
    return (
        head.metric
        and len(tokens) >= 2
        and tokens[-1] in METRIC_WORDS
        and not any(t in _GENERIC_COUNT or t in _ID_WORDS or t == "of" for t in tokens)
    )


def metric_from_text(text: str) -> str:
    """Return the metric named in a header or label ("Number of searches" -> "searches")."""
    for token in re.findall(r"[\w]+", text.casefold()):
        if token in METRIC_WORDS:
            return METRIC_WORDS[token]
    return ""


def _metric(header: str) -> str:
    return metric_from_text(header) or "count"


@lru_cache(maxsize=1 << 16)
def _holds_value(text: str) -> bool:
    """True for a text cell that is not blank, a redaction marker or a null token ("n/a")."""
    # Cached: every value of every column is looked at, and columns repeat their values.
    stripped = text.strip()
    return (
        bool(stripped) and find_redaction(text) is None and stripped.casefold() not in NULL_TOKENS
    )


def _is_sequence(values: Sequence[CellValue]) -> bool:
    """True when the values are whole numbers running 1, 2, 3 ... (a row number)."""
    numbers: list[int] = []
    for v in values:
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float) and float(v).is_integer():
            numbers.append(int(v))
        elif isinstance(v, str) and v.strip().isdigit():
            numbers.append(int(v.strip()))
        else:
            return False
    # Short runs are row numbers only from the top (1, 2, 3); longer ones from anywhere below
    # 1,000 (a table continued from another page).
    if len(numbers) >= 4 and sorted(numbers) == list(range(1, len(numbers) + 1)):
        return True  # 1 .. n in another order: rows numbered, then sorted by another column
    if len(numbers) < 3 or numbers[0] > (1 if len(numbers) < 8 else 1000):
        return False
    steps = sum(b - a == 1 for a, b in itertools.pairwise(numbers))
    return steps >= 0.9 * (len(numbers) - 1)


def _is_fixed_width_ids(values: Sequence[CellValue]) -> bool:
    """True for numbers of one width: five digits or more, or written with leading zeros.

    A few values may carry a suffix after that width ("55101-1511", a ZIP+4 among ZIP codes).
    """
    texts: list[str] = []
    suffixed: list[str] = []
    for v in values:
        if isinstance(v, bool):
            return False
        if isinstance(v, int | float) and float(v).is_integer():
            texts.append(str(int(v)))
        elif isinstance(v, str) and v.strip().isdigit():
            texts.append(v.strip())
        elif isinstance(v, str) and _SUFFIXED_ID.fullmatch(v.strip()):
            suffixed.append(v.strip())
        else:
            return False
    if len(texts) < 5 or len(suffixed) > 0.1 * len(texts):
        return False
    widths = {len(t) for t in texts}
    if len(widths) != 1:
        return False
    width = widths.pop()
    if any(len(re.split(r"[- ]", t)[0]) != width for t in suffixed):
        return False
    padded = sum(t.startswith("0") and len(t) > 1 for t in texts)
    # Zero-padded to one width, or five digits and more on every row: account numbers (unique)
    # or postal codes (repeating). Counts vary in width; none is written with leading zeros.
    return width >= 5 or padded >= 2 or (padded == 1 and len(set(texts)) == len(texts))


#: An identifier with a suffix: digits, a dash or space, digits ("55101-1511").
_SUFFIXED_ID = re.compile(r"\d{5,}[- ]\d{1,6}")


def _stats(values: Sequence[CellValue], header: str) -> _Stats:
    # Only text can be blank, a marker or a null token; any other value but None is present.
    present = [v for v in values if (_holds_value(v) if isinstance(v, str) else v is not None)]
    n = len(present)
    if n == 0:
        return _NO_STATS
    # A redacted cell held a value (most often a name): it fills its column as a value does.
    redacted = sum(isinstance(v, str) and find_redaction(v) is not None for v in values)
    fill = (n + redacted) / len(values)
    n_distinct = len({_text_key(v) for v in present})
    distinct = n_distinct / n
    sequence = _is_sequence(present)
    fixed_width_ids = _is_fixed_width_ids(present)
    decimal_comma = is_decimal_comma_column(present)
    dayfirst = infer_dayfirst(present)
    excel_serial = bool(_HEADER_CUES["date"].search(header)) and looks_like_excel_serial(present)
    counts = dates = texts = emails = countries = regions = accounts = shaped = metrics = 0
    codes = flags = money = fractions = total = places = persons = 0
    total_len = 0
    for v in present:
        if isinstance(v, str):
            parsed = parse_count(v, decimal_comma=decimal_comma).value
        elif isinstance(v, int | float) and not isinstance(v, bool):
            parsed = parse_count(v).value
        else:
            parsed = None
        total += parsed or 0
    # Shares from an evenly spaced sample: a 40,000-row audit log is judged as well from 500
    # values, while day-first and decimal-comma evidence above was looked for in every value.
    step = max(1, len(present) // _SAMPLE)
    present = present[::step]
    n = len(present)
    for v in present:
        if isinstance(v, str):
            fits = _text_fits(v, decimal_comma, dayfirst, excel_serial)
            counts += fits[0]
            dates += fits[1]
            total_len += fits[2]
            texts += fits[3]
            shaped += fits[4]
            metrics += fits[5]
            countries += fits[6]
            regions += fits[7]
            accounts += fits[8]
            emails += fits[9]
            codes += fits[10]
            flags += fits[11]
            money += fits[12]
            fractions += fits[13]
            places += fits[14]
            persons += _person_shaped(v)
            continue
        if isinstance(v, bool):
            flags += 1
            continue
        is_count = parse_count(v, decimal_comma=decimal_comma).value is not None
        is_date = bool(parse_date(v, dayfirst=dayfirst, excel_serial=excel_serial).value)
        if isinstance(v, int | float) and not excel_serial:
            is_date = False
            fractions += isinstance(v, float) and not v.is_integer()
        counts += is_count
        dates += is_date
    return _Stats(
        n=n,
        count=counts / n,
        date=dates / n,
        text=texts / n,
        email=emails / n,
        country=countries / n,
        region=regions / n,
        account=accounts / n,
        agency_shaped=shaped / n,
        metric_words=metrics / n,
        mean_len=total_len / n,
        excel_serial=excel_serial,
        dayfirst=dayfirst,
        decimal_comma=decimal_comma,
        fill=fill,
        distinct=distinct,
        n_distinct=n_distinct,
        sequence=sequence,
        fixed_width_ids=fixed_width_ids,
        code=codes / n,
        flag=flags / n,
        money=money / n,
        fraction=fractions / n,
        total=total,
        place=places / n,
        person=persons / n,
    )


@lru_cache(maxsize=1 << 16)
def _person_shaped(value: str) -> bool:
    """True for a value shaped like a person's name: two to four capitalised words (a middle
    initial among them), no digit, no word of an agency or other organisation."""
    words = value.split()
    if not 2 <= len(words) <= 4 or any(c.isdigit() for c in value):
        return False
    if _AGENCY_NOUNS.search(value) or _ORGANISATION_WORDS.search(value):
        return False
    capitals = [w.isupper() and len(w) > 2 for w in words]
    if any(capitals) and not all(capitals):
        return False  # "Albany OR", "KEPW Whole": a code or acronym beside a word
    names = [bool(_NAME_WORD.fullmatch(w)) for w in words]
    initials = [bool(_INITIAL.fullmatch(w)) and not n for w, n in zip(words, names, strict=True)]
    return names[0] and all(n or i for n, i in zip(names, initials, strict=True))


def _text_key(value: CellValue) -> str:
    return value.strip().casefold() if isinstance(value, str) else repr(value)


_FRACTION_RE = re.compile(r"^[-+]?\d*[.,]\d+\s*%?$|%$")


@lru_cache(maxsize=1 << 16)
def _text_fits(
    value: str, decimal_comma: bool, dayfirst: bool | None, excel_serial: bool
) -> tuple[int, int, int, int, int, int, int, int, int, int, int, int, int, int, int]:
    """A text value's fit to each of _stats' tests, in its order (1 or 0; its length third)."""
    # Cached: a column repeats its values (the same 50 states on every page of a report).
    is_count = parse_count(value, decimal_comma=decimal_comma).value is not None
    is_date = bool(parse_date(value, dayfirst=dayfirst, excel_serial=excel_serial).value)
    text = value.strip()
    email = int(bool(_EMAIL_RE.match(text)))
    money = int(bool(_CURRENCY.search(text)) and any(c.isdigit() for c in text))
    fraction = int(bool(_FRACTION_RE.search(text)) and not is_count)
    if is_count or is_date:
        return int(is_count), int(is_date), len(text), 0, 0, 0, 0, 0, 0, email, 0, 0, money, 0, 0
    folded = text.casefold().strip("\"' ")
    flag = folded in _FLAG_VALUES
    # A name is mostly letters; "23:51:08.507682-04" or "12/3" are not names.
    letters = sum(c.isalpha() for c in text)
    wordy = letters * 3 >= len(text.replace(" ", ""))
    code = not flag and bool(_CODE_RE.fullmatch(text)) and len(text) <= 24
    country = not flag and bool(parse_country(text))
    region = not flag and bool(parse_region(text))
    return (
        0,
        0,
        len(text),
        int(wordy and not code and not flag and not money and not fraction),
        int(bool(_AGENCY_NOUNS.search(text))),
        int(folded in METRIC_WORDS),
        int(country),
        int(region),
        int(bool(_ACCOUNT_RE.search(text))),
        email,
        int(code),
        int(flag),
        money,
        fraction,
        int(country or region),
    )


def pct(share: float) -> str:
    """Format a share as a whole percentage."""
    return f"{share:.0%}"


def _excluded(head: _Header, st: _Stats) -> str:
    """Why a column is no agency and no count (a row number, an identifier, a flag), or ""."""
    if st.n == 0:
        return ""
    if st.sequence and not head.metric:
        return "values run 1, 2, 3 ...: a row number; kept raw in extra"
    if st.flag >= 0.9:
        return f"{pct(st.flag)} of values are yes/no flags; kept raw in extra"
    if head.identifier:
        return f"header {head.text!r} names an identifier; kept raw in extra"
    if st.code >= 0.8:
        return f"{pct(st.code)} of values are letter-digit codes (identifiers); kept raw in extra"
    if st.fixed_width_ids and not head.metric:
        return (
            "numbers of one width (account numbers, postal codes): identifiers; kept raw in extra"
        )
    if head.money or st.money >= 0.5:
        return "money (currency, fee or cost), not a count; kept raw in extra"
    if _people(head, st):
        return f"{pct(st.person)} of values are people's names, not agencies; kept raw in extra"
    if head.rate:
        return f"header {head.text!r} names a rate or share, not a count; kept raw in extra"
    return ""


def _people(head: _Header, st: _Stats) -> bool:
    """True for a column of people's names (a requester, a user): never the agency, though a
    header saying only "Name" heads it; a header naming an organisation ("Client") still wins."""
    own = head.own or head.text
    organisation = bool(own) and bool(_HEADER_CUES["agency"].search(own))
    return (
        st.person >= 0.6
        and st.agency_shaped < 0.2
        and not (organisation and not _BARE_NAME_HEADER.fullmatch(own))
    )


def _score(
    role: str, head: _Header, st: _Stats, summed: bool, *, people: bool = False
) -> tuple[float, str]:
    """Score a role for a column: header cue up to 0.5, value fit up to 0.5; 0 when unfit."""
    if st.n == 0:
        return 0.0, ""
    header = head.text
    cue = (
        bool(header)
        and len(header) <= _MAX_CUE_HEADER
        and role in _HEADER_CUES
        and bool(_HEADER_CUES[role].search(header))
    )
    if role == "agency" and header and _NOT_AGENCY_HEADER.search(header):
        cue = False  # "User Name" is a person, "Organization Address" a place, not an agency
    if cue and role == "agency" and not _HEADER_CUES[role].search(head.own):
        # A group label ("Client" over "Client Status" and "Client Name") heads every column
        # under it; the column's own label says which one holds the names.
        cue = False
    head_why = f"header {header!r} " if cue else ""
    if role in ("agency", "count", "country", "region") and (
        (st.sequence and not head.metric) or st.flag >= 0.9 or head.identifier or st.code >= 0.8
    ):
        return 0.0, ""
    if role == "count":
        return _score_count(head, st, summed)
    if role == "date":
        fit = st.date
        ok = fit >= 0.8 or (cue and fit >= 0.6)
        why = f"{head_why}{pct(fit)} of values are dates"
        if st.excel_serial:
            why += " (Excel serial numbers)"
        if st.dayfirst is not None:
            why += ", day first" if st.dayfirst else ", month first"
        return (0.5 * cue + 0.5 * fit + 0.05, why) if ok else (0, "")
    if role == "user_email":
        fit = st.email
        return (
            (0.5 * cue + 0.5 * fit + 0.1, f"{head_why}{pct(fit)} of values are emails")
            if fit >= 0.7
            else (0, "")
        )
    if role == "country":
        fit = st.country
        ok = fit >= 0.8 or (cue and fit >= 0.5)
        return (
            (0.5 * cue + 0.5 * fit, f"{head_why}{pct(fit)} of values are countries")
            if ok
            else (0, "")
        )
    if role == "region":
        fit = st.region
        # Values alone make a region column when nearly all are states or regions, written as
        # codes or as names that are not agency-shaped ("New York", "US-CO", "Missouri").
        ok = (cue and fit >= 0.5) or (fit >= 0.95 and (st.mean_len <= 3 or st.agency_shaped < 0.2))
        return (
            (0.5 * cue + 0.45 * fit, f"{head_why}{pct(fit)} of values are states or regions")
            if ok
            else (0, "")
        )
    if role == "account_type":
        fit = st.account
        ok = (cue and fit >= 0.5) or fit >= 0.9
        return (
            (0.5 * cue + 0.45 * fit, f"{head_why}{pct(fit)} of values name an account type")
            if ok
            else (0, "")
        )
    if role == "metric":
        fit = st.metric_words
        return (0.5 * fit, f"{pct(fit)} of values name what was counted") if fit >= 0.8 else (0, "")
    if role == "agency":
        return _score_agency(head, st, cue, people=people)
    return 0, ""


def _score_count(head: _Header, st: _Stats, summed: bool) -> tuple[float, str]:
    """A count column: whole numbers, named for what was counted if possible, never money."""
    fit = st.count
    cue = head.metric or head.generic_count
    if not (fit >= 0.8 or (cue and fit >= 0.6)) or st.date > fit:
        return 0.0, ""
    if head.money or head.rate or st.money >= 0.5 or st.fraction >= 0.2:
        return 0.0, ""
    if st.fixed_width_ids and not head.metric:
        return 0.0, ""
    if not (head.metric or head.generic_count) and _HEADER_CUES["date"].search(head.text):
        return 0.0, ""  # "Response Time", "Days Open": a duration, not a count of anything
    if head.metric:
        score, why = 0.6 + 0.4 * fit, f"header {head.text!r} names what was counted"
    elif head.generic_count:
        score, why = 0.45 + 0.4 * fit, f"header {head.text!r} is a count"
    else:
        score, why = 0.2 + 0.4 * fit, "no header names a count"
    why += f"; {pct(fit)} of values are counts"
    if summed:
        score, why = score + 0.1, why + "; they add up to the printed total"
    return score, why


def _score_agency(
    head: _Header, st: _Stats, cue: bool, *, people: bool = False
) -> tuple[float, str]:
    """An agency column: names (words, agency nouns, many distinct values), mostly filled."""
    fit = st.text
    if fit < 0.7 or st.email > 0.5 or st.mean_len > 120 or st.metric_words > 0.5:
        return 0.0, ""
    if _people(head, st):
        return 0.0, ""
    if (head.metric or head.money) and not cue and st.agency_shaped < 0.5:
        # A header naming what was counted heads a count, unless the values are agency names:
        # "Detections Shared" over a list of the agencies detections are shared with.
        return 0.0, ""
    penalty, notes, scale = 0.0, "", 1.0
    if st.place >= 0.8:
        # A column of places is the rows' country or state; it is their subject only when no
        # column names an agency (rows.py takes it then).
        penalty, notes = 0.3, f"; {pct(st.place)} of values are places"
    elif st.fill < 0.5:
        # A sparse free-text column (a note filled on a few rows) is not whom the rows are about.
        scale, notes = st.fill, f"; only {pct(st.fill)} of rows filled"
    elif st.distinct < 0.05 and st.n >= 20 and st.agency_shaped < 0.5:
        # Few distinct values look like a status or type column, unless they are agency names:
        # an audit log names its one agency on every row.
        penalty, notes = 0.2, f"; only {pct(st.distinct)} of values distinct"
    # Agency words and many different names tell the agency column from a status or type
    # column whose header shares a group label with it ("Client Status" / "Client Name").
    names = 0.1 * st.agency_shaped + 0.05 * min(st.n_distinct, 20) / 20
    if cue:
        return (
            (0.5 + 0.4 * fit + names - penalty) * scale,
            f"header {head.text!r} {pct(fit)} of values are names{notes}",
        )
    if st.agency_shaped >= 0.3:
        return (
            (0.3 + 0.4 * st.agency_shaped - penalty) * scale,
            f"{pct(st.agency_shaped)} of values have agency words (police, sheriff...){notes}",
        )
    if (
        not people
        and not (head.text and _NOT_AGENCY_HEADER.search(head.text))
        and st.fill >= 0.8
        and st.distinct >= 0.3
        and 3 <= st.mean_len <= 60
        and st.country < 0.5
        and st.region < 0.5
        and st.account < 0.5
    ):
        # The more of them differ, the likelier names than a status repeated down the rows.
        return (
            0.25 + 0.1 * fit + 0.05 * st.distinct,
            f"{pct(fit)} of values are varied names; no header says so",
        )
    return 0.0, ""
