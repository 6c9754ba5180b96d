"""Every docstring example in the package is collected by the test run (server modules through the
cwkg/server link), so none can silently stop running."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_every_module_with_examples_is_collected() -> None:
    with_examples = set()
    for folder, _, files in os.walk(ROOT / "cwkg", followlinks=True):
        for name in files:
            path = Path(folder) / name
            if name.endswith(".py") and ">>>" in path.read_text(encoding="utf-8"):
                with_examples.add(os.path.relpath(path, ROOT))
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "cwkg"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    collected = {line.partition("::")[0] for line in listed.stdout.splitlines() if "::" in line}
    assert len(with_examples) >= 20  # cwkg and server both: the walk followed the link
    assert with_examples <= collected, sorted(with_examples - collected)
