"""An answer stands by the subject asked about: an amount or a name given for something else is no answer (the item
names the subject but not the detail, and says so), while a word of the asker's own for one the minutes use is no
missing subject. A bare outcome ("Udsat.") brings the reason its section gives next; a yes/no question about what
a body agreed to is answered by its decision. Invented minutes, real index and model."""

from __future__ import annotations

import pytest

from tests.conftest import extractive_answer as ask
from tests.conftest import write_texts

MINUTES = """Søndervang Sogns Menighedsråd
Referat fra mødet den 12. marts 2025

1. Kvartalsregnskab
Udgifterne til lys og varme ligger ca. 12.000 kr. under det budgetterede. Kirkeværgen spurgte til de hensatte
midler til en ny kirkeklokke, og kassereren oplyste, at de fortsat står urørt på en særskilt konto.

2. Cykelparkering ved sognehuset
Formanden har indhentet to tilbud på et nyt stativ, det billigste på 24.000 kr., som kan betales af
anlægsmidlerne. Arbejdet kan udføres i april.

3. Flytning af kirkekontoret
Beslutning
Udsat. Rådet ønskede et tilbud på en lejet pavillon belyst, før der tages stilling.

4. Lån af kirken til koncert
Sagsfremstilling
Kammerkoret har spurgt, om koret kan låne kirken til en koncert den 14. december. Koret betaler selv for
rengøringen efter koncerten.
Beslutning
Kan ikke godkendes, da kirken er optaget af gudstjenester i hele december.

5. Ordensregler for kirkegården
Forslaget om hundeluftning på kirkegårdens grønne arealer blev drøftet. Der var enighed om at formulere
det som en henstilling frem for et forbud.

6. Aktivitetsudvalget
Aktivitetsudvalget har ved årets udgang brugt 87% af sit budget. Resten overføres til næste år.

7. Udlejning af sognehuset
Den samlede driftsudgift stiger i 2025 med 40.000 kr. Lejen stiger fra 1.000 kr. til 1.100 kr.
pr. dag for private arrangementer.

8. Rengøring af sognehuset
Sagsfremstilling
Der er indhentet tilbud fra to firmaer på den ugentlige rengøring.
Indstilling
Kirkeværgen indstiller, at firmaet Blank Gulv ApS vælges til rengøringen fra 1. maj.
Beslutning
Godkendt.
"""


@pytest.fixture(scope="module")
def parish(assistant_over, tmp_path_factory):
    return assistant_over(write_texts(tmp_path_factory.mktemp("parish"), {"menighedsraad-2025-03-12.txt": MINUTES}))


@pytest.mark.integration
def test_an_amount_given_for_something_else_is_no_answer(parish):
    answer = ask(parish, "hvor mange penge står der hensat til den nye kirkeklokke")
    assert not answer.found
    assert "12.000" not in answer.answer
    # the subject is there, the amount is not: the answer says where the subject is
    assert "punkt 1" in answer.answer


@pytest.mark.integration
def test_an_amount_beside_the_head_of_the_compound_asked_about_answers(parish):
    answer = ask(parish, "hvad skal et nyt cykelstativ ved sognehuset koste")
    assert answer.found and "24.000 kr." in answer.answer
    assert answer.citations[0].item == "2"


@pytest.mark.integration
def test_a_bare_outcome_brings_its_reason(parish):
    answer = ask(parish, "Hvorfor blev flytningen af kirkekontoret udsat?")
    assert answer.found and "Udsat." in answer.answer and "pavillon" in answer.answer


@pytest.mark.integration
def test_whether_a_body_went_along_is_answered_by_its_decision(parish):
    answer = ask(parish, "Gik menighedsrådet med til at låne kirken ud til kammerkorets koncert?")
    assert answer.found
    lead = answer.answer.split(":", 1)[1].strip()
    assert lead.startswith("Kan ikke godkendes")


@pytest.mark.integration
def test_a_word_of_the_askers_own_is_no_missing_subject(parish):
    # the minutes say "de grønne arealer", never "græsset"
    answer = ask(parish, "hvad mente de om at forbyde hundeluftning på græsset på kirkegården")
    assert answer.found and "henstilling" in answer.answer
    assert answer.citations[0].item == "5"


@pytest.mark.integration
def test_a_percentage_written_with_its_sign_answers_hvor_mange_procent(parish):
    answer = ask(parish, "hvor mange procent af budgettet har aktivitetsudvalget brugt")
    assert answer.found and "87%" in answer.answer


@pytest.mark.integration
def test_the_sentence_that_answers_leads_and_what_it_adds_follows(parish):
    answer = ask(parish, "Hvad stiger lejen af sognehuset til?")
    assert answer.found and "1.100 kr." in answer.answer
    body = answer.answer.split("):", 1)[1].strip()
    assert body.startswith("Lejen stiger"), body


@pytest.mark.integration
def test_a_bare_approval_is_answered_with_what_it_approved(parish):
    answer = ask(parish, "Hvilket firma blev valgt til rengøringen af sognehuset?")
    assert answer.found and "Godkendt." in answer.answer and "Blank Gulv ApS" in answer.answer
    assert {c.section for c in answer.citations} >= {"Beslutning"}
