"""The variation generator (issue 11): every kind over many seeds, scored; the generator checked.

Each kind's seeds 0..N-1 are written to subfolders of one folder and foialog runs once over
all kinds together (a run's start-up, worker processes and the language model, costs more than
the few hundred small documents). `pytest -s tests/variation/test_variation.py` prints F1 per kind,
the worst seed, what it varied and a few wrong rows. Each kind must stay at or above its floor
in FLOORS, the F1 measured when the floor was set: a ratchet, so a regression fails. Raise a
floor when the reader improves. The target for every kind is 0.97 (issue 11).
"""

from __future__ import annotations

import csv
import importlib
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from tests.variation import kinds
from tests.variation.core import Generator
from tests.variation.runner import KindResult, describe, measure_all
from tests.variation.sheets import CODE_PAGES
from tests.variation.tabular import DISTRACTOR_P, Options, make_plan
from tests.variation.words import AGENCIES

#: Seeds per kind unless the kind's module sets TEST_SEEDS.
SEEDS = 30

#: Row F1 per kind measured on the working tree when the floor was set (30 seeds), less 0.02
#: (seven people change the reader at once): the floor a change may not go below. Raise a
#: floor when the reader improves. The target is 0.97 for every kind. A kind not listed (a new
#: one, or another module's while its author measures it) has floor 0 until one is written here.
FLOORS: dict[str, float] = {
    # kind: floor  # F1 at 09:25 UTC (at a077b9f, the reader before issue 11's fixes)
    "csv": 0.96,  # 0.985 (0.235)
    "xlsx": 0.92,  # 0.945 (0.208)
    "html": 0.97,  # 0.999 (0.283)
    "html_nested": 0.98,  # 1.000 (0.000)
    "text_news": 0.97,  # 0.990 (0.796)
    "email": 0.96,  # 0.980 (0.189)
    "pdf_grid": 0.97,  # 0.999 at 03:05 (issue 18: a ruled column blank on page 2 but its
    # label kept, the page carries the table on; 0.984 at 12:55, seed 7 0.667 then)
    "pdf_unruled": 0.97,  # 0.997 at 13:12 (3addb5d; 0.264 before issue 11)
    "pdf_wrapped": 0.98,  # 1.000 at 13:12 (3addb5d; 0.162 before issue 11)
    # 0.600 at 09:25 was uncommitted work in the shared tree; every commit since reads 0.503-0.514
    "pdf_redacted": 0.98,  # 1.000 at 16:05 (e38e599; 0.918 at 12:55)
    "lookalike": 0.98,  # 1.000 at 12:40 (issue 14's kind; entities in test_variation_entities.py)
    # 30 seeds 0.987 at 19:10 (380744f; 0.952 before, worst seed 4 0.750: 1-bit letters
    # misread); the test runs scans' TEST_SEEDS (6), which read 0.967 (seed 4 among them)
    "scan": 0.96,
}

KINDS = kinds()


def seeds_for(kind: str, generator: Generator) -> int:
    """The number of seeds a kind runs in the test (the module's TEST_SEEDS, else SEEDS)."""
    module = importlib.import_module(generator.__module__)
    return int(getattr(module, "TEST_SEEDS", {}).get(kind, SEEDS))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, KindResult]]:
    """Every kind's seeds generated and read in one foialog run; prints the F1 table at the end."""
    root = tmp_path_factory.mktemp("variation")
    seeds = {kind: seeds_for(kind, generator) for kind, generator in KINDS.items()}
    measured = measure_all(KINDS, seeds, root)
    yield measured
    print("\n\nvariation generator, row F1 per kind (target 0.97):")
    for kind in sorted(measured):
        r = measured[kind]
        dist = r.distribution()
        print(
            f"  {kind:>14}  F1 {r.total.f1:.3f}  P {r.total.precision:.3f}  "
            f"R {r.total.recall:.3f}  seeds {len(r.seeds)}  min {dist['min']:.3f}  "
            f"median {dist['median']:.3f}  floor {FLOORS.get(kind, 0.0):.3f}"
        )


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_kind_f1_holds_its_floor(kind: str, results: dict[str, KindResult]) -> None:
    result = results[kind]
    print("\n" + describe(result))
    empty = [g.seed for g, _ in result.seeds if not g.truth]
    assert not empty, f"{kind}: seeds {empty} generated no truth rows"
    floor = FLOORS.get(kind, 0.0)
    assert result.total.f1 >= floor, (
        f"{kind}: row F1 {result.total.f1:.3f} fell below its floor {floor:.3f}\n"
        + describe(result, wrong=8)
    )


#: A PDF's creation and modification times (Pillow's PDF writer stamps the clock): metadata,
#: not content, so left out of the same-bytes comparison.
PDF_STAMP = re.compile(rb"/(CreationDate|ModDate) ?\(D:[0-9Z+\-']*\)")


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): PDF_STAMP.sub(rb"/\1 ()", p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_same_seed_gives_the_same_bytes(kind: str, tmp_path: Path) -> None:
    for seed in range(3):
        first, second = tmp_path / f"a{seed}", tmp_path / f"b{seed}"
        first.mkdir()
        second.mkdir()
        a = KINDS[kind](seed, first)
        b = KINDS[kind](seed, second)
        assert _files(first) == _files(second), f"{kind} seed {seed}: files differ between runs"
        assert [t.__dict__ for t in a.truth] == [t.__dict__ for t in b.truth]
        assert a.variation == b.variation
        assert a.truth, f"{kind} seed {seed}: no truth rows"
        assert {t.source_file.split(" > ")[0] for t in a.truth} <= set(_files(first))


def test_distractor_columns_appear_as_often_as_claimed() -> None:
    plans = [make_plan(seed, "property", Options()) for seed in range(400)]
    for role, p in DISTRACTOR_P.items():
        eligible = [plan for plan in plans if role != "users" or plan.header is not None]
        seen = sum(role in plan.roles for plan in eligible) / len(eligible)
        assert abs(seen - p) < 0.08, f"{role}: in {seen:.2f} of tables, claimed {p}"
    # Every table holds its agency and count columns, and the truth has a row per data line.
    for plan in plans:
        assert {"agency", "count"} <= set(plan.roles)
        assert len(plan.truth) == sum(line.kind == "data" for line in plan.lines)


def _csv_rows(folder: Path, variation: dict[str, str]) -> list[list[str]]:
    (path,) = [p for p in folder.iterdir() if p.suffix in {".csv", ".tsv"}]
    text = path.read_bytes().decode(CODE_PAGES[variation["encoding"]])
    delimiter = {"tab": "\t"}.get(variation["delimiter"], variation["delimiter"])
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _number(text: str, numbers: str) -> int:
    digits = text.replace("\u00a0", "").replace(" ", "")
    digits = digits.replace("." if numbers == "eu" else ",", "")
    return int(digits)


def test_csv_files_hold_what_the_truth_and_variation_say(tmp_path: Path) -> None:
    for seed in range(40):
        folder = tmp_path / str(seed)
        folder.mkdir()
        generated = KINDS["csv"](seed, folder)
        variation = generated.variation
        rows = _csv_rows(folder, variation)
        roles = variation["columns"].split(",")
        width = len(roles)
        data = [
            r
            for r in rows
            if len(r) == width
            and any(t.agency == r[roles.index("agency")] for t in generated.truth)
        ]
        assert len(data) == len(generated.truth), f"seed {seed}: data rows differ from truth"
        for row, truth in zip(data, generated.truth, strict=True):
            assert row[roles.index("agency")] == truth.agency
            assert _number(row[roles.index("count")], variation["numbers"]) == truth.count
        if "rownum" in roles:
            # Row numbers run 1, 2, 3 ... in the order the rows are printed.
            assert [int(r[roles.index("rownum")]) for r in data] == list(range(1, len(data) + 1))
        if "account" in roles:
            pattern = r"[A-Z]+-\d{5}" if variation["account"] == "code" else r"\d{5}"
            assert all(re.fullmatch(pattern, r[roles.index("account")]) for r in data)
        if variation["header"] == "none":
            assert not any(r[roles.index("count")].isalpha() for r in rows if len(r) == width)


def test_xlsx_totals_are_values_or_formulas_cached_or_not_as_the_seed_says(
    tmp_path: Path,
) -> None:
    checked = 0
    for seed in range(30):
        folder = tmp_path / str(seed)
        folder.mkdir()
        generated = KINDS["xlsx"](seed, folder)
        if generated.variation.get("total") != "yes":
            continue
        (path,) = folder.glob("*.xlsx")
        sheet = openpyxl.load_workbook(path)[generated.variation["sheet"]]
        formulas = [
            c.value
            for row in sheet.iter_rows()
            for c in row
            if isinstance(c.value, str) and c.value.startswith("=SUM(")
        ]
        cached = openpyxl.load_workbook(path, data_only=True)[generated.variation["sheet"]]
        values = [c.value for row in cached.iter_rows() for c in row]
        total = sum(t.count or 0 for t in generated.truth)
        mode = generated.variation["totals"]
        assert bool(formulas) == mode.startswith("formulas"), f"seed {seed}"
        if mode == "formulas-uncached":
            assert total not in values, f"seed {seed}: an uncached total {total} is cached"
        else:
            assert total in values, f"seed {seed}: the grand total {total} is not in the sheet"
        checked += 1
    assert checked >= 10


def _pdf_lines(path: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    lines = []
    for page in document:
        lines += page.get_textpage().get_text_range().splitlines()
    document.close()
    return [" ".join(line.split()) for line in lines]


def test_wrapped_pdfs_wrap_agency_names_and_redacted_pdfs_hide_them(tmp_path: Path) -> None:
    wrapped_names = 0
    for seed in range(8):
        folder = tmp_path / f"w{seed}"
        folder.mkdir()
        generated = KINDS["pdf_wrapped"](seed, folder)
        (pdf,) = folder.glob("*.pdf")
        lines = _pdf_lines(pdf)
        long_names = [t.agency for t in generated.truth if len(t.agency.split()) >= 3]
        # A name that wraps is on no single line whole; a short name may fit on one.
        wrapped_names += sum(not any(name in line for line in lines) for name in long_names)
        assert all(any(t.agency.split()[0] in line for line in lines) for t in generated.truth), (
            f"seed {seed}: an agency's first word is missing from the text"
        )
    assert wrapped_names >= 20
    hidden_seen = 0
    for seed in range(10):
        folder = tmp_path / f"r{seed}"
        folder.mkdir()
        generated = KINDS["pdf_redacted"](seed, folder)
        blank = sum(t.agency == "" for t in generated.truth)
        no_count = sum(t.count is None for t in generated.truth)
        assert blank + no_count == int(generated.variation["redacted_cells"])
        if int(generated.variation["hidden_text"]):
            # A box over text leaves the name in the text layer, though the truth has none.
            (pdf,) = folder.glob("*.pdf")
            text = " ".join(_pdf_lines(pdf))
            printed = {t.agency for t in generated.truth if t.agency}
            hidden_seen += any(a.name in text and a.name not in printed for a in AGENCIES)
    assert hidden_seen >= 2


def test_html_pages_and_emails_are_saved_as_the_seed_says(tmp_path: Path) -> None:
    import email
    from email import policy

    for seed in range(12):
        folder = tmp_path / f"h{seed}"
        folder.mkdir()
        generated = KINDS["html"](seed, folder)
        (page,) = folder.iterdir()
        data = page.read_bytes()
        assert data.startswith(b"HTTP/") == (generated.variation["http_header"] == "yes")
        assert b"<!DOCTYPE html>" in data
        folder = tmp_path / f"e{seed}"
        folder.mkdir()
        generated = KINDS["email"](seed, folder)
        (eml,) = folder.iterdir()
        message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
        names = {part.get_filename() for part in message.iter_attachments()}
        expected = {
            t.source_file.split(" > ")[1] for t in generated.truth if " > " in t.source_file
        }
        assert names == expected, f"email seed {seed}: attachments {names}, truth {expected}"
        body = message.get_body(("plain",))
        assert body is not None
        prose = [t for t in generated.truth if " > " not in t.source_file]
        text = " ".join(body.get_content().split())
        assert all(t.agency in text and f"{t.count:,}" in text for t in prose)
