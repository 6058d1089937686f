"""Grounded extractive answers: the minutes' own sentences, chosen for the question, with citations."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from itertools import pairwise

from assistant import participants as attendance
from assistant.archive import note_ambiguity, other_subject, unmet_date, unnamed_place
from assistant.history import answer_history
from assistant.meetings import body_words, dates_named, months_named, names_a_meeting
from assistant.passages import Sentence, sections_of, sentences_of
from assistant.prompts import PromptBook
from assistant.questions import (
    CASE,
    DATE_PHRASE,
    FRAMING,
    QuestionKind,
    classify,
    focus_term,
    named_meeting,
    other_meeting,
    party_letters,
    topic_terms,
    verb_terms,
)
from assistant.retrieval import Retrieval, retrieved_items
from assistant.scoring import CONTINUES, LIST_LINE, OUTCOME, VOTE_TEXT, Scored, SentenceScorer, answers_type, kind_bonus
from assistant.types import Answer, Citation
from assistant.wordforms import compound_of, misspelt_present
from assistant.wording import danish_date, meeting_phrase
from index.catalog import MinutesIndex
from index.dates import MONTHS, iso_date
from index.lexical import stems
from index.store import MeetingRecord, StoredChunk
from index.types import PARTICIPANTS_ITEM

SKIPPED_PAGE = re.compile(r"side (\d+) kunne ikke læses")
# "Hvad besluttede byrådet …": the body named as the one deciding
DECIDING_BODY = re.compile(
    r"\b(?:besluttede|vedtog|godkendte|besluttet|vedtaget|godkendt)\s+(?:af\s+)?(\w+(?:et|en))\b"
    # "hvad har teknik- og miljøudvalget besluttet"
    r"|\b(?:har|havde)\s+(?:[\w-]+\s+og\s+)?(\w+(?:et|en))\s+(?:besluttet|vedtaget|godkendt)\b", re.I)
COUNCIL = set(stems("byrådet kommunalbestyrelsen"))
GENERIC_DECIDERS = set(stems("udvalget bestyrelsen mødet forsamlingen generalforsamlingen rådet punktet sagen"))
# what a question asks for, named in a refusal that says the subject is there but the detail is not
ASKED_DETAIL = (
    ("vote", "hvordan der blev stemt"), ("when", "en dato"), ("amount", "et beløb eller et tal"),
    ("who", "hvem"),
)
DECIDED = re.compile(r"\b(besluttet|besluttede|vedtaget|vedtog|godkendt|godkendte|tiltrådt|tiltrådte|behandlet|"
                     r"behandlede|bevilget|bevilgede|vedtaget)\b", re.I)


# what someone took part in: "deltog i borgermødet", "var til stede ved åbningen"
ATTENDED = re.compile(r"\b(?:deltog|deltager\w*|deltagende|til stede|fremmødt\w*|mødte op)\s+(?:i|på|ved|til)\s+"
                      r"(?:det\s+|den\s+|de\s+)?([\wæøåÆØÅ-]+)", re.I)


def event_date_terms(question: str, meetings: list[MeetingRecord]) -> list[str]:
    """A date in the question that is no meeting's in scope ("et ekstra møde i april 2013" asked of June's
    minutes) dates an event: its month and year are topic words the evidence should hold."""
    held = {r.date for r in meetings}
    terms: list[str] = []
    for match in DATE_PHRASE.finditer(question):
        days, months = dates_named(match.group(0)), months_named(match.group(0))
        if not (days or months) or days & held or any(h.startswith(m) for m in months for h in held):
            continue
        terms.extend(t for t in stems(match.group(0)) if not t.isdigit() or len(t) == 4)
    return terms


class ExtractiveAnswerer:
    """Answers without an LLM, from sentences of the best agenda items."""

    def __init__(self, index: MinutesIndex, prompts: PromptBook) -> None:
        self.index = index
        self.prompts = prompts
        self.scorer = SentenceScorer(index)

    # --- entry point ----------------------------------------------------------------------
    def answer(self, question: str, retrieval: Retrieval) -> Answer:
        answer = self._answer(question, retrieval)
        # hooks (assistant/archive.py): a place the cited items never mention; meetings answering about equally
        if (unnamed_place(self.index, question, retrieval, answer)
                or other_subject(self.index, question, retrieval, answer)
                or unmet_date(self.index, question, retrieval, answer)):
            return self.not_found(question, retrieval)
        return note_ambiguity(answer, retrieval, self.prompts)

    def _answer(self, question: str, retrieval: Retrieval) -> Answer:
        kind = classify(question)
        retrieved = retrieved_items(retrieval)
        if not retrieval.meetings:
            text = self.prompts.text("ingen_moeder") if not retrieval.notes else retrieval.notes[0]
            return Answer(question, text, False, (), retrieved)
        if kind.attendance and not self._attends_other_event(question):
            answer = self._attendance(question, retrieval)
            if answer is not None:
                return answer
        if not retrieval.items:
            return self.not_found(question, retrieval)
        historical = answer_history(self.index, self.prompts, question, retrieval)  # hook: assistant/history.py
        if historical is not None:
            return historical
        if kind.case and not kind.decision:
            return self._case_number(question, retrieval)
        if CLOSED_ASKED.search(question):
            shut = self._closed_item(question, retrieval)
            if shut is not None:
                return shut
        if kind.when and other_meeting(question) in ("næste", "kommende"):
            announced = self._next_meeting(question, kind, retrieval)
            if announced is not None:
                return announced
        scored = self.scorer.score(question, kind, retrieval)
        if (not scored or self._unknown_topic(question, retrieval, scored) or self._other_body_decided(question, scored)
                or self._other_meeting(question, scored)):
            return self.not_found(question, retrieval)
        if kind.about:
            answer = self._about(question, retrieval, scored)
            if answer is not None:
                return answer
        tried: list[tuple[str, str]] = []
        detail_absent: list[Scored] | None = None
        for entry in scored:
            if entry.item.key in tried:
                continue
            tried.append(entry.item.key)
            ranked = self._lead_with_type(question, [s for s in scored if s.item.key == entry.item.key])
            if closed(ranked):
                # a closed item says only that it was treated: its subject is there, no detail is
                if detail_absent is None and len(tried) == 1:
                    detail_absent = ranked
                continue
            if self._supported(question, retrieval, ranked):
                return self._compose(question, kind, retrieval, ranked)
            if kind.when and DECIDED.search(question) and self._supported(question, retrieval, ranked, typed=False):
                return self._decided_on(question, retrieval, ranked)
            if detail_absent is None and len(tried) == 1 and self._supported(question, retrieval, ranked, typed=False):
                detail_absent = ranked
        if detail_absent is not None:
            return self._detail_absent(question, kind, retrieval, detail_absent)
        return self.not_found(question, retrieval)

    def _closed_item(self, question: str, retrieval: Retrieval) -> Answer | None:
        """'Hvad handlede det lukkede punkt om?': a closed item's content is not in the minutes; say which it is."""
        item = next((hit for hit in retrieval.items if any(
            c.chunk.metadata.get("access") == "lukket" for c in hit.chunks)), None)
        if item is None:
            return None
        notice = self.prompts.text("lukket_punkt", punkt=item.item, titel=item.title,
                                   moede=meeting_phrase(item.body, item.date))
        answer = self.not_found(question, retrieval)
        return replace(answer, answer=notice + "\n" + answer.answer)

    def _next_meeting(self, question: str, kind: QuestionKind, retrieval: Retrieval) -> Answer | None:
        """'Hvornår mødes rådet næste gang?': minutes announce it ('Næste møde er onsdag den 8. oktober'), often
        under the last item, which the question's words rarely find."""
        for hit in retrieval.items:
            if hit.item == PARTICIPANTS_ITEM:
                continue
            for chunk in self.index.item_chunks(hit.meeting_id, hit.item):
                for sentence in sentences_of(chunk):
                    chosen = [Scored(sentence, hit, 1.0, frozenset(), chunk)]
                    if NEXT_MEETING.search(sentence.text) and answers_type(question, chosen):
                        return self._compose(question, kind, retrieval, chosen)
        return None

    def _about(self, question: str, retrieval: Retrieval, scored: list[Scored]) -> Answer | None:
        """'Hvad handler punkt 2.1 om?': the item's title and its opening sentences, in the minutes' order."""
        top = scored[0].item.key
        same_item = [s for s in scored if s.item.key == top]
        if not self._supported(question, retrieval, same_item, typed=False):
            return None
        opening = [s for s in self._in_order(same_item) if s.sentence.text.endswith((".", "!", "?"))
                   and len(s.sentence.text.split()) >= 6][:2]
        if not opening:
            return None
        while len(opening) > 1 and sum(len(s.sentence.text.split()) for s in opening) > 45:
            opening.pop()
        item = same_item[0].item
        # (the prompt ends the title's sentence: "Evt." would end in two full stops)
        lead = self.prompts.text("om_punktet", moede=meeting_phrase(item.body, item.date),
                                 punkt=item.item, titel=item.title.rstrip("."))
        body = "".join(self._group_text(opening)).strip()
        return Answer(question, f"{lead} {body}", True, tuple(citations_for(opening, retrieval.meetings)),
                      retrieved_items(retrieval))

    def _detail_absent(self, question: str, kind: QuestionKind, retrieval: Retrieval, ranked: list[Scored]) -> Answer:
        """The best item is about the question's subject but holds no sentence of the asked type."""
        answer = self.not_found(question, retrieval)
        item = ranked[0].item
        asked = next((text for field, text in ASKED_DETAIL if getattr(kind, field)), "det, der spørges om")
        text = self.prompts.text("detalje_mangler", moede=meeting_phrase(item.body, item.date),
                                 punkt=item.item, titel=item.title, hvad=asked)
        return replace(answer, answer=text + "\n" + answer.answer)

    @staticmethod
    def _other_meeting(question: str, scored: list[Scored]) -> bool:
        """A question about another meeting than the one these minutes record: the next or first one unless the
        best sentence speaks of it ('Næste møde afholdes …'), or one named by a date or month that is neither
        this meeting's nor that of an earlier decision the item carries ('Beslutning … den 10-04-2013')."""
        qualifier = other_meeting(question)
        if qualifier and qualifier not in scored[0].sentence.text.lower():
            return True
        named = named_meeting(question)
        if not named:
            return False
        day, month = named
        item = scored[0].item
        dates = [item.date] + [iso for s in scored if s.item.key == item.key
                               for iso in [iso_date(s.sentence.section)] if iso]
        if day is not None:
            # a full date the item's text gives ("På mødet den 10. februar 2023 godkendte …") is spoken of
            said = rf"\b{day}\.\s*{next(n for n, m in MONTHS.items() if m == month)}\b"
            if any(re.search(said, s.sentence.text, re.I) for s in scored if s.item.key == item.key):
                return False
        return not any(int(d[5:7]) == month and (day is None or int(d[8:10]) == day) for d in dates if d)

    def _other_body_decided(self, question: str, scored: list[Scored]) -> bool:
        """'Hvad besluttede byrådet …' asked of another body's minutes: they hold its recommendation at most,
        unless a sentence of the best item tells what that body decided."""
        match = DECIDING_BODY.search(question)
        if not match:
            return False
        named = stems(match.group(1) or match.group(2))
        if not named or named[0] in GENERIC_DECIDERS or len(named[0]) < 4:
            return False
        body = named[0]
        # a municipality's council goes by either name
        synonyms = {body} | (COUNCIL if body in COUNCIL else set())
        # the issuing body is that body when one of its words is the named one or ends in it ("Økonomiudvalget"
        # for "udvalget"); a mere shared beginning ("Kommune" and "kommunalbestyrelsen") is another body
        if any(w == b or w.endswith(b) for b in synonyms for w in stems(scored[0].item.body) if len(w) >= 4):
            return False
        top = scored[0].item.key
        for entry in scored:
            if entry.item.key == top and DECIDED.search(entry.sentence.text) and any(
                    w.startswith(body) for w in stems(entry.sentence.text)):
                return False
        return True

    @staticmethod
    def _lead_with_type(question: str, ranked: list[Scored]) -> list[Scored]:
        """The first sentence answers the question: the best sentence with the asked type leads when one is close,
        or when it shares a topic word with the question or stands right next to the best sentence (the date or
        amount often sits in the sentence after the one naming the subject)."""
        kind = classify(question)
        topic = set(topic_terms(question))
        why = bool(WHY_ASKED.match(question))
        if ranked and (OUTCOME.search(question) or (kind.decision and kind.amount)):
            # "hvem blev ny formand": the decision naming someone answers, not the background naming the one before;
            # "hvor meget fik klubben bevilget": the amount decided, not the one recommended or applied for
            decided = next((s for s in ranked if s.sentence.kind == "Beslutning" and answers_type(question, [s])),
                           None)
            if decided is not None:
                return [decided] + [s for s in ranked if s is not decided]
        if ranked and why and not CAUSE.search(ranked[0].sentence.text):
            # "hvorfor er der et merforbrug?": the sentence giving the cause, not the one stating the overrun
            best = ranked[0]
            for entry in ranked[1:]:
                after = right_after(best, entry)
                near = entry.score >= best.score - 0.6 or after
                if CAUSE.search(entry.sentence.text) and near and (entry.matched & topic or after):
                    ranked = [entry] + [s for s in ranked if s is not entry]
                    break
        if ranked and why and THEREFORE.match(ranked[0].sentence.text):
            # "Derfor anbefales regionsdrift." concludes; the sentence before it gives the reason
            before = next((s for s in ranked if right_after(s, ranked[0])), None)
            if before is not None:
                return [before] + [s for s in ranked if s is not before]
        if not ranked or answers_type(question, ranked[:1]):
            return ranked
        best = ranked[0]
        typed_entries = [s for s in ranked if answers_type(question, [s])]
        if DEADLINE_ASKED.search(question):
            # "hvornår skal … være færdig": a deadline ('frist: 19. september', 'senest 1. maj') before any date
            typed_entries.sort(key=lambda s: not DEADLINE_TEXT.search(s.sentence.text))
        for typed in typed_entries:
            close = typed.score >= best.score - 0.6
            shares = bool(typed.matched & topic)
            # the amount of the subject sits after the sentence naming it, not before it
            if close or shares or right_after(best, typed):
                return [typed] + [s for s in ranked if s is not typed]
        return ranked

    def _decided_on(self, question: str, retrieval: Retrieval, ranked: list[Scored]) -> Answer:
        """'Hvornår blev … besluttet?' with no date in the item: the meeting that treated it is the answer."""
        decision = QuestionKind(False, True, False, False, False, False, False, False)
        answer = self._compose(question, decision, retrieval, ranked)
        item = ranked[0].item
        lead = self.prompts.text("besluttet_paa", moede=meeting_phrase(item.body, item.date),
                                 punkt=item.item)
        return replace(answer, answer=f"{lead} {answer.answer}")

    # --- scoring ----------------------------------------------------------------------------
    def _unknown_topic(self, question: str, retrieval: Retrieval, scored: list[Scored]) -> bool:
        """A topical word the minutes never use (busdrift, cykelsti, borgmester): they do not cover it, unless it
        is a paraphrase (see ``paraphrased``)."""
        unknown = self._unknown_terms(question, scored)
        return bool(unknown) and not self._paraphrased(question, retrieval, scored, unknown)

    def _paraphrased(self, question: str, retrieval: Retrieval, scored: list[Scored], missing: list[str]) -> bool:
        """One word of a question of three or more topic words is the asker's own ("beløbsloft" for the minutes'
        "beløbsgrænse", "græsset" for "de grønne arealer"): every other topic word is in the best item, which
        both searches rank first. A name is never a paraphrase, and two missing words are a missing subject."""
        if len(missing) != 1 or missing[0] in names_in(question):
            return False
        key = scored[0].item.key
        if not (retrieval.items and key == retrieval.items[0].key and retrieval.dense_items[:1] == [key]
                and retrieval.lexical_items[:1] == [key]):
            return False
        verbs = verb_terms(question)
        terms = [t for t in self._subject_terms(question) if t not in verbs and t not in missing]
        if len(terms) < 2:
            return False
        splitter = self.index.lexical.splitter
        words = set(splitter.expand(stems(scored[0].item.title)))
        for entry in scored:
            if entry.item.key == key:
                words.update(splitter.expand(stems(entry.sentence.text)))
                words.update(symbol_words(entry.sentence.text))
        return all(present(t, words, splitter) or folded_present(t, words) or misspelt_present(t, words)
                   for t in terms)

    def _subject_terms(self, question: str) -> list[str]:
        """The question's topic words less those naming the meeting or body ("KTMU-mødet") and a party."""
        bodies = self._body_words()
        parties = party_letters(question)
        return [t for t in topic_terms(question) if not names_a_meeting(t, bodies) and t not in parties]

    def _unknown_terms(self, question: str, scored: list[Scored]) -> list[str]:
        """The question's topical words that neither the index nor the best item knows in any form."""
        vocabulary = self.index.lexical.vocabulary
        splitter = self.index.lexical.splitter
        sentences = [set(splitter.expand(stems(s.sentence.text))) for s in scored]
        top = scored[0].item.key
        item_words = set().union(*(w for s, w in zip(scored, sentences, strict=True) if s.item.key == top))
        # pairs of adjacent sentences of the top item, in document order: a compound's parts may stand apart
        ordered = [w for s, w in sorted(((s, w) for s, w in zip(scored, sentences, strict=True) if s.item.key == top),
                                        key=lambda p: (p[0].sentence.position, p[0].sentence.start))]
        title = set(splitter.expand(stems(scored[0].item.title)))
        item_words |= title
        windows = [a | b | title for a, b in pairwise(ordered)] or [item_words]
        # the issuing bodies ("Økonomiudvalget") and their acronyms ("KTMU", "PTU") are known words even where
        # no chunk repeats them
        bodies = self._body_words()
        verbs = verb_terms(question)
        symbols = set().union(*(symbol_words(s.sentence.text) for s in scored))
        unknown: list[str] = []
        for term in self._subject_terms(question):
            if term in verbs or term in symbols:
                continue
            if term in vocabulary or len(term) < 4 or (len(term) >= 5 and self.index.lexical.has_prefix(term)):
                continue
            if len(term) >= 5 and self.index.lexical.has_suffix(term):
                continue  # "gebyr": the minutes write "rykkergebyr", a kind of it
            # "stemte" → "stem": an indexed word that is most of the term is the same word inflected
            if any(term[:cut] in vocabulary for cut in range(len(term) - 1, max(3, int(len(term) * 0.75)) - 1, -1)):
                continue
            if present(term, item_words, splitter) or folded_present(term, item_words) \
                    or misspelt_present(term, item_words) or head_present(term, item_words):
                continue
            if "-" in term and all(p in vocabulary or p in bodies for p in term.split("-") if p):
                # "kulturkommune-aktiviteterne": its parts are the words that matter, and stems() gives them too
                continue
            if any(split_present(term, words) for words in windows):
                continue
            parts = splitter.parts(term)
            # an unseen compound counts as covered only when its parts stand together somewhere
            # ("taksten stiger" covers "takststigning"; "kommunale … valg" apart does not cover "kommunalvalg")
            if not parts or not any(set(parts[:2]) <= words for words in sentences):
                unknown.append(term)
        return unknown

    def _supported(self, question: str, retrieval: Retrieval, ranked: list[Scored], typed: bool = True) -> bool:
        """Does this item speak to the question? Its subject, term coverage, rank agreement, the answer's type."""
        terms = self._subject_terms(question)
        terms += [t for t in event_date_terms(question, retrieval.meetings) if t not in terms]
        best = ranked[0]
        if typed and not answers_type(question, ranked[:1]):
            return False
        if not terms or best.item.exact:
            return True
        splitter = self.index.lexical.splitter
        title_words = set(splitter.expand(stems(best.item.title)))
        item_terms: set[str] = set(title_words)
        for entry in ranked:
            item_terms.update(splitter.expand(stems(entry.sentence.text)))
            # a section's heading names what it holds ("Økonomiske konsekvenser: Ingen")
            item_terms.update(splitter.expand(stems(entry.sentence.section)))
            item_terms.update(symbol_words(entry.sentence.text))
        vocabulary = self.index.lexical.vocabulary
        # a compound the minutes use as one word names one thing ("handicapprisen"): its parts standing apart in
        # an item below the best one ("handicapparkering … prisen") do not name it; in the best item they may
        # ("skoleudvalget" for "Skole-, Børne- og Ungeudvalget")
        below = best.item.key != retrieval.items[0].key
        covered = [t for t in terms if present(t, item_terms, splitter, parts_apart=not below or t not in vocabulary)
                   or folded_present(t, item_terms)
                   or misspelt_present(t, item_terms)
                   or inflected_present(t, item_terms)
                   or tail_present(t, item_terms)
                   or (t not in vocabulary and (split_present(t, item_terms) or head_present(t, item_terms)))]
        # a verb the item does not use is the asker's wording, not a subject the item lacks
        verbs = verb_terms(question)
        terms = [t for t in terms if t in covered or t not in verbs]
        if not terms:
            return True
        # the question's subject is its rarest word: an item without it does not answer, whatever else it shares
        lexical = self.index.lexical
        # (nouns and names, not short verbs: "send", "start" say little about which item is meant)
        subjects = [t for t in terms if len(t) >= 6] or terms
        rarest = min(subjects, key=lambda t: (lexical.document_frequency(t), -len(t)))
        coverage = len(covered) / len(terms)
        # ... unless the item holds all but one of three or more topic words (a synonym for the missing one:
        # "kursus" for "undervisning"); a name the question gives must be there all the same
        missing = [t for t in terms if t not in covered]
        synonym = len(terms) >= 3 and (coverage >= 0.75 or self._paraphrased(question, retrieval, ranked, missing))
        if rarest not in covered and len(rarest) >= 4 and not synonym:
            return False
        if any(t not in covered for t in names_in(question) if t in terms):
            return False
        # a decision ("Godkendt.") rarely repeats its topic; the item's title does
        titled = bool(set(terms) & title_words)
        # the leading sentence holds a topic word, inflected or in a compound ("hunde" → "hundeluftning") too
        said = set(splitter.expand(stems(best.sentence.text)))
        evidence = bool(best.matched) or titled or any(present(t, said, splitter, parts_apart=False) for t in covered)
        # ... or the sentence right before it does ("Skrive anbefalingen til udvalget." / "Frist: 19. september")
        evidence = evidence or any(right_after(s, best) and s.matched for s in ranked)
        key = best.item.key
        agree = key in retrieval.dense_items[:3] and key in retrieval.lexical_items[:3]
        # every topic word in the item, which both searches rank high: the typed sentence that leads may name
        # none of them ("Mikkel Sand foreslog …" under a question about dogs in the house rules)
        evidence = evidence or (coverage == 1.0 and agree and key == retrieval.items[0].key)
        kind = classify(question)
        # an amount or a name answers about the subject it stands by (a vote line, "15 stemmer for", rarely repeats
        # what was voted on)
        named = kind.amount or (kind.who and not kind.decision)
        subject = [t for t in covered if t not in verbs]
        if typed and named and not kind.vote and not self._about_subject(ranked, subject):
            return False
        if typed and kind.amount and PRICE_ASKED.search(question):
            # "hvad kommer en billet til svømmehallen til at koste": the price is of the first thing named, which
            # the amount's sentence or the item's title must name (the renovation's cost is no ticket price)
            priced = next((t for t in self._subject_terms(question) if t not in verbs), None)
            # ("seniorkontingent" is priced under the title "Fastsættelse af kontingent": a compound's head)
            if priced and not head_present(priced, title_words) and not self._about_subject(ranked, [priced]):
                return False
        if (coverage >= 0.6 or synonym) and evidence:
            return True
        return agree and coverage >= 0.5 and evidence

    def _about_subject(self, ranked: list[Scored], covered: list[str]) -> bool:
        """An amount, a count or a name answers only about its subject: the item's title, the sentence giving it
        or the one right before it names a topic word of the question ("ca. 18.000 kr." for electricity says
        nothing of the organ fund in the next sentence)."""
        if not covered:
            return True
        splitter = self.index.lexical.splitter
        lead = ranked[0]
        # the item's title names its subject for every sentence of it ("Anlægsbevilling til ny daginstitution")
        title = set(splitter.expand(stems(lead.item.title)))
        if any(present(t, title, splitter) for t in covered):
            return True
        before = [s for s in ranked if right_after(s, lead)]
        for entry in [lead, *before]:
            said = set(splitter.expand(stems(entry.sentence.text))) | symbol_words(entry.sentence.text)
            # "et nyt stativ" is the "gyngestativ" asked about: a compound's head names it
            if any(present(t, said, splitter, parts_apart=False) or misspelt_present(t, said)
                   or head_present(t, said) for t in covered):
                return True
        return False

    def _attends_other_event(self, question: str) -> bool:
        """"Hvor mange deltog i borgermødet?" asks about an event the minutes describe, not who attended the
        meeting: the word after "deltog i" is neither the meeting ("mødet", "byrådsmødet") nor a body."""
        match = ATTENDED.search(question)
        if not match:
            return False
        words = stems(match.group(1))
        bodies = self._body_words()
        return bool(words) and not (words[0] in FRAMING or words[0].isdigit() or names_a_meeting(words[0], bodies))

    def _body_words(self) -> frozenset[str]:
        return body_words(frozenset(record.body for record in self.index.meetings()))

    def not_found(self, question: str, retrieval: Retrieval, notice: str | None = None) -> Answer:
        meetings = ", ".join(f"{r.body} {danish_date(r.date)}" for r in retrieval.meetings[:5])
        if len(retrieval.meetings) > 5:
            meetings += f" og {len(retrieval.meetings) - 5} andre møder"
        text = self.prompts.text("ikke_fundet", moeder=meetings or "ingen")
        maybe = tuple(r for r in retrieved_items(retrieval)[:3] if r.item != PARTICIPANTS_ITEM)
        if maybe:
            text += "\n" + self.prompts.text("maaske_relevant") + " " + "; ".join(
                f"punkt {m.item} – {m.title} ({m.meeting} {danish_date(m.date)})" for m in maybe)
        return Answer(question, text, False, (), retrieved_items(retrieval), notice=notice, maybe_relevant=maybe)

    # --- composing --------------------------------------------------------------------------
    def _compose(self, question: str, kind: QuestionKind, retrieval: Retrieval, same_item: list[Scored]) -> Answer:
        best = same_item[0]
        chosen: list[Scored] = [best]
        # a decision, a vote or a list is quoted as it stands; otherwise the best sentence leads
        leads = False
        if kind.decision and not (kind.amount or kind.when or kind.who):
            decision = [s for s in same_item if s.sentence.kind == "Beslutning"]
            if decision and sum(len(s.sentence.text.split()) for s in decision) <= 90:
                chosen = sorted(decision, key=lambda s: s.sentence.start + s.sentence.position * 10**6)
            elif decision:
                chosen = decision[:2]
            if chosen and BARE_APPROVAL.match(chosen[0].sentence.text):
                # "Godkendt." approves what was recommended: the recommendation says what was decided
                recommended = next((s for s in same_item if s.sentence.kind != "Beslutning" and (
                    s.sentence.kind == "Indstilling" or RECOMMENDS.search(s.sentence.text))), None)
                if recommended is not None:
                    chosen = [*chosen, recommended]
        elif kind.vote and VOTE_TEXT.search(best.sentence.text):
            # a vote is written down over several lines ("For stemte 4 …", "Imod stemte 5 …", "Undlod …"): all
            # of them, as they stand in the section
            chosen = [s for s in same_item if s.sentence.section == best.sentence.section
                      and s.sentence.chunk_id == best.sentence.chunk_id and VOTE_TEXT.search(s.sentence.text)][:4]
            chosen.extend(self._continuation(chosen, same_item))
        elif kind.listing and self._list_block(question, best, same_item):
            chosen = self._list_block(question, best, same_item)
        else:
            leads = True
            for other in same_item[1:4]:
                adds = other.matched - best.matched
                typed = kind_bonus(kind, other.sentence, question) > 0.2
                # a second sentence that follows the best one while the answer stays short (the best still
                # leads; the card carries the rest)
                after = (other.sentence.position, other.sentence.start) > (best.sentence.position, best.sentence.start)
                short = after and len(best.sentence.text.split()) + len(other.sentence.text.split()) \
                    <= SECOND_SENTENCE_WORDS
                if other.score >= (0.6 if short else 0.75) * best.score and (adds or typed):
                    chosen.append(other)
                    break
            chosen.extend(self._continuation(chosen, same_item))
        chosen = sorted({id(c): c for c in chosen}.values(), key=lambda s: (s.sentence.position, s.sentence.start))
        if leads:
            # the sentence that answers leads ("Taksten stiger fra … til …"), what it adds follows in the minutes'
            # order ("Den objektive finansiering stiger …" stood before it)
            chosen = [best] + [c for c in chosen if c is not best]
        citations = citations_for(chosen, retrieval.meetings)
        item = best.item
        body = "".join(self._group_text(chosen)).strip()
        framing = self.prompts.text(
            "ramme", moede=meeting_phrase(item.body, item.date), punkt=item.item,
            afsnit=citations[0].section,
        )
        return Answer(question, f"{framing} {body}", True, tuple(citations), retrieved_items(retrieval))

    @staticmethod
    def _in_order(same_item: list[Scored]) -> list[Scored]:
        return sorted(same_item, key=lambda s: (s.sentence.position, s.sentence.start))

    def _continuation(self, chosen: list[Scored], same_item: list[Scored]) -> list[Scored]:
        """Sentences right after a chosen one that continue it ('Det vil sige …', 'På den baggrund …')."""
        ordered = self._in_order(same_item)
        added: list[Scored] = []
        for entry in chosen:
            index = next(i for i, s in enumerate(ordered) if s is entry)
            if index + 1 >= len(ordered):
                continue
            following = ordered[index + 1]
            # a bare outcome ("Udsat.", "Godkendt.") is explained by what its section says next
            bare = len(entry.sentence.text.split()) <= BARE_OUTCOME_WORDS
            if (CONTINUES.match(following.sentence.text) or bare) and following not in chosen \
                    and following.sentence.section == entry.sentence.section and self._runs_on(entry, following):
                added.append(following)
        return added

    @staticmethod
    def _runs_on(entry: Scored, following: Scored) -> bool:
        """The next sentence of the same section (in document order) follows in the same paragraph, or opens the
        next chunk right where this one's chunk ends (a long section is cut into chunks between paragraphs:
        "… igen i efteråret." | "Det kunne fx være ved …"; the next chunk repeats only the item's heading)."""
        if following.sentence.chunk_id == entry.sentence.chunk_id:
            return "\n" not in following.chunk.text[entry.sentence.end : following.sentence.start]
        return not entry.chunk.text[entry.sentence.end :].strip()

    def _list_block(self, question: str, best: Scored, same_item: list[Scored]) -> list[Scored]:
        """An intro line ending in ':' and the list lines under it, when they hold the answer."""
        ordered = self._in_order(same_item)
        blocks: list[list[Scored]] = []
        open_block = False
        for entry in ordered:
            text = entry.sentence.text
            if text.endswith(":") and entry.sentence.kind != "Deltagere":
                blocks.append([entry])
                open_block = True
            elif open_block and LIST_LINE.match(text) and blocks[-1][-1].sentence.section == entry.sentence.section:
                blocks[-1].append(entry)
            else:
                open_block = False
        blocks = [b for b in blocks if len(b) >= 3]
        if not blocks:
            return []

        def context(block: list[Scored]) -> set[str]:
            # the intro's own paragraph often names the topic ("Ved den nordjyske strategiworkshop …")
            intro = block[0]
            paragraph_start = intro.chunk.text.rfind("\n", 0, intro.sentence.start) + 1
            lead = [e for e in ordered if e.sentence.chunk_id == intro.sentence.chunk_id
                    and paragraph_start <= e.sentence.start < intro.sentence.start]
            return set().union(*(e.matched for e in block + lead))

        def weight(block: list[Scored]) -> float:
            return len(context(block)) + max(e.score for e in block)

        focus = focus_term(question)
        if focus:
            blocks = [b for b in blocks if any(w.startswith(focus) for e in b for w in stems(e.sentence.text))]
            if not blocks:
                return []
        block = max(blocks, key=weight)
        covered = context(block)
        if not covered or len(covered) < len(best.matched) or weight(block) < best.score:
            return []
        return block[:12]

    @staticmethod
    def _group_text(chosen: list[Scored]) -> list[str]:
        parts: list[str] = []
        section = chosen[0].sentence.section
        for entry in chosen:
            if entry.sentence.section != section:
                parts.append(f" ({entry.sentence.section}:)")
                section = entry.sentence.section
            # list lines keep their own line, as in the minutes; so does a line after one with no full stop
            # ('Ansvarlig: Freja, frist: 19. september' is a line of its own, not the start of a sentence)
            unended = bool(parts) and not parts[-1].rstrip().endswith((".", "!", "?", ":", ")"))
            new_line = LIST_LINE.match(entry.sentence.text) or unended
            parts.append(("\n" if new_line else " ") + entry.sentence.text)
        return parts

    # --- structured routes ------------------------------------------------------------------
    def _attendance(self, question: str, retrieval: Retrieval) -> Answer | None:
        """From the participants lists; with several meetings in scope and none named, each one is answered."""
        meetings = sorted(retrieval.meetings, key=lambda r: r.date, reverse=True)[:3]
        texts: list[str] = []
        citations: list[Citation] = []
        found = False
        for record in meetings:
            chunks = self.index.item_chunks(record.meeting_id, PARTICIPANTS_ITEM)
            everyone = attendance.people(chunks[0]) if chunks else []
            if not everyone:
                continue
            text, cited = self._attendance_of(question, record, chunks[0], everyone)
            texts.append(text)
            citations.extend(cited)
            found = found or bool(cited)
        if not texts:
            return None
        if len(retrieval.meetings) > len(meetings):
            texts.append(self.prompts.text("flere_moeder", antal=str(len(retrieval.meetings) - len(meetings))))
        return Answer(question, "\n".join(texts), found, tuple(citations), retrieved_items(retrieval))

    def _attendance_of(self, question: str, record, chunk: StoredChunk,
                       everyone: list[attendance.Person]) -> tuple[str, list[Citation]]:
        role, chosen, narrowed = attendance.select(question, everyone)
        moede = meeting_phrase(record.body, record.date)
        where = f" fra {narrowed}" if narrowed else ""
        if not chosen:
            return self.prompts.text("ingen_deltagere", moede=moede, rolle=attendance.ROLE_LABELS[role],
                                     afgraensning=where), []
        spans = json.loads(chunk.metadata["spans"])
        block = chunk.text[spans[0]["start"] : spans[0]["end"]]
        page = int(chunk.metadata.get("page_start", 0))
        citations = [
            Citation(case=None, item=PARTICIPANTS_ITEM, title="Deltagere og afbud", section=heading,
                     page=page, meeting=record.body, date=record.date, source=record.source,
                     quote=block[start:end], score=1.0, meeting_id=record.meeting_id,
                     notice=file_notice(record, page))
            for start, end, heading in attendance.quote_blocks(block, chosen, role)
        ]
        text = self.prompts.text(
            "deltagere", moede=moede, antal=attendance.count_word(len(chosen)), rolle=attendance.ROLE_LABELS[role],
            afgraensning=where, navne="; ".join(p.describe() for p in chosen),
        )
        return text, citations

    def _case_number(self, question: str, retrieval: Retrieval) -> Answer:
        item = retrieval.items[0]
        chunks = self.index.item_chunks(item.meeting_id, item.item)
        sections = sections_of(chunks)
        listed = self._listed_number(question, item, sections)
        if listed is not None:
            # "journalnummeret på politikken for kultur og fritid": a document the item lists with its own number
            entry = Scored(listed, item, 1.0, frozenset(), next(c for c in chunks if c.id == listed.chunk_id))
            plain = QuestionKind(False, False, False, False, False, False, False, False)
            return self._compose(question, plain, retrieval, [entry])
        if not item.cases or not sections or not sections[0].sentences:
            return self.not_found(question, retrieval)
        first = sections[0].sentences[0]
        chunk = next(c for c in chunks if c.id == first.chunk_id)
        entry = Scored(first, item, 1.0, frozenset(), chunk)
        text = self.prompts.text(
            "sagsnummer", moede=meeting_phrase(item.body, item.date), punkt=item.item,
            titel=item.title, sag=", ".join(item.cases),
        )
        return Answer(question, text, True, tuple(citations_for([entry], retrieval.meetings)),
                      retrieved_items(retrieval))

    def _listed_number(self, question: str, item, sections) -> Sentence | None:
        """The sentence (an attachment line, a reference) that gives a journal or document number next to words
        the question names beyond the item's own title; None when the question asks for the item's case."""
        splitter = self.index.lexical.splitter
        title = set(splitter.expand(stems(item.title)))
        subject = [t for t in topic_terms(question) if not CASE.search(t) and t not in title and len(t) >= 4]
        if not subject:
            return None
        for section in sections:
            for sentence in section.sentences:
                if not DOCUMENT_NUMBER.search(sentence.text):
                    continue
                words = set(splitter.expand(stems(sentence.text)))
                if sum(present(t, words, splitter) for t in subject) >= max(1, (len(subject) + 1) // 2):
                    return sentence
        return None


# a journal or document number as minutes print them: "73288/09", "12/27845", "28.03.00-Ø40-2-24", "SAG-2023-01519"
DOCUMENT_NUMBER = re.compile(r"\b\d{2,6}/\d{2}\b|\b\d{2}\.\d{2}\.\d{2}-[A-ZÆØÅ]\d{2}-\d+-\d{2}\b|\bSAG-\d{4}-\d+\b")


# "Næste møde afholdes …", "Rådet mødes næste gang den …"
NEXT_MEETING = re.compile(r"\bnæste\s+(?:\w+)?møde\b|\bmødes\s+næste\s+gang\b|\bnæste\s+gang\s+\w+\s+mødes\b", re.I)
DEADLINE_ASKED = re.compile(r"\b(?:frist\w*|deadline|senest|færdig\w*|klar|afleveres|afleveret)\b", re.I)
DEADLINE_TEXT = re.compile(r"\b(?:frist\w*|deadline|senest|inden\s+(?:den\s+)?\d|færdig\w*\s+(?:den|i|til))\b", re.I)
PRICE_ASKED = re.compile(r"\b(?:koste\w*|pris(?:en)?)\b", re.I)
# "det lukkede punkt", "lukket punkt 9"
CLOSED_ASKED = re.compile(r"\blukkede?\s+punkt\w*|\bpunkt\w*\s+(?:der|som)\s+(?:var|blev)\s+(?:behandlet\s+)?lukket",
                          re.I)
# a conclusion drawn from the sentence before
THEREFORE = re.compile(r"^\s*(?:derfor|af den grund|på den baggrund|det er baggrunden)\b", re.I)
# a question for a reason, and a sentence that gives one
WHY_ASKED = re.compile(r"^\s*(?:og\s+)?(?:hvorfor|hvad\s+(?:er|var)\s+(?:årsagen|grunden|begrundelsen)|hvad\s+skyld)",
                       re.I)
CAUSE = re.compile(r"\b(?:skyld(?:es|tes)|fordi|på grund af|pga\.|som følge af|idet|årsag\w*|grund(?:en)?\b|"
                   r"begrund\w*|derfor|da\s+(?:der|det|den|de|man|han|hun|vi|\w+en|\w+et))", re.I)


def file_notice(record: MeetingRecord | None, page: int | None = None) -> str | None:
    """What a citation card says when the file was not read whole: skipped pages, a repaired file, and for a
    cited page of a scan that its text came from OCR (the reader should check the page image)."""
    if record is None:
        return None
    warnings = record.warning_list
    pages = [m.group(1) for w in warnings for m in [SKIPPED_PAGE.search(w)] if m]
    notes = []
    if page is not None and page in record.ocr_page_list:
        notes.append("tekst fra OCR")
    if pages:
        notes.append(f"{'side' if len(pages) == 1 else 'siderne'} {', '.join(pages)} kunne ikke læses")
    if any("repareret" in w for w in warnings):
        notes.append("filen var beskadiget og er repareret")
    return "; ".join(notes) or None


# an item treated behind closed doors: the minutes print its title and this note, nothing more
CLOSED = re.compile(r"\b(lukket punkt|lukket sag|lukkede døre|fortrolig\w*)\b", re.I)


def closed(same_item: list[Scored]) -> bool:
    """The item holds only a closed-item note ('Lukket punkt', 'Behandlet for lukkede døre.')."""
    words = sum(len(s.sentence.text.split()) for s in same_item)
    return words < 15 and any(CLOSED.search(s.sentence.text) for s in same_item)


# a decision that only approves ("Godkendt.", "Anbefales.") and a sentence that recommends
BARE_APPROVAL = re.compile(r"^\s*(?:godkendt|godkendes|tiltrådt|tiltrædes|anbefales|anbefalet|vedtaget|"
                           r"indstillingen (?:blev )?(?:godkendt|tiltrådt))"
                           # "Anbefales over for byrådet."
                           r"(?:\s+(?:over\s*for|til)\s+\w+)?\s*[.!]?\s*$", re.I)
RECOMMENDS = re.compile(r"\b(?:indstiller|indstilles|anbefaler|anbefales|foreslår|foreslås)\b", re.I)
# a sentence this short is an outcome without its reason
BARE_OUTCOME_WORDS = 3
# two sentences of at most this many words together make a short answer
SECOND_SENTENCE_WORDS = 45


def symbol_words(text: str) -> set[str]:
    """Words the minutes write as a sign: "99%" says "procent"."""
    return {"procent"} if re.search(r"\d\s?%", text) else set()


def head_present(term: str, words: set[str]) -> bool:
    """An unseen compound whose head the item uses names a kind of what the item speaks of: "affaldsgebyret"
    asked of an item about "gebyret" for a summer house."""
    return any(compound_of(term, w) for w in words)


def tail_present(term: str, words: set[str]) -> bool:
    """The term is the head of a compound the item uses: "gebyr" for the item's "rykkergebyr" (a kind of fee)."""
    return any(compound_of(w, term) for w in words)


def compound_head(term: str, word: str, vocabulary: set[str]) -> bool:
    """``word`` is ``term`` + a linking -e-/-s-/-er- + a word of three letters or more ('vint' + 'er' + 'sæson');
    a bare ending ('havne' → 'havner') is not a compound."""
    if not word.startswith(term) or len(word) - len(term) < 3:
        return False
    rest = word[len(term):]
    return any(rest.startswith(link) and len(rest) - len(link) >= 3 and rest[len(link):] in vocabulary
               for link in ("", "e", "s", "er", "es"))


def adjacent(first: Scored, second: Scored) -> bool:
    """Two sentences of one chunk and section with nothing but a sentence break between them."""
    a, b = sorted((first, second), key=lambda s: s.sentence.start)
    return (a.sentence.chunk_id == b.sentence.chunk_id and a.sentence.section == b.sentence.section
            and a is not b and not a.chunk.text[a.sentence.end : b.sentence.start].strip())


def right_after(first: Scored, second: Scored) -> bool:
    """``second`` is the sentence right after ``first``."""
    return adjacent(first, second) and second.sentence.start > first.sentence.start


NAME_WORD = re.compile(r"(?<!^)(?<![.!?:]\s)\b[A-ZÆØÅ][a-zæøåé]{2,}")


def names_in(question: str) -> list[str]:
    """Stems of the capitalised words inside the question (names of people, places, bodies)."""
    return [t for m in NAME_WORD.finditer(question.strip()) for t in stems(m.group(0))]


def present(term: str, words: set[str], splitter, parts_apart: bool = True) -> bool:
    """The term stands in ``words`` as itself, inflected (a short ending), or as a compound's parts (unless
    ``parts_apart`` is off); a word that merely begins like it ('havner' for 'havne…' subjects) is not it."""
    if term in words:
        return True
    vocabulary = getattr(splitter, "vocabulary", set())
    if len(term) >= 4 and any(compound_head(term, w, vocabulary) for w in words):
        # "vinter" in "vintersæsonen": the term begins a compound whose rest is a word of its own
        return True
    parts = splitter.parts(term) if parts_apart else None
    if parts and set(parts[:2]) <= words:
        return True
    if parts_apart and len(term) >= 9 and any(
            any(w.startswith(term[:cut]) for w in words)
            and any(w.startswith(term[cut:]) or w.endswith(term[cut:]) for w in words)
            for cut in range(4, len(term) - 3)):
        # a compound whose head begins one word of the item and whose tail is another ("mobil…" + "princip")
        return True
    return any(len(term) >= 4 and ((w.startswith(term) and len(w) - len(term) <= 2)
                                   or (term.startswith(w) and len(w) >= 4 and len(term) - len(w) <= 2))
               for w in words)


# Danish vowel shifts in inflection ("overrakt" / "overrækkes", "tog" / "tage" aside): compared without them
VOWEL_FOLD = str.maketrans({"æ": "a", "ø": "o", "å": "a"})


def inflected_present(term: str, words: set[str]) -> bool:
    """The term is a word of the item with an ending the stemmer left on ("nødforbindels" of "nødforbindelssen"
    for the item's "nødforbind"): a word of the item that is at least three quarters of it begins it."""
    # (an ending: "-s", "-e…"; not a derivation: "anbefaling" is not the item's "anbefales")
    return len(term) >= 8 and any(len(w) >= max(6, int(len(term) * 0.75)) and term.startswith(w)
                                  and re.fullmatch(r"s|e[a-zæøå]{0,3}", term[len(w):]) for w in words)


def folded_present(term: str, words: set[str]) -> bool:
    """The term stands in ``words`` inflected with a shifted vowel: same letters once æ/ø/å are folded, and at
    most two letters of ending apart."""
    if len(term) < 5:
        return False
    folded = term.translate(VOWEL_FOLD)
    return any(len(w) >= 5 and abs(len(w) - len(term)) <= 2
               and (w.translate(VOWEL_FOLD).startswith(folded) or folded.startswith(w.translate(VOWEL_FOLD)))
               for w in words)


def _part_in(part: str, words: set[str]) -> bool:
    """A compound part stands as a word, begins one ("bus" in "buskørsel") or ends one ("hal" in "…hallen")."""
    return any(w == part or w.startswith(part) or w.endswith(part) for w in words)


def split_present(term: str, words: set[str]) -> bool:
    """An unseen compound whose two parts both stand in ``words`` ("haltider" ~ "tider i …hallen"): cut at every
    point, a linking -s/-e dropped from the first part; both parts at least three letters."""
    if len(term) < 6 or not term.isalpha():
        return False
    for cut in range(3, len(term) - 2):
        head, tail = term[:cut], term[cut:]
        heads = {head} | ({head[:-1]} if head.endswith(("s", "e")) and len(head) > 3 else set())
        if _part_in(tail, words) and any(_part_in(h, words) for h in heads):
            return True
    return False


def citations_for(chosen: list[Scored], meetings: list[MeetingRecord] | tuple = ()) -> list[Citation]:
    """One citation per run of adjacent sentences in one section; the quote is that exact span."""
    records = {r.meeting_id: r for r in meetings}
    citations: list[Citation] = []
    runs: list[list[Scored]] = []
    for entry in chosen:
        last = runs[-1][-1] if runs else None
        if (last and last.sentence.chunk_id == entry.sentence.chunk_id
                and last.sentence.section == entry.sentence.section
                and not entry.chunk.text[last.sentence.end : entry.sentence.start].strip()):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    top = max(e.score for e in chosen) or 1.0
    for run in runs:
        first, last = run[0], run[-1]
        quote = first.chunk.text[first.sentence.start : last.sentence.end].strip()
        item = first.item
        citations.append(Citation(
            case=item.cases[0] if item.cases else None, item=item.item, title=item.title,
            section=first.sentence.section, page=first.sentence.page, meeting=item.body, date=item.date,
            source=item.source, quote=quote, score=round(max(e.score for e in run) / top, 3),
            meeting_id=item.meeting_id, notice=file_notice(records.get(item.meeting_id), first.sentence.page),
        ))
    return citations
