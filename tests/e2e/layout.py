"""Checks of a rendered page that a reader would notice: content wider than the screen,
labels, inputs and buttons drawn over one another, text overflowing its box; and
screenshots kept as test artifacts (``test-artifacts/``, not committed) for a reviewer.

Use with a Playwright sync ``page``::

    assert_fits(page)                       # no horizontal overflow, nothing overlapping
    screenshot(page, "desk", "ar-360")      # test-artifacts/desk/ar-360.png
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ARTIFACTS = Path(os.environ.get("KATF_TEST_ARTIFACTS", "test-artifacts"))

INTERACTIVE = "label, input:not([type=hidden]), select, textarea, button, a.button, [role=button]"

_BOXES = """
(selector) => [...document.querySelectorAll(selector)]
  .filter(e => {
    const s = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0
      && !e.closest('[hidden], dialog:not([open]), template, details:not([open]) > :not(summary)');
  })
  .map(e => {
    const r = e.getBoundingClientRect();
    const label = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.getAttribute('name') ? '[name=' + e.getAttribute('name') + ']' : '')
      + ' "' + (e.innerText || e.value || '').trim().slice(0, 30) + '"';
    const inner = e.tagName === 'LABEL'
      ? [...e.querySelectorAll('input, select, textarea, button')].map(c => c.id || c.name)
      : [];
    const owner = e.tagName === 'LABEL' && e.htmlFor ? e.htmlFor : null;
    return {label, id: e.id || e.getAttribute('name') || '', owner, inner,
            x: r.left, y: r.top, w: r.width, h: r.height,
            contains: e.tagName === 'LABEL' ? e.querySelectorAll('*').length : 0};
  })
"""


def horizontal_overflow(page: Any) -> int:
    """How many pixels the document is wider than the viewport (0 when it fits)."""
    return int(
        page.evaluate(
            "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - window.innerWidth"
        )
    )


def boxes(page: Any, selector: str = INTERACTIVE) -> list[dict[str, Any]]:
    """The visible elements matching ``selector`` with their bounding boxes."""
    return list(page.evaluate(_BOXES, selector))


def _intersect(a: dict[str, Any], b: dict[str, Any], tolerance: float) -> bool:
    return (
        min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"]) > tolerance
        and min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"]) > tolerance
    )


def _contains(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    return (
        outer["x"] <= inner["x"] + 1
        and outer["y"] <= inner["y"] + 1
        and outer["x"] + outer["w"] >= inner["x"] + inner["w"] - 1
        and outer["y"] + outer["h"] >= inner["y"] + inner["h"] - 1
    )


def overlaps(
    page: Any, selector: str = INTERACTIVE, tolerance: float = 1.0
) -> list[tuple[str, str]]:
    """Pairs of visible labels, inputs and buttons drawn over one another. An element
    inside another (a checkbox inside its label) is nesting, not overlap."""
    found = boxes(page, selector)
    pairs = []
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            if _contains(a, b) or _contains(b, a):
                continue
            if _intersect(a, b, tolerance):
                pairs.append((a["label"], b["label"]))
    return pairs


def overflowing(page: Any, selector: str, container: str | None = None) -> list[str]:
    """Elements matching ``selector`` whose content is wider or taller than their own box,
    or whose box leaves the viewport (or the nearest ``container`` ancestor)."""
    return list(
        page.evaluate(
            """([selector, container]) => [...document.querySelectorAll(selector)].filter(e => {
                 const r = e.getBoundingClientRect();
                 const outer = container && e.closest(container)
                   ? e.closest(container).getBoundingClientRect()
                   : {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
                 return e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1
                   || r.left < outer.left - 1 || r.top < outer.top - 1
                   || r.right > outer.right + 1 || r.bottom > outer.bottom + 1;
               }).map(e => (e.dataset.total || e.className || e.tagName) + ': ' + e.innerText)""",
            [selector, container],
        )
    )


def line_count(page: Any, selector: str) -> int:
    """How many lines the first element matching ``selector`` is laid out on."""
    return int(
        page.evaluate(
            """(selector) => {
                 const e = document.querySelector(selector);
                 const range = document.createRange();
                 range.selectNodeContents(e);
                 const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                 return tops.size;
               }""",
            selector,
        )
    )


def screenshot(page: Any, topic: str, name: str) -> Path:
    """Save a full-page screenshot under ``test-artifacts/<topic>/<name>.png``."""
    path = ARTIFACTS / topic / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_fits(page: Any, selector: str = INTERACTIVE) -> None:
    """No horizontal overflow and no two labels, inputs or buttons overlapping."""
    wider = horizontal_overflow(page)
    assert wider <= 0, f"the page is {wider}px wider than the viewport at {page.url}"
    pairs = overlaps(page, selector)
    assert not pairs, f"overlapping at {page.url}: {pairs}"
