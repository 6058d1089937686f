"""Domain errors; the CLI and the UI translate them once, at the edge."""

from __future__ import annotations

from pathlib import Path


class MinutesError(Exception):
    """A minutes file could not be read; names the file and the reason in Danish."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")
