"""The combined OpenAPI document of every service, as the gateway serves it at ``/openapi.json``.

The web app's TypeScript types are generated from this document (``web/openapi.json``), so it is
exported without a running server, databases or secrets of the operator's.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import httpx

from nilecare.kernel.config import PlatformSettings
from nilecare.runtime.allinone import build_all_in_one


async def combined_openapi() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        settings = PlatformSettings(environment="development", data_dir=Path(scratch))
        platform = build_all_in_one(settings)
        try:
            transport = httpx.ASGITransport(app=platform.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://nilecare") as api:
                answer = await api.get("/openapi.json")
                answer.raise_for_status()
                document: dict[str, Any] = answer.json()
                return document
        finally:
            await platform.platform.aclose()


def render(document: dict[str, Any]) -> str:
    """Stable text (sorted keys) so the committed copy diffs cleanly."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
