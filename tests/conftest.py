"""Shared fixtures: every data path points at a temporary directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE_PDF = ROOT / "sample" / "kkr-nordjylland-2023-04-28.pdf"
SAMPLE_TXT = SHARED / "minutes" / "kkr-nordjylland-2023-04-28.txt"
EVAL_QUESTIONS = SHARED / "eval" / "kkr-nordjylland-2023-04-28.questions.jsonl"

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def isolated_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from assistant.config import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("REFERAT_DATA_DIR", str(data))
    for name in ("REFERAT_CHROMA_HOST", "REFERAT_LLM_BASE_URL", "REFERAT_API_TOKEN", "REFERAT_ADMIN_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def embedder():
    """The real multilingual-e5-small on the default backend (what users get), loaded once for the whole run."""
    from assistant.config import Settings
    from assistant.service import index_config
    from index.catalog import make_embedder

    return make_embedder(index_config(Settings()))


@pytest.fixture()
def make_index(embedder):
    """Open a real index (Chroma on disk) in a directory of the test's choosing."""
    from index.catalog import IndexConfig, MinutesIndex

    def make(data_dir: Path) -> MinutesIndex:
        from assistant.config import Settings

        config = IndexConfig(data_dir=data_dir, model="multilingual-e5-small", model_cache=Settings().model_cache)
        return MinutesIndex(config, embedder=embedder)

    return make


def june_minutes_pdf(directory: Path) -> Path:
    """The realistic second KKR meeting as a PDF with running header and footer."""
    from tests.support.pdfmaker import write_pdf

    lines = (FIXTURES / "kkr-nordjylland-2023-06-23.txt").read_text(encoding="utf-8").splitlines()[3:]
    body = [ln for ln in lines if ln.strip()]
    pages = [body[i : i + 22] for i in range(0, len(body), 22)]
    header = ["K K R  N O R D J Y L L A N D", "REFERAT · 23. juni 2023"]
    return write_pdf(directory / "kkr-nordjylland-2023-06-23.pdf",
                     [[*header, *page, f"Side {n} af {len(pages)}"] for n, page in enumerate(pages, start=1)])


@pytest.fixture(scope="session")
def two_meetings(tmp_path_factory, embedder):
    """A real index with the April sample and the June minutes, shared by read-only tests."""
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    root = tmp_path_factory.mktemp("two-meetings")
    config = IndexConfig(data_dir=root / "data", model="multilingual-e5-small", model_cache=Settings().model_cache)
    index = MinutesIndex(config, embedder=embedder)
    results = ingest_paths(index, [SAMPLE_PDF, june_minutes_pdf(root)])
    assert [r.status for r in results] == ["ny", "ny"]
    return Assistant(Settings(data_dir=root / "data"), index=index)


def first_questions(folder: Path, count: int = 3) -> Path:
    """The first ``count`` shared questions as a question file of their own (a command's form, not its figures)."""
    path = folder / f"{count}.questions.jsonl"
    lines = EVAL_QUESTIONS.read_text(encoding="utf-8").splitlines(keepends=True)[:count]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def write_texts(folder: Path, texts: dict[str, str]) -> list[Path]:
    """Minutes written as text files (name → text) into ``folder``, in the given order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


def extractive_answer(assistant, question: str, k: int = 5):
    """The answer without an LLM to ``question`` over the whole index of ``assistant``."""
    return assistant.extractive.answer(question, assistant.retrieve(question, k=k))


def long_minutes_pdf(directory: Path, items: int = 40) -> Path:
    """A long minutes PDF (many agenda items) whose ingest takes several seconds of embedding.

    Each call writes text never embedded before (a fresh note number per file), so the vector cache cannot
    make the ingest quick.
    """
    import uuid

    from tests.support.pdfmaker import write_pdf

    note = uuid.uuid4().hex[:12]

    topics = ["skolestruktur", "vejbelysning", "klimaplan", "ældrepleje", "budgetopfølgning", "havneudvidelse",
              "cykelstier", "affaldssortering", "bibliotek", "idrætshal"]
    lines = ["Økonomiudvalget", "Referat 14. marts 2024"]
    for number in range(1, items + 1):
        topic = topics[number % len(topics)]
        lines += [f"{number}. Sag om {topic} nr. {number}", f"Sagsnr.: 00.{number:02d}.00-A00-1-24", "Sagsfremstilling"]
        lines += [f"Forvaltningen beskriver {topic} i område {number} med tal for {2020 + k} og {k * number} borgere."
                  for k in range(14)]
        lines += [f"Notat {note}-{number}.", "Beslutning", f"Udvalget godkendte indstillingen om {topic} nr. {number}."]
    pages = [lines[i : i + 50] for i in range(0, len(lines), 50)]
    return write_pdf(directory / "oekonomiudvalget-2024-03-14.pdf", pages)


@pytest.fixture(scope="module")
def assistant_over(tmp_path_factory, embedder):
    """An Assistant over a real index of the given files (module-scoped, built once per module)."""
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    def build(files: list[Path]) -> Assistant:
        root = tmp_path_factory.mktemp("index")
        config = IndexConfig(data_dir=root / "data", model="multilingual-e5-small",
                             model_cache=Settings().model_cache)
        index = MinutesIndex(config, embedder=embedder)
        assert {r.status for r in ingest_paths(index, files)} == {"ny"}
        return Assistant(Settings(data_dir=root / "data"), index=index)

    return build


@pytest.fixture(scope="session")
def access_assistant(tmp_path_factory, embedder):
    """An Assistant over minutes with one open, one internal and one closed item (Havsted Byråd), for the
    access tests of the API, the login and the browser."""
    from assistant.config import Settings
    from assistant.service import Assistant
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    root = tmp_path_factory.mktemp("access")
    config = IndexConfig(data_dir=root / "data", model="multilingual-e5-small", model_cache=Settings().model_cache)
    index = MinutesIndex(config, embedder=embedder)
    assert [r.status for r in ingest_paths(index, [FIXTURES / "access-byraad-2024-05-14.txt"])] == ["ny"]
    return Assistant(Settings(data_dir=root / "data"), index=index)
