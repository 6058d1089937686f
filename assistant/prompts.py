"""Danish prompt and message templates, loaded from prompts/ and checked at start."""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"

REQUIRED: dict[str, set[str]] = {
    "system": set(),
    "answer": {"uddrag", "spoergsmaal", "antal"},
    "condense": {"samtale", "spoergsmaal"},
    "ramme": {"moede", "punkt", "afsnit"},
    "ikke_fundet": {"moeder"},
    "maaske_relevant": set(),
    "ingen_moeder": set(),
    "deltagere": {"moede", "rolle", "antal", "afgraensning", "navne"},
    "ingen_deltagere": {"moede", "rolle", "afgraensning"},
    "flere_moeder": {"antal"},
    "sagsnummer": {"moede", "punkt", "titel", "sag"},
    "detalje_mangler": {"moede", "punkt", "titel", "hvad"},
    "besluttet_paa": {"moede", "punkt"},
    "om_punktet": {"moede", "punkt", "titel"},
    "llm_fejl": set(),
    "llm_uden_kilder": set(),
    "flere_moeder_svar": {"moeder"},
    "historik_seneste": {"sag", "moede", "punkt", "beslutning"},
    "historik_tidligere": set(),
    "historik_forloeb": set(),
    "historik_linje": {"moede", "punkt", "beslutning"},
    "historik_besluttet": {"sag", "moede", "punkt", "beslutning"},
    "historik_afgjort": {"sag", "moede", "punkt", "beslutning"},
    "historik_ikke_afgjort": {"sag", "moede", "punkt", "beslutning"},
    "historik_aar": {"aar", "sag", "antal"},
    "historik_efter_hoering": {"sag", "moede"},
}
CANNOT_ANSWER = "Jeg kan ikke finde svar på det i referaterne"


class PromptError(ValueError):
    """A prompt file is missing or lacks a variable the code fills in."""


def _variables(template: str) -> set[str]:
    return {m.group("named") or m.group("braced") for m in Template.pattern.finditer(template)
            if m.group("named") or m.group("braced")}


class PromptBook:
    def __init__(self, directory: Path = PROMPTS_DIR) -> None:
        self.templates: dict[str, str] = {}
        for name in ("system", "answer", "condense"):
            path = directory / f"{name}.da.txt"
            if not path.is_file():
                raise PromptError(f"{path}: promptfilen mangler")
            self.templates[name] = path.read_text(encoding="utf-8").strip()
        messages = directory / "svar.da.txt"
        if not messages.is_file():
            raise PromptError(f"{messages}: filen med svarformuleringer mangler")
        current = None
        for line in messages.read_text(encoding="utf-8").splitlines():
            header = re.fullmatch(r"\[(\w+)\]", line.strip())
            if header:
                current = header.group(1)
                self.templates[current] = ""
            elif current and not line.startswith("#"):
                self.templates[current] = (self.templates[current] + "\n" + line).strip()
        for name, required in REQUIRED.items():
            if name not in self.templates:
                raise PromptError(f"skabelonen '{name}' mangler i {directory}")
            missing = required - _variables(self.templates[name])
            if missing:
                raise PromptError(f"skabelonen '{name}' mangler variablen ${', $'.join(sorted(missing))}")

    def text(self, name: str, **values: str) -> str:
        return Template(self.templates[name]).safe_substitute(**values)
