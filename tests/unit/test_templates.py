"""Templates live with their area but are found by their bare name: no two may share one."""

from __future__ import annotations

from collections import Counter

from web.platform.render import TEMPLATES, environment


def test_every_template_name_is_unique_across_areas() -> None:
    names = Counter(p.name for directory in TEMPLATES for p in directory.rglob("*.html"))
    assert len(TEMPLATES) > 1
    assert [name for name, count in names.items() if count > 1] == []


def test_every_template_is_found_by_its_name() -> None:
    env = environment("en")
    for directory in TEMPLATES:
        for path in directory.rglob("*.html"):
            assert env.get_template(path.relative_to(directory).as_posix()).filename == str(path)
