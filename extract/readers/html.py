"""HTML pages: every <table> as a Table (nested ones too), lists of names outside tables as
one-column Tables, the remaining text as prose."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, replace
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString, PageElement

from foialog.extract.blocks import Blocks, CellValue, Table, Text
from foialog.extract.options import ReadOptions
from foialog.extract.text.encoding import decode_file, strip_http_header
from foialog.extract.text.prose import find_document_date

# BeautifulSoup with lxml rather than pandas.read_html: read_html drops the source row order
# of header rows and merges colspans silently, ignores nested tables' place in their outer
# row, and gives no text outside tables.
_PARSER = "lxml"
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_BLOCK_TAGS = ("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section")
_HIDDEN = ("script", "style", "head", "template", "noscript")
_MAX_SPAN = 100
_NUMBER = re.compile(r"^[-+(]?[$€£]?\s*\d[\d,.\s]*%?\)?$")
#: Fewest names a comma-joined text or a run of sibling elements must hold to be a list.
MIN_LIST = 5
#: Most words a list item may have (a name, not a sentence).
MAX_ITEM_WORDS = 12
_ACRONYM = re.compile(r"^[A-Z0-9&.\-]{2,}$")


def read_html(path: Path, name: str, options: ReadOptions) -> Blocks:
    """Read an HTML file's tables (spans filled, nested tables with their outer row's cells),
    its lists of names and its text outside them."""
    decoded = decode_file(path.read_bytes(), name)
    markup = strip_http_header(decoded.text.lstrip("\ufeff \t\r\n"))
    soup = BeautifulSoup(markup, _PARSER)
    for hidden in soup(list(_HIDDEN)):
        hidden.decompose()
    tables = _tables(soup)
    for element in soup.find_all("table"):
        if element.find_parent("table") is None:
            element.decompose()
    lists = name_lists(soup)
    # The label goes in the context, not above the names: a one-column header is not told
    # from a name by its shape, and the roles read a column of names as agencies anyway.
    tables.extend(
        Table(
            rows=[[n] for n in found.names],
            row_numbers=list(range(1, len(found.names) + 1)),
            sheet=f"list {number}",
            context=[found.label] if found.label else [],
            method="table",
        )
        for number, found in enumerate(lists, start=1)
    )
    for found in lists:
        if found.element is not None:
            found.element.decompose()
    figures, read = labelled_figures(soup)
    for node in read:  # in the table now; as prose they pair a figure with the wrong label
        node.extract()
    text = _visible_text(soup, apart=True)
    dated = find_document_date(text)
    if figures is not None:
        if dated:  # the page's own date ("Last updated ...") for figures that have none
            figures = replace(figures, context=[*figures.context, f"page dated {dated}"])
        tables.append(figures)
    texts = [Text(text=text, label="page text", document_date=dated)] if text else []
    notes = [decoded.note] if decoded.note else []
    if lists:
        notes.append(
            "lists of names outside tables read as one-column tables: "
            + "; ".join(f"list {i} ({len(x.names)} names)" for i, x in enumerate(lists, 1))
        )
    return Blocks(tables=tables, texts=texts, notes=notes)


def html_text(markup: str, *, apart: bool = False) -> str:
    """Return an HTML fragment's visible text, one line per paragraph or block; with
    ``apart`` blocks are separated by blank lines, so that no sentence runs across a heading,
    a label or a menu entry (web pages; an email's blocks are often lines of one paragraph)."""
    return _visible_text(BeautifulSoup(markup, _PARSER), apart=apart)


def _visible_text(soup: BeautifulSoup, *, apart: bool) -> str:
    """The text of a parsed page (changed in place: block ends marked), as ``html_text``."""
    for hidden in soup(list(_HIDDEN)):
        hidden.decompose()
    for block in soup.find_all(_BLOCK_TAGS):
        block.insert_after("\n\n" if apart and block.name != "br" else "\n")
    lines = [_clean(line) for line in soup.get_text().splitlines()]
    if apart:
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _BLANK_LINES.sub("\n\n", "\n".join(line for line in lines if line)).strip()


# --- tables ------------------------------------------------------------------------------


def _tables(soup: BeautifulSoup) -> list[Table]:
    """Every table of the page in document order; a nested table gets its outer row's other
    cells (the customer a row of searches belongs to) as leading columns, and nested tables
    of one outer table with the same header are read as one table."""
    elements = soup.find_all("table")
    numbers = {id(e): n for n, e in enumerate(elements, start=1)}
    carried_rows: set[int] = set()  # id() of outer <tr>s whose cells went into nested tables
    nested: dict[tuple[int, tuple[str, ...]], list[list[CellValue]]] = {}
    for element in elements:
        outer = element.find_parent("table")
        if outer is None:
            continue
        cell = element.find_parent(["td", "th"])
        tr = cell.find_parent("tr") if cell is not None else None
        if cell is None or tr is None or tr.find_parent("table") is not outer:
            continue
        inner = [row for _, row in _table_rows(element)]
        if not inner:
            continue
        names, values = _carried(outer, tr, cell)
        header: list[CellValue] = []
        if _is_header(element, inner):
            header = [*names, *inner[0]]
            inner = inner[1:]
        key = (numbers[id(outer)], tuple(str(c) for c in header))
        rows = nested.setdefault(key, [header] if header else [])
        rows.extend([*values, *row] for row in inner)
        carried_rows.add(id(tr))
    tables: list[Table] = []
    for element in elements:
        if element.find_parent("table") is not None:
            continue
        numbered = _table_rows(element, skip=carried_rows)
        holds_nested = any(n == numbers[id(element)] for n, _ in nested)
        if len(numbered) > 1 or (numbered and not holds_nested):
            context = _title(element)
            tables.append(
                Table(
                    rows=[row for _, row in numbered],
                    row_numbers=[n for n, _ in numbered],
                    sheet=f"table {numbers[id(element)]}",
                    context=context,
                    method="table",
                )
            )
    for (outer_number, _), rows in nested.items():
        tables.append(
            Table(
                rows=rows,
                row_numbers=list(range(1, len(rows) + 1)),
                sheet=f"tables nested in table {outer_number}",
                method="table",
            )
        )
    return tables


def _title(table: Tag) -> list[str]:
    """The table's caption, else the nearest heading before it."""
    caption = table.find("caption")
    if isinstance(caption, Tag) and _clean(caption.get_text(" ")):
        return [_clean(caption.get_text(" "))]
    heading = table.find_previous(["h1", "h2", "h3", "h4", "h5", "h6"])
    return [_clean(heading.get_text(" "))] if isinstance(heading, Tag) else []


def _carried(outer: Tag, tr: Tag, holder: Tag) -> tuple[list[CellValue], list[CellValue]]:
    """(header names, values) of the outer row's cells other than the one holding the table."""
    cells = _own_cells(tr)
    first = next(iter(_own_rows(outer)), None)
    head = _own_cells(first) if first is not None and first is not tr else []
    is_head = bool(head) and all(c.name == "th" for c in head)
    names: list[CellValue] = []
    values: list[CellValue] = []
    for position, cell in enumerate(cells):
        if cell is holder:
            continue
        value = _cell_text(cell, outer)
        label = _cell_text(head[position], outer) if is_head and position < len(head) else ""
        names.append(label or f"outer column {position + 1}")
        values.append(value or None)
    return names, values


def _is_header(element: Tag, rows: list[list[CellValue]]) -> bool:
    """A first row of <th> cells, or of text over rows that hold numbers."""
    first = next(iter(_own_rows(element)), None)
    if first is not None and _own_cells(first) and all(c.name == "th" for c in _own_cells(first)):
        return True
    if len(rows) < 2:
        return False
    top = [str(c) for c in rows[0] if c]
    below = [str(c) for row in rows[1:] for c in row if c]
    return (
        bool(top)
        and not any(_NUMBER.match(c) for c in top)
        and any(_NUMBER.match(c) for c in below)
    )


def _own_rows(table: Tag) -> list[Tag]:
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _own_cells(tr: Tag) -> list[Tag]:
    return list(tr.find_all(["td", "th"], recursive=False))


def _cell_text(cell: Tag, table: Tag) -> str:
    """A cell's text without the text of tables nested in it."""
    if cell.find("table") is None:
        return _clean(cell.get_text(" "))
    parts = [
        str(s)
        for s in cell.find_all(string=True)
        if isinstance(s, NavigableString) and s.find_parent("table") is table
    ]
    return _clean(" ".join(parts))


def _table_rows(
    table: Tag, skip: set[int] | frozenset[int] = frozenset()
) -> list[tuple[int, list[CellValue]]]:
    """The table's non-empty rows (1-based <tr> number, cells), spans copied into every slot;
    rows in ``skip`` (id() of <tr>) left out."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    rows_tr = _own_rows(table)
    for r, tr in enumerate(rows_tr):
        c = 0
        for cell in _own_cells(tr):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell, table)
            rowspan = _span(cell.get("rowspan"))
            colspan = _span(cell.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
            width = max(width, c)
    rows: list[list[CellValue]] = [
        [grid.get((r, c)) or None for c in range(width)] for r in range(len(rows_tr))
    ]
    return [
        (r + 1, row)
        for r, row in enumerate(rows)
        if any(v is not None for v in row) and id(rows_tr[r]) not in skip
    ]


def _span(raw: object) -> int:
    try:
        return max(1, min(int(str(raw)), _MAX_SPAN))
    except ValueError:
        return 1


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


# --- label / value figures outside tables -------------------------------------------------

_FIGURE = re.compile(r"^(?P<count>\d{1,3}(?:[,.\u202f ]\d{3})+|\d+)(?:\s+[^\W\d_]+){0,2}$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")


def labelled_figures(soup: BeautifulSoup) -> tuple[Table | None, list[PageElement]]:
    """Figures a page prints as label / value pairs outside tables ("Searches in the last 30
    days" over "837"), as one row each: the page's subject (its first heading), the label as
    the metric, the figure as the count; and the elements read. None when the page has fewer
    than two."""
    rows: list[list[CellValue]] = []
    metrics: list[str] = [""]
    read: list[PageElement] = []
    for leaf in soup.find_all(lambda t: t.find(True) is None):
        value = _clean(leaf.get_text(" "))
        found = _FIGURE.match(value)
        if not found or _YEAR.match(value) or _navigation(leaf):
            continue
        label, node = _label_node(leaf)
        if not label or _FIGURE.match(label) or label == value or node is None:
            continue
        rows.append([label, value])
        metrics.append(label)
        read.extend([leaf, node])
    if len(rows) < 2:
        return None, []
    subject = _subject(soup)
    table = Table(
        rows=[["Agency", "Measure", "Count"], *([subject, *row] for row in rows)],
        row_numbers=list(range(len(rows) + 1)),
        sheet="figures",
        context=[f"figures printed as label and value pairs, about {subject or 'the page'}"],
        method="table",
        row_metrics=metrics,
    )
    return table, read


def _subject(soup: BeautifulSoup) -> str:
    """Whom the page is about: its first top-level heading, else its title."""
    for tag in ("h1", "h2", "title"):
        found = soup.find(tag)
        if isinstance(found, Tag) and _clean(found.get_text(" ")):
            return _clean(found.get_text(" "))
    return ""


# --- lists of names outside tables ---------------------------------------------------------


@dataclass(frozen=True)
class NameList:
    """Names a page lists outside any table, and the label printed before them."""

    label: str
    names: list[str]
    #: The element the names were read from (taken out of the page's prose once read).
    element: Tag | None = None


def name_lists(soup: BeautifulSoup | Tag) -> list[NameList]:
    """Lists of names: one element's comma-joined text, or a run of sibling elements of one
    tag holding one short name each (<li>, <div>, <span>)."""
    found: list[NameList] = []
    for leaf in soup.find_all(_is_leaf):
        names = split_names(_clean(leaf.get_text(" ")))
        if names:
            found.append(NameList(label=_label_before(leaf), names=names, element=leaf))
    for parent in soup.find_all(True):
        children = [c for c in parent.find_all(True, recursive=False) if _clean(c.get_text(" "))]
        if len(children) < MIN_LIST or len({c.name for c in children}) != 1:
            continue
        if not all(c.find(True) is None or c.name == "li" for c in children):
            continue
        if _navigation(parent) or sum(_is_link(c) for c in children) > len(children) / 2:
            continue  # a menu: the site's pages, not names the page reports
        texts = [_clean(c.get_text(" ")) for c in children]
        if _name_shaped(texts) and not any("," in t and split_names(t) for t in texts):
            found.append(NameList(label=_label_before(parent), names=texts, element=parent))
    return found


_NAVIGATION = ("nav", "header", "footer", "menu", "select")


def _navigation(tag: Tag) -> bool:
    """Inside a page's navigation (nav, header, footer, menu, role=navigation or menu)."""
    for element in [tag, *tag.parents]:
        if element.name in _NAVIGATION or element.get("role") in ("navigation", "menu"):
            return True
    return False


def _is_link(item: Tag) -> bool:
    """An item that is one link (or a link and its icon): a menu entry."""
    link = item if item.name == "a" else item.find("a")
    return isinstance(link, Tag) and _clean(link.get_text(" ")) == _clean(item.get_text(" "))


def _is_leaf(tag: Tag) -> bool:
    return tag.find(True) is None and "," in tag.get_text()


def split_names(text: str) -> list[str]:
    """The names of a comma-joined list, or [] when the text is not one.

    A piece of one ordinary word ("Berkeley" in "University of California, Berkeley") is the
    end of the name before it, not a name: organisation names are rarely one plain word, the
    parts after a comma in a name (campus, city, country) often are. Acronyms stay names.
    """
    pieces = [p.strip() for p in text.split(",")]
    if len(pieces) < MIN_LIST:
        return []
    names: list[str] = []
    for piece in pieces:
        if not piece:
            continue
        words = piece.split()
        if names and len(words) == 1 and not _ACRONYM.match(piece) and piece[:1].isupper():
            names[-1] = f"{names[-1]}, {piece}"
        else:
            names.append(piece)
    names = [n.rstrip(".;") for n in names if n.rstrip(".;")]
    return names if len(names) >= MIN_LIST and _name_shaped(names) else []


def _name_shaped(texts: list[str]) -> bool:
    """Short texts that mostly start with a capital or a digit: names, not clauses."""
    if len(texts) < MIN_LIST:
        return False
    words = [len(t.split()) for t in texts]
    if statistics.median(words) > 6 or max(words) > MAX_ITEM_WORDS:
        return False
    capital = sum(1 for t in texts if t[:1].isupper() or t[:1].isdigit())
    return capital >= 0.8 * len(texts)


def _label_before(element: Tag) -> str:
    """The nearest short text before an element (the label of a label/value pair)."""
    return _label_node(element)[0]


def _label_node(element: Tag) -> tuple[str, PageElement | None]:
    """The nearest short text before an element, and the text node holding it."""
    for previous in element.find_all_previous(string=True, limit=20):
        text = _clean(str(previous))
        if text and len(text.split()) <= MAX_ITEM_WORDS and "," not in text:
            return text.rstrip(":"), previous
    return "", None
