"""A journal number the item lists for one of its documents answers a question about that document; the item's
own case number answers a question about the item; "hvad var emnet for pkt 2" is a question about the item."""

from __future__ import annotations

import pytest

from tests.conftest import extractive_answer as ask
from tests.conftest import write_texts

MINUTES = """Kultur- og Fritidsudvalget
Referat fra mødet den 4. juni 2024

1. Ny politik for idræt og bevægelse
Sagsnr.: 24/04412
Sagsfremstilling
Udvalget har arbejdet med en ny politik for idræt og bevægelse siden efteråret.
Bilag
1 Åben Politik for idræt og bevægelse – udkast 51234/24
2 Åben Høringssvar fra Idrætssamvirket 49876/24
Beslutning
Udvalget godkendte udkastet og sendte det i høring.

2. Åbningstider i Vestbyhallen
Sagsnr.: 24/05120
Sagsfremstilling
Vestbyhallen holder åbent til kl. 22 på hverdage fra 1. august 2024.
Beslutning
Godkendt.
"""


@pytest.fixture(scope="module")
def culture(assistant_over, tmp_path_factory):
    return assistant_over(write_texts(tmp_path_factory.mktemp("numbers"), {"kfu-2024-06-04.txt": MINUTES}))


@pytest.mark.integration
def test_a_listed_documents_number_answers_a_question_about_that_document(culture):
    answer = ask(culture, "Hvad er journalnummeret på høringssvaret fra Idrætssamvirket?")
    assert answer.found and "49876/24" in answer.answer
    assert answer.citations[0].item == "1" and answer.citations[0].section == "Bilag"


@pytest.mark.integration
def test_the_items_own_case_number_answers_a_question_about_the_item(culture):
    answer = ask(culture, "Hvad er sagsnummeret på punktet om åbningstider i Vestbyhallen?")
    assert answer.found and "24/05120" in answer.answer and "51234/24" not in answer.answer


@pytest.mark.integration
def test_the_subject_of_an_item_asked_by_its_number(culture):
    answer = ask(culture, "hvad var emnet for pkt 2")
    assert answer.found and "Åbningstider i Vestbyhallen" in answer.answer
