"""People's decisions in report.html and methodology.md, the re-run command, the timeline."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pytest

import foialog
from foialog.decisions import read_verifications, with_current_values
from foialog.export import read_tables
from foialog.report import write_report
from foialog.report.timeline import split_by_month
from foialog.rerun import PASSWORD_PLACEHOLDER, recorded, rerun_command
from foialog.review.workbench import ReviewError, Workbench
from foialog.sample import write_sample
from foialog.settings import Settings


def _top_record(out: Path) -> pd.Series:
    """The largest searches record of the top agency: the first evidence of its number."""
    records = read_tables(out)["records"]
    data = records[
        (records["metric"] == "searches")
        & (records["agency_id"] != "")
        & (records["row_type"] == "data")
    ]
    top = data.groupby("agency_id")["count"].sum().idxmax()
    return data[data["agency_id"] == top].sort_values("count").iloc[-1]


def test_verdicts_are_shown_in_the_report_and_listed_in_the_methodology(out: Path) -> None:
    bench = Workbench(out)
    top = _top_record(out)
    other = read_tables(out)["records"].iloc[3]
    bench.verify(str(top["record_id"]), "verified", "checked against page")
    bench.verify(str(other["record_id"]), "wrong", "count misread")
    write_report(out)
    html = (out / "report.html").read_text()
    checked = html[html.index('id="checked"') : html.index('id="ocr"')]
    assert checked.count('<tr class="verdict-') == 2
    assert '<span class="verdict verified">verified</span>' in checked
    assert '<tr class="verdict-wrong">' in checked
    assert "count misread" in checked
    assert checked.count('data-label="now">as judged') == 2
    # The headline card says it, in the warning colour as one record is wrong.
    assert '<a class="card warn" href="#checked"><div class="value">1 verified</div>' in html
    # The verified record, shown as evidence of its agency's total, carries its verdict.
    block = html[html.index(f'id="ev-{top["agency_id"]}-searches"') :]
    block = block[: block.index("back to the totals")]
    assert "verified by a person" in block
    text = (out / "methodology.md").read_text()
    section = text[text.index("## Decisions made by people") : text.index("## Known limits")]
    assert "0 hint(s), role(s) and correction(s), and 2 record(s) marked" in section
    assert f"- verified: record `{top['record_id']}` (`{top['source_file']}`" in section
    assert "- wrong: record" in section
    assert "`count misread`; now as judged" in section


def test_a_verdict_on_values_that_changed_since_says_so(out: Path) -> None:
    bench = Workbench(out)
    top = _top_record(out)
    bench.verify(str(top["record_id"]), "verified")
    records = read_tables(out)["records"]
    records.loc[records["record_id"] == top["record_id"], "count_raw"] = "99,999"
    now = with_current_values(read_verifications(out), records)
    assert list(now["now"]) == ["changed since: count_raw now '99,999'"]
    gone = with_current_values(read_verifications(out), records.iloc[:0])
    assert list(gone["now"]) == ["no longer in records.csv"]
    # A second verdict on one record replaces the first.
    bench.verify(str(top["record_id"]), "wrong")
    assert list(read_verifications(out)["verdict"]) == ["wrong"]


def test_rerun_command_carries_every_setting_that_changes_records(tmp_path: Path) -> None:
    settings = Settings(
        password="s3cret pass",
        ocr_languages="eng+deu",
        roles=("clients.csv:Hits=count",),
        keep_duplicates=True,
        follow_links=True,
        timeout=60,
        workers=3,
        max_depth=2,
    )
    kept = recorded(settings)
    assert "s3cret" not in json.dumps(kept)
    assert kept["password"] is True
    command = rerun_command([Path("leak dir")], Path("out"), kept, hints=Path("out/hints.csv"))
    words = shlex.split(command.text)
    assert words[:5] == ["foialog", "run", "leak dir", "-o", "out"]
    assert words[words.index("--password") + 1] == PASSWORD_PLACEHOLDER
    assert words[words.index("--ocr-lang") + 1] == "eng+deu"
    assert words[words.index("--role") + 1] == "clients.csv:Hits=count"
    assert words[words.index("--timeout") + 1] == "60"
    assert words[words.index("--hints") + 1] == "out/hints.csv"
    assert {"--keep-duplicates", "--follow-links"} <= set(words)
    assert "--workers" not in words  # how many workers changes no record
    assert "s3cret" not in command.text
    assert any(PASSWORD_PLACEHOLDER in note for note in command.notes)
    assert any("max_depth was 2" in note for note in command.notes)
    # Defaults add nothing.
    plain = rerun_command([Path("leak")], Path("out"), recorded(Settings()))
    assert plain.text == "foialog run leak -o out"
    assert plain.notes == ()


def test_ocr_languages_from_the_environment_are_recorded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOIALOG_OCR_LANGUAGES", "eng+fra")
    assert recorded(Settings())["ocr_languages"] == "eng+fra"
    assert recorded(Settings(ocr_languages="deu"))["ocr_languages"] == "deu"


def test_the_app_reruns_with_the_run_s_own_settings_and_hints(tmp_path: Path) -> None:
    manifest = write_sample(tmp_path / "sample", seed=1)
    given = tmp_path / "my_hints.csv"
    given.write_text(
        "file,sheet,pages,column,role,metric,date_order,header_row,skip_rows,note\n"
        "export_noheader.csv,,,column 3,count,searches,,,,mine\n"
    )
    out = tmp_path / "out"
    foialog.run(
        [manifest.leak_dir],
        out,
        settings={"hints": given, "ocr_languages": "eng", "roles": ("Searches=count",)},
    )
    run = json.loads((out / "run.json").read_text())
    assert run["settings"]["hints"] == str(given)
    bench = Workbench(out, password="pw")
    settings = bench.settings()
    assert settings.roles == ("Searches=count",)
    assert settings.ocr_languages == "eng"
    assert settings.hints == given
    assert settings.password == "pw"
    words = shlex.split(bench.command().text)
    assert words[words.index("--hints") + 1] == str(given)
    assert words[words.index("--role") + 1] == "Searches=count"
    # The app's first hint starts OUT/hints.csv from the run's own file: both stay in force.
    bench.add_hint({"file": "searches_eu.csv", "column": "Searches", "role": "count"})
    lines = (out / "hints.csv").read_text().splitlines()
    assert lines[1] == "export_noheader.csv,,,column 3,count,searches,,,,mine"
    assert lines[2].startswith("searches_eu.csv,,,Searches,count")
    assert bench.settings().hints == out / "hints.csv"
    words = shlex.split(bench.command().text)
    assert words[words.index("--hints") + 1] == str(out / "hints.csv")
    bench.rerun()
    text = (out / "methodology.md").read_text()
    assert "hint (" in text
    assert "column 3" in text
    assert "column role (--role): `Searches=count`" in text
    assert f"--hints {out / 'hints.csv'}" in text
    assert "--role Searches=count" in text


def test_the_app_will_not_rerun_without_the_run_s_password(out: Path) -> None:
    run = json.loads((out / "run.json").read_text())
    run["settings"]["password"] = True
    (out / "run.json").write_text(json.dumps(run))
    bench = Workbench(out)
    assert "--password PASSWORD" in bench.command().text
    with pytest.raises(ReviewError, match=r"foialog review .* --password"):
        bench.rerun()


def _frame(rows: list[tuple[str, str, int, str]], **extra: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["source_file", "agency_raw", "count", "date"])
    for column in ("sheet", "date_end", "date_label", "extra", "metric"):
        frame[column] = extra.get(column, "" if column != "extra" else "{}")
    return frame


def test_timeline_keeps_series_and_leaves_out_per_agency_totals() -> None:
    series = _frame(
        [("usage.csv", a, 10 * m, f"2019-0{m}-01") for a in ("A", "B") for m in (1, 2, 3)]
    )
    totals = _frame(
        [("clients.xlsx", f"Agency {n}", 1000 + n, f"2019-0{n}-1{n}") for n in range(1, 6)],
        date_label="First search",
    )
    one_month = _frame([("august.csv", f"Agency {n}", 5, "2019-08") for n in range(1, 5)])
    odd = _frame(
        [("odd.csv", "A", 7, "2019"), ("odd.csv", "B", 8, "2019-01-05"), ("odd.csv", "C", 9, "")]
    )
    odd.loc[1, "date_end"] = "2019-03-31"
    kept, left_out = split_by_month(pd.concat([series, totals, one_month, odd], ignore_index=True))
    assert sorted(set(kept["source_file"])) == ["august.csv", "usage.csv"]
    assert len(kept) == 6 + 4
    reasons = {
        item.reason.split(" ")[0] + " " + item.reason.split(" ")[1]: item for item in left_out
    }
    assert reasons["dated to"].records == 1
    assert reasons["counts over"].total == 8
    per_agency = reasons["totals of"]
    assert (per_agency.records, per_agency.total) == (5, 5015)
    assert per_agency.where == ("clients.xlsx, dated by “First search”",)


def test_report_timeline_says_what_it_leaves_out(sample_run: Path) -> None:
    html = (sample_run / "report.html").read_text()
    timeline = html[html.index('id="timeline"') : html.index('id="documents"')]
    assert "Left out of the monthly counts" in timeline
    assert "one row per agency" in timeline
    assert "First search" in timeline
    records = read_tables(sample_run)["records"]
    data = records[(records["row_type"] == "data") & records["count"].notna()]
    kept, _ = split_by_month(data[data["metric"] == "searches"])
    charted = sum(int(n.replace(",", "")) for n in _last_cells(timeline))
    assert charted == int(kept["count"].sum())
    # The client list: one row per agency, a lifetime total beside its first search.
    clients = data[
        (data["source_file"] == "visage_clients_2019.xlsx") & (data["sheet"] == "Clients")
    ]
    assert len(clients) > 20
    assert not set(kept["record_id"]) & set(clients["record_id"])


def _last_cells(html: str) -> list[str]:
    rows = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("</tr>")
    return [r.rsplit('<td class="num">', 1)[1].split("<", 1)[0] for r in rows if "<td" in r]
