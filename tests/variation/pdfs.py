"""Text-PDF kinds: ruled (grid), unruled, wrapped and redacted tables, drawn with fpdf2.

Each seed draws one table (tests/variation/tabular.py states the truth semantics) and prints
it as a report writer would: a title block, fonts (Helvetica, Times, Courier, DejaVu, Liberation
Narrow) and sizes, page size and orientation, cell padding, tables running over pages with the
header repeated, page-number footers. Kinds:

- ``pdf_grid``: every cell ruled;
- ``pdf_unruled``: no rules, or only a rule under the header or between rows;
- ``pdf_wrapped``: the agency column so narrow that names wrap onto two or three lines (the
  truth is the name joined with single spaces);
- ``pdf_redacted``: some agency or count cells redacted: a black box over the name (text still
  under it, or none), a box with the exemption code in white, or the code printed alone
  ("(b)(6)", "(b)(7)(C)"). A correct reading gives an empty agency (or no count) for such a
  cell and never the hidden text.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF

from tests.variation.core import Generated, Generator
from tests.variation.sheets import truth_rows
from tests.variation.tabular import Options, Plan, make_plan

FONT_DIR = Path("/usr/share/fonts/truetype")
#: Unicode fonts (name -> file) used when the machine has them; core fonts otherwise.
TTF = {
    "DejaVuSans": FONT_DIR / "dejavu/DejaVuSans.ttf",
    "DejaVuSerif": FONT_DIR / "dejavu/DejaVuSerif.ttf",
    "DejaVuSansCondensed": FONT_DIR / "dejavu/DejaVuSansCondensed.ttf",
    "LiberationSansNarrow": FONT_DIR / "liberation/LiberationSansNarrow-Regular.ttf",
    "LiberationSerif": FONT_DIR / "liberation/LiberationSerif-Regular.ttf",
}
CORE = ("Helvetica", "Times", "Courier")
EXEMPTIONS = ("(b)(6)", "(b)(7)(C)", "(b)(6), (b)(7)(C)", "b6")
NUMERIC = {"count", "users", "fee", "rownum"}


def _latin1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class _Report(FPDF):
    """An FPDF whose footer prints the page number (furniture a reader must leave out)."""

    footer_style = "Page {n} of {nb}"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.font_family, size=7)
        text = self.footer_style.replace("{n}", str(self.page_no())).replace("{nb}", "{nb}")
        self.cell(0, 5, text, align="C")


def _font(rng: random.Random, pdf: FPDF, variation: dict[str, str]) -> tuple[str, bool]:
    """Choose and register a font; returns its family and whether it holds all of Unicode."""
    available = [name for name, path in TTF.items() if path.exists()]
    # Core fonts twice as often: embedding a DejaVu subset costs half a second a file.
    choices = list(CORE) * 2 + [n for n in available if "DejaVu" not in n]
    choices += [rng.choice([n for n in available if "DejaVu" in n] or list(CORE))]
    family = rng.choice(choices)
    unicode_font = family in TTF
    if unicode_font:
        pdf.add_font(family, "", str(TTF[family]))
        pdf.add_font(family, "B", str(TTF[family]))
    variation["font"] = family
    return family, unicode_font


def _widths(pdf: FPDF, plan: Plan, usable: float, size: float, wrap_agency: bool) -> list[float]:
    """Column widths: each column's widest text, the agency column narrow when it must wrap."""
    widths = []
    header = plan.header or [""] * len(plan.roles)
    for j, role in enumerate(plan.roles):
        texts = [line.cells[j].text for line in plan.lines if line.kind == "data"]
        labels = [line.cells[j].text for line in plan.lines if line.kind != "data"]
        widest = max([pdf.get_string_width(t) for t in texts + labels] + [1.0])
        head_words = max([pdf.get_string_width(w) for w in header[j].split()] + [1.0])
        width = max(widest, head_words) + 3
        if role == "notes":
            width = min(width, 45)
        if role == "agency" and wrap_agency:
            longest_word = max(pdf.get_string_width(w) for t in texts for w in t.split())
            width = max(longest_word + 4, widest / 2.4 + 4)
        widths.append(width)
    total = sum(widths)
    if total > usable and size <= 6:
        # Shrink every column but the agency one (when it must wrap) to fit the page.
        fixed = widths[plan.roles.index("agency")] if wrap_agency else 0.0
        scale = (usable - fixed) / (total - fixed)
        widths = [
            w if (wrap_agency and r == "agency") else w * scale
            for w, r in zip(widths, plan.roles, strict=True)
        ]
    return widths


def _write_pdf(
    seed: int,
    kind: str,
    folder: Path,
    borders: tuple[str, ...],
    wrap_agency: bool = False,
    redact: bool = False,
) -> Generated:
    rng = random.Random(f"{kind}-file:{seed}")
    variation: dict[str, str] = {}
    pdf = _Report(
        orientation=rng.choice(("P", "L")),
        unit="mm",
        format=rng.choice(("A4", "Letter")),
    )
    pdf.set_creation_date(dt.datetime(2021, 1, 5, 9, 0, tzinfo=dt.timezone.utc))
    pdf.set_auto_page_break(True, margin=15)
    family, unicode_font = _font(rng, pdf, variation)
    can_hold: Callable[[str], bool] = (lambda _: True) if unicode_font else _latin1
    landscape = pdf.w > pdf.h
    plan = make_plan(
        seed,
        kind,
        Options(
            can_hold=can_hold,
            max_cols=9 if landscape else 7,
            max_rows=40,
            numbers=("plain", "en", "en", "eu"),
        ),
    )
    size = rng.choice((7.0, 8.0, 9.0, 10.0, 11.0))
    pdf.footer_style = rng.choice(("Page {n} of {nb}", "{n}", "- {n} -", "Page {n}"))
    pdf.add_page()
    pdf.set_font(family, "B", size + 3)
    for i, title in enumerate(plan.title):
        pdf.set_font(family, "B" if i == len(plan.title) - 1 else "", size + (3 if i else 1))
        pdf.cell(0, size * 0.6, title, new_x="LMARGIN", new_y="NEXT")
    if plan.title:
        pdf.ln(size * 0.4)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    chosen = size
    while True:
        # A table wider than the page is printed smaller, as a report writer's fit-to-width does.
        pdf.set_font(family, "", size)
        widths = _widths(pdf, plan, usable, size, wrap_agency)
        if sum(widths) <= usable + 0.01 or size <= 6:
            break
        size -= 0.5
    if size != chosen:
        variation["fit_size"] = str(size)
    layout = rng.choice(borders)
    aligns = tuple("RIGHT" if r in NUMERIC else "LEFT" for r in plan.roles)
    redactions: dict[tuple[int, int], str] = {}
    truth = list(plan.truth)
    if redact:
        redactions, truth = _redactions(rng, plan)
        variation["redacted"] = ",".join(sorted({v.split(":")[0] for v in redactions.values()}))
        variation["redacted_cells"] = str(len(redactions))
        variation["styles"] = ",".join(sorted({v.split(":")[1] for v in redactions.values()}))
        variation["hidden_text"] = str(
            sum(v.startswith("agency:box_hidden") for v in redactions.values())
        )
    pad = rng.choice((0.8, 1.2, 1.8))
    drawer = _TableDrawer(pdf, family, unicode_font, widths, aligns, layout, size, pad)
    heading_rows: list[list[tuple[str, int]]] = []
    if plan.groups is not None:
        heading_rows.append([(label, end - start + 1) for start, end, label in plan.spans])
    if plan.header is not None:
        heading_rows.append([(text, 1) for text in plan.header])
    drawer.headings = heading_rows
    drawer.draw_headings()
    data_index = 0
    for line in plan.lines:
        marks = {}
        if line.kind == "data":
            marks = {j: how for (i, j), how in redactions.items() if i == data_index}
            data_index += 1
        drawer.draw_row(
            [(c.text, 1) for c in line.cells], bold=line.kind in {"total", "subtotal"}, marks=marks
        )
    drawer.finish()
    pdf.set_font(family, "", max(size - 1, 6))
    for note in plan.notes:
        pdf.cell(0, size * 0.5, f"* {note}", new_x="LMARGIN", new_y="NEXT")
    name = rng.choice(("report.pdf", "Responsive_Records.pdf", "usage.pdf"))
    pdf.alias_nb_pages()
    (folder / name).write_bytes(bytes(pdf.output()))
    variation.update(plan.variation)
    variation.update(
        {
            "size": str(size),
            "page": f"{pdf.def_orientation}-{'A4' if pdf.w in (210, 297) else 'Letter'}",
            "borders": layout,
            "pages": str(pdf.page_no()),
        }
    )
    moved = Plan(**{**plan.__dict__, "truth": truth})
    return Generated(kind, seed, folder, truth_rows(moved, name), variation)


class _TableDrawer:
    """Draws a table cell by cell (text, rules, fills) and repeats its header on new pages.

    fpdf2's own table() lays out each cell with multi_cell, about a second a table; drawing
    the words with text() keeps a seed at a few tenths of a second and lets a redaction box be
    drawn over text already on the page, as a careless redaction is.
    """

    def __init__(
        self,
        pdf: FPDF,
        family: str,
        unicode_font: bool,
        widths: list[float],
        aligns: tuple[str, ...],
        layout: str,
        size: float,
        pad: float,
    ) -> None:
        self.pdf, self.family, self.unicode_font = pdf, family, unicode_font
        self.widths, self.aligns, self.layout, self.size, self.pad = (
            widths,
            aligns,
            layout,
            size,
            pad,
        )
        self.lh = size * 0.42
        self.x0 = pdf.l_margin
        self.y = pdf.get_y()
        self.headings: list[list[tuple[str, int]]] = []
        self.page_top = self.y

    def _style(self, bold: bool) -> None:
        self.pdf.set_font(self.family, "B" if bold and not self.unicode_font else "", self.size)

    def _wrap(self, text: str, width: float) -> list[str]:
        lines: list[str] = []
        for part in text.split("\n"):
            current = ""
            for word in part.split(" "):
                trial = f"{current} {word}" if current else word
                if current and self.pdf.get_string_width(trial) > width:
                    lines.append(current)
                    current = word
                else:
                    current = trial
            lines.append(current)
        return lines

    def _cells(self, cells: list[tuple[str, int]]) -> list[tuple[float, float, list[str], int]]:
        out, col = [], 0
        for text, span in cells:
            x = self.x0 + sum(self.widths[:col])
            width = sum(self.widths[col : col + span])
            out.append((x, width, self._wrap(text, width - 2 * self.pad), col))
            col += span
        return out

    def draw_headings(self) -> None:
        """Draw the heading rows at the current position."""
        for row in self.headings:
            self.draw_row(row, bold=True, heading=True)
        if self.headings and self.layout == "SINGLE_TOP_LINE":
            self.pdf.line(self.x0, self.y, self.x0 + sum(self.widths), self.y)

    def draw_row(
        self,
        cells: list[tuple[str, int]],
        bold: bool = False,
        marks: dict[int, str] | None = None,
        heading: bool = False,
    ) -> None:
        """Draw one row, starting a new page (with the headings again) when it does not fit."""
        marks = marks or {}
        self._style(bold)
        laid = self._cells(cells)
        height = max(len(lines) for _, _, lines, _ in laid) * self.lh + 2 * self.pad
        if not heading and self.y + height > self.pdf.h - 18:
            self.pdf.add_page()
            self.y = self.pdf.t_margin
            self.page_top = self.y
            self.draw_headings()
            self._style(bold)
        pdf = self.pdf
        for x, width, lines, col in laid:
            how = marks.get(col)
            style, code = ("", "")
            if how is not None:
                _, style, code = how.split(":", 2)
                if style in {"box_empty", "box_code"}:
                    lines = []
                elif style == "code":
                    lines = [code]
            align = "CENTER" if len(cells) < len(self.widths) and heading else self.aligns[col]
            for k, text in enumerate(lines):
                w = pdf.get_string_width(text)
                if align == "RIGHT":
                    tx = x + width - self.pad - w
                elif align == "CENTER":
                    tx = x + (width - w) / 2
                else:
                    tx = x + self.pad
                if text:
                    pdf.text(tx, self.y + self.pad + (k + 0.8) * self.lh, text)
            if style in {"box_hidden", "box_empty", "box_code"}:
                # The box goes on after the text, as a redaction drawn over a page does.
                pdf.set_fill_color(0, 0, 0)
                pdf.rect(x + 0.3, self.y + 0.3, width - 0.6, height - 0.6, style="F")
                if style == "box_code":
                    pdf.set_text_color(255, 255, 255)
                    pdf.text(x + self.pad, self.y + self.pad + 0.8 * self.lh, code)
                    pdf.set_text_color(0, 0, 0)
            if self.layout == "ALL":
                pdf.rect(x, self.y, width, height)
            elif self.layout == "INTERNAL" and x > self.x0:
                pdf.line(x, self.y, x, self.y + height)
        self.y += height
        if self.layout in {"HORIZONTAL_LINES", "INTERNAL"}:
            pdf.line(self.x0, self.y, self.x0 + sum(self.widths), self.y)
        pdf.set_y(self.y)

    def finish(self) -> None:
        """Leave the cursor under the table."""
        self.pdf.set_y(self.y + 2)


def _redactions(
    rng: random.Random, plan: Plan
) -> tuple[dict[tuple[int, int], str], list[tuple[str, int | None, str]]]:
    """Which data cells are redacted and how, and the truth a correct reading gives then."""
    agency_col, count_col = plan.col("agency"), plan.col("count")
    styles = ("box_hidden", "box_empty", "box_code", "code")
    chosen = rng.sample(styles, rng.randint(1, 3))
    how: dict[tuple[int, int], str] = {}
    truth = list(plan.truth)
    for i, (agency, count, date) in enumerate(plan.truth):
        if rng.random() < 0.25:
            how[(i, agency_col)] = f"agency:{rng.choice(chosen)}:{rng.choice(EXEMPTIONS)}"
            truth[i] = ("", count, date)
        elif rng.random() < 0.08:
            style = rng.choice([s for s in chosen if s != "code"] or ["box_empty"])
            how[(i, count_col)] = f"count:{style}:{rng.choice(EXEMPTIONS)}"
            truth[i] = (agency, None, date)
    if not how:
        how[(0, agency_col)] = f"agency:{chosen[0]}:{EXEMPTIONS[0]}"
        truth[0] = ("", plan.truth[0][1], plan.truth[0][2])
    return how, truth


def grid(seed: int, folder: Path) -> Generated:
    """A ruled table: every cell boxed."""
    return _write_pdf(seed, "pdf_grid", folder, ("ALL", "ALL", "INTERNAL"))


def unruled(seed: int, folder: Path) -> Generated:
    """An unruled table: whitespace only, or a rule under the header or between rows."""
    return _write_pdf(
        seed, "pdf_unruled", folder, ("NONE", "NONE", "SINGLE_TOP_LINE", "HORIZONTAL_LINES")
    )


def wrapped(seed: int, folder: Path) -> Generated:
    """A table whose narrow agency column wraps names onto two or three lines."""
    return _write_pdf(
        seed, "pdf_wrapped", folder, ("ALL", "NONE", "SINGLE_TOP_LINE", "INTERNAL"), True
    )


def redacted(seed: int, folder: Path) -> Generated:
    """A table with some agency or count cells redacted."""
    return _write_pdf(seed, "pdf_redacted", folder, ("ALL", "NONE", "INTERNAL"), redact=True)


KINDS: dict[str, Generator] = {
    "pdf_grid": grid,
    "pdf_unruled": unruled,
    "pdf_wrapped": wrapped,
    "pdf_redacted": redacted,
}
