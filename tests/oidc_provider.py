"""The real OpenID Connect provider (node-oidc-provider, demo/oidc_provider/server.mjs) for
tests: started on a free port with people the test writes, stopped afterwards."""

import json
import subprocess
import time
import urllib.request
from pathlib import Path

from demo import sso

from .mailserver import free_port


class RealProvider:
    def __init__(self, directory: Path, portal_url: str, people: list[dict]):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        self.config = sso.write_provider_files(
            directory, issuer=self.issuer, port=self.port, portal_urls=[portal_url], people=people
        )
        self.process = None

    def set_people(self, people: list[dict]) -> None:
        """Change who the provider knows and their roles; the next login sees it."""
        (self.directory / "people.json").write_text(json.dumps(people, ensure_ascii=False))

    def start(self):
        missing = sso.provider_missing()
        if missing:
            raise RuntimeError(f"The OpenID Connect provider cannot start: {missing}")
        self.process = subprocess.Popen(
            sso.provider_command(self.config), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The provider stopped: {self.process.stderr.read()}")
            try:
                with urllib.request.urlopen(f"{self.issuer}/.well-known/openid-configuration", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("The provider did not start within 20 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
