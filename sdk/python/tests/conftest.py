"""Shared fixtures: where the repo's language-neutral test vectors are."""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any

REPO_ROOT = pathlib.Path(os.environ.get("TRACEWIRE_ROOT", pathlib.Path(__file__).parents[3]))
TESTDATA = REPO_ROOT / "testdata"


def load_json(relative: str) -> Any:
    return json.loads((TESTDATA / relative).read_text(encoding="utf-8"))
