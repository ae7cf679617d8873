"""What a reader may be told about a run: password, spaCy model, OCR languages and time, hints."""

from __future__ import annotations

from dataclasses import dataclass, replace

from foialog.extract.hints import Hint


@dataclass(frozen=True)
class ReadOptions:
    """Options every reader receives; picklable, so worker processes get them whole."""

    #: Password for encrypted workbooks and PDFs; files that are not encrypted ignore it.
    password: str | None = None
    #: spaCy pipeline for prose ("en_core_web_sm"); None tries foialog.extract.text.language's
    #: defaults.
    model: str | None = None
    #: Tesseract languages ("eng+deu"); None reads FOIALOG_OCR_LANGUAGES, else "eng".
    ocr_languages: str | None = None
    #: Seconds Tesseract may spend on one page image; None keeps the OCR reader's default.
    ocr_timeout: float | None = None
    #: The reporter's hints; ``for_file`` keeps those that name one file.
    hints: tuple[Hint, ...] = ()

    def for_file(self, name: str) -> ReadOptions:
        """These options with only the hints that apply to the file named ``name``."""
        return replace(self, hints=tuple(h for h in self.hints if h.matches_file(name)))
