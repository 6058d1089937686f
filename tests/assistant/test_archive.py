"""The sample among generated meetings (with boilerplate items, a third of them from the sample's own body):
the shared questions keep hit@1 ≥ 0.95 and every unanswerable one is refused.

The generated meetings are short (one or two topical items besides the participants and the recurring
'Godkendelse af dagsorden', 'Siden sidst' and 'Eventuelt'), so the index builds in seconds; the recurring
items are what crowds out the answer at archive size, and there are as many copies of them as meetings.
The full-size run (300 meetings, 10-30 items each) is `python -m bench.archive`.
"""

from __future__ import annotations

import pytest

from tests.conftest import EVAL_QUESTIONS

GENERATED, SAME_BODY, ITEMS = 30, 10, (1, 2)


@pytest.fixture(scope="module")
def archive(tmp_path_factory, embedder):
    from bench.archive import archive_files, build, sample_body

    root = tmp_path_factory.mktemp("archive")
    files = archive_files(root / "minutes", GENERATED, SAME_BODY, sample_body(), [], ITEMS)
    return build(root / "data", files, embedder=embedder)


@pytest.fixture(scope="module")
def report(archive):
    from assistant.evaluation import evaluate

    return evaluate(archive, EVAL_QUESTIONS)


@pytest.mark.integration
def test_shared_questions_keep_hit_at_1_among_generated_meetings(report):
    assert report["hit@1"] >= 0.95, [r["id"] for r in report["rows"] if r["answerable"] and r["rank"] != 1]


@pytest.mark.integration
def test_unanswerable_shared_questions_are_refused_among_generated_meetings(report):
    assert report["unanswerable"] >= 1
    assert report["abstained_ok"] == 1.0, [r["id"] for r in report["rows"] if not r["answerable"] and r["found"]]


@pytest.mark.integration
def test_the_copy_of_a_recurring_item_that_answers_comes_first(archive):
    """Every meeting approves its agenda; only the sample's item says when the agenda was sent."""
    retrieval = archive.retrieve("Hvornår blev dagsordenen udsendt?", k=10)
    copies = [i for i in retrieval.items if i.title == "Godkendelse af dagsorden"]
    assert len(copies) >= 3
    assert retrieval.items[0].date == "2023-04-28"
    assert not retrieval.ambiguous  # the other copies do not answer about equally


@pytest.mark.integration
def test_boilerplate_of_the_same_body_does_not_answer(archive):
    retrieval = archive.retrieve("Hvad besluttede KKR Nordjylland om governancestrukturen for Klimaalliancen?")
    assert retrieval.route == "organ" and retrieval.items[0].date == "2023-04-28"
    assert all(i.title not in ("Siden sidst", "Eventuelt", "Godkendelse af dagsorden") for i in retrieval.items[:3])


def test_recurring_titles_read_the_store_a_page_at_a_time():
    """One call over a whole archive's chunk metadata outlasted a question's store bound (a 503 at the first
    question over Greve's 34,025 chunks): each call reads one page."""
    from index.store import paged_metadatas

    class Chunks:
        def __init__(self, total: int) -> None:
            self.total, self.calls = total, []

        def get(self, include, limit=None, offset=0):
            assert limit is not None, "an unbounded read of every chunk"
            self.calls.append((offset, limit))
            return {"metadatas": [{"n": i} for i in range(offset, min(offset + limit, self.total))]}

    chunks = Chunks(4500)
    assert [m["n"] for m in paged_metadatas(chunks, 2000)] == list(range(4500))
    assert chunks.calls == [(0, 2000), (2000, 2000), (4000, 2000)]
