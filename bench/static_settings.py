"""Settings for the harness's ``collectstatic`` only: ``situok.settings`` plus empty source maps.

The vendored ``bootstrap.bundle.min.js`` and ``bootstrap.min.css`` end with a ``sourceMappingURL`` comment,
but their ``.map`` files are not vendored, so ``collectstatic`` with the manifest storage (``DEBUG=0``)
fails with ``MissingFileError``. Until the project fixes that (see ``bench/README.md``), the harness
collects with an extra static directory holding empty source maps; gunicorn then runs on the unchanged
``situok.settings`` and reads the resulting manifest.
"""

import json
from pathlib import Path

from situok.settings import *  # noqa: F403
from situok.settings import STATICFILES_DIRS

SHIM_DIR = Path(__file__).resolve().parent / "results" / "static-shim"
MISSING_SOURCE_MAPS = (
    "vendor/bootstrap/bootstrap.bundle.min.js.map",
    "vendor/bootstrap/bootstrap.min.css.map",
)

for _name in MISSING_SOURCE_MAPS:
    _path = SHIM_DIR / _name
    if not _path.exists():
        _path.parent.mkdir(parents=True, exist_ok=True)
        _path.write_text(
            json.dumps({"version": 3, "sources": [], "names": [], "mappings": ""}), encoding="utf-8"
        )

STATICFILES_DIRS = [*STATICFILES_DIRS, SHIM_DIR]
