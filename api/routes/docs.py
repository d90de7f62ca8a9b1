"""``/docs`` without the internet: Swagger UI served from the ``swagger_ui_bundle`` package.

FastAPI's own docs page loads Swagger UI from a CDN; this page links only to files served
here, so it works offline. Mount with ``docs_url=None`` on the app.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse

from ..templating import root_path

router = APIRouter(include_in_schema=False)
ASSETS = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon-32x32.png")
MEDIA = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}


def assets_dir() -> Path:
    import swagger_ui_bundle

    return Path(str(swagger_ui_bundle.swagger_ui_path))


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} - API docs</title>
<link rel="stylesheet" href="{root}/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="{root}/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{root}/docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "{openapi_url}",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout"
}});
</script>
</body>
</html>
"""


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    app = request.app
    root = root_path(request)  # under a proxy's path: its assets and document are there too
    return HTMLResponse(PAGE.format(title=app.title, openapi_url=root + app.openapi_url, root=root))


@router.get("/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSETS:
        raise HTTPException(404, f"no asset {name!r}")
    path = assets_dir() / name
    return FileResponse(
        path, media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=86400"}
    )
