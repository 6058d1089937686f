"""nginx (Debian) as the municipality's authenticating reverse proxy, started by a test on a free port.

It signs users in with HTTP Basic (its own password file), sets the user and group headers itself — a header of
the same name sent by the client is replaced — and connects to the app from 127.0.0.2, so the app can tell the
proxy from a client on the same machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from tests.support.server import free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PROXY_ADDRESS = "127.0.0.2"


class AuthenticatingProxy:
    def __init__(self, directory: Path, upstream_port: int, users: dict[str, tuple[str, str]]) -> None:
        """``users``: name → (password, groups)."""
        self.dir = directory
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "htpasswd").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, (p, _) in users.items()))
        groups = "".join(f"    {u} \"{g}\";\n" for u, (_, g) in users.items())
        temp = " ".join(f"{kind}_temp_path {directory}/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                                 "uwsgi", "scgi"))
        # as root nginx would hand its worker to www-data, which cannot read the test's private temp directory
        user = "user root;" if os.geteuid() == 0 else ""
        (directory / "nginx.conf").write_text(f"""
{user}
worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  {temp}
  map $remote_user $groups {{
{groups}    default "";
  }}
  server {{
    listen 127.0.0.1:{self.port};
    auth_basic "Kommunen";
    auth_basic_user_file {directory}/htpasswd;
    location / {{
      proxy_pass http://127.0.0.1:{upstream_port};
      proxy_bind {PROXY_ADDRESS};
      proxy_set_header X-Remote-User $remote_user;
      proxy_set_header X-Remote-Groups $groups;
      proxy_read_timeout 120s;
    }}
  }}
}}
""")
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> AuthenticatingProxy:
        self.process = subprocess.Popen([NGINX, "-p", str(self.dir), "-e", str(self.dir / "error.log"),
                                         "-c", str(self.dir / "nginx.conf")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                httpx.get(self.base, timeout=1)
                return self
            except httpx.HTTPError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError("nginx startede ikke: " + (self.dir / "error.log").read_text())

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
