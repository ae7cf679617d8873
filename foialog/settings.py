"""Run settings as one validated dataclass."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from foialog.errors import SettingsError
from foialog.extract.hints import Hint, load_hints, parse_role_option
from foialog.extract.options import ReadOptions
from foialog.extract.readers.containers import ContainerLimits
from foialog.extract.readers.ocr import OcrSettings

#: Where documents can be processed.
ENGINES = ("local", "dask")

#: The least memory a worker or stage may be given, in MiB (--memory-mb).
MIN_MEMORY_MB = 64


@dataclass(frozen=True)
class Settings:
    """Options of a run; build with ``Settings.resolve`` from None, a dict or an instance."""

    #: Password for encrypted workbooks (the same one is tried on every encrypted input).
    password: str | None = None
    #: spaCy pipeline for prose ("en_core_web_sm"); None tries foialog.extract.text.language's
    #: defaults.
    model: str | None = None
    #: Containers (zip, mbox, eml, msg) nested deeper than this are not opened.
    max_depth: int = 6
    #: Largest container member read, in MiB; a bigger one is a skipped documents.csv row.
    max_member_mb: int = 256
    #: Worker processes for the local engine; None uses every core, 0 runs in this process.
    workers: int | None = None
    #: Seconds one input file may take before it is stopped (local engine).
    timeout: float = 300.0
    #: Memory one worker may use, in MiB (local engine); also what each stage after reading
    #: may add to the run's own memory.
    memory_mb: int = 4096
    #: Seconds each stage after reading (resolution, tables, the database, the report) may
    #: take before it is stopped and left out with a note (local engine).
    stage_timeout: float = 1800.0
    #: "local" (a process pool on this machine) or "dask" (a cluster at ``scheduler``).
    engine: str = "local"
    #: Address of the Dask scheduler, e.g. "tcp://127.0.0.1:8786", for engine "dask".
    scheduler: str | None = None
    #: Keep per-file results in OUT/.foialog-cache so re-runs read only new or changed files.
    cache: bool = True
    #: A corrections CSV of reporter decisions (merge, split, rename...) applied on every run.
    corrections: Path | None = None
    #: Write the CSVs' cells exactly as read, formula-like ones included (default: as text).
    raw_csv: bool = False
    #: Write into a non-empty output folder that foialog did not write (files of the same
    #: names are replaced); without it such a folder is refused.
    force: bool = False
    #: Follow symbolic links under the input folders, even to files outside them.
    follow_links: bool = False
    #: Read every copy of a file; by default a file identical to an earlier one (the same
    #: SHA-256) is listed in documents.csv, not read again, so that its rows count once, and
    #: so is a table whose rows another file holds (foialog.repeats).
    keep_duplicates: bool = False
    #: A hints CSV (column roles, metric, date order, header row, rows to skip per file).
    hints: Path | None = None
    #: Column roles for this run, as ``--role 'Header=role'`` or ``'file.csv:Header=role'``.
    roles: tuple[str, ...] = ()
    #: Tesseract languages for OCR ("eng+deu"); None reads FOIALOG_OCR_LANGUAGES, else "eng".
    ocr_languages: str | None = None
    #: Seconds Tesseract may spend on one page image before it is stopped (a note or error
    #: in documents.csv says so); the whole file stays under ``timeout``.
    ocr_timeout: float = OcrSettings.timeout
    #: The hints of ``hints`` and ``roles``, read and checked once.
    parsed_hints: tuple[Hint, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, str):
            raise SettingsError(f"password must be text, not {type(self.password).__name__}")
        if self.model is not None and not (isinstance(self.model, str) and self.model.strip()):
            raise SettingsError(f"model must be a spaCy package name, not {self.model!r}")
        if self.engine not in ENGINES:
            raise SettingsError(
                f"engine {self.engine!r} is unknown; choose one of {', '.join(ENGINES)}"
            )
        if self.engine == "dask" and not self.scheduler:
            raise SettingsError(
                "engine 'dask' needs a scheduler address, e.g. --scheduler tcp://host:8786"
            )
        if self.workers is not None and (isinstance(self.workers, bool) or self.workers < 0):
            raise SettingsError(f"workers must be 0 or more, not {self.workers!r}")
        for name in ("timeout", "stage_timeout", "ocr_timeout"):
            seconds = getattr(self, name)
            number = isinstance(seconds, int | float) and not isinstance(seconds, bool)
            if not (number and math.isfinite(seconds) and seconds > 0):
                raise SettingsError(f"{name} must be a positive number of seconds, not {seconds!r}")
        if self.corrections is not None and not isinstance(self.corrections, Path):
            if not isinstance(self.corrections, str):
                raise SettingsError(f"corrections must be a file path, not {self.corrections!r}")
            object.__setattr__(self, "corrections", Path(self.corrections))
        if self.hints is not None and not isinstance(self.hints, Path):
            if not isinstance(self.hints, str):
                raise SettingsError(f"hints must be a file path, not {self.hints!r}")
            object.__setattr__(self, "hints", Path(self.hints))
        if isinstance(self.roles, str) or not all(isinstance(r, str) for r in self.roles):
            raise SettingsError(f"roles must be a list of 'Header=role' texts, not {self.roles!r}")
        object.__setattr__(self, "roles", tuple(self.roles))
        if self.ocr_languages is not None and not (
            isinstance(self.ocr_languages, str)
            and all(part.strip().isalnum() or "_" in part for part in self.ocr_languages.split("+"))
        ):
            raise SettingsError(
                f"ocr_languages must be Tesseract language codes joined by +, e.g. eng+deu, "
                f"not {self.ocr_languages!r}"
            )
        from_file = load_hints(self.hints) if self.hints is not None else ()
        parsed = (*from_file, *(parse_role_option(r) for r in self.roles))
        object.__setattr__(self, "parsed_hints", parsed)
        for name, least in (("max_depth", 1), ("max_member_mb", 1), ("memory_mb", MIN_MEMORY_MB)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise SettingsError(
                    f"{name} must be a whole number of at least {least}, not {value!r}"
                )

    def container_limits(self) -> ContainerLimits:
        """The container depth and size limits as extract wants them."""
        return ContainerLimits(
            max_depth=self.max_depth, max_member_bytes=self.max_member_mb * 2**20
        )

    def read_options(self) -> ReadOptions:
        """What the readers are told: password, spaCy model, OCR languages and time, hints."""
        return ReadOptions(
            password=self.password,
            model=self.model,
            ocr_languages=self.ocr_languages,
            ocr_timeout=self.ocr_timeout,
            hints=self.parsed_hints,
        )

    @classmethod
    def resolve(cls, value: Settings | dict[str, object] | None) -> Settings:
        """Return Settings from None (defaults), a dict of option names, or Settings itself."""
        if value is None:
            return cls()
        if isinstance(value, Settings):
            return value
        valid = {name for name, f in cls.__dataclass_fields__.items() if f.init}
        unknown = sorted(set(value) - valid)
        if unknown:
            raise SettingsError(
                f"unknown setting(s) {', '.join(unknown)}; "
                f"valid settings: {', '.join(sorted(valid))}"
            )
        return cls(**value)  # type: ignore[arg-type]
