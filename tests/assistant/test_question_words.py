"""Fast checks of how a question's words are read: verbs by word order, counted things, typos, named meetings."""

from __future__ import annotations

import pytest

from assistant.answering import present
from assistant.history import classify_history
from assistant.questions import classify, named_meeting, topic_terms, verb_terms
from assistant.scoring import answers_type, counted_terms
from assistant.wordforms import edits, misspelt_present
from index.lexical import stems
from tests.assistant.test_answer_rules import scored as scored_sentence


@pytest.mark.parametrize(("question", "verbs"), [
    ("hvor skal temamødet om ensomhed foregå", {"foregå"}),  # closes a modal clause
    ("hvem tager sig af at reklamere for temamødet", {"tag", "reklam"}),  # after the question word; after "at"
    ("virker bookingsystemet i vaskeriet nu", {"virk"}),  # first in a yes/no question
    ("hvor stort et overskud regner afdelingen med i år", {"regn"}),  # after a longer question phrase
    ("hvad har ældrerådet sagt om parkeringsforholdene", {"sagt"}),  # participle after an auxiliary
    ("hvorfor er udgiften lavere end ventet", {"vent"}),
    # nouns stay nouns: after an article and adjective, after "hvor mange", after "at" as a conjunction
    ("Hvad skal der ske med den gamle skole?", {"ske"}),
    ("hvor mange hjælpemidler borgerne skal betale", {"betal"}),
    ("hvornår er det meningen at sundhedsaftalen skal godkendes", {"godk"}),
    ("Hvad koster solcellerne på rådhuset?", {"kost"}),
    ("hvem ville have hunde med i husordenen", set()),  # the object of a light verb
    ("hvad mener handicaprådet om de nye cykelstier i midtbyen", {"men"}),
])
def test_verbs_are_told_by_word_order(question, verbs):
    assert verb_terms(question) == verbs


def test_typed_with_one_letter_wrong_is_the_word():
    assert edits("legeplas", "legeplad", 2) == 1 and edits("ab", "ba", 2) == 1
    assert misspelt_present("ledelini", {"ledelinj"})  # "ledelinier" for "ledelinjer"
    assert not misspelt_present("solcel", {"solsej"})  # short terms need the exact word
    assert not misspelt_present("cykelsti", {"cykelhandl"})


def test_a_compound_the_minutes_use_whole_is_not_its_parts_apart():
    class Parts:
        vocabulary = frozenset({"handicap", "pris"})

        @staticmethod
        def parts(term):
            return ["handicap", "pris"] if term == "handicappris" else []

    words = {"handicapparkering", "handicap", "pris", "anslå"}
    assert present("handicappris", words, Parts())
    assert not present("handicappris", words, Parts(), parts_apart=False)


def test_how_many_counts_the_word_after_it_even_a_framing_one():
    assert counted_terms("Hvor mange gange har fælleshuset været lejet ud?")[0] == stems("gange")[0]
    question = "Hvor mange gange har fælleshuset været lejet ud i år?"
    assert answers_type(question, [scored_sentence("Fælleshuset har været udlejet 31 gange i år.")])
    # a number word, and a number a few words after the counted thing
    assert answers_type("hvor mange urner er der plads til",
                        [scored_sentence("Der er plads til omkring tolv urner på plænen.")])
    assert answers_type("Hvor mange aflastningspladser bliver der tilbage?",
                        [scored_sentence("Antallet af aflastningspladser på Kløvervangen går fra otte til seks.")])
    assert not answers_type("Hvor mange urner er der plads til?",
                            [scored_sentence("Graveren foreslår at udvide plænen mod syd.")])


@pytest.mark.parametrize(("question", "attendance", "who", "case"), [
    ("Var der nogen med fra Læsø på mødet?", True, False, False),
    ("hvem var ikke med til ældrerådets møde", True, True, False),
    ("hvem repræsenterede Morsø Kommune", True, True, False),
    ("hvorfor var Vagn Ottesen ikke med", False, False, False),  # a reason, not the list
    ("Hvad hedder den nye socialrådgiver?", False, True, False),
    ("journalnr. på anlægsbevillingen til daginstitutionen", False, False, True),
    ("dokumentnr på arbejdsoplægget", False, False, True),
])
def test_question_kinds_in_other_words(question, attendance, who, case):
    kind = classify(question)
    assert (kind.attendance, kind.who, kind.case) == (attendance, who, case)


def test_a_meeting_named_by_its_month_alone():
    assert named_meeting("Hvad blev besluttet om årsrapporten på junimødet?") == (None, 6)
    assert named_meeting("hvad skete der på marts-mødet") == (None, 3)
    assert named_meeting("Hvad blev besluttet om årsrapporten?") is None


def test_finite_verb_second_and_particle_verbs():
    assert verb_terms("hvad foreslår samarbejdsudvalget konkret") == {"foreslår"}
    assert verb_terms("Hvor ligger den nye skole?") == {"lig"}
    assert "mange" not in verb_terms("Hvor mange skoler lukker?")
    assert "ryk" in verb_terms("hvorfor blev punktet om stationen rykket frem på mødet")
    assert "kør" in verb_terms("hvor stor en del af bilerne skal køre uden udledning")


def test_a_view_needs_a_view_or_a_decision():
    question = "Hvad mener rådet om de nye demenskoordinatorer?"
    assert classify("hvordan har ældrerådet det med de ekstra demenskoordinatorer").stance
    assert answers_type(question, [scored_sentence("Rådet var tilfreds med de nye demenskoordinatorer.")])
    assert answers_type(question, [scored_sentence("Bodil Vang understregede, at løsningen er midlertidig.")])
    assert answers_type(question, [scored_sentence("Taget til efterretning.", section="Beslutning")])
    assert not answers_type(question, [scored_sentence("2012: Kulturelt Samvirke etableres")])


def test_money_asked_by_its_name_and_percent_counted_by_its_sign():
    assert classify("hvad får Vindbæk Kammerkor i honorar").amount
    assert not classify("Hvad besluttede udvalget om tilskuddet?").amount
    assert answers_type("hvor mange procent blev mål 3 opfyldt",
                        [scored_sentence("Mål 3 blev opfyldt med 99% i 2022.")])


def test_a_vote_is_written_down_and_a_year_before_a_verb_is_none():
    question = "hvor mange stemte for at sende forslaget videre til udvalget"
    assert answers_type(question, [scored_sentence("Forslaget blev oversendt til udvalget med 15 stemmer for.")])
    assert not answers_type(question, [scored_sentence("På mødet den 28. april 2023 forelægges et nyt udkast.")])


def test_how_often_and_how_financed_lead_with_their_kind_of_sentence():
    from assistant.scoring import kind_bonus

    def bonus(question, text):
        return kind_bonus(classify(question), scored_sentence(text).sentence, question)

    often = "Hvor tit skal SSU lave en ny sundhedsaftale?"
    assert bonus(often, "SSU udarbejder en sundhedsaftale hvert fjerde år.") > bonus(
        often, "SSU behandlede udkastet til ny sundhedsaftale i marts.")
    paid = "Hvordan skal udvidelsen af plænen finansieres?"
    assert bonus(paid, "Udgiften afholdes af de frie midler.") > bonus(paid, "Graveren foreslår at udvide plænen.")


def test_who_was_not_there_asks_for_the_absent():
    from assistant.participants import wanted_role

    assert wanted_role("hvem var ikke med til ældrerådets møde") == "afbud"
    assert wanted_role("Hvem deltog ikke?") == "afbud"
    assert wanted_role("Hvem deltog?") == "deltager"


def test_the_absent_are_quoted_from_a_heading_without_colon():
    from assistant.participants import Person, quote_blocks

    block = "Deltagere Inga Bonde (formand), Merete Lunn\nAfbud Gudrun Ravn\nFra forvaltningen Lotte Damgaard"
    absent = [Person(name="Gudrun Ravn", party=None, municipality=None, role="afbud", note=None)]
    assert [(block[a:b], heading) for a, b, heading in quote_blocks(block, absent, "afbud")] == [
        ("Afbud Gudrun Ravn", "Afbud")]


def test_a_building_answers_no_who():
    question = "hvem tager sig af at reklamere for temamødet"
    assert not answers_type(question, [scored_sentence("Temamødet holdes i Rødmose Kulturhus den 8. april.")])
    assert answers_type(question, [scored_sentence("Merete Lunn og Birthe Alsted står for annonceringen.")])


@pytest.mark.parametrize(("question", "decision", "amount"), [
    # a committee recommends to the council: what it recommended is what it decided
    ("Hvad anbefalede udvalget om salget af boligerne?", True, False),
    # a yes/no question about what a body went along with asks for its decision
    ("Gik udvalget med til samarbejdet med skolen?", True, False),
    # ... while one asking whether something happened does not
    ("Kom der nogen bemærkninger til referatet?", False, False),
    ("hvad kostede t-shirtsene", False, True),
])
def test_decisions_and_amounts_asked_in_other_words(question, decision, amount):
    kind = classify(question)
    assert (kind.decision, kind.amount) == (decision, amount)


def test_a_case_settled_in_a_subordinate_clause_asks_for_the_detail_not_whether():
    assert classify_history("Er sagen om skolen afgjort?", []).settled
    detail = classify_history("Hvad blev gebyret fastsat til, da sagen var færdigbehandlet i byrådet?", [])
    assert not detail.asked
    # the words of a case's course are no topic the evidence must repeat
    assert "færdigbehandl" not in topic_terms("Hvad blev gebyret fastsat til, da sagen var færdigbehandlet?")


def test_hvilken_dato_asks_when_and_names_no_topic():
    from assistant.questions import scoring_terms

    question = "hvilken dato var byrådets temamøde om kulturkommunen"
    assert classify(question).when
    assert "dato" not in topic_terms(question) and "dato" not in scoring_terms(question)
    assert "temamød" in topic_terms(question)


def test_now_asks_how_it_stands_not_what_is_expected():
    from assistant.scoring import kind_bonus

    question = "hvor lang er ventetiden på danskuddannelse nu"
    kind = classify(question)
    expected = scored_sentence("Det forventes, at ventetiden er nede på 3 uger ved udgangen af året.").sentence
    current = scored_sentence("Den gennemsnitlige ventetid er steget til 5 uger.").sentence
    assert kind_bonus(kind, current, question) > kind_bonus(kind, expected, question)
    # without "nu" neither is preferred for its tense
    plain = "hvor lang er ventetiden på danskuddannelse"
    assert kind_bonus(kind, current, plain) == kind_bonus(kind, expected, plain)


@pytest.mark.parametrize("question", ["fortsætter frokostordningen næste år?", "Lukker børnehuset i Bækkely?",
                                      "Kommer der en ny skole?", "stiger taksten"])
def test_any_verb_first_opens_a_yes_no_question(question):
    assert classify(question).yes_no and classify(question).decision


@pytest.mark.parametrize("question", ["Hvornår lukker børnehuset", "Borgerne klager over støj på Torvet"])
def test_a_question_word_or_a_noun_first_is_no_yes_no_question(question):
    assert not classify(question).yes_no


def test_misspelt_case_number_and_where_it_ended_up():
    assert classify("hvad er sagsnumeret på økonomirapporten").case
    assert classify("hvad endte egenbetalingen på for sommerlejren").decision
    assert classify("hvad blev udfaldet af forslaget om gratis bus").decision


def test_why_someone_was_absent_asks_for_a_reason_not_the_attendance():
    assert not classify("Hvorfor deltog Jonas Engelbrecht ikke i behandlingen af punktet?").attendance
    assert classify("Hvem deltog ikke i behandlingen af punktet?").attendance


def test_a_count_of_a_word_the_asker_misspelt():
    assert answers_type("hvor mange høringsvar kom der ind", [scored_sentence(
        "I høringsperioden er der modtaget 42 høringssvar fra borgerne.")])


def test_people_named_by_first_name_are_a_who_answer_but_streets_are_not():
    question = "hvem skriver udkastet til høringssvaret"
    assert answers_type(question, [scored_sentence("Rasmus og Mette skriver udkastet inden fredag.")])
    assert not answers_type(question, [scored_sentence("Krydset ved Møllevej og Skolegade mangler et fodgængerfelt.")])


def test_an_ending_the_stemmer_left_on_is_the_same_word():
    from assistant.answering import inflected_present

    assert inflected_present(stems("nødforbindelssen")[0], set(stems("nødforbindelse")))
    assert not inflected_present(stems("cykelparkering")[0], set(stems("cykel")))  # a part is not the word


@pytest.mark.parametrize("question", ["hvad snakkede de om under evt", "Hvad blev drøftet under punkt 3?"])
def test_what_was_talked_about_under_an_item_asks_what_it_is_about(question):
    assert classify(question).about


def test_a_word_that_heads_a_compound_of_the_item_is_its_subject():
    from assistant.answering import tail_present

    assert tail_present("gebyr", set(stems("rykkergebyret")))
    assert not tail_present("havn", set(stems("lufthavnen")))  # a four-letter head names too much


def test_what_a_body_does_about_something_asks_for_its_decision():
    assert classify("hvad gør seniorrådet ved at bussen ikke længere kører til sundhedshuset").decision


def test_a_derivation_is_not_an_inflection():
    from assistant.answering import inflected_present

    assert not inflected_present(stems("anbefalingen")[0], set(stems("anbefales")))
