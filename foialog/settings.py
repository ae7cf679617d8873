"""Run settings as one validated dataclass."""

from __future__ import annotations

from dataclasses import dataclass

from entities.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    """Options of a run; build with ``Settings.resolve`` from None, a dict or an instance."""

    #: Password for encrypted workbooks (the same one is tried on every encrypted input).
    password: str | None = None

    def __post_init__(self) -> None:
        if self.password is not None and not isinstance(self.password, str):
            raise SettingsError(f"password must be text, not {type(self.password).__name__}")

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
