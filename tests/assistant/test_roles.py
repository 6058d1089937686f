"""Roles from settings: tokens, group mapping, default role, and what an unconfigured app does (as before)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from assistant.config import Settings
from assistant.roles import AccessPolicy, RoleError, Viewer


def request(headers: dict[str, str] | None = None, client: str = "127.0.0.1") -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw, "client": (client, 5000)})


def test_unconfigured_app_is_the_single_local_user(tmp_path):
    policy = AccessPolicy(Settings(data_dir=tmp_path))
    assert not policy.configured and policy.viewer(request(), api=True) == Viewer("admin", "")


def test_tokens_give_their_roles_and_the_old_token_is_admin(tmp_path):
    policy = AccessPolicy(Settings(data_dir=tmp_path, api_tokens="a=medarbejder, b=medlem", api_token="gammel"))
    bearer = lambda token: request({"Authorization": f"Bearer {token}"})  # noqa: E731
    assert [policy.viewer(bearer(t), api=True).role for t in ("a", "b", "gammel")] == ["medarbejder", "medlem",
                                                                                      "admin"]
    assert policy.viewer(bearer("c"), api=True) is None  # a wrong token is never the default role
    assert policy.viewer(request(), api=True) is None  # the API needs a token, as before
    assert policy.viewer(request(), api=False).role == "admin"  # the page without login stays as before


def test_groups_give_the_highest_role_and_strangers_the_default(tmp_path):
    policy = AccessPolicy(Settings(data_dir=tmp_path, role_groups="medlem=byraad;medarbejder=alle-ansatte,vikarer",
                                   default_role="offentlig"))
    assert policy.role_for_groups(["alle-ansatte", "Byraad"]) == "medlem"
    assert policy.role_for_groups(["vikarer"]) == "medarbejder"
    assert policy.role_for_groups(["fodbold"]) == "offentlig"
    assert policy.viewer(request(), api=True).role == "offentlig"


def test_mistakes_in_the_settings_are_named(tmp_path):
    with pytest.raises(RoleError, match="REFERAT_API_TOKENS: ukendt rolle 'chef'"):
        AccessPolicy(Settings(data_dir=tmp_path, api_tokens="x=chef"))
    with pytest.raises(RoleError, match="REFERAT_TRUSTED_PROXIES"):
        AccessPolicy(Settings(data_dir=tmp_path, trusted_user_header="X-Remote-User"))


def test_trusted_headers_only_from_the_listed_proxies(tmp_path):
    policy = AccessPolicy(Settings(data_dir=tmp_path, trusted_user_header="X-User", trusted_groups_header="X-Groups",
                                   trusted_proxies="10.0.0.0/24", role_groups="medlem=byraad"))
    headers = {"X-User": "anne", "X-Groups": "byraad"}
    assert policy.viewer(request(headers, client="10.0.0.7")) == Viewer("medlem", "anne")
    assert policy.viewer(request(headers, client="10.0.1.7")) is None
