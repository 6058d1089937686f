"""Participant lists as other systems print them: wrapped over lines, a heading without a colon, the
municipality after the person."""

from __future__ import annotations

from index.parsing.participants import parse_participants
from index.types import Line


def people(*lines: str) -> list[tuple[str, str, str | None]]:
    return [(p.name, p.role, p.party) for p in parse_participants([Line(t, 1) for t in lines])]


def test_a_list_wrapped_over_lines_gives_every_person():
    assert people("Til stede: Anne Vik (A), borgmester, Ole Dam (V),",
                  "Rasmus Kvist (C), Helle Mark (V), Søren Gad (F)",
                  "Fraværende: Jens Krag (V)") == [
        ("Anne Vik", "deltager", "A"), ("Ole Dam", "deltager", "V"), ("Rasmus Kvist", "deltager", "C"),
        ("Helle Mark", "deltager", "V"), ("Søren Gad", "deltager", "F"), ("Jens Krag", "afbud", "V")]


def test_a_heading_without_colon_then_names_on_the_same_line():
    assert people("Deltagere Inga Bonde (formand), Svend Aage Tolstrup, Merete Lunn og Kaj Vestergaard",
                  "Afbud Gudrun Ravn") == [
        ("Inga Bonde", "deltager", None), ("Svend Aage Tolstrup", "deltager", None),
        ("Merete Lunn", "deltager", None), ("Kaj Vestergaard", "deltager", None), ("Gudrun Ravn", "afbud", None)]


def test_a_municipality_after_a_comma_stays_with_its_person():
    parsed = parse_participants([Line("Deltagere:", 1), Line("Bo Lind Vestergaard (V), Vestby Kommune", 1),
                                 Line("Karin Holt (A), Østerå Kommune", 1)])
    assert [(p.name, p.municipality) for p in parsed] == [
        ("Bo Lind Vestergaard", "Vestby Kommune"), ("Karin Holt", "Østerå Kommune")]
