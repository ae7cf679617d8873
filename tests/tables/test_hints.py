"""The reporter's hints: --role and a hints CSV change the files they name, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import foialog
from foialog.cli import cli
from foialog.errors import SettingsError
from foialog.extract.hints import (
    ROLE_CHOICES,
    Hint,
    hints_csv,
    load_hints,
    make_hint,
    parse_role_option,
)

HEADER = "Org #,Agency,Searches,Users,Last Login\n"
ROWS = [
    ("10231", "Springfield Police Department", 120, 4, "01/02/2020"),
    ("10232", "Kent County Sheriff", 75, 9, "02/03/2020"),
    ("10233", "Riverside Police", 12, 2, "03/04/2020"),
]


def _write(path: Path, rows: list[tuple[str, str, int, int, str]] = ROWS) -> Path:
    path.write_text(HEADER + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


@pytest.fixture
def leak(tmp_path: Path) -> Path:
    folder = tmp_path / "leak"
    folder.mkdir()
    _write(folder / "a.csv")
    # Not a.csv's table: an identical file, or one holding all of a.csv's rows, would be set
    # aside as a repeat (foialog/repeats.py).
    _write(folder / "b.csv", [*ROWS[:2], ("10234", "Interpol", 320, 5, "04/05/2020")])
    return folder


def _records(folder: Path, **settings: object) -> pd.DataFrame:
    result = foialog.run(folder, settings={"workers": 0, **settings})
    return result.records


def _counts(records: pd.DataFrame, name: str) -> list[int]:
    return [int(c) for c in records.loc[records["source_file"] == name, "count"]]


def test_role_option_changes_the_named_file_only(leak: Path) -> None:
    before = _records(leak)
    after = _records(leak, roles=("a.csv:Users=count",))
    assert _counts(after, "a.csv") == [r[3] for r in ROWS]
    assert _counts(after, "b.csv") == _counts(before, "b.csv")
    hinted = after[after["source_file"] == "a.csv"]
    assert set(hinted["hints"]) == {"file a.csv: column Users is count (--role a.csv:Users=count)"}
    assert set(after.loc[after["source_file"] == "b.csv", "hints"]) == {""}
    # Every other field of the other file is untouched, byte for byte.
    pd.testing.assert_frame_equal(
        before[before["source_file"] == "b.csv"].reset_index(drop=True),
        after[after["source_file"] == "b.csv"].reset_index(drop=True),
    )


def test_role_without_file_applies_to_every_file(leak: Path) -> None:
    records = _records(leak, roles=("Searches=count",))
    assert _counts(records, "a.csv") == [r[2] for r in ROWS]
    assert _counts(records, "b.csv") == [*(r[2] for r in ROWS[:2]), 320]
    assert set(records["metric"]) == {"searches"}


def test_hints_file_sets_role_metric_header_and_skipped_rows(tmp_path: Path) -> None:
    folder = tmp_path / "leak"
    folder.mkdir()
    (folder / "log.csv").write_text(
        "Export of 2020-05-01,,\n"
        "Name,Lookups,When\n"
        "Kent County Sheriff,5,03/04/2020\n"
        "Riverside Police,7,05/06/2020\n"
        "Test account,1,05/06/2020\n"
    )
    hints = tmp_path / "hints.csv"
    hints.write_text(
        "file,sheet,pages,column,role,metric,date_order,header_row,skip_rows,note\n"
        "log.csv,,,,,,,2,5,the header is the second line; row 5 is a test account\n"
        "log.csv,,,Lookups,count,plate lookups,,,,\n"
        "log.csv,,,When,date,,dmy,,,dates are day first\n"
    )
    records = _records(folder, hints=hints)
    assert list(records["agency_raw"]) == ["Kent County Sheriff", "Riverside Police"]
    assert [int(c) for c in records["count"]] == [5, 7]
    assert set(records["metric"]) == {"plate lookups"}
    assert list(records["date"]) == ["2020-04-03", "2020-06-05"]
    assert all("hints.csv line 2" in h and "hints.csv line 4" in h for h in records["hints"])


def test_hint_naming_a_missing_column_is_an_error_naming_file_and_columns(leak: Path) -> None:
    result = foialog.run(leak, settings={"workers": 0, "roles": ("a.csv:Userz=count",)})
    row = result.documents.set_index("source_file").loc["a.csv"]
    assert row["status"] == "partial"
    assert "column 'Userz' is not in this file" in row["error"]
    assert "Agency, Last Login, Org #, Searches, Users" in row["error"]
    assert result.documents.set_index("source_file").loc["b.csv", "status"] == "ok"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"column": "A", "role": "counter"}, "role 'counter' is unknown; choose one of agency"),
        ({"column": "A", "date_order": "dym"}, "date_order 'dym' is unknown"),
        ({"role": "count"}, "needs the column it is about"),
        ({"file": "a.csv"}, "the hint says nothing"),
        ({"header_row": "zero"}, "header_row 'zero' is not a row number"),
        ({"skip_rows": "3;x"}, "skip_rows '3;x' is not a list of row numbers"),
        ({"pages": "2-x", "skip_rows": "3"}, "pages '2-x' is not a page or range"),
        ({"colour": "red", "skip_rows": "3"}, "unknown hint column(s) colour"),
    ],
)
def test_bad_hints_name_the_line_and_the_fix(values: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=r"hints\.csv line 7") as caught:
        make_hint(values, "hints.csv line 7")
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("text", "file", "column", "role"),
    [
        ("Queries Run=count", "", "Queries Run", "count"),
        ("clients.csv:Organization=agency", "clients.csv", "Organization", "agency"),
        ("Agency Name:=agency", "", "Agency Name:", "agency"),
        ("*.xlsx:#3=date", "*.xlsx", "#3", "date"),
    ],
)
def test_role_option_syntax(text: str, file: str, column: str, role: str) -> None:
    hint = parse_role_option(text)
    assert (hint.file, hint.column, hint.role) == (file, column, role)


def test_role_option_without_role_lists_choices() -> None:
    with pytest.raises(SettingsError, match="COLUMN=ROLE") as caught:
        parse_role_option("Queries Run")
    assert all(role in str(caught.value) for role in ROLE_CHOICES)


def test_hint_file_patterns_match_members_and_paths() -> None:
    hint = Hint(file="*.csv", role="count", column="A")
    assert hint.matches_file("sub/a.csv")
    assert hint.matches_file("dump.zip > inner/a.csv")
    assert not hint.matches_file("a.xlsx")
    assert Hint(file="dump.zip > *", skip_rows=frozenset({1})).matches_file("dump.zip > x.pdf")
    paged = Hint(pages=(2, 3), skip_rows=frozenset({1}))
    assert paged.matches_table(None, 2)
    assert not paged.matches_table(None, 4)
    assert not paged.matches_table("Sheet1", None)


def test_inspect_prints_a_hints_file_that_round_trips(leak: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["inspect", str(leak / "a.csv"), "--hints"])
    assert printed.exit_code == 0, printed.output
    hints_path = tmp_path / "hints.csv"
    hints_path.write_text(printed.output)
    hints = load_hints(hints_path)
    assert {h.role for h in hints} >= {"agency", "date"}
    assert all(h.file == "a.csv" and h.header_row == 1 for h in hints)
    assert hints_csv(hints).splitlines()[0] == printed.output.splitlines()[0]
    # Applied back, the roles foialog chose give the records it gave.
    same = _records(leak, hints=hints_path)
    plain = _records(leak)
    assert list(same["count"]) == list(plain["count"])
    shown = runner.invoke(cli, ["inspect", str(leak / "a.csv"), "--role", "Users=count"])
    assert "hint: file every file" not in shown.output
    assert "column Users is count" in shown.output


def test_a_new_hint_rereads_only_the_files_it_names(leak: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = foialog.run(leak, out, settings={"workers": 0})
    assert set(first.documents["status"]) == {"ok"}
    # One cache entry per (file, content, hints that name it): a hint for a.csv adds exactly
    # one entry, so b.csv's cached result was reused and only a.csv was read again.
    cache = out / ".foialog-cache"
    before = {p.name for p in cache.glob("*.json")}
    foialog.run(leak, out, settings={"workers": 0, "roles": ("a.csv:Users=count",)})
    added = {p.name for p in cache.glob("*.json")} - before
    assert len(added) == 1
