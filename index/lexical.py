"""BM25 over chunks with Danish stemming, stopwords and compound splitting.

The index is derived: it is built from the documents stored in Chroma and can always be rebuilt.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import shutil
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from index.access import CLOSED

TOKEN = re.compile(r"[0-9a-zæøåéüöä]+(?:[.,\-/][0-9a-zæøåéüöä]+)*", re.I)
# Bump when tokenisation changes, so persisted indexes built the old way are rebuilt.
TOKENISER_VERSION = "da-2"
log = logging.getLogger(__name__)
# Bump when what is persisted beside the tokens changes (the access level of every chunk since "2")
STATE_VERSION = 2
MIN_PART = 3
MIN_COMPOUND = 7
# Short function words carry no topic; a question's "hvad", "hvem", "blev" must not decide ranking.
STOPWORDS = frozenset("""
af alle alt anden andet andre at bare begge blev blive bliver da de dem den denne dens der deres det dette dig din
disse dog du efter eller en end er et for fra ham han hans har havde have hende hendes her hos hun hvad hvem hver
hvilke hvilken hvilket hvis hvor hvordan hvornår hvorfor i ikke ind ingen intet jeg jer jeres jo kan kunne ligesom
man mange med meget men mig min mine mit mod ned noget nogle nu når og også om op os over på sa selv sig sin sine
sit skal skulle som sådan thi til ud under var vi vil ville vor vores være været blevet bl.a. mv m.v. fx f.eks.
dvs. ift. ifm. kr mio mia the and of to in
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("danish")


def words(text: str) -> list[str]:
    """Lower-cased word tokens; '14.589' and 'SAG-2023-01519' stay whole and also give their parts."""
    out: list[str] = []
    for match in TOKEN.finditer(text.lower()):
        token = match.group(0).strip(".,-/")
        if not token:
            continue
        out.append(token)
        if re.search(r"[.,\-/]", token) and not re.fullmatch(r"[\d.,]+", token):
            out.extend(p for p in re.split(r"[.,\-/]", token) if p)
    return out


# nouns whose "-et" is their root, not the definite ending the Danish stemmer strips ("budget" → "budg",
# "billet" → "bil" while "budgettet" → "budget"): kept whole, alone and as a compound's head
ROOT_ET = ("budget", "billet", "toilet", "kabinet", "ballet", "internet", "tablet", "raket", "etiket", "cigaret",
           "planet", "trompet", "parket", "buffet", "klarinet", "magnet", "komet", "bajonet", "amulet", "minaret",
           "kasket", "pamflet", "kadet", "sekret", "filet", "kotelet", "roulet", "sorbet")


def _root_kept(token: str, stem: str) -> str:
    return token if token.endswith(ROOT_ET) else stem


def stems(text: str) -> list[str]:
    tokens = [w for w in words(text) if w not in STOPWORDS]
    return [_root_kept(token, stem) for token, stem in zip(tokens, _stemmer().stemWords(tokens), strict=True)]


class CompoundSplitter:
    """Splits Danish compounds into parts that occur on their own in the corpus.

    'takststigning' → 'takst' + 'stigning' when both stand alone somewhere, so a question about
    'takst' reaches the compound and one about 'takststigning' reaches 'taksten'.
    """

    def __init__(self, vocabulary: set[str]) -> None:
        self.vocabulary = {w for w in vocabulary if len(w) >= MIN_PART and not w.isdigit()}

    def parts(self, stem: str) -> list[str]:
        if len(stem) < MIN_COMPOUND or not stem.isalpha():
            return []
        stemmer = _stemmer()
        for cut in range(len(stem) - MIN_PART, MIN_PART - 1, -1):
            head, tail = stem[:cut], stem[cut:]
            tail_stem = _root_kept(tail, stemmer.stemWord(tail))
            if tail_stem not in self.vocabulary:
                continue
            for candidate in (head, head[:-1] if head.endswith(("s", "e")) else None):
                if candidate and candidate in self.vocabulary:
                    return [candidate, tail_stem, *self.parts(candidate)]
        return []

    def expand(self, tokens: list[str]) -> list[str]:
        out = list(tokens)
        for token in tokens:
            out.extend(self.parts(token))
        return out


class LexicalIndex:
    """BM25 (bm25s) over chunk texts, addressed by chunk id."""

    def __init__(self, ids: list[str], texts: list[str], levels: list[str] | None = None) -> None:
        import bm25s

        self.ids = list(ids)
        # each chunk's access level, so a search sees only what the reader may see (index.access)
        self.levels = list(levels) if levels is not None else [CLOSED] * len(self.ids)
        tokenised = [stems(t) for t in texts]
        vocabulary = Counter(s for doc in tokenised for s in set(doc))
        self.splitter = CompoundSplitter(set(vocabulary))
        corpus = [self.splitter.expand(doc) for doc in tokenised]
        self.frequencies = Counter(t for doc in corpus for t in set(doc))
        self.vocabulary = set(self.frequencies)
        self._bm25 = bm25s.BM25()
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._position = {cid: i for i, cid in enumerate(self.ids)}

    def has_prefix(self, term: str) -> bool:
        """Some indexed word starts with ``term``: 'skolebus' is the head of 'skolebusrute'."""
        ordered = getattr(self, "_ordered", None)
        if ordered is None:
            ordered = self._ordered = sorted(self.vocabulary)
        position = bisect.bisect_left(ordered, term)
        return position < len(ordered) and ordered[position].startswith(term)

    def has_suffix(self, term: str) -> bool:
        """Some longer indexed word ends with ``term``: 'gebyr' is the head of 'rykkergebyr'."""
        ordered = getattr(self, "_reversed", None)
        if ordered is None:
            ordered = self._reversed = sorted(w[::-1] for w in self.vocabulary)
        backwards = term[::-1]
        position = bisect.bisect_left(ordered, backwards)
        if position < len(ordered) and ordered[position] == backwards:
            position += 1  # the word itself sorts first; a longer one follows it
        return position < len(ordered) and ordered[position].startswith(backwards)

    def document_frequency(self, term: str) -> int:
        return self.frequencies.get(term, 0)

    def query_terms(self, question: str) -> list[str]:
        return [t for t in self.splitter.expand(stems(question)) if t in self.vocabulary]

    def search(self, question: str, k: int, allowed: set[str] | None = None,
               levels: tuple[str, ...] | None = None) -> list[tuple[str, float]]:
        """Best chunks for the question among ``allowed`` ids (None: all) of the access ``levels`` (None: all)."""
        terms = self.query_terms(question)
        if not terms or not self.ids:
            return []
        mask = None
        if allowed is not None:
            mask = np.zeros(len(self.ids), dtype=np.float32)
            for cid in allowed:
                if cid in self._position:
                    mask[self._position[cid]] = 1.0
        if levels is not None:
            visible = np.fromiter((level in levels for level in self.levels), dtype=np.float32, count=len(self.ids))
            mask = visible if mask is None else mask * visible
        if mask is not None and not mask.any():
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([terms], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        return [(self.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def save(self, directory: Path, fingerprint: str) -> None:
        staging = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if self.ids:
            self._bm25.save(str(staging / "bm25"), show_progress=False)
        (staging / "state.json").write_text(json.dumps({
            "fingerprint": fingerprint, "tokeniser": TOKENISER_VERSION, "state": STATE_VERSION, "ids": self.ids,
            "levels": self.levels,
            "vocabulary": sorted(self.splitter.vocabulary),
            "frequencies": dict(sorted(self.frequencies.items())),
        }, ensure_ascii=False), encoding="utf-8")
        # swap whole directories so a reader never sees half an index
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        staging.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    def save_quietly(self, directory: Path, fingerprint: str) -> None:
        """Save the cache, or say why not: a full or read-only disk must not stop questions, which use the
        index in memory; the next start rebuilds it from Chroma."""
        try:
            self.save(directory, fingerprint)
        except OSError as exc:
            log.warning("BM25-indekset kunne ikke gemmes i %s (%s); det bruges fra hukommelsen og bygges igen "
                        "ved næste start", directory, exc)
            shutil.rmtree(directory.with_name(directory.name + ".tmp"), ignore_errors=True)

    @classmethod
    def load(cls, directory: Path, fingerprint: str) -> LexicalIndex | None:
        """The saved index when it was built from the same collection state and reads back whole, else None
        (with a log line saying why, so an operator sees a rebuild and its cause)."""
        state_file = directory / "state.json"
        if not state_file.is_file():
            return None
        try:
            state = json.loads(state_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("BM25-indekset i %s er beskadiget (%s); bygges igen fra Chroma", directory, exc)
            return None
        if (state.get("fingerprint") != fingerprint or state.get("tokeniser") != TOKENISER_VERSION
                or state.get("state") != STATE_VERSION):
            log.info("BM25-indekset i %s hører til en anden tilstand af Chroma; bygges igen", directory)
            return None
        try:
            return cls._read(directory, state)
        except Exception as exc:  # a derived cache: whatever is wrong with it, rebuild it
            log.warning("BM25-indekset i %s er beskadiget (%s: %s); bygges igen fra Chroma", directory,
                        type(exc).__name__, exc)
            return None

    @classmethod
    def _read(cls, directory: Path, state: dict) -> LexicalIndex:
        import bm25s

        index = cls.__new__(cls)
        index.ids = list(state["ids"])
        index.levels = list(state["levels"])
        if len(index.levels) != len(index.ids):
            raise ValueError(f"{len(index.levels)} adgangsniveauer, {len(index.ids)} id'er")
        index.splitter = CompoundSplitter(set(state["vocabulary"]))
        index.frequencies = Counter(state["frequencies"])
        index.vocabulary = set(index.frequencies)
        index._position = {cid: i for i, cid in enumerate(index.ids)}
        index._bm25 = bm25s.BM25()
        if index.ids:
            index._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
            documents = int(index._bm25.scores.get("num_docs", -1))
            if documents != len(index.ids):
                raise ValueError(f"{documents} dokumenter i BM25, {len(index.ids)} id'er")
        return index
