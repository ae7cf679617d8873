"""The settings a run kept in run.json, and the command that runs it again with them."""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, fields
from pathlib import Path

from foialog.extract.readers.ocr import LANGUAGES_VARIABLE
from foialog.settings import Settings

#: What the re-run command writes in place of the password, which is never recorded.
PASSWORD_PLACEHOLDER = "PASSWORD"
#: Settings that change where and how fast work runs, never which records come out.
_NOT_RECORDS = frozenset({"workers", "engine", "scheduler", "cache", "force"})
#: Settings the command line has an option for: (setting, option); any other setting that
#: changes records and differs from its default is named in a note of the command.
_OPTIONS: tuple[tuple[str, str], ...] = (
    ("model", "--model"),
    ("ocr_languages", "--ocr-lang"),
    ("ocr_timeout", "--ocr-timeout"),
    ("timeout", "--timeout"),
    ("memory_mb", "--memory-mb"),
    ("stage_timeout", "--stage-timeout"),
    ("hints", "--hints"),
    ("corrections", "--corrections"),
)
_FLAGS: tuple[tuple[str, str], ...] = (
    ("raw_csv", "--raw-csv"),
    ("follow_links", "--follow-links"),
    ("keep_duplicates", "--keep-duplicates"),
)


def recorded(settings: Settings) -> dict[str, object]:
    """The settings of a run as run.json keeps them: plain values, the password never.

    ``password`` is True when one was given; ``ocr_languages`` is the languages in force, read
    from FOIALOG_OCR_LANGUAGES when the run named none, so that another shell reproduces them.
    """
    kept: dict[str, object] = {}
    for item in fields(settings):
        if not item.init:
            continue
        value = getattr(settings, item.name)
        if isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        kept[item.name] = value
    kept["password"] = settings.password is not None
    if settings.ocr_languages is None:
        kept["ocr_languages"] = os.environ.get(LANGUAGES_VARIABLE, "").strip() or None
    return kept


@dataclass(frozen=True)
class Command:
    """A ``foialog run`` command line, and what a reader must know before running it."""

    text: str
    notes: tuple[str, ...] = ()


def rerun_command(
    inputs: list[Path],
    out: Path,
    settings: dict[str, object],
    *,
    hints: Path | None = None,
    corrections: Path | None = None,
) -> Command:
    """The ``foialog run`` command that reproduces a run from its recorded ``settings``.

    It carries every setting that changes records; ``hints`` and ``corrections`` replace the
    run's own files when given (the review app's files in OUT). The password is written as a
    placeholder, and a note says so.
    """
    values = dict(settings)
    if hints is not None:
        values["hints"] = str(hints)
    if corrections is not None:
        values["corrections"] = str(corrections)
    defaults = Settings()
    parts = ["foialog", "run", *(str(p) for p in inputs), "-o", str(out)]
    notes: list[str] = []
    if values.get("password"):
        parts += ["--password", PASSWORD_PLACEHOLDER]
        notes.append(
            f"the run opened encrypted files with a password, which is never recorded: put it "
            f"in place of {PASSWORD_PLACEHOLDER}"
        )
    for name, option in _OPTIONS:
        value = values.get(name)
        if value is None or value == getattr(defaults, name, None):
            continue
        parts += [option, _number(value)]
    for role in _as_list(values.get("roles")):
        parts += ["--role", role]
    for name, flag in _FLAGS:
        if values.get(name):
            parts.append(flag)
    if values.get("workers") == 0:
        parts += ["--workers", "0"]  # in this process, with no time or memory limit
    handled = {"password", "roles", "workers", *(n for n, _ in _OPTIONS), *(n for n, _ in _FLAGS)}
    for name, value in values.items():
        if name in handled or not changes_records(name) or not hasattr(defaults, name):
            continue
        if value is not None and value != getattr(defaults, name):
            notes.append(
                f"{name} was {value} (set through the Python API; the command line has no option "
                "for it): pass it in settings= to foialog.run"
            )
    return Command(" ".join(shlex.quote(p) for p in parts), tuple(notes))


def typed_inputs(run: dict[str, object]) -> list[Path]:
    """A run's inputs as typed (run.json's ``inputs`` are absolute), for text to publish."""
    listed = run.get("inputs_typed", run.get("inputs"))
    return [Path(p) for p in _as_list(listed)]


def changes_records(name: str) -> bool:
    """Whether a setting of run.json can change the records a run gives."""
    return name not in _NOT_RECORDS


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_list(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
