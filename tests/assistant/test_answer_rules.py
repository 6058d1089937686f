"""Fast checks of the answer and abstention rules on small written texts (no index, no model)."""

from __future__ import annotations

import pytest

from assistant.answering import (
    ExtractiveAnswerer,
    adjacent,
    closed,
    compound_head,
    folded_present,
    names_in,
    split_present,
)
from assistant.passages import Sentence, split_sentences
from assistant.questions import classify, focus_term, named_meeting, other_meeting
from assistant.retrieval import ItemHit
from assistant.scoring import Scored, answers_type, new_name
from index.lexical import stems
from index.store import StoredChunk


def scored(text: str, section: str = "Sagsfremstilling", date: str = "2024-03-05", start: int = 0,
           chunk_text: str | None = None) -> Scored:
    chunk = StoredChunk(id="c1", text=chunk_text or text, metadata={})
    sentence = Sentence(text=text, section=section, kind=section, page=1, chunk_id="c1", start=start,
                        end=start + len(text), position=0)
    item = ItemHit(meeting_id="m1", item="4", title="Et punkt", cases=(), body="Et udvalg", date=date,
                   source="x.pdf", score=1.0, chunks=())
    return Scored(sentence, item, 1.0, frozenset(), chunk)


def words(text: str) -> set[str]:
    return set(stems(text))


def test_per_is_no_sentence_end():
    text = "Borgerservice flytter pr. 1. september 2024 til biblioteket. Det koster 1 mio. kr."
    assert len(split_sentences(text)) == 2


@pytest.mark.parametrize(("text", "parts"), [
    # a middle initial sits between names ...
    ("Udvalget pegede på John T. Olsen som formand. Næste punkt.", 2),
    # ... but a lettered part ends its sentence like any word
    ("Se bilag B. Udvalget godkendte.", 2),
    ("Der er valgt model A. Den koster 2 mio. kr.", 2),
])
def test_a_middle_initial_is_no_sentence_end(text, parts):
    spans = split_sentences(text)
    assert len(spans) == parts
    assert parts != 2 or "Olsen" not in text or text[spans[0][0]:spans[0][1]].endswith("formand.")


def test_a_vowel_shift_is_the_same_word():
    assert folded_present(stems("overrakt")[0], words("Prisen overrækkes ved sommerreceptionen."))
    assert not folded_present(stems("overrakt")[0], words("Prisen uddeles ved sommerreceptionen."))


def test_compound_parts_standing_apart_count_but_one_part_alone_does_not():
    assert split_present(stems("haltiderne")[0], words("Foreningerne har søgt om tider i Kystbyhallen."))
    assert not split_present(stems("haltiderne")[0], words("Foreningerne har søgt om tider på banen."))


def test_names_inside_the_question():
    assert names_in("Hvem bliver læge på klinikken i Havnsted?") == ["havnsted"]
    assert names_in("Hvem bliver læge?") == []


def test_a_name_the_question_holds_does_not_answer_who():
    assert not new_name("Havnsted Sundhedshus", "Hvem bliver læge i Havnsted?")
    assert new_name("Anja Brix", "Hvem blev udpeget til bestyrelsen?")
    question = "Hvem bliver ledende læge på klinikken i Havnsted?"
    assert not answers_type(question, [scored("Der etableres en klinik i Havnsted Sundhedshus.")])
    assert answers_type(question, [scored("Som ledende læge ansættes Karin Holm.")])


def test_a_count_needs_a_number_beside_the_counted_thing():
    question = "hvor mange ansatte er der i børnehuset"
    assert focus_term(question) == "ansat"
    assert not answers_type(question, [scored("Budgettet falder med 1.000 kr. i 2023, og huset har ansatte.")])
    assert answers_type(question, [scored("Børnehuset har i alt 14 ansatte.")])
    assert answers_type("hvor mange klynger er der", [scored("Der er de fire nordjyske klynger.")])
    assert focus_term("hvor mange af centrets pladser er til børn") == "plads"


def test_money_counted_in_kroner_is_an_amount():
    question = "Hvor mange penge får vi til normeringer?"
    assert answers_type(question, [scored("Kommunen får 4,2 mio. kr. til normeringer.")])
    assert not answers_type(question, [scored("Normeringerne gælder 12 institutioner.")])


@pytest.mark.parametrize(("question", "qualifier"), [
    ("Hvornår er næste generalforsamling?", "næste"),
    ("hvad besluttede bestyrelsen på sit første møde", "første"),
    ("hvor og hvornår er næste KKR møde", "næste"),
    ("Hvor meget fik første fase?", None),
    ("Hvor mange penge er der de kommende år?", None),
])
def test_another_meeting_is_recognised(question, qualifier):
    assert other_meeting(question) == qualifier


def test_a_meeting_named_by_date():
    assert named_meeting("hvad besluttede udvalget på mødet den 8. april") == (8, 4)
    assert named_meeting("hvad skal de beslutte på mødet i juni") == (None, 6)
    assert named_meeting("hvad blev besluttet om skolen") is None


def test_a_question_about_another_meeting_is_refused_unless_the_evidence_speaks_of_it():
    other = ExtractiveAnswerer._other_meeting
    assert other("Hvornår er næste møde?", [scored("Generalforsamlingen blev indkaldt den 20. februar.")])
    assert not other("Hvornår er næste møde?", [scored("Næste møde afholdes den 14. juni 2024.")])
    assert other("hvad besluttede udvalget på mødet den 8. april", [scored("Udvalget godkendte planen.")])
    assert not other("hvad besluttede udvalget på mødet den 5. marts", [scored("Udvalget godkendte planen.")])
    # an earlier decision the item carries names its own meeting
    earlier = scored("Udsat.", section="Beslutning i udvalget den 10-04-2024")
    assert not other("hvad besluttede udvalget på mødet i april", [earlier])


def test_adjacent_sentences_of_one_section():
    text = "Forslaget er drøftet med brugerne. Svømmehallen lukker 1. september 2024."
    first = scored("Forslaget er drøftet med brugerne.", chunk_text=text)
    second = scored("Svømmehallen lukker 1. september 2024.", start=35, chunk_text=text)
    assert adjacent(first, second) and adjacent(second, first)
    assert not adjacent(first, scored("Svømmehallen lukker 1. september 2024.", section="Beslutning", start=35,
                                      chunk_text=text))


def test_item_about_questions():
    assert classify("Hvad handler punkt 2.1 om?").about
    assert classify("hvad gik sagen om kunstgræsbanen ud på?").about
    assert not classify("Hvad besluttede udvalget om kunstgræsbanen?").about


def test_a_closed_item_holds_no_detail():
    assert closed([scored("Lukket punkt")])
    assert closed([scored("Behandlet for lukkede døre.")])
    assert not closed([scored("Dagsordenen blev godkendt.")])


def test_a_term_beginning_a_compound_is_present_but_a_bare_ending_is_not():
    vocabulary = {"sæson", "vintersæson", "havner"}
    assert compound_head("vint", "vintersæson", vocabulary)
    assert not compound_head("havn", "havner", vocabulary)


def test_a_section_heading_names_what_it_holds():
    # the scorer matches a sentence with its section's heading ("Økonomiske konsekvenser: Ingen")
    assert set(stems("Økonomiske konsekvenser")) & set(stems("Har sagen nogen økonomiske konsekvenser?"))


def test_minutes_from_an_earlier_meeting_and_a_date_the_item_gives_are_not_another_meeting():
    other = ExtractiveAnswerer._other_meeting
    assert named_meeting("Blev referatet fra mødet den 10. februar godkendt?") is None
    assert not other("hvad godkendte udvalget på mødet den 10. februar",
                     [scored("På mødet den 10. februar 2024 godkendte udvalget planen.")])


@pytest.mark.parametrize(("question", "left_out", "kept"), [
    # a date in digits names the meeting, and "stemmetallet" the kind of answer: neither is the topic
    ("Hvad anbefalede udvalget om borgerinddragelse 14/3-2023?", "14/3-2023", "borgerinddrag"),
    ("Hvad blev stemmetallet om skolestrukturen 3.10.2022?", "3.10.2022", "skolestruktur"),
    ("Hvad blev stemmetallet om skolestrukturen 3.10.2022?", "stemmetal", "skolestruktur"),
    # ... and so does a date written with its month, with or without the day's dot, abbreviated or not
    ("Hvor meget blev afsat til halgulve 20. marts 2023?", "mart", "halgulv"),
    ("Hvor meget blev afsat til halgulve 20. marts 2023?", "2023", "halgulv"),
    ("hvad ville udvalget ændre ved brevstemmerne, mødet 28 marts 2022", "2022", "brevstem"),
    ("hvornår holder udvalget sommerfest? besluttet 12 aug 2024", "aug", "sommerfest"),
    ("Hvad besluttede udvalget om vejene i juni 2025?", "juni", "vej"),
])
def test_topic_terms_leave_dates_and_answer_kinds_out(question, left_out, kept):
    from assistant.questions import topic_terms

    terms = topic_terms(question)
    assert left_out not in terms and kept in terms


def test_a_vote_written_in_the_present_tense_is_a_vote():
    from assistant.scoring import VOTE_TEXT

    assert VOTE_TEXT.search("(Ø) stemmer imod, da de gerne vil sikre overenskomst.")
    assert VOTE_TEXT.search("V stemte nej.")
    assert not VOTE_TEXT.search("Udvalget drøftede forslaget om afstemningsstederne.")


def test_a_date_that_is_no_meetings_dates_an_event():
    from assistant.answering import event_date_terms
    from index.store import MeetingRecord

    june = MeetingRecord(meeting_id="m1", source="x.pdf", sha256="s", body="Et udvalg", date="2013-06-20", pages=1,
                         items=1, chunks=1, model="m", generation=1)
    # the meeting's own date names the meeting; another month dates something the evidence should mention
    assert event_date_terms("Hvad skete der på mødet 20. juni 2013?", [june]) == []
    assert event_date_terms("hvorfor blev der indkaldt til et ekstra møde i april 2013", [june]) == ["april", "2013"]
    assert event_date_terms("Hvad besluttede udvalget i juni 2013?", [june]) == []


def test_who_became_leads_with_the_decision_naming_someone():
    background = scored("Formand for udvalget Heidi Serny Jacobsen (A) har søgt orlov.", section="Resume")
    decision = scored("Udvalget pegede på John T. Olsen som formand for udvalget.", section="Beslutning")
    led = ExtractiveAnswerer._lead_with_type("hvem blev ny formand for udvalget", [background, decision])
    assert led[0] is decision
    # a question about the background keeps its order
    assert ExtractiveAnswerer._lead_with_type("hvem søgte orlov", [background, decision])[0] is background


def test_a_shortened_month_before_its_year_ends_no_sentence():
    text = "Sept. 2012: Samvirket etableres\nOkt. 2012: Aktiviteter for 2013 defineres\nMødet er d. 3. sept. 2024."
    assert [text[a:b] for a, b in split_sentences(text)] == [
        "Sept. 2012: Samvirket etableres", "Okt. 2012: Aktiviteter for 2013 defineres", "Mødet er d. 3. sept. 2024."]
