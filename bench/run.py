"""`make bench`: how ingest, query latency, memory and disk grow with the number of meetings.

Ratios are measured side by side in one run on this machine; absolute times are only context.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / "cache"
WORK = ROOT / "bench" / "work"
EVAL = ROOT.parent / "shared" / "eval" / "kkr-nordjylland-2023-04-28.questions.jsonl"


class CachingEmbedder:
    """The real embedder, with passage vectors cached by content hash so re-runs skip the model."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.encode_seconds = 0.0
        self.encoded = 0
        self.seen: list[str] = []
        CACHE.mkdir(parents=True, exist_ok=True)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        # keyed by model id: bf16 and fp32 share one (their vectors agree at cosine >= 0.9999, see README)
        self.seen.extend(texts)
        keys = [hashlib.sha256(f"{self.inner.model_id}\x00{t}".encode()).hexdigest() for t in texts]
        vectors: dict[int, np.ndarray] = {}
        missing = []
        for i, key in enumerate(keys):
            path = CACHE / f"{key}.npy"
            if path.is_file():
                vectors[i] = np.load(path)
            else:
                missing.append(i)
        if missing:
            started = time.perf_counter()
            fresh = self.inner.embed_passages([texts[i] for i in missing])
            self.encode_seconds += time.perf_counter() - started
            self.encoded += len(missing)
            for i, vector in zip(missing, fresh, strict=True):
                np.save(CACHE / f"{keys[i]}.npy", vector)
                vectors[i] = vector
        return np.stack([vectors[i] for i in range(len(texts))])


class StandInEmbedder(CachingEmbedder):
    """Real chunking, stand-in passage vectors (unit vectors seeded by the text's hash), real questions.

    For the memory of a large index only: Chroma's HNSW and the BM25 index grow with the number of chunks and
    their texts, not with the vectors' values, and embedding 36,000 chunks takes about half an hour here.
    """

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        out = np.stack([np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:15], 16))
                        .standard_normal(384).astype(np.float32) for t in texts])
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def directory_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def questions_for(meetings) -> list[str]:
    from bench.generate import PLACES, TOPICS

    out = []
    for i in range(100):
        topic, place = TOPICS[i % len(TOPICS)], PLACES[(i * 7) % len(PLACES)]
        out.append([f"Hvad besluttede udvalget om {topic} i {place}?", f"Hvad koster {topic} i {place}?",
                    f"Hvor mange høringssvar kom der om {topic}?", f"Hvornår behandles {topic} i {place}?"][i % 4])
    return out


def measure_server(data: Path, questions: list[str]) -> dict:
    import psutil

    from tests.support.server import AppServer

    server = AppServer(data, ingest_sample=False)
    started = time.perf_counter()
    server.start(pages=False)
    first = httpx.post(f"{server.base}/api/ask", json={"question": questions[0]}, timeout=120)
    first.raise_for_status()
    first_answer_s = time.perf_counter() - started
    retrieve, total = [], []
    for question in questions:
        timings = httpx.post(f"{server.base}/api/ask", json={"question": question}, timeout=120).json()["timings_ms"]
        retrieve.append(timings["retrieve"])
        total.append(timings["total"])
    rss = psutil.Process(server.process.pid).memory_info().rss / 1e6
    server.stop()

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95)]

    return {"query_p50_ms": round(statistics.median(retrieve), 1), "query_p95_ms": round(p95(retrieve), 1),
            "answer_p50_ms": round(statistics.median(total), 1), "answer_p95_ms": round(p95(total), 1),
            "server_rss_mb": round(rss, 1), "first_answer_s": round(first_answer_s, 2)}


REFERENCE_IMPORT = "import torch, sentence_transformers"


def wall(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def cold_start(data: Path, question: str, rounds: int = 3) -> dict:
    """New processes, side by side in alternating rounds: the heavy imports a question used to need, a
    `referat ask --json` from the shell, and a server from start to its first answer. Files are in the page
    cache after the first round (as on a machine in use); only the ratios are reported as results."""
    from tests.support.server import AppServer

    env = {**os.environ, "REFERAT_DATA_DIR": str(data)}
    times: dict[str, list[float]] = {"reference_import_s": [], "cold_ask_s": [], "server_first_answer_s": []}
    for _ in range(rounds):
        times["reference_import_s"].append(wall([sys.executable, "-c", REFERENCE_IMPORT], env))
        times["cold_ask_s"].append(wall([sys.executable, "-m", "assistant.cli", "ask", "--json", question], env))
        server = AppServer(data, ingest_sample=False)
        started = time.perf_counter()
        server.start(poll=0.05, pages=False)
        httpx.post(f"{server.base}/api/ask", json={"question": question}, timeout=120).raise_for_status()
        times["server_first_answer_s"].append(time.perf_counter() - started)
        server.stop()
    median = {k: round(statistics.median(v), 2) for k, v in times.items()}
    return {**median, "rounds": rounds,
            "cold_ask_vs_import": round(median["cold_ask_s"] / median["reference_import_s"], 2),
            "server_first_answer_vs_import": round(median["server_first_answer_s"] / median["reference_import_s"], 2)}


def stand_in_rss(meetings: int, embedder) -> dict:
    """Server RSS after 100 questions over an index of ``meetings`` meetings with stand-in vectors."""
    from bench.generate import generate
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    files = generate(WORK / "minutes", meetings)
    data = WORK / f"data-{meetings}-stand-in"
    shutil.rmtree(data, ignore_errors=True)
    index = MinutesIndex(IndexConfig(data_dir=data, model="multilingual-e5-small",
                                     model_cache=Path.home() / ".cache" / "referat" / "models"),
                         embedder=StandInEmbedder(embedder))
    results = ingest_paths(index, [f.path for f in files])
    served = measure_server(data, questions_for(files))
    return {"meetings": meetings, "chunks": sum(r.chunks for r in results), "index_mb": round(directory_mb(data), 1),
            "server_rss_mb": served["server_rss_mb"], "first_answer_s": served["first_answer_s"],
            "vectors": "stand-in"}


def encode_rate(embedder, texts: list[str], sample: int = 320) -> float:
    """The model's own chunks/s on a fixed sample of this run's chunks, through the same length-sorted batches."""
    import random

    chosen = random.Random(7).sample(texts, min(sample, len(texts)))
    started = time.perf_counter()
    embedder.embed_passages(chosen)
    return len(chosen) / (time.perf_counter() - started)


def run_size(meetings: int, embedder) -> dict:
    from bench.generate import generate
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    files = generate(WORK / "minutes", meetings)
    data = WORK / f"data-{meetings}"
    shutil.rmtree(data, ignore_errors=True)
    caching = CachingEmbedder(embedder)
    index = MinutesIndex(IndexConfig(data_dir=data, model="multilingual-e5-small",
                                     model_cache=Path.home() / ".cache" / "referat" / "models"), embedder=caching)
    started = time.perf_counter()
    results = ingest_paths(index, [f.path for f in files])
    wall = time.perf_counter() - started
    chunks = sum(r.chunks for r in results)
    pages = sum(r.pages for r in index.meetings())
    # the model's own encode rate on chunks of this run, measured now, side by side
    encode = encode_rate(embedder, caching.seen)
    overhead = wall - caching.encode_seconds
    projected = chunks / (overhead + chunks / encode)  # ingest rate with every chunk embedded cold
    row = {
        "meetings": meetings, "chunks": chunks, "pages": pages,
        "ingest_chunks_per_s": round(projected, 1), "ingest_pages_per_s": round(projected * pages / chunks, 1),
        "encode_chunks_per_s": round(encode, 1), "ingest_overhead_s": round(overhead, 1),
        "embedded_now": caching.encoded, "index_mb": round(directory_mb(data), 1),
    }
    row.update(measure_server(data, questions_for(files)))
    return row


def greve_questions() -> list[str]:
    """Questions of the kinds people ask a committee archive: decisions, attendance, case topics."""
    topics = ["mødekalenderen", "budgetopfølgningen", "trafiksikkerhed", "skolernes specialundervisning",
              "fjernvarme", "kunstgræsbane", "lokalplanen", "handleplanen på voksenområdet", "affald", "biblioteket"]
    out = []
    for i, topic in enumerate(topics * 4):
        out.append([f"Hvad blev besluttet om {topic}?", f"Hvad indstillede administrationen om {topic}?",
                    "Hvem havde meldt afbud til Økonomiudvalgets møde?", f"Hvad koster {topic}?"][i % 4])
    return out


def run_greve(folder: Path, embedder) -> dict:
    """The real archive of agenda-portal JSON meetings, ingested cold into a fresh index, then re-ingested."""
    from index.catalog import IndexConfig, MinutesIndex
    from index.ingest import ingest_paths

    data = WORK / "data-greve"
    shutil.rmtree(data, ignore_errors=True)
    index = MinutesIndex(IndexConfig(data_dir=data, model="multilingual-e5-small",
                                     model_cache=Path.home() / ".cache" / "referat" / "models"), embedder=embedder)
    files = sorted(folder.glob("*.json"))
    started = time.perf_counter()
    results = ingest_paths(index, files)
    wall = time.perf_counter() - started
    started = time.perf_counter()
    again = ingest_paths(index, files)
    rerun = time.perf_counter() - started
    chunks = sum(r.chunks for r in results)
    row = {
        "meetings": len(files), "committed": sum(r.status == "ny" for r in results),
        "failed": sum(r.status == "fejlet" for r in results), "items": sum(r.items for r in results),
        "chunks": chunks, "ingest_s": round(wall, 1), "ingest_chunks_per_s": round(chunks / wall, 1),
        "ingest_meetings_per_min": round(len(files) / wall * 60, 1),
        "rerun_s": round(rerun, 1), "rerun_unchanged": sum(r.status == "uændret" for r in again),
        "index_mb": round(directory_mb(data), 1),
    }
    row.update(measure_server(data, greve_questions()))
    return row
def ocr_rate(pages: tuple[int, ...] = (4, 5, 6, 7)) -> dict:
    """OCR pages/s on a small scan of the sample (200 dpi, turned 1°, blurred), through the ingest's own OCR
    call; next to the text-PDF ingest rate of the same run it says how much slower a scanned archive goes in."""
    from index.parsing.ocr import missing, run_ocr
    from tests.support.scan import write_scan

    if missing():
        return {"ocr_missing": missing()}
    scan = write_scan(ROOT / "sample" / "kkr-nordjylland-2023-04-28.pdf", WORK / "scan.pdf", pages=list(pages))
    result = run_ocr(scan, scan.read_bytes(), list(range(1, len(pages) + 1)), max_pages=len(pages), timeout=1800)
    rate = len(pages) / result.seconds
    return {"ocr_pages": len(pages), "ocr_pages_per_s": round(rate, 3), "ocr_s_per_20_pages": round(20 / rate, 1)}


FAST_PATHS = ("torch-bf16", "onnx-int8")


def fast_encode(sample_texts: list[str]) -> dict:
    """fp32 PyTorch against each faster path: speed on the same chunks, quality on the shared questions.

    Rounds alternate between backends so drift in the machine's speed hits them alike.
    """
    from assistant.config import Settings
    from assistant.evaluation import evaluate
    from assistant.service import Assistant, index_config
    from index.catalog import MinutesIndex, make_embedder
    from index.ingest import ingest_paths

    backends = ("torch", *FAST_PATHS)
    models = {b: make_embedder(index_config(Settings(embed_backend=b, vector_cache=False))) for b in backends}
    for model in models.values():
        model.embed_passages(sample_texts[:8])  # load and warm up outside the timing
    seconds = dict.fromkeys(backends, 0.0)
    vectors = {}
    for _ in range(2):
        for backend, model in models.items():
            started = time.perf_counter()
            vectors[backend] = model.embed_passages(sample_texts)
            seconds[backend] += time.perf_counter() - started
    paths = {}
    for backend, model in models.items():
        settings = Settings(data_dir=WORK / f"quality-{backend}", embed_backend=backend)
        shutil.rmtree(settings.data_dir, ignore_errors=True)
        index = MinutesIndex(index_config(settings), embedder=model)
        ingest_paths(index, [ROOT / "sample" / "kkr-nordjylland-2023-04-28.pdf"])
        assistant = Assistant(settings, index=index)
        quality = {mode: {k: evaluate(assistant, EVAL, mode=mode)[k] for k in ("hit@1", "hit@3")}
                   for mode in ("hybrid", "dense")}
        paths[backend] = {
            "speedup": round(seconds["torch"] / seconds[backend], 2),
            "min_cosine_to_fp32": round(float((vectors["torch"] * vectors[backend]).sum(axis=1).min()), 5),
            "quality": quality,
        }
    for backend in FAST_PATHS:
        paths[backend]["same_quality"] = paths[backend]["quality"] == paths["torch"]["quality"]
    qualifying = [b for b in FAST_PATHS if paths[b]["same_quality"]]
    best = max(qualifying or FAST_PATHS, key=lambda b: paths[b]["speedup"])
    return {"fast_encode_backend": best, "fast_encode_speedup": paths[best]["speedup"],
            "fast_encode_same_quality": paths[best]["same_quality"], "encode_paths": paths}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="referat benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--meetings", type=int, help="also run this size (e.g. 1000)")
    parser.add_argument("--greve", type=Path, metavar="PATH",
                        help="also ingest this folder of agenda-portal JSON meetings (../shared/minutes/real/greve)")
    parser.add_argument("--only-greve", action="store_true", help="with --greve: skip the generated sizes")
    parser.add_argument("--rss-meetings", type=int,
                        help="server memory only, at this size, with stand-in passage vectors (quick)")
    parser.add_argument("--skip-encode-paths", action="store_true",
                        help="leave out the side-by-side comparison of passage encoders (slow)")
    parser.add_argument("--ocr-only", action="store_true", help="only OCR pages/s next to the model's encode rate")
    parser.add_argument("--start-only", action="store_true",
                        help="only the cold-start ratios (CLI and server against the import of PyTorch), 5 rounds")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([args.meetings] if args.meetings else [])))

    from assistant.config import Settings
    from assistant.service import index_config
    from bench.generate import generate
    from index.catalog import make_embedder, resolve_backend
    from index.chunking import chunk_meeting
    from index.parsing import parse_file

    settings = Settings(vector_cache=False)  # the model's own rate: the product's vector cache would hide it
    embedder = make_embedder(index_config(settings))  # the default backend, as users get it
    sample_files = generate(WORK / "minutes", 10)
    sample_texts = [c.text for f in sample_files[:3] for c in chunk_meeting(parse_file(f.path), "x", lambda t: True)]
    sample_texts = sample_texts[:160]
    embedder.embed_passages(sample_texts[:8])  # model load is a start-up cost, not ingest throughput
    if args.greve and args.only_greve:
        greve = run_greve(args.greve, embedder)
        (ROOT / "bench" / "results-greve.json").write_text(json.dumps(greve, ensure_ascii=False, indent=2) + "\n")
        print_greve(greve)
        return 0
    if args.start_only:
        data = WORK / f"data-{sizes[0]}"
        if not data.is_dir():
            run_size(sizes[0], embedder)
        start = cold_start(data, "Hvad besluttede udvalget om budgettet?", rounds=5)
        (ROOT / "bench" / "results-start.json").write_text(json.dumps(start, ensure_ascii=False, indent=2) + "\n")
        print(json.dumps(start, ensure_ascii=False))
        return 0
    if args.ocr_only:
        encode = encode_rate(embedder, sample_texts, sample=160)
        ocr = ocr_rate()
        print(json.dumps({"encode_chunks_per_s": round(encode, 1), **ocr}, ensure_ascii=False))
        return 0
    rows = [run_size(n, embedder) for n in sizes]
    start = cold_start(WORK / f"data-{sizes[0]}", "Hvad besluttede udvalget om budgettet?")
    rss_rows = [stand_in_rss(args.rss_meetings, embedder)] if args.rss_meetings else []
    result = {"backend": resolve_backend(settings.embed_backend), "query_backend": settings.query_backend,
              "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}, "
                         f"{__import__('os').cpu_count()} kerner, Python {platform.python_version()}",
              "sizes": rows,
              "ingest_vs_encode": round(min(r["ingest_chunks_per_s"] / r["encode_chunks_per_s"] for r in rows), 2),
              "p95_growth": round(rows[-1]["query_p95_ms"] / rows[0]["query_p95_ms"], 2),
              "cold_start": start, "stand_in_rss": rss_rows}
    if args.greve:
        result["greve"] = run_greve(args.greve, embedder)
    largest_rss = max([*rows, *rss_rows], key=lambda r: r["meetings"])
    result.update(ocr_rate())
    if "ocr_pages_per_s" in result:
        result["ocr_vs_text_ingest_pages"] = round(
            result["ocr_pages_per_s"] / min(r["ingest_pages_per_s"] for r in rows), 3)
    targets = {
        "ingest ≥ 80 % af modellens encode": result["ingest_vs_encode"] >= 0.8,
        "query p95 største/mindste ≤ 2": result["p95_growth"] <= 2.0,
        "kold `referat ask` / import af torch+sentence_transformers ≤ 0,6": start["cold_ask_vs_import"] <= 0.6,
        "server start→første svar / samme import ≤ 1,0": start["server_first_answer_vs_import"] <= 1.0,
        f"server-RSS efter 100 spørgsmål ved {largest_rss['meetings']} møder < 0,7 GB":
            largest_rss["server_rss_mb"] < 700,
    }
    if not args.skip_encode_paths:
        result.update(fast_encode(sample_texts))
        targets["hurtig encode ≥ 1,3× ved samme kvalitet, og standard"] = (
            result["fast_encode_speedup"] >= 1.3 and result["fast_encode_same_quality"]
            and result["fast_encode_backend"] == result["backend"])
    result["targets"] = targets
    (ROOT / "bench" / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    header = ("møder", "chunks", "ingest ch/s", "encode ch/s", "query p50/p95 ms", "svar p95 ms", "RSS MB",
              "indeks MB", "første svar s")
    print(" | ".join(header))
    for r in rows:
        print(" | ".join(str(x) for x in (
            r["meetings"], r["chunks"], r["ingest_chunks_per_s"], r["encode_chunks_per_s"],
            f"{r['query_p50_ms']:.0f}/{r['query_p95_ms']:.0f}", f"{r['answer_p95_ms']:.0f}", r["server_rss_mb"],
            r["index_mb"], r["first_answer_s"])))
    if "greve" in result:
        print_greve(result["greve"])
    for r in rss_rows:
        print(f"{r['meetings']} møder (stand-in-vektorer) | {r['chunks']} chunks | RSS {r['server_rss_mb']} MB | "
              f"indeks {r['index_mb']} MB")
    print(f"backend {result['backend']}, spørgsmål {result['query_backend']}, ingest/encode "
          f"{result['ingest_vs_encode']}, p95-vækst {result['p95_growth']}")
    print(f"kold start (median af {start['rounds']}): ask/import {start['cold_ask_vs_import']}, "
          f"server første svar/import {start['server_first_answer_vs_import']}")
    for backend, path in result.get("encode_paths", {}).items():
        print(f"  {backend}: {path['speedup']}× fp32, min. cosinus {path['min_cosine_to_fp32']}, "
              f"hybrid {path['quality']['hybrid']}, dense {path['quality']['dense']}")
    if "ocr_pages_per_s" in result:
        print(f"OCR (dansk Tesseract, {result['ocr_pages']} skannede sider): {result['ocr_pages_per_s']} sider/s, "
              f"{result['ocr_s_per_20_pages']} s for 20 sider; {result['ocr_vs_text_ingest_pages']}× "
              f"tekst-PDF-indlæsningens sider/s, modellen {rows[0]['encode_chunks_per_s']} tekststykker/s")
    else:
        print(f"OCR ikke målt: {result['ocr_missing']} mangler")
    for name, held in targets.items():
        print(f"{'OK ' if held else 'NEJ'} {name}")
    return 0


def print_greve(r: dict) -> None:
    print(" | ".join(str(x) for x in (
        f"Greve ({r['meetings']} møder, {r['items']} punkter)", r["chunks"], r["ingest_chunks_per_s"],
        f"ingest {r['ingest_s']} s ({r['ingest_meetings_per_min']} møder/min)",
        f"{r['query_p50_ms']:.0f}/{r['query_p95_ms']:.0f}", f"{r['answer_p95_ms']:.0f}", r["server_rss_mb"],
        r["index_mb"], r["first_answer_s"])))
    print(f"  genindlæsning: {r['rerun_unchanged']} uændret på {r['rerun_s']} s; fejlet: {r['failed']}")


if __name__ == "__main__":
    sys.exit(main())
