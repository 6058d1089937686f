"""Realistic synthetic Danish minutes: many bodies, years of dates, 10-30 items, recurring case numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from tests.support.pdfmaker import write_pdf

BODIES = ["KKR Nordjylland", "KKR Midtjylland", "Aalborg Byråd", "Randers Byråd", "Hjørring Byråd",
          "Økonomiudvalget", "Teknik- og Miljøudvalget", "Børne- og Skoleudvalget", "Social- og Sundhedsudvalget",
          "Kultur- og Fritidsudvalget", "Beskæftigelsesudvalget", "Klima- og Planudvalget"]
# no July: councils and committees do not meet in the summer break
MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "august", "september", "oktober", "november",
          "december"]
CALENDAR = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
            "november", "december"]
TOPICS = ["skolestruktur", "vejbelysning", "klimahandlingsplan", "ældrepleje", "budgetopfølgning", "havneudvidelse",
          "cykelstier", "affaldssortering", "folkebibliotek", "idrætshal", "sundhedshus", "plejehjem", "busdrift",
          "lokalplan", "spildevand", "daginstitution", "ungdomsuddannelse", "beskæftigelsesindsats", "kulturhus",
          "digitalisering", "naturgenopretning", "boligsocial indsats", "trafiksikkerhed", "vandforsyning",
          "kystbeskyttelse", "erhvervsfremme", "turisme", "bosætning", "rekruttering", "frivillighed"]
PLACES = ["Nørresundby", "Svenstrup", "Vodskov", "Hals", "Sæby", "Brønderslev", "Løkken", "Fjerritslev", "Hobro",
          "Aars", "Skagen", "Hirtshals", "Thisted", "Nykøbing", "Støvring", "Terndrup", "Dronninglund", "Pandrup"]
PEOPLE = ["Anne Sørensen", "Bo Jensen", "Camilla Holm", "Dennis Kragh", "Eva Lund", "Frederik Bach", "Gitte Møller",
          "Hans Ravn", "Ida Winther", "Jonas Skov", "Karen Brix", "Lars Toft", "Maja Krogh", "Niels Dam",
          "Olivia Vang", "Peter Hviid", "Rikke Lind", "Søren Holt", "Tina Friis", "Ulrik Berg"]
PARTIES = "ABCDFIOVØÅ"
VERBS = ["godkendte", "anbefalede", "tog til efterretning", "udsatte", "besluttede at sende i høring", "afviste"]
SENTENCES = [
    "Forvaltningen har udarbejdet et forslag om {topic} i {place}, som bygger på erfaringer fra {year}.",
    "Den samlede udgift forventes at blive {amount} mio. kr. fordelt over {n} år.",
    "Der har været afholdt {n} borgermøder, og der er indkommet {count} høringssvar.",
    "Projektet skal bidrage til kommunens mål om bedre {topic} og en mere bæredygtig drift.",
    "Administrationen vurderer, at indsatsen kan gennemføres inden for den eksisterende økonomiske ramme.",
    "Sagen har tidligere været behandlet den {day}. {month} {year}, hvor udvalget bad om yderligere analyser.",
    "Det forventes, at {count} borgere i {place} vil få gavn af tiltaget i løbet af {year}.",
    "Tidsplanen indebærer, at arbejdet påbegyndes i {month} og afsluttes inden udgangen af {year}.",
    "Der er indgået dialog med lokale foreninger, erhvervsliv og skoler om den konkrete udformning.",
    "Driftsudgifterne stiger med {amount2} kr. årligt, som foreslås finansieret af puljen til {topic}.",
    "Et flertal af høringssvarene er positive, men flere peger på behovet for bedre {topic2}.",
    "Forslaget er udarbejdet i samarbejde med nabokommunerne og regionen.",
]


@dataclass(frozen=True)
class GeneratedMeeting:
    path: Path
    body: str
    date: str
    items: int


def _sentence(rng: random.Random, topic: str, year: int) -> str:
    return rng.choice(SENTENCES).format(
        topic=topic, topic2=rng.choice(TOPICS), place=rng.choice(PLACES), year=year, n=rng.randint(2, 9),
        count=rng.randint(12, 900), amount=f"{rng.randint(1, 95)},{rng.randint(0, 9)}",
        amount2=f"{rng.randint(100, 999)}.{rng.randint(100, 999)}", day=rng.randint(1, 28), month=rng.choice(MONTHS),
    )


BOILERPLATE_FIRST = ["Godkendelse af dagsorden", "Siden sidst"]
BOILERPLATE_LAST = ["Eventuelt"]


def _boilerplate_item(rng: random.Random, number: int, title: str, year: int) -> list[str]:
    """A recurring item every meeting has: short, its own case number, sometimes a topic in passing."""
    text = {
        "Godkendelse af dagsorden": ["Dagsordenen blev forelagt til godkendelse.", "Dagsordenen blev godkendt."],
        "Siden sidst": [f"Formanden orienterede om {rng.choice(TOPICS)} i {rng.choice(PLACES)} og om "
                        f"{rng.choice(TOPICS)}.", "Orienteringen blev taget til efterretning."],
        "Eventuelt": [f"Der blev spurgt til {rng.choice(TOPICS)} i {rng.choice(PLACES)}.", "Intet at bemærke."],
    }[title]
    return ["", f"{number}. {title}", f"SAG-{year}-{rng.randint(1, 9999):05d}", "Sagsfremstilling", text[0],
            "Beslutning", text[1]]


def minutes_lines(rng: random.Random, body: str, year: int, month: int, day: int,
                  boilerplate: bool = False, items: tuple[int, int] = (10, 30)) -> list[str]:
    lines = [body, f"Referat fra mødet den {day}. {MONTHS[month]} {year}", "", "Deltagere"]
    members = rng.sample(PEOPLE, 9)
    lines += [f"{p} ({rng.choice(PARTIES)}) {rng.choice(PLACES)} Kommune" for p in members[:7]]
    lines += ["Afbud"] + [f"{p} ({rng.choice(PARTIES)}) {rng.choice(PLACES)} Kommune" for p in members[7:]]
    shared_case = f"SAG-{year}-{rng.randint(100, 150):05d}"  # recurring cases across meetings
    first = 1
    if boilerplate:
        for first, title in enumerate(BOILERPLATE_FIRST, start=1):
            lines += _boilerplate_item(rng, first, title, year)
        first += 1
    for number in range(first, first + rng.randint(*items)):
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        case = shared_case if rng.random() < 0.3 else f"SAG-{year}-{rng.randint(1, 9999):05d}"
        lines += ["", f"{number}. {topic.capitalize()} i {place}", case]
        for heading in rng.sample(["Resume", "Baggrund", "Sagsfremstilling", "Indstilling", "Økonomi"],
                                  rng.randint(2, 4)):
            lines.append(heading)
            lines += [_sentence(rng, topic, year) for _ in range(rng.randint(2, 7))]
        lines += ["Beslutning", f"Udvalget {rng.choice(VERBS)} indstillingen om {topic} i {place}."]
    if boilerplate:
        lines += _boilerplate_item(rng, number + 1, BOILERPLATE_LAST[0], year)
    return lines


def generate(folder: Path, meetings: int, seed: int = 2023, pdf_share: float = 0.1, bodies: list[str] | None = None,
             boilerplate: bool = False, prefix: str = "", items: tuple[int, int] = (10, 30)) -> list[GeneratedMeeting]:
    """Write `meetings` minutes (a share as PDF, the rest as text) into `folder`; same seed, same files.

    ``bodies`` replaces the twelve bodies (meetings cycle through them); ``boilerplate`` adds the recurring
    items real minutes have ('Godkendelse af dagsorden', 'Siden sidst', 'Eventuelt'); ``items`` is the range of
    topical items per meeting (fewer make a quick archive for tests: the distractors are the same kind).
    """
    bodies = bodies or BODIES
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for index in range(meetings):
        rng = random.Random(seed * 100_003 + index)
        body = bodies[index % len(bodies)]
        year, month, day = 2019 + (index // 150) % 6, rng.randrange(len(MONTHS)), rng.randint(1, 28)
        lines = minutes_lines(rng, body, year, month, day, boilerplate, items)
        stem = f"{prefix}{index:04d}-{body.lower().replace(' ', '-').replace('ø', 'oe').replace('æ', 'ae')}-{year}"
        if rng.random() < pdf_share:
            pages = [lines[i : i + 48] for i in range(0, len(lines), 48)]
            path = write_pdf(folder / f"{stem}.pdf",
                             [[body, *page, f"Side {n} af {len(pages)}"] for n, page in enumerate(pages, 1)])
        else:
            path = folder / f"{stem}.txt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        out.append(GeneratedMeeting(path, body, f"{year}-{CALENDAR.index(MONTHS[month]) + 1:02d}-{day:02d}",
                                    sum(1 for ln in lines if ln[:1].isdigit() and ". " in ln[:4])))
    return out
