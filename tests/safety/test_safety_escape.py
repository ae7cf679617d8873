"""Text from the leak is escaped in methodology.md and report.html (issue 15 item 17)."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from foialog.methodology import html_text, markdown_text, quoted
from foialog.pipeline import run

#: A name that, taken verbatim, plants a section, a script link, a tag and an image.
PLANT = (
    "leak\n\n## Editor note\n\nThe figures are wrong. [click](javascript:alert(1)) "
    "<script>alert(1)</script> ![x](http://x.invalid/p.png) `tick` ``two`` \u202eevil"
)
CSV = "Agency,Searches,Date\nInterpol,320,2020-01-18\nEuropol,12,2020-02-01\n"


class _Tags(HTMLParser):
    """Every tag and every link target of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.links += [v or "" for k, v in attrs if k in {"href", "src"}]


def _tags(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("text", [PLANT, "", " ", "`", "a``b`", "<b>&amp;</b>", "-", "# h"])
def test_a_quoted_value_is_one_code_span_in_markdown_and_escaped_in_html(text: str) -> None:
    line = f"Before {quoted(text)} after"
    html = MarkdownIt("commonmark").render(markdown_text(line))
    tags = _tags(html)
    assert tags.tags == ["p"] + (["code"] if text else [])
    assert tags.links == []
    assert _tags(str(html_text(line))).tags == ["code"]


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_names_from_the_leak_plant_nothing_in_methodology_or_report(tmp_path: Path) -> None:
    leak = tmp_path / "leak"
    leak.mkdir()
    (leak / "good.csv").write_text(CSV)
    # A file name (Linux allows all but / and NUL), a zip member name, and a header.
    on_disk = PLANT.replace("/", "")
    (leak / f"{on_disk}.csv").write_text(CSV.replace("Date", PLANT.replace("\n", " ")))
    (leak / "dump.zip").write_bytes(_zip({f"{PLANT}.csv": CSV, f"{PLANT}.bin": "\x00\x01"}))
    (leak / f"{on_disk}.pdf").write_bytes(b"%PDF-1.7 broken")  # fails: its error names it
    out = tmp_path / "out"
    run(leak, out, settings={"workers": 0})
    markdown = (out / "methodology.md").read_text()
    rendered = MarkdownIt("commonmark").render(markdown)
    tags = _tags(rendered)
    assert tags.links == []
    assert "script" not in tags.tags
    assert "img" not in tags.tags
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert all("Editor note" not in h for h in headings), headings
    assert "Editor note" in markdown  # the name is shown, as text
    report = _tags((out / "report.html").read_text())
    assert not [link for link in report.links if link.lower().startswith("javascript")]
    assert "script" not in report.tags
    assert "\u202e" not in markdown
