"""katf runs without the bench extra; only simulate-day needs it, and says how to install it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from web.cli import BENCH_EXTRA, main


@pytest.fixture
def no_aiohttp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # what an import finds when not installed
    for name in [m for m in sys.modules if m.startswith("workers.simulation")]:
        monkeypatch.delitem(sys.modules, name)


def test_help_needs_no_bench_extra(no_aiohttp: None, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--help"])
    assert ended.value.code == 0
    assert "simulate-day" in capsys.readouterr().out


def test_simulate_day_says_how_to_install_the_extra(
    no_aiohttp: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["simulate-day", "--base", "http://127.0.0.1:1", "--phone", "01000000000"]) == 2
    said = " ".join(capsys.readouterr().err.split())
    assert "aiohttp" in said
    assert BENCH_EXTRA in said


def test_nothing_imports_bench() -> None:
    """In an interpreter of its own: the suite's process has imported bench for its tests."""
    imported = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, web.app, web.cli, workers.rounds;"  # every area, and what they import
            " print(sorted(m for m in sys.modules if m.split('.')[0] == 'bench'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[2],
    )
    assert imported.stdout.strip() == "[]"
