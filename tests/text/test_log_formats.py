"""Audit logs in any line format (issue 12): formats, actions, failures, codes, totals tables."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd
import pytest

from foialog.extract.blocks import Text
from foialog.extract.document import extract_document
from foialog.extract.sources import Source, iter_sources
from foialog.extract.text import linelog
from foialog.extract.text.linelog import iter_file_lines, read_line_log
from foialog.extract.text.logevents import action_category
from foialog.extract.text.logs import text_log
from foialog.inspect import inspect_file
from foialog.methodology import methodology
from foialog.pipeline import run
from tests.variation.core import score
from tests.variation.logs import generate_log

#: Seeds of the variation generator's log kind, two of each format (found by scanning).
FORMAT_SEEDS = 2


def _seeds_by_format(tmp: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = defaultdict(list)
    for seed in range(200):
        generated = generate_log(seed, tmp / f"probe{seed}")
        fmt = generated.variation["format"]
        if len(found[fmt]) < FORMAT_SEEDS:
            found[fmt].append(seed)
    return found


def test_every_generated_log_format_counts_searches_exactly(tmp_path: Path) -> None:
    by_format = _seeds_by_format(tmp_path / "probe")
    assert len(by_format) == 11  # every format the generator writes
    made = []
    for fmt, seeds in sorted(by_format.items()):
        for seed in seeds:
            made.append((fmt, generate_log(seed, tmp_path / "run" / f"s{seed:04d}")))
    records = run(tmp_path / "run", settings={"cache": False}).records
    files = records["source_file"].astype(str)
    wrong = []
    for fmt, generated in made:
        own = records[files.str.startswith(f"s{generated.seed:04d}/")].copy()
        own["source_file"] = own["source_file"].str.split("/", n=1).str[1]
        result = score(generated, own)
        if result.f1 < 1.0:
            wrong.append((fmt, generated.seed, result.examples[:2]))
    assert not wrong


def _log(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _counts(records: pd.DataFrame) -> dict[tuple[str, str], int]:
    got: Counter[tuple[str, str]] = Counter()
    for agency, metric, count in zip(
        records["agency_raw"], records["metric"], records["count"], strict=True
    ):
        got[(agency, metric)] += int(count)
    return dict(got)


def test_issue_lines_each_read_in_its_format(tmp_path: Path) -> None:
    # The five classes of issue 12, one file each, in one run.
    _log(
        tmp_path,
        "access.log",
        [
            f'198.51.100.4 - user@agency.org [0{d}/Sep/2019:06:20:11 +0000] "POST /api/v2/'
            f'{"login" if d == 2 else "search"} HTTP/1.1" {403 if d == 3 else 200} 6633 '
            f'org_id="ORG-11299" qid=Q-76297{d}'
            for d in range(1, 6)
        ],
    )
    _log(
        tmp_path,
        "kv.log",
        [
            f"2019-03-1{d}T00:45:55Z level=INFO event={'login' if d % 2 else 'search'} "
            f'user=u{d}@vic.example org="Victoria Police"'
            for d in range(1, 7)
        ],
    )
    # Two-space columns, a 12-hour clock, and a comma inside the agency: sniffed as CSV.
    _log(
        tmp_path,
        "fixed.log",
        [
            f"01/1{d}/2019 0{d}:28:36 PM  {'LOGIN' if d == 1 else 'SEARCH'}  user=a@c.example  "
            f"agency=Columbia Police Department, SC  id=32e9472{d}"
            for d in range(1, 5)
        ],
    )
    _log(
        tmp_path,
        "events.jsonl",
        [
            json.dumps(
                {"ts": f"2020-05-0{d}T10:00:00Z", "organization": "Pittsburgh Bureau of Police"}
                | {"action": "view" if d == 4 else "search"}
            )
            for d in range(1, 5)
        ],
    )
    result = run(tmp_path, settings={"cache": False})
    by_file = {
        f: _counts(result.records[result.records["source_file"] == f])
        for f in ("access.log", "kv.log", "fixed.log", "events.jsonl")
    }
    assert by_file == {
        "access.log": {
            ("ORG-11299", "searches"): 3,
            ("ORG-11299", "logins"): 1,
            ("ORG-11299", "failed requests"): 1,
        },
        "kv.log": {("Victoria Police", "searches"): 3, ("Victoria Police", "logins"): 3},
        "fixed.log": {
            ("Columbia Police Department, SC", "searches"): 3,
            ("Columbia Police Department, SC", "logins"): 1,
        },
        "events.jsonl": {
            ("Pittsburgh Bureau of Police", "searches"): 3,
            ("Pittsburgh Bureau of Police", "views"): 1,
        },
    }
    fixed = result.records[result.records["source_file"] == "fixed.log"]
    assert sorted(fixed["date"] + " " + fixed["time"])[0] == "2019-01-11 13:28:36"
    notes = dict(zip(result.documents["source_file"], result.documents["notes"], strict=True))
    assert "NCSA access log" in notes["access.log"]
    assert "logins counted apart, not as searches: 1 (ORG-11299 1)" in notes["access.log"]
    assert "field 'organization'" in notes["events.jsonl"]
    # No client list: the code stays the agency, and review.csv lists it with its events.
    review = result.review
    assert review is not None
    unjoined = review[review["kind"] == "unjoined code"]
    assert list(zip(unjoined["variant"], unjoined["count_affected"], strict=True)) == [
        ("ORG-11299", 5)  # its events, of every kind
    ]


def test_unparsed_lines_are_counted_shown_and_never_an_agency(tmp_path: Path) -> None:
    lines = [
        f'{{"time": "2021-02-0{d}T08:00:00-05:00", "agency": "Erie Police", "event": "query"}}'
        for d in range(1, 8)
    ]
    lines[2:2] = ["-- MARK --", "Traceback (most recent call last):"]
    lines.append('  File "/srv/app.py", line 8, in handle')
    lines.append("=== log rotated ===")
    out = read_line_log(
        iter_file_lines(_log(tmp_path, "a.jsonl", lines)), source_file="a.jsonl", sha256=""
    )
    assert out is not None
    assert {r.agency_raw for r in out.records} == {"Erie Police"}
    assert sum(r.count or 0 for r in out.records) == 7
    # The date as printed in the line's own zone, not moved to UTC.
    assert min(r.date for r in out.records) == "2021-02-01"
    unread = next(n for n in out.notes if "did not parse" in n)
    assert unread.startswith("4 line(s) did not parse as JSON Lines")
    assert "line 3: '-- MARK --'" in unread
    assert "line 4: 'Traceback" in unread
    assert "rotated" not in unread  # the first three only


def test_syslog_3164_prints_no_year_so_no_date_is_guessed() -> None:
    text = "\n".join(
        f"<134>Sep  {d} 06:20:11 web-3 portal[8{d}]: event=search user=a@b.example "
        f'client="Polizei Berlin" result=ok'
        for d in range(1, 5)
    )
    out = text_log(Text(text), source_file="sys.log", sha256="")
    assert out is not None
    assert [(r.agency_raw, r.metric, r.date, r.date_raw) for r in out.records][:1] == [
        ("Polizei Berlin", "searches", "", "Sep  1 06:20:11")
    ]


def test_syslog_5424_and_epoch_json(tmp_path: Path) -> None:
    text = "\n".join(
        f'<134>1 2022-01-0{d}T23:30:00.000-08:00 audit searchsvc 42 AUDIT [audit@32473 tenant="'
        f'Garda" action="{"identify" if d > 1 else "sign_in"}" result="ok"] user x@g.example'
        for d in range(1, 5)
    )
    out = text_log(Text(text), source_file="5424.log", sha256="")
    assert out is not None
    assert Counter((r.metric, r.date) for r in out.records) == {
        ("logins", "2022-01-01"): 1,
        ("searches", "2022-01-02"): 1,
        ("searches", "2022-01-03"): 1,
        ("searches", "2022-01-04"): 1,
    }
    # Epoch seconds print no zone: their UTC date (23:30 UTC-8 on the 1st is the 2nd in UTC).
    epoch = [
        json.dumps({"@timestamp": 1641108600 + 3600 * d, "actor": {"customer": "Erie PD"}})
        for d in range(3)
    ]
    found = read_line_log(enumerate(epoch, start=1), source_file="e.json", sha256="")
    assert found is not None
    assert next((r.agency_raw, r.date, r.time) for r in found.records) == (
        "Erie PD",
        "2022-01-02",
        "07:30:00",
    )
    assert any("every event counted as a search" in n for n in found.notes)


def test_totals_table_is_not_an_event_log_and_stays_out_of_the_timeline(
    tmp_path: Path,
) -> None:
    rows = ["Agency Name,Total Searches,Last Login"] + [
        f"{name},{total},2023-0{i + 1}-1{i} 0{i}:15:00"
        for i, (name, total) in enumerate(
            [("Erie Police", 120), ("Polizei Berlin", 7), ("Garda", 3051), ("Erie County SO", 0)]
        )
    ]
    _log(tmp_path, "totals.csv", rows)
    _log(
        tmp_path,
        "audit.log",
        [f"2023-02-0{d} 10:00:00  SEARCH  agency=Erie Police  user=u@e.example" for d in (1, 2)]
        + ["2023-02-03 10:00:00  SEARCH  agency=Erie Police  user=u@e.example"],
    )
    result = run(tmp_path, tmp_path / "out", settings={"cache": False, "workers": 0})
    totals = result.records[result.records["source_file"] == "totals.csv"]
    assert list(zip(totals["agency_raw"], totals["count"], totals["date"], strict=True)) == [
        ("Erie Police", 120, "2023-01-10"),
        ("Polizei Berlin", 7, "2023-02-11"),
        ("Garda", 3051, "2023-03-12"),
        ("Erie County SO", 0, "2023-04-13"),
    ]
    assert set(totals["method"]) != {"log"}
    monthly = pd.read_csv(tmp_path / "out" / "agencies_monthly.csv", keep_default_na=False)
    # Only the log's three searches are in a month; no lifetime total is spread into one.
    assert list(zip(monthly["month"], monthly["count"], monthly["methods"], strict=True)) == [
        ("2023-02", 3, "log")
    ]
    notes = dict(zip(result.documents["source_file"], result.documents["notes"], strict=True))
    assert "a table of per-agency totals" in notes["totals.csv"]


def test_codes_joined_to_names_from_the_client_list_beside_the_log(tmp_path: Path) -> None:
    leak = tmp_path / "in" / "leak"
    other = tmp_path / "in" / "other"
    leak.mkdir(parents=True)
    other.mkdir(parents=True)
    (leak / "clients.csv").write_text(
        "Client Code,Organization,Status\nORG-1,Erie Police,Active\nORG-2,Garda,Trial\n"
    )
    # Another vendor's list in another folder reuses ORG-1 for someone else.
    (other / "clients.csv").write_text("Account ID,Customer\nORG-1,Polizei Berlin\n")
    _log(
        leak,
        "audit.jsonl",
        [
            json.dumps({"time": f"2020-01-0{d}T10:00:00Z", "org_id": code, "event": "search"})
            for d, code in enumerate(["ORG-1", "ORG-2", "ORG-1", "ORG-3"], start=1)
        ],
    )
    result = run(tmp_path / "in", settings={"cache": False})
    log = result.records[result.records["source_file"] == "leak/audit.jsonl"]
    assert list(zip(log["agency_raw"], log["agency"], strict=True)) == [
        ("ORG-1", "Erie Police"),
        ("ORG-2", "Garda"),
        ("ORG-1", "Erie Police"),
        ("ORG-3", "ORG-3"),
    ]
    extra = json.loads(log["extra"].iloc[0])
    assert extra["agency_code"] == "ORG-1"
    assert extra["agency_joined_from"].startswith("leak/clients.csv row ")
    erie = result.records[result.records["agency"] == "Erie Police"]["agency_id"]
    assert erie.nunique() == 1  # the joined events and the list's row are one agency
    review = result.review
    assert review is not None
    assert list(review[review["kind"] == "unjoined code"]["variant"]) == ["ORG-3"]
    method = methodology(result.tables(), {}).markdown()
    assert "`ORG-1` is `Erie Police` in `leak/clients.csv`: 2 event(s)" in method
    assert "4 event(s) were read from 1 event log(s), one per line or row: searches 4" in method


def test_a_long_log_is_kept_per_agency_day_and_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(linelog, "AGGREGATE_AFTER", 10)
    lines = [
        f"2020-03-0{1 + i % 3}T10:{i:02d}:00Z event={'login' if i % 5 == 0 else 'search'} "
        f"org={'A-PD' if i % 2 else 'B-SO'} user=u@x.example"
        for i in range(40)
    ]
    path = _log(tmp_path, "big.log", lines)
    result = extract_document(Source(path, path.name))
    per_event: Counter[tuple[str, str, str]] = Counter()
    for i in range(40):
        kind = "logins" if i % 5 == 0 else "searches"
        per_event[("A-PD" if i % 2 else "B-SO", f"2020-03-0{1 + i % 3}", kind)] += 1
    got = {(r.agency_raw, r.date, r.metric): r.count for r in result.records}
    assert got == dict(per_event)
    assert len(result.records) < 40
    first = min(result.records, key=lambda r: r.row or 0)
    assert first.row == 1
    assert json.loads(first.extra)["first line"] == 1
    assert any("one record per organisation, day and kind" in n for n in result.notes)


def test_timestamped_rows_with_a_named_count_column_are_a_table(tmp_path: Path) -> None:
    # Agencies repeat, each row is dated to the second, but "Searches" counts: a table.
    rows = ["Agency,Run at,Searches"] + [
        f"{name},2021-0{m}-01 0{m}:00:00,{n}"
        for m, (name, n) in enumerate([("Erie PD", 12), ("Garda", 40), ("Erie PD", 7)], start=1)
    ]
    path = _log(tmp_path, "runs.csv", rows)
    result = extract_document(Source(path, path.name))
    assert [(r.agency_raw, r.count) for r in result.records] == [
        ("Erie PD", 12),
        ("Garda", 40),
        ("Erie PD", 7),
    ]
    assert {r.method for r in result.records} != {"log"}


def test_inspect_says_how_a_log_is_read(tmp_path: Path) -> None:
    path = _log(
        tmp_path,
        "kv.log",
        [
            f"2019-03-1{d}T00:45:55Z op={'login' if d == 1 else 'plate_query'} outcome=ok "
            f'tenant="NSW Police Force" user=u{d}@nsw.example'
            for d in range(1, 6)
        ],
    )
    assert inspect_file(path).log == [
        "format: key=value (logfmt), 5 of its first 5 lines read",
        "organisation: field 'tenant' (named for an organisation)",
        "action: 'op' (a value naming none counts as other events)",
        "failures: 'outcome'",
        "time: the timestamp in each line",
    ]
    totals = _log(
        tmp_path,
        "totals.csv",
        ["Agency,Searches,Last Login"]
        + [f"Agency {c},{n},2020-01-0{n} 10:00:00" for c, n in zip("ABC", (3, 5, 7), strict=True)],
    )
    assert inspect_file(totals).log[-1].startswith("not an event log: its rows carry counts")


@pytest.mark.parametrize(
    ("action", "kind"),
    [
        ("plate_lookup", "searches"),
        ("faceSearch", "searches"),
        ("Search Performed", "searches"),
        ("IDENTIFY", "searches"),
        ("POST /api/v2/query?q=1", "searches"),
        ("sign_in", "logins"),
        ("Logon", "logins"),
        ("LOGOUT", "logouts"),
        ("VIEW_RESULT", "views"),
        ("Export CSV", "exports"),
        ("password_reset", "admin actions"),
        ("User Created", "admin actions"),
        ("search_failed", "failed requests"),
        ("hotlist_hit", ""),
        ("heartbeat", ""),
    ],
)
def test_action_words_name_the_kind_of_event(action: str, kind: str) -> None:
    assert action_category(action) == kind


def test_a_json_array_written_one_event_per_line_is_a_log(tmp_path: Path) -> None:
    events = [
        {
            "ts": f"2020-05-0{i}T10:00:00Z",
            "actor": {"org": "Erie Police" if i % 2 else "Garda"},
            "action": "login" if i == 3 else "search",
        }
        for i in range(1, 7)
    ]
    path = tmp_path / "events.json"
    path.write_text("[\n" + ",\n".join(json.dumps(e) for e in events) + "\n]\n")
    result = extract_document(Source(path, path.name))
    got = Counter((r.agency_raw, r.metric) for r in result.records for _ in range(r.count or 0))
    assert got == {
        ("Erie Police", "searches"): 2,
        ("Garda", "searches"): 3,
        ("Erie Police", "logins"): 1,
    }
    assert not any("did not parse" in n for n in result.notes)


def test_w3c_iis_log_and_an_org_only_in_the_query_string() -> None:
    w3c = [
        "#Software: Microsoft Internet Information Services 10.0",
        "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query cs-username sc-status",
    ] + [
        f"2018-07-1{d} 15:18:15 10.0.4.12 POST /api/{'login' if d == 3 else 'search'} "
        f"organization=Fort+Gay+Police+Department%2C+WV&ref=a{d} u@f.example "
        f"{500 if d == 4 else 200}"
        for d in range(1, 6)
    ]
    out = text_log(Text("\n".join(w3c)), source_file="iis.log", sha256="")
    assert out is not None
    assert Counter((r.agency_raw, r.metric) for r in out.records) == {
        ("Fort Gay Police Department, WV", "searches"): 3,
        ("Fort Gay Police Department, WV", "logins"): 1,
        ("Fort Gay Police Department, WV", "failed requests"): 1,
    }
    # W3C's "-" is a whole empty field: a hyphen inside a query value (an account code) stays.
    coded = [w3c[1]] + [
        f"2018-07-11 15:18:1{d} 10.0.4.12 GET /api/search org=ORG-8564{d % 2} - 200"
        for d in range(4)
    ]
    by_code = text_log(Text("\n".join(coded)), source_file="iis.log", sha256="")
    assert by_code is not None
    assert Counter(r.agency_raw for r in by_code.records) == {"ORG-85640": 2, "ORG-85641": 2}
    ncsa = [
        f'203.0.113.4 - u@e.example [1{d}/Dec/2021:13:52:09 +0000] "POST /api/v2/search?'
        f'org_id=Erie+Police&plate=9A5DD{d} HTTP/1.1" 200 4486'
        for d in range(3)
    ]
    found = text_log(Text("\n".join(ncsa)), source_file="a.log", sha256="")
    assert found is not None
    assert {(r.agency_raw, r.metric) for r in found.records} == {("Erie Police", "searches")}


def test_cef_lines_with_and_without_a_syslog_prefix() -> None:
    lines = [
        f"{'<134>Jul 15 15:37:12 lpr-portal ' if d % 2 else ''}CEF:0|Vendor|LPR Portal|3.2|10{d}|"
        f"{'sign_out' if d == 2 else 'face_search'}|3|rt=Jul 1{d} 2019 15:37:12 "
        f"suser=u{d}@s.example src=203.0.113.{d} act={'sign_out' if d == 2 else 'face_search'} "
        f"outcome={'failure' if d == 3 else 'success'} cs1Label=org_id "
        "cs1=St. Francis County Sheriff's Office, AR requestClientApplication=portal"
        for d in range(1, 6)
    ]
    out = text_log(Text("\n".join(lines)), source_file="cef.log", sha256="")
    assert out is not None
    assert Counter((r.agency_raw, r.metric, r.date) for r in out.records) == {
        ("St. Francis County Sheriff's Office, AR", "searches", "2019-07-11"): 1,
        ("St. Francis County Sheriff's Office, AR", "logouts", "2019-07-12"): 1,
        ("St. Francis County Sheriff's Office, AR", "failed requests", "2019-07-13"): 1,
        ("St. Francis County Sheriff's Office, AR", "searches", "2019-07-14"): 1,
        ("St. Francis County Sheriff's Office, AR", "searches", "2019-07-15"): 1,
    }


def test_a_pretty_printed_json_export_of_events_is_a_log(tmp_path: Path) -> None:
    events = [
        {
            "id": f"e{i}",
            "timestamp": f"2020-03-0{i}T01:15:45-06:00",
            "tenant": "ORG-1" if i % 2 else "ORG-2",
            "action": {"type": "login" if i == 2 else "search", "status": 200},
        }
        for i in range(1, 7)
    ]
    (tmp_path / "events.json").write_text(json.dumps({"data": events}, indent=2))
    (tmp_path / "clients.csv").write_text(
        "Customer Number,Organization\nORG-1,Erie PD\nORG-2,Garda\n"
    )
    result = run(tmp_path, settings={"cache": False})
    log = result.records[result.records["source_file"] == "events.json"]
    got = Counter(zip(log["agency"], log["metric"], strict=True))
    assert got == {("Erie PD", "searches"): 3, ("Garda", "searches"): 2, ("Garda", "logins"): 1}
    assert list(log["row"]) == [1, 2, 3, 4, 5, 6]  # each event's place in the array


def test_csv_of_counts_with_a_time_and_unique_ids_on_each_row_is_a_table(tmp_path: Path) -> None:
    """Row numbers and account ids are unique per row like request ids, but a column named for
    what it counts, holding numbers above 1 ("2.281" is 2,281), makes each row a count."""
    lines = ["Nº;Número de solicitudes;Entidad;ID de cuenta;Periodo"] + [
        f"{i};{n};{agency};A-5{i}94{i};2020-0{i}-1{i}T11:11:00+01:00"
        for i, (n, agency) in enumerate(
            [
                ("2.281", "Polícia Judiciária"),
                (152, "Polícia Judiciária"),
                (19, "Bundespolizei"),
                (164, "Bundespolizei"),
                (40, "Guardia Civil"),
            ],
            start=1,
        )
    ]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = extract_document(next(iter_sources([path])))
    assert [(r.agency_raw, r.count, r.date) for r in out.records] == [
        ("Polícia Judiciária", 2281, "2020-01-11"),
        ("Polícia Judiciária", 152, "2020-02-12"),
        ("Bundespolizei", 19, "2020-03-13"),
        ("Bundespolizei", 164, "2020-04-14"),
        ("Guardia Civil", 40, "2020-05-15"),
    ]


def test_a_spreadsheet_event_log_keyed_by_customer_codes(tmp_path: Path) -> None:
    """Codes are identifiers to the roles, but a code repeated across events is the org key."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Timestamp", "User", "Customer", "Action"])
    codes = ["ORG-39826", "ORG-61148", "ORG-61148", "ORG-10206", "ORG-61148", "ORG-39826"]
    for n, code in enumerate(codes):
        sheet.append([f"2020-04-12 1{n}:40:33", f"user{n}@o.example.org", code, "face_search"])
    book.save(tmp_path / "activity.xlsx")
    out = extract_document(next(iter_sources([tmp_path / "activity.xlsx"])))
    assert Counter(r.agency_raw for r in out.records if r.row_type == "data") == {
        "ORG-61148": 3,
        "ORG-39826": 2,
        "ORG-10206": 1,
    }


def test_a_short_log_part_with_a_stack_trace_is_still_a_log() -> None:
    """Indented lines continue the entry above: they count neither for nor against a format."""
    lines = [
        '192.81.112.6 - u1@bpd.example [03/Jul/2017:18:07:54 -0700] "GET /api/v2/search?'
        'organization=Ballinger%20Police%20Department HTTP/1.1" 200 75706',
        '  File "/srv/app/handlers.py", line 88, in handle',
        '  File "/srv/app/search.py", line 12, in run',
        "Traceback (most recent call last):",
        '198.78.4.55 - u2@msju.example [05/Jul/2017:08:01:53 -0700] "POST /api/v2/search?'
        'organization=Mount%20St.%20Joseph%20University HTTP/1.1" 200 11404',
        '192.169.85.195 - u3@bpd.example [05/Jul/2017:16:52:10 -0700] "POST /api/v2/search?'
        'organization=Ballinger%20Police%20Department HTTP/1.1" 200 404',
        "-- MARK --",
    ]
    found = linelog.read_line_log(enumerate(lines, start=1), source_file="a.log.1", sha256="")
    assert found is not None
    assert Counter(r.agency_raw for r in found.records) == {
        "Ballinger Police Department": 2,
        "Mount St. Joseph University": 1,
    }


def test_a_short_cef_log_of_distinct_agencies_is_events_not_a_totals_table() -> None:
    """Each CEF line is an event: its signature id (100, 101 ...) is no count beside a name."""
    lines = [
        f"CEF:0|Vendor|LPR Portal|3.2|10{n}|search|3|rt=150955411571{n} suser=u{n}@x.example "
        f"act=search outcome=success cs1Label=account cs1={agency}"
        for n, agency in enumerate(["Skowhegan PD", "Red Lodge PD", "Elkland PD", "Erie PD"])
    ]
    found = linelog.read_line_log(
        enumerate([*lines, "2019-1"], start=1), source_file="a.log.2", sha256=""
    )
    assert found is not None
    assert sorted(r.agency_raw for r in found.records) == [
        "Elkland PD",
        "Erie PD",
        "Red Lodge PD",
        "Skowhegan PD",
    ]


def test_a_short_csv_log_with_noise_lines_and_its_header_again_is_a_log() -> None:
    lines = [
        "Action,Timestamp,Request,user_email,Account,Status",
        "match,2023-04-01 15:34:22,29a5a96b,u1@o.example,ORG-80764,completed",
        "match,2023-04-02 02:25:08,48f42534,u2@o.example,ORG-65461,200",
        "-- MARK --",
        "2019-1",
        '  File "/srv/app/handlers.py", line 88, in handle',
        "Action,Timestamp,Request,user_email,Account,Status",
        "LOGOUT,2023-04-03 11:41:18,fd604be7,u3@o.example,ORG-19897,200",
        "match,2023-04-03 18:47:02,09e2eabe,u1@o.example,ORG-80764,200",
    ]
    found = linelog.read_line_log(enumerate(lines, start=1), source_file="a.csv", sha256="")
    assert found is not None
    assert Counter(r.agency_raw for r in found.records) == {
        "ORG-80764": 2,
        "ORG-65461": 1,
        "ORG-19897": 1,
    }
