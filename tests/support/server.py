"""Start the real app (`referat serve`) in a subprocess on a free port and wait until it answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    def __init__(self, data: Path, env: dict[str, str] | None = None, ingest_sample: bool = True) -> None:
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "REFERAT_DATA_DIR": str(data), "HF_HUB_DISABLE_PROGRESS_BARS": "1", **(env or {})}
        self.ingest_sample = ingest_sample
        self.process: subprocess.Popen | None = None

    @property
    def headers(self) -> dict[str, str]:
        token = self.env.get("REFERAT_API_TOKEN")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def start(self, timeout: float = 240, poll: float = 0.5) -> AppServer:
        self.data.mkdir(parents=True, exist_ok=True)
        log = (self.data.parent / f"server-{self.port}.log").open("a")
        args = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port)]
        if self.ingest_sample:
            args.append("--ingest-sample")
        self.process = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.base}/api/meetings", headers=self.headers, timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"serveren stoppede: {log.name}")
            time.sleep(poll)
        self.kill()
        raise RuntimeError("serveren startede ikke")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
