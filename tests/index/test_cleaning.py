"""Table-driven tests for header/footer removal, hyphen joining and reflow."""

from __future__ import annotations

import pytest

from index.parsing.cleaning import despace, join_hyphenated, reflow, strip_running_lines
from index.types import Line


def lines(*texts: str) -> list[Line]:
    return [Line(t, 1) for t in texts]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (["til national er-", "hvervsfremme i regionen"], ["til national erhvervsfremme", "i regionen"]),
        (["på KKR-", "mødet i dag"], ["på KKR-mødet", "i dag"]),
        (["CO2-", "fangst og lagring"], ["CO2-fangst", "og lagring"]),
        (["social-", "og sundhedsudvalget"], ["social-", "og sundhedsudvalget"]),
        (["Der er ikke indkommet bemærk-", "ninger."], ["Der er ikke indkommet bemærkninger."]),
        (["samarbejde med Erhvervshu-", "sene. Strategien vil"], ["samarbejde med Erhvervshusene.", "Strategien vil"]),
        (["Programmet er følgende -", "kaffe"], ["Programmet er følgende -", "kaffe"]),
        (["– Punkt et -", "– Punkt to"], ["– Punkt et -", "– Punkt to"]),
        (["risikovurdering og", "-styring"], ["risikovurdering og", "-styring"]),
    ],
)
def test_join_hyphenated(before, after):
    assert [ln.text for ln in join_hyphenated(lines(*before))] == after


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("K K R  N O R D J Y L L A N D", "KKR NORDJYLLAND"),
        ("B Y R Å D E T", "BYRÅDET"),
        ("KKR Nordjylland", "KKR Nordjylland"),
        ("A B", "A B"),
    ],
)
def test_despace(raw, expected):
    assert despace(raw) == expected


WORDS = ["budget", "skole", "vej", "havn", "klima", "sundhed"]


def _pages(n: int, body: list[str], header: list[str], footer: str) -> list[list[str]]:
    return [[*header, *(f"{line} om {WORDS[i]}" for line in body), footer.format(i=i + 1, n=n)] for i in range(n)]


@pytest.mark.parametrize(
    ("header", "footer"),
    [
        (["K K R  N O R D J Y L L A N D", "REFERAT · 28. april 2023"], "Side {i} af {n}"),
        (["Odsherred Kommune", "Byrådet 28.03.2023"], "- {i} -"),
        (["Referat – Teknisk Udvalg"], "{i}/{n}"),
        ([], "Side {i}"),
    ],
)
def test_running_header_and_footer_are_removed(header, footer):
    pages = _pages(5, ["Indhold på siden", "Mere indhold"], header, footer)
    cleaned = strip_running_lines(pages)
    texts = [ln.text for ln in cleaned.lines]
    assert texts[:2] == ["Indhold på siden om budget", "Mere indhold om budget"]
    assert len(texts) == 10
    assert cleaned.running[: len(header)] == header


def test_a_line_on_few_pages_is_kept():
    pages = [["Overskrift", "tekst"], ["Overskrift", "tekst"], ["Andet", "tekst"], ["Andet2", "x"], ["Andet3", "y"],
             ["Andet4", "z"], ["Andet5", "w"], ["Andet6", "v"]]
    texts = [ln.text for ln in strip_running_lines(pages).lines]
    assert texts.count("Overskrift") == 2


def test_reflow_keeps_list_lines_and_joins_wraps():
    text = [
        "Det indstilles, at dagsorden til KKR Nordjyllands møde den 28. april 2023",
        "godkendes.",
        "Programmet for dagen er følgende:",
        "– 8.00-8.30 Ankomst og morgenkaffe",
        "– 8.30-9.30 Gruppedrøftelser",
        "Tema 1: Robusthed og resiliens i de nordjyske virksomheder og byer",
        "Tema 2: Grøn omstilling og bæredygtighed",
    ]
    paragraphs = [" ".join(ln.text for ln in p) for p in reflow(lines(*text), 75)]
    assert paragraphs == [
        "Det indstilles, at dagsorden til KKR Nordjyllands møde den 28. april 2023 godkendes.",
        "Programmet for dagen er følgende:",
        "– 8.00-8.30 Ankomst og morgenkaffe",
        "– 8.30-9.30 Gruppedrøftelser",
        "Tema 1: Robusthed og resiliens i de nordjyske virksomheder og byer",
        "Tema 2: Grøn omstilling og bæredygtighed",
    ]
