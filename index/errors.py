"""Domain errors; the CLI and the UI translate them once, at the edge."""

from __future__ import annotations

from pathlib import Path

UNAVAILABLE = "Søgeindekset er ikke tilgængeligt lige nu – prøv igen om lidt."


class MinutesError(Exception):
    """A minutes file could not be read; names the file and the reason in Danish."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class EngineError(Exception):
    """The storage under the index failed; ``str()`` is the Danish sentence a user or operator reads."""


class StoreUnavailable(EngineError):
    """Chroma did not answer: down, hung past REFERAT_CHROMA_TIMEOUT, locked or unreadable. Transient: the
    same request succeeds once the engine is back, without restarting anything."""

    def __init__(self, cause: str = "") -> None:
        self.cause = cause  # for the log and /readyz; the user gets only the Danish sentence
        super().__init__(UNAVAILABLE)


class DiskFull(EngineError):
    def __init__(self, cause: str = "") -> None:
        self.cause = cause
        super().__init__("Disken under indekset er fuld – frigør plads.")


class IngestAborted(EngineError):
    """An ingest stopped at a file because the engine failed; what was committed before it stays."""

    def __init__(self, cause: EngineError, file: str, done: int) -> None:
        self.cause = cause
        self.file = file
        self.done = done
        files = "1 fil" if done == 1 else f"{done} filer"
        super().__init__(f"{cause} Indekseringen stoppede ved {file}; {files} blev indekseret før. Intet halvt "
                         "er gemt, og det tidligere indeks er uændret. Kør den samme indeksering igen for at gøre "
                         "den færdig.")
