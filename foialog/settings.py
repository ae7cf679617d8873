"""Run settings as one validated dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from entities.errors import SettingsError
from extract.containers import ContainerLimits


@dataclass(frozen=True)
class Settings:
    """Options of a run; build with ``Settings.resolve`` from None, a dict or an instance."""

    #: Password for encrypted workbooks (the same one is tried on every encrypted input).
    password: str | None = None
    #: spaCy pipeline for prose ("en_core_web_sm"); None tries extract.language's defaults.
    model: str | None = None
    #: Containers (zip, mbox, eml, msg) nested deeper than this are not opened.
    max_depth: int = 6
    #: Largest container member read, in MiB; a bigger one is a skipped documents.csv row.
    max_member_mb: int = 256

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, str):
            raise SettingsError(f"password must be text, not {type(self.password).__name__}")
        if self.model is not None and not (isinstance(self.model, str) and self.model.strip()):
            raise SettingsError(f"model must be a spaCy package name, not {self.model!r}")
        for name in ("max_depth", "max_member_mb"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise SettingsError(f"{name} must be a whole number of at least 1, not {value!r}")

    def container_limits(self) -> ContainerLimits:
        """The container depth and size limits as extract wants them."""
        return ContainerLimits(
            max_depth=self.max_depth, max_member_bytes=self.max_member_mb * 2**20
        )

    @classmethod
    def resolve(cls, value: Settings | dict[str, object] | None) -> Settings:
        """Return Settings from None (defaults), a dict of option names, or Settings itself."""
        if value is None:
            return cls()
        if isinstance(value, Settings):
            return value
        valid = set(cls.__dataclass_fields__)
        unknown = sorted(set(value) - valid)
        if unknown:
            raise SettingsError(
                f"unknown setting(s) {', '.join(unknown)}; "
                f"valid settings: {', '.join(sorted(valid))}"
            )
        return cls(**value)  # type: ignore[arg-type]
