"""Start the real app (`referat serve`) in a subprocess on a free port and wait until it answers."""

from __future__ import annotations

import os
import signal
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
    def __init__(self, data: Path, env: dict[str, str] | None = None, ingest_sample: bool = True,
                 api_only: bool = False) -> None:
        self.data = data
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "REFERAT_DATA_DIR": str(data), "HF_HUB_DISABLE_PROGRESS_BARS": "1", **(env or {})}
        self.ingest_sample = ingest_sample
        self.api_only = api_only  # `serve --kun-api`: no chat pages, no Gradio
        self.process: subprocess.Popen | None = None

    @property
    def headers(self) -> dict[str, str]:
        token = self.env.get("REFERAT_API_TOKEN")
        return {"Authorization": f"Bearer {token}"} if token else {}

    def start(self, timeout: float = 240, poll: float = 0.5, pages: bool = True) -> AppServer:
        """Wait for the API, and with ``pages`` also for the chat pages (which join a moment later)."""
        self.data.mkdir(parents=True, exist_ok=True)
        log = (self.data.parent / f"server-{self.port}.log").open("a")
        args = [sys.executable, "-m", "assistant.cli", "serve", "--port", str(self.port)]
        if self.ingest_sample:
            args.append("--ingest-sample")
        if self.api_only:
            args.append("--kun-api")
        pages = pages and not self.api_only
        self.process = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"{self.base}/api/meetings", headers=self.headers, timeout=2).status_code == 200 and (
                        not pages or httpx.get(self.base + "/", headers=self.headers, timeout=2).status_code != 503):
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


class ChromaServer:
    """A real `chroma run` on a fixed port, which a test may kill (SIGKILL), stall (SIGSTOP) and start again."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> ChromaServer:
        chroma = Path(sys.executable).with_name("chroma")
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        self.kill()
        raise RuntimeError("chroma startede ikke")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a stopped process dies only once it runs again
            self.process.kill()
            self.process.wait(timeout=30)

    def pause(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=30)


class ThreadServer:
    """An app object served by uvicorn in a thread on a free port: real HTTP, but the test's own Assistant (and
    model) behind it, so several configurations cost no extra model load."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # proxy_headers off as in `referat serve`: the peer address is what trusted proxies are checked against
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", proxy_headers=False)
        self.server = uvicorn.Server(config)
        import threading

        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("serveren startede ikke")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
