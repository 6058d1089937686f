"""Who is asking: roles, and how a request is given one (API token, login session, trusted proxy headers).

Roles map to the access level they may read (index.access): ``offentlig`` sees ``åben`` items, ``medarbejder``
also ``intern``, ``medlem`` everything, ``admin`` everything and may manage files. Without any configuration
the app runs as before: one user on a laptop, who sees everything.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import re
import time
from dataclasses import dataclass

from assistant.config import Settings
from index.access import CLOSED, INTERNAL, OPEN

ROLES = {"offentlig": OPEN, "medarbejder": INTERNAL, "medlem": CLOSED, "admin": CLOSED}
# a user in several groups gets the highest of their roles
ORDER = ("offentlig", "medarbejder", "medlem", "admin")
SESSION_KEY = "referat_bruger"

audit_log = logging.getLogger("referat.audit")


class RoleError(ValueError):
    """A setting names a role that does not exist; the message is Danish and names the setting."""


def check_role(role: str, setting: str) -> str:
    role = role.strip().casefold()
    if role not in ROLES:
        raise RoleError(f"{setting}: ukendt rolle '{role}' (vælg {', '.join(ORDER)})")
    return role


@dataclass(frozen=True)
class Viewer:
    role: str
    user: str = ""

    @property
    def clearance(self) -> str:
        return ROLES[self.role]

    @property
    def may_manage(self) -> bool:
        return self.role == "admin"

    def label(self) -> str:
        """What Gradio keeps as the user name of a page session: role and user, read back by ``from_label``."""
        return f"{self.role}|{self.user}"

    @classmethod
    def from_label(cls, label: str | None) -> Viewer | None:
        role, _, user = (label or "").partition("|")
        return cls(role, user) if role in ROLES else None


LOCAL = Viewer("admin", "")  # no configuration: the single user of a laptop installation


def _pairs(text: str | None, separators: str, setting: str) -> list[tuple[str, str]]:
    pairs = []
    for part in re.split(f"[{separators}]", text or ""):
        if not part.strip():
            continue
        key, equals, value = part.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise RoleError(f"{setting}: forventede 'nøgle=rolle', fik '{part.strip()}'")
        pairs.append((key.strip(), value.strip()))
    return pairs


class AccessPolicy:
    """Reads the settings once and resolves a request to a Viewer (or None: not let in)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tokens: list[tuple[str, str]] = [(t, check_role(r, "REFERAT_API_TOKENS"))
                                              for t, r in _pairs(settings.api_tokens, ",", "REFERAT_API_TOKENS")]
        if settings.api_token:
            self.tokens.append((settings.api_token, "admin"))
        # 'medlem=byraad;medarbejder=alle-ansatte' (a role may be given several groups: 'medlem=a,b')
        self.groups: dict[str, str] = {}
        for role, groups in _pairs(settings.role_groups, ";", "REFERAT_ROLE_GROUPS"):
            for group in groups.split(","):
                if group.strip():
                    self.groups[group.strip().casefold()] = check_role(role, "REFERAT_ROLE_GROUPS")
        self.default_role = check_role(settings.default_role, "REFERAT_DEFAULT_ROLE") if settings.default_role \
            else None
        self.proxies = [ipaddress.ip_network(p.strip(), strict=False)
                        for p in settings.trusted_proxies.split(",") if p.strip()]
        self.oidc = bool(settings.oidc_issuer)
        self.trusted_headers = bool(settings.trusted_user_header)
        if self.trusted_headers and not self.proxies:
            raise RoleError("REFERAT_TRUSTED_USER_HEADER kræver REFERAT_TRUSTED_PROXIES (proxyens adresser)")

    @property
    def login_required(self) -> bool:
        """OIDC or a trusted proxy: every page, the widget, the API and the source files need a user."""
        return self.oidc or self.trusted_headers

    @property
    def configured(self) -> bool:
        return self.login_required or bool(self.tokens) or self.default_role is not None

    def role_for_groups(self, groups: list[str]) -> str:
        """The highest role any of the groups gives; a known user in none of them gets the default role, or
        ``offentlig`` (logged in, but nothing more)."""
        roles = [self.groups[g.strip().casefold()] for g in groups if g.strip().casefold() in self.groups]
        if not roles:
            return self.default_role or "offentlig"
        return max(roles, key=ORDER.index)

    def token_viewer(self, token: str) -> Viewer | None:
        found = None
        for known, role in self.tokens:  # compare with every token, so the time says nothing about which
            if hmac.compare_digest(token.encode(), known.encode()):
                found = Viewer(role, "token")
        return found

    def from_proxy(self, host: str | None) -> bool:
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.proxies)

    def viewer(self, request, api: bool = False) -> Viewer | None:
        """The viewer of a request, in order: API token, login session, trusted proxy headers, default role.

        ``api``: a JSON API call, which without configured login is open only when no tokens are configured
        (as before). A wrong token is refused outright, never downgraded to the default role."""
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return self.token_viewer(header[7:].strip())
        if self.oidc:
            session = request.scope.get("session") or {}
            signed_in = session.get(SESSION_KEY)
            if isinstance(signed_in, dict) and signed_in.get("role") in ROLES:
                return Viewer(signed_in["role"], str(signed_in.get("user", "")))
        if self.trusted_headers:
            client = request.scope.get("client")
            user = request.headers.get(self.settings.trusted_user_header, "").strip()
            if user and client and self.from_proxy(client[0]):
                groups_header = self.settings.trusted_groups_header
                groups = re.split(r"[,;]", request.headers.get(groups_header, "")) if groups_header else []
                return Viewer(self.role_for_groups(groups), user)
        if self.default_role is not None:
            return Viewer(self.default_role, "")
        if self.login_required or (api and self.tokens):
            return None
        return LOCAL


def enable_audit_log() -> None:
    """The server writes audit lines to stderr unless the operator's logging config routes them elsewhere."""
    if not audit_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("referat.audit %(message)s"))
        audit_log.addHandler(handler)
        audit_log.setLevel(logging.INFO)
        audit_log.propagate = False


def audit(settings: Settings, viewer: Viewer, question: str, cited: list[str], found: bool) -> None:
    """One line per question: when, who, which role, how long, what was cited — the question itself only when
    REFERAT_AUDIT_QUESTIONS is set (it may hold personal data)."""
    entry = {"tid": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "bruger": viewer.user, "rolle": viewer.role,
             "tegn": len(question), "fundet": found, "citeret": cited}
    if settings.audit_questions:
        entry["spørgsmål"] = question
    audit_log.info(json.dumps(entry, ensure_ascii=False))
