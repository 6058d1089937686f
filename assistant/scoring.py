"""Which sentences of the best agenda items answer the question, and does the answer have the asked type."""

from __future__ import annotations

import math
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

import numpy as np

from assistant.passages import MONTH_ABBREVIATIONS, Sentence, sentences_of
from assistant.questions import QuestionKind, classify, focus_term, party_letters, scoring_terms
from assistant.retrieval import ItemHit, Retrieval
from assistant.wordforms import compound_of, misspelt_present
from index.catalog import MinutesIndex
from index.dates import DANISH_DATE, MONTHS
from index.lexical import stems
from index.store import StoredChunk
from index.types import PARTICIPANTS_ITEM

QUANTITY = re.compile(r"\b(?!(?:19|20)\d\d\b)\d[\d.,]*\b")
LIST_LINE = re.compile(r"^(?:[–—•·*▪-]\s|\(?\d{1,2}[.)]\s|[A-ZÆØÅ]\w* \d+[:.]\s)")
CONTINUES = re.compile(
    r"^(Det|Dette|Disse|Den|De|Her|Herunder|Heraf|Blandt andet|Bl\.a\.|Fx|F\.eks\.|Dvs\.|På den baggrund|Derfor|"
    r"Dermed|Hermed|Således)\b")
AMOUNT_UNIT = re.compile(r"\d[\d.,]*\s*(kr\.?|mio\.?|mia\.?|%|procent)", re.I)
MONEY = re.compile(r"\d[\d.,]*\s*(kr\.?|kroner|mio\.?|mia\.?|millioner|milliarder)", re.I)
# "Mette Lund", "Anne-Marie Holm", "John T. Olsen"
PERSON_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøåé]+(?:[ -](?:[A-ZÆØÅ]\.\s)?[A-ZÆØÅ][a-zæøåé]+)+")
# people named by first name, as associations' and councils' minutes do: "Emil og Sofie", "Ansvarlig: Noah"
FIRST_NAMES = re.compile(r"\b[A-ZÆØÅ][a-zæøå]{2,}(?:,\s+[A-ZÆØÅ][a-zæøå]{2,})*\s+og\s+[A-ZÆØÅ][a-zæøå]{2,}\b"
                         r"(?!\s+[A-ZÆØÅ])|\bansvarlig\w*\s*:\s*[A-ZÆØÅ][a-zæøå]+")
CANDIDATE_ITEMS = 3
# how a vote is written down: "For stemte 13", "stemte imod", "47 for, 3 imod", "enstemmigt"
VOTE_TEXT = re.compile(r"\b(for stemte|imod stemte|stemte (for|imod|nej|ja|blankt)|\d+ (stemmer )?(for|imod)|"
                       r"enstemmig\w*|undlod|undlader|stemmer (for|imod|nej|ja|blankt)|stemte \w+ imod)\b", re.I)
# "hvem blev valgt", "hvem er blevet udpeget": the outcome of the item
OUTCOME = re.compile(r"\bhvem\s+(?:blev|er blevet|bliver)\b", re.I)
# a decision written in running text
DECIDED_INLINE = re.compile(r"\b(?:det blev besluttet|blev (?:vi )?enige om|besluttede|vedtog|blev vedtaget|"
                            r"blev godkendt|godkendte|aftalte)\b", re.I)
UNSECTIONED = ("Tekst", "Referat")
# how a stance is written down: support, agreement, concern, recommendation
TAKEN_POSITION = re.compile(r"\b(godkend\w*|vedtog|vedtaget|besluttede|tiltråd\w*|afvis\w*|afviste|tog\b.*\btil "
                            r"(?:efterretning|orientering)|henstil\w*|opfordr\w*|accept\w*|indstill\w*)", re.I)
STANCE_TEXT = re.compile(r"\b(opbakning|enig\w*|uenig\w*|tilslutning|positiv\w*|kritisk\w*|bekymr\w*|anbefal\w*|"
                         r"ønske\w*|mente|mener|foreslog|prioritet\w*|tilfreds\w*|støtte\w*|imod|glæde\w*|"
                         r"betænkelig\w*|modstand|skeptisk\w*|begejstr\w*|understreg\w*|bemærk\w*|påpeg\w*|"
                         r"fremhæv\w*|pointer\w*|udtryk\w*|advar\w*|efterly\w*|tilkendegav|vurder\w*|fandt)", re.I)


@dataclass(frozen=True)
class Scored:
    sentence: Sentence
    item: ItemHit
    score: float
    matched: frozenset[str]
    chunk: StoredChunk
    cosine: float = 0.0


def _related(term: str, word: str) -> bool:
    """Compound's first part ('sag' → 'sagstallet'), its head ('gebyr' → 'rykkergebyr') or the same word
    inflected ('stemt' ~ 'stem')."""
    return (word.startswith(term) or compound_of(word, term)
            or (len(word) >= 4 and term.startswith(word) and len(word) >= 0.75 * len(term)))


# numbers written as words ("de fire sundhedsklynger"); "en"/"et" are articles far more often than counts
NUMBER_WORD = re.compile(r"^(to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|"
                         r"sytten|atten|nitten|tyve|tredive|fyrre|halvtreds|tres|hundrede|tusind)$")


def counted_terms(question: str) -> list[str]:
    """What 'hvor mange' counts: the word right after it even where it frames ('gange', 'møder'), and the first
    topical word after it ('Hvor mange af pladserne …')."""
    terms = []
    after = re.search(r"\bhvor mange\s+(\w+)", question, re.I)
    if after and stems(after.group(1)):
        terms.append(stems(after.group(1))[0])
    focus = focus_term(question)
    if focus and focus not in terms:
        terms.append(focus)
    return [t for t in terms if len(t) >= 3]


def _counts(focus: str, text: str) -> bool:
    """A number standing next to the counted thing: '230 sager', 'sagstallet til 220', '11 mål', 'fire klynger',
    'pladserne på Kløvervangen fra otte til seks'."""
    if focus.startswith("procent") and re.search(r"\d\s?%", text):
        return True  # "hvor mange procent": "99%"
    tokens = text.lower().split()
    # the asker's spelling may be a letter off the minutes' ("høringsvar" for "høringssvar")
    return any(stems(token) and (stems(token)[0].startswith(focus) or misspelt_present(focus, {stems(token)[0]}))
               and any(is_number(w) for w in tokens[max(0, index - 3) : index + 7])
               for index, token in enumerate(tokens))


def is_number(word: str) -> bool:
    """A word that is a number: digits ("220", "1.000") or a number word ("fire", "tolv")."""
    return bool(QUANTITY.search(word) or NUMBER_WORD.match(word.strip(",.:;()")))


def new_name(name: str, question: str) -> bool:
    """A name the question does not already hold in part: 'Havnsted Sundhedshus' does not answer 'Hvem … i
    Havnsted?', nor 'Foreningen Kystby Musikfestival' 'Hvem … på musikfestivalen?'. A building or a place
    ('Rødmose Kulturhus', 'Nørre Allé') answers no 'hvem'."""
    if PLACE_NAME.search(name):
        return False
    asked = set(stems(question))
    return not any(w in asked for w in stems(name))


# the last word of a name that is a building or a place, not a person or a body
PLACE_NAME = re.compile(r"(?:hus|huset|hal|hallen|skole|skolen|vej|gade|allé|center|centret|centeret|kirke|kirken|"
                        r"park|parken|torv|torvet|plads|pladsen|stadion|bibliotek|biblioteket|havn|havnen|strand|"
                        r"stranden|station|stationen)$", re.I)


def kind_bonus(kind: QuestionKind, sentence: Sentence, question: str = "") -> float:
    text = sentence.text
    bonus = 0.0
    if kind.decision and (sentence.kind == "Beslutning"
                          or (sentence.kind in UNSECTIONED and DECIDED_INLINE.search(text))):
        # minutes without decision sections write the decision in the text: "Det blev besluttet at …" (in a
        # Sagsfremstilling "godkendte Byrådet …" is background)
        bonus += 0.35
    if kind.vote:
        bonus += 0.5 if VOTE_TEXT.search(text) else -0.1
    if kind.stance and STANCE_TEXT.search(text):
        bonus += 0.3
    letters = set(party_letters(question).values())
    if letters and any(re.search(rf"\({letter}\b|\b{letter}\)|\b{letter},", text) for letter in letters):
        # "hvad mente de konservative": the sentence naming a member "(C)"
        bonus += 0.4
    if kind.amount and re.search(r"\bhvor mange\b", question, re.I):
        bonus += 0.3 if QUANTITY.search(text) else -0.2
    elif kind.amount:
        # money questions ("hvor meget", "prisen", "beløbet") want an amount with its unit
        bonus += 0.35 if AMOUNT_UNIT.search(text) else (0.1 if QUANTITY.search(text) else -0.2)
    if kind.when:
        if DANISH_DATE.search(text) or re.search(r"\bden \d{1,2}\.", text) or NUMERIC_DAY.search(text):
            bonus += 0.35
        else:
            # "i september 2012", "Okt. 2012: …": a month and year dates less precisely than a day
            bonus += 0.2 if MONTH_AND_YEAR.search(text) else -0.2
    if kind.who and any(new_name(m.group(0), question) for m in PERSON_NAME.finditer(text)):
        bonus += 0.25
    if kind.who and OUTCOME.search(question) and sentence.kind == "Beslutning":
        # "hvem blev ny formand": who it became is the decision, not the background naming the one before
        bonus += 0.3
    if kind.where and re.search(r"\b(ligger|på|i)\s+[A-ZÆØÅ]\w+(vej|gade|plads|allé|\s+\d)", text):
        bonus += 0.3
    if HOW_OFTEN.search(question):
        # "hvor tit …": "hvert fjerde år", "to gange om året", "årligt"
        bonus += 0.35 if FREQUENCY.search(text) else 0.0
    if NOW_ASKED.search(question) and FUTURE.search(text):
        # "hvor lang er ventetiden nu": how it stands, not what is expected by the end of the year
        bonus -= 0.2
    if FINANCED.search(question):
        # "hvordan skal det finansieres": "Udgiften afholdes af de frie midler"
        bonus += 0.35 if PAID_BY.search(text) else 0.0
    heading_like = not text.endswith((".", "!", "?", ":")) and len(text.split()) < 6 and not LIST_LINE.match(text)
    if (text.endswith(":") and not kind.listing) or heading_like:
        bonus -= 0.25
    if kind.listing and (LIST_LINE.match(text) or text.endswith(":")):
        bonus += 0.15
    return bonus

# --- abstention ---------------------------------------------------------------------------


def answers_type(question: str, top: list[Scored]) -> bool:
    """A money question needs an amount, a count a number, 'hvornår' a date, 'hvem' a name."""
    kind = classify(question)
    texts = [s.sentence.text for s in top]
    if kind.attendance or kind.case:
        return True
    if re.search(r"\bhvor mange (penge|kroner|mio|millioner|milliarder)\b", question, re.I):
        return any(AMOUNT_UNIT.search(t) for t in texts)
    if kind.vote and re.search(r"\b(stemte|stemt)\b", question, re.I):
        # "Hvem stemte imod …", "hvor mange stemte for …": a vote must be written down, not just the subject
        return any(VOTE_TEXT.search(t) for t in texts)
    if kind.amount and re.search(r"\bhvor mange\b", question, re.I):
        # a count stands next to the counted thing ("9 indsigelser"), not anywhere in the sentence
        counted = counted_terms(question)
        if counted:
            return any(_counts(term, t) for term in counted for t in texts)
        return any(is_number(w) for t in texts for w in t.lower().split())
    if kind.amount and re.search(r"\b(koste\w*|pris\w*)\b", question, re.I):
        # what something costs is money, not a share
        return any(MONEY.search(t) for t in texts)
    if kind.amount and re.search(r"\b(beløb\w*|hvor meget)\b", question, re.I):
        return any(AMOUNT_UNIT.search(t) for t in texts)
    if kind.when:
        return any(DANISH_DATE.search(t) or re.search(rf"\b({'|'.join(MONTHS)}|kl\.|uge \d|\d{{4}})\b", t, re.I)
                   for t in texts)
    if kind.who and not kind.decision:
        return any(new_name(m.group(0), question) for t in texts for m in PERSON_NAME.finditer(t)) or any(
            all(new_name(w, question) for w in re.findall(r"[A-ZÆØÅ][a-zæøå]+", m.group(0)))
            for t in texts for m in FIRST_NAMES.finditer(t))
    if kind.stance:
        # a view is written down as one ("bakker op", "bekymret", "anbefaler") or as what the body decided
        return any(STANCE_TEXT.search(s.sentence.text) or TAKEN_POSITION.search(s.sentence.text)
                   or s.sentence.kind == "Beslutning" for s in top)
    return True


MONTH_AND_YEAR = re.compile(rf"\b(?:{'|'.join([*MONTHS, *sorted(MONTH_ABBREVIATIONS)])})\.?\s+\d{{4}}\b", re.I)
# "20.09.2012", "24-04-2013"
NUMERIC_DAY = re.compile(r"\b\d{1,2}[.-]\d{1,2}[.-](?:19|20)\d\d\b")
HOW_OFTEN = re.compile(r"\bhvor\s+(?:tit|ofte|hyppigt)\b|\bhvor mange gange (?:om|pr\.?|per|i)\b", re.I)
FREQUENCY = re.compile(r"\b(?:hver[ts]?|årlig\w*|månedlig\w*|ugentlig\w*|dagligt?|kvartalsvis|løbende|"
                       r"\w+ gange? (?:om|pr\.?|per|i) (?:året|måneden|ugen|dagen|år|kvartalet))\b", re.I)
FINANCED = re.compile(r"\b(?:finansier\w*|betales?|betaler|dækkes|hvem\s+betal\w*|pengene\s+(?:komme|fra))\b", re.I)
PAID_BY = re.compile(r"\b(?:afholdes|finansieres|finansiering|betales|dækkes|midler|pulje\w*|konto|kassen|"
                     r"reserve\w*|budget\w*|bevilling\w*)\b", re.I)
# the present state asked for, and a sentence about what is to come
NOW_ASKED = re.compile(r"\b(?:nu|i dag|lige nu|aktuelt|for tiden|p\.t\.)\s*\??\s*$", re.I)
FUTURE = re.compile(r"\b(?:forventes|forventer|forventet|vil blive|skal|planlægges|planlagt|fremover|kommende|"
                    r"ved udgangen af)\b", re.I)
# a sentence has words ("./." and "- 3 -" are marks, not sentences)
WORDED = re.compile(r"[A-Za-zÆØÅæøåÉé]{2}")
# within an item, a question word that is also in the item's title counts this much
TITLE_TERM_WEIGHT = 0.5
TITLE_ITEM_WEIGHT = 0.3
# weight of the dense (e5) similarity of question and sentence, as a 0-1 feature over the candidates
DENSE_SENTENCE_WEIGHT = 0.25
SENTENCE_CACHE_CHUNKS = 2048


class SentenceVectors:
    """e5 vectors of the sentences of a chunk, kept per chunk id (LRU) so repeated questions embed nothing."""

    def __init__(self, embedder, size: int = SENTENCE_CACHE_CHUNKS) -> None:
        self.embedder = embedder
        self.size = size
        self._chunks: OrderedDict[str, dict[int, np.ndarray]] = OrderedDict()
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def query(self, question: str) -> np.ndarray:
        with self._lock:
            if question in self._queries:
                self._queries.move_to_end(question)
                return self._queries[question]
        vector = np.asarray(self.embedder.embed_query(question), dtype=np.float32)
        with self._lock:
            self._queries[question] = vector
            while len(self._queries) > 256:
                self._queries.popitem(last=False)
        return vector

    def sentences(self, chunk_id: str, sentences: list[Sentence]) -> list[np.ndarray]:
        with self._lock:
            known = self._chunks.get(chunk_id)
            if known is not None:
                self._chunks.move_to_end(chunk_id)
        missing = [s for s in sentences if known is None or s.start not in known]
        if missing:
            # e5's symmetric use ('query: ' on both sides) keeps sentences on the question encoder, which needs
            # no PyTorch; passage vectors would load the ingest model on the question path
            vectors = list(self.embedder.embed_queries([s.text for s in missing]))
            known = dict(known or {})
            known.update({s.start: np.asarray(v, dtype=np.float32) for s, v in zip(missing, vectors, strict=True)})
            with self._lock:
                self._chunks[chunk_id] = known
                while len(self._chunks) > self.size:
                    self._chunks.popitem(last=False)
        return [known[s.start] for s in sentences]


class SentenceScorer:
    """Scores every sentence of the top items by the question's terms, by its e5 similarity to the question and
    by what the question asks for."""

    def __init__(self, index: MinutesIndex) -> None:
        self.index = index
        self.vectors = SentenceVectors(index.embedder)

    def cosines(self, question: str, entries: list[tuple[StoredChunk, Sentence]]) -> list[float]:
        """Cosine of the question and each sentence; zeros when the embedder cannot be used."""
        if not entries:
            return []
        try:
            query = self.vectors.query(question)
            by_chunk: dict[str, list[Sentence]] = {}
            for chunk, sentence in entries:
                by_chunk.setdefault(chunk.id, []).append(sentence)
            vectors: dict[tuple[str, int], np.ndarray] = {}
            for chunk_id, sentences in by_chunk.items():
                for sentence, vector in zip(sentences, self.vectors.sentences(chunk_id, sentences), strict=True):
                    vectors[(chunk_id, sentence.start)] = vector
            return [float(np.dot(query, vectors[(c.id, s.start)])) for c, s in entries]
        except Exception:  # the lexical score still answers
            return [0.0] * len(entries)

    def weights(self, terms: list[str]) -> dict[str, float]:
        total = max(len(self.index.lexical.ids), 1)
        return {t: math.log(1 + total / (1 + self.index.lexical.document_frequency(t))) for t in terms}

    def score(self, question: str, kind: QuestionKind, retrieval: Retrieval) -> list[Scored]:
        splitter = self.index.lexical.splitter
        terms = splitter.expand(scoring_terms(question))
        weights = self.weights(terms)
        total_weight = sum(weights.values()) or 1.0
        scored: list[Scored] = []
        candidates = [i for i in retrieval.items if i.item != PARTICIPANTS_ITEM][:CANDIDATE_ITEMS]
        for rank, item in enumerate(candidates):
            prior = 0.35 * (1.0 - rank / CANDIDATE_ITEMS) + (0.3 if item.exact else 0.0)
            chunks = self.index.item_chunks(item.meeting_id, item.item)
            # a sentence carries its section's heading: "Økonomiske konsekvenser: Ingen" answers what it costs
            entries = [(chunk, sentence, set(splitter.expand(stems(sentence.text + " " + sentence.section))))
                       for chunk in chunks for sentence in sentences_of(chunk) if WORDED.search(sentence.text)]
            # a word in every sentence of the item (its own name) says little about which sentence answers
            spread = {t: sum(t in words for _, _, words in entries) for t in terms}
            local = {t: weights[t] * math.log(1 + len(entries) / (1 + spread[t])) for t in terms}
            # the item's title names its subject, which retrieval has already matched: within the item, the
            # question's other words ("honorar", "tilføjes") tell which sentence answers
            titled = set(splitter.expand(stems(item.title)))
            local = {t: w * (TITLE_TERM_WEIGHT if t in titled else 1.0) for t, w in local.items()}
            # ... while between items, a title that names the question's subject makes its item the likelier one
            # (an agenda item that only mentions the subject in passing names it in no title)
            prior += TITLE_ITEM_WEIGHT * sum(weights[t] for t in terms if t in titled) / total_weight
            focus = focus_term(question)
            if focus in local:
                # "Hvor mange sager": the counted thing matters more than the words around it
                local[focus] *= 3
            top_weight = sum(local.values()) or 1.0
            for chunk, sentence, words in entries:
                matched = frozenset(t for t in terms if t in words)
                # Danish compounds put the head first: "sag" in a question also points at "sagstallet"
                heads = frozenset(t for t in terms if t not in matched and len(t) >= 3
                                  and any(_related(t, w) for w in words))
                score = (sum(local[t] for t in matched) + 0.5 * sum(local[t] for t in heads)) / top_weight
                score += prior + kind_bonus(kind, sentence, question)
                if kind.amount and focus and _counts(focus, sentence.text):
                    score += 0.3
                scored.append(Scored(sentence, item, score, matched, chunk))
        return sorted(self._with_cosines(question, scored), key=lambda s: -s.score)

    def _with_cosines(self, question: str, scored: list[Scored]) -> list[Scored]:
        """Add the e5 similarity as a feature scaled over the candidates: the closest sentence gets the full weight."""
        cosines = self.cosines(question, [(s.chunk, s.sentence) for s in scored])
        if not cosines or max(cosines) <= 0:
            return scored
        low, high = min(cosines), max(cosines)
        span = (high - low) or 1.0
        return [replace(s, score=s.score + DENSE_SENTENCE_WEIGHT * (c - low) / span, cosine=c)
                for s, c in zip(scored, cosines, strict=True)]
