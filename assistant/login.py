"""Login for the whole app: OpenID Connect (authlib) against the municipality's identity provider, or a
trusted reverse proxy. When either is configured, nothing but the login routes answers without a user."""

from __future__ import annotations

import secrets
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from assistant.config import Settings
from assistant.roles import SESSION_KEY, AccessPolicy

LOGIN_PATHS = ("/login", "/auth", "/logout")
# load balancers and orchestrators probe these without a user; they tell nothing about the minutes' contents
PROBE_PATHS = ("/healthz", "/healthz/", "/readyz", "/readyz/")


def _local(target: str | None) -> str:
    """Only a path on this site is a place to return to after login (no open redirect)."""
    target = target or "/"
    parts = urlsplit(target)
    # browsers read '/\\evil.example' as '//evil.example': a backslash is never part of a local path here
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def install_login(app: FastAPI, settings: Settings, policy: AccessPolicy) -> None:
    """The login gate, and with OIDC the /login, /auth and /logout routes and the signed session cookie."""
    if not policy.login_required:
        return

    @app.middleware("http")
    async def gate(request: Request, call_next):
        path = request.scope["path"]
        if path in (*LOGIN_PATHS, *PROBE_PATHS) or policy.viewer(request, api=path.startswith("/api")) is not None:
            return await call_next(request)
        wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
        if policy.oidc and wants_page:
            # back to the same page after login, with its ?organ= and ?periode=
            target = path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)
        return JSONResponse({"fejl": "Log ind for at bruge referat."}, status_code=401,
                            headers={"WWW-Authenticate": "Bearer"})

    if policy.oidc:
        _install_oidc(app, settings, policy)


def _install_oidc(app: FastAPI, settings: Settings, policy: AccessPolicy) -> None:
    from authlib.integrations.starlette_client import OAuth, OAuthError
    from starlette.middleware.sessions import SessionMiddleware

    oauth = OAuth()
    oauth.register(
        "kommune", client_id=settings.oidc_client_id, client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": settings.oidc_scope},
    )
    # added last, so it runs first: the gate above reads the session it decodes
    app.add_middleware(SessionMiddleware, secret_key=settings.session_secret or secrets.token_urlsafe(32),
                       session_cookie="referat_session", same_site="lax", https_only=False, max_age=8 * 3600)

    @app.get("/login", include_in_schema=False)
    async def login(request: Request, next: str = "/"):
        request.session["next"] = _local(next)
        return await oauth.kommune.authorize_redirect(request, str(request.url_for("auth_callback")))

    @app.get("/auth", include_in_schema=False, name="auth_callback")
    async def callback(request: Request):
        try:
            token = await oauth.kommune.authorize_access_token(request)
        except OAuthError as error:
            return JSONResponse({"fejl": f"Login mislykkedes: {error.error}"}, status_code=401)
        claims = dict(token.get("userinfo") or {})
        groups = claims.get(settings.oidc_groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        user = str(claims.get("preferred_username") or claims.get("email") or claims.get("sub") or "")
        request.session[SESSION_KEY] = {"user": user, "role": policy.role_for_groups([str(g) for g in groups])}
        return RedirectResponse(_local(request.session.pop("next", "/")), status_code=303)

    @app.get("/logout", include_in_schema=False)
    async def logout(request: Request):
        request.session.clear()
        return JSONResponse({"besked": "Du er logget ud."})
