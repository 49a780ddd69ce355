"""The web app: static files, with ``index.html`` for client-side routes (single-page app).

A GET for a path that is no file and has no extension (``/patients/42``) gets ``index.html`` so
the browser router can take over; a missing asset (``/assets/app.js``) stays a 404 rather than
HTML the browser would try to run. ``index.html`` and the service worker ``sw.js`` (at the root,
so its scope is the whole app) are never cached, so a new release is picked up at once;
fingerprinted assets may be. The worker gets the strict policy of every non-HTML answer
(``default-src 'none'``): it only shows notifications and opens windows, which need no fetch.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

INDEX = "index.html"
SERVICE_WORKER = "sw.js"
_NEVER_CACHED = frozenset({INDEX, SERVICE_WORKER})


def has_web_app(web_dir: Path | None) -> bool:
    return web_dir is not None and (web_dir / INDEX).is_file()


class SinglePageApp(StaticFiles):
    def __init__(self, directory: Path) -> None:
        super().__init__(directory=directory, html=True)
        self.index = directory / INDEX

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            response = await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or not self._is_client_route(path, scope):
                raise
            response = FileResponse(self.index)
        if (
            isinstance(response, FileResponse)
            and PurePosixPath(str(response.path)).name in _NEVER_CACHED
        ):
            response.headers["cache-control"] = "no-cache"
        return response

    @staticmethod
    def _is_client_route(path: str, scope: Scope) -> bool:
        if scope["method"] not in ("GET", "HEAD"):
            return False
        return "." not in PurePosixPath(path).name
