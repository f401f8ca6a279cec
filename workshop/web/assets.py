"""The pages' files: read once when the server starts, served by name from memory.

Only names of the allowed shape and types are ever served (no paths, no dot files, no
links), so an address cannot reach anything else in the folder or beyond it.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web

from workshop.web.answers import refuse

STATIC_DIR = Path(__file__).parent / "static"
ASSET_NAME = re.compile(r"^[A-Za-z0-9_-]+\.(html|js|css|svg|png|ico|webmanifest|woff2)$")
CONTENT_TYPES = {
    "html": "text/html",
    "js": "text/javascript",
    "css": "text/css",
    "svg": "image/svg+xml",
    "png": "image/png",
    "ico": "image/x-icon",
    "webmanifest": "application/manifest+json",
    "woff2": "font/woff2",
}

Assets = dict[str, tuple[bytes, str]]


def load_assets(folder: Path) -> Assets:
    """The page's files, read once: name -> (bytes, content type), for allowed names only."""
    assets: Assets = {}
    if not folder.is_dir():
        return assets
    for path in sorted(folder.iterdir()):
        if ASSET_NAME.match(path.name) and path.is_file() and not path.is_symlink():
            assets[path.name] = (path.read_bytes(), CONTENT_TYPES[path.suffix[1:]])
    return assets


def asset_response(assets: Assets, name: str) -> web.StreamResponse:
    """The file `name` as an answer; refused (404) when there is no such file."""
    found = assets.get(name)
    if found is None:
        raise refuse(404, "There is no such file.")
    body, content_type = found
    return web.Response(body=body, content_type=content_type, charset="utf-8" if content_type.startswith("text") else None)
