"""The web app's API types are generated from web/openapi.json: it must be the document the
platform serves today, or the types would describe an API that no longer exists."""

from __future__ import annotations

from pathlib import Path

from nilecare.runtime.openapi_export import combined_openapi, render

COMMITTED = Path(__file__).resolve().parents[2] / "web" / "openapi.json"


async def test_the_committed_openapi_document_is_the_one_the_gateway_serves() -> None:
    document = await combined_openapi()
    assert "/api/v1/patients" in document["paths"]
    assert render(document) == COMMITTED.read_text(encoding="utf-8"), (
        "web/openapi.json is out of date: run `nilecare openapi web/openapi.json`"
    )


async def test_every_operation_has_a_clean_name_for_generated_clients() -> None:
    document = await combined_openapi()
    names = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(names) == len(set(names))
    assert not [name for name in names if "api_v1" in name]
