"""Danish BM25: stemming, stopwords and compounds."""

from __future__ import annotations

import pytest

from index.lexical import LexicalIndex, stems, words

DOCS = {
    "takst": "Taksten stiger fra 13.767 kr. til 14.589 kr. svarende til en takststigning på 822 kr.",
    "hus": "Børnehus Nord ligger på Gemmavej 17B i Aalborg.",
    "stigning": "Budgettet indebærer en stigning i den objektive finansiering.",
    "sag": "Sagen har sagsnummer SAG-2023-01519 og blev godkendt.",
    "klima": "KKR godkendte governancestrukturen for Klimaalliancen i Nordjylland.",
}


@pytest.fixture(scope="module")
def index() -> LexicalIndex:
    return LexicalIndex(list(DOCS), list(DOCS.values()))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("takststigning", "takst"),
        ("Hvad er taksten?", "takst"),
        ("børnehuset", "hus"),
        ("SAG-2023-01519", "sag"),
        ("Hvad blev besluttet om klimaalliancens governance?", "klima"),
    ],
)
def test_question_reaches_the_right_document(index: LexicalIndex, question: str, expected: str):
    assert index.search(question, 3)[0][0] == expected


def test_compound_parts_are_indexed(index: LexicalIndex):
    assert index.splitter.parts("takststigning") == ["takst", "stigning"]
    hits = dict(index.search("stigning", 5))
    assert "takst" in hits and "stigning" in hits


def test_stopwords_and_question_words_do_not_match(index: LexicalIndex):
    assert index.search("hvad er det som de har", 5) == []


def test_numbers_and_case_numbers_stay_whole():
    assert "14.589" in words("taksten er 14.589 kr.")
    assert {"sag-2023-01519", "2023", "01519"} <= set(words("SAG-2023-01519"))
    assert stems("Børnehuset") == stems("Børnehus")


def test_save_and_load_round_trip(tmp_path, index: LexicalIndex):
    index.save(tmp_path / "lex", "abc")
    loaded = LexicalIndex.load(tmp_path / "lex", "abc")
    assert loaded is not None
    assert loaded.search("takststigning", 3) == index.search("takststigning", 3)
    assert LexicalIndex.load(tmp_path / "lex", "other") is None


def test_restricting_to_allowed_chunks(index: LexicalIndex):
    assert [cid for cid, _ in index.search("Børnehus takst", 5, allowed={"takst"})] == ["takst"]


def test_nouns_ending_in_et_keep_their_root_as_their_inflections_do():
    # the stemmer takes "-et" for the definite ending: "budget" became "budg" but "budgettet" "budget", and a
    # ticket ("billet") became a car ("bil")
    assert stems("budget budgettet budgetter") == ["budget"] * 3
    assert stems("billet billetter") == ["billet"] * 2 and stems("bil biler") == ["bil"] * 2
    assert stems("kommunebudget")[0].endswith("budget")
    assert stems("huset husene") == ["hus", "hus"]  # the definite ending still goes


def test_has_suffix_finds_a_word_as_the_head_of_a_longer_one():
    index = LexicalIndex.__new__(LexicalIndex)
    index.vocabulary = {"rykkergebyr", "gebyrer", "bil"}
    assert index.has_suffix("gebyr") and not index.has_suffix("rykkergebyr") and not index.has_suffix("bus")
