"""The app's request class: htmx's details of a request, made when asked for.

litestar-htmx's ``HTMXRequest`` keeps its details on the request, and they refer back to it: so
every request, with the connection objects it holds (about 35 a request), became garbage that
only the cycle collector frees, and its collections ran that much more often.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.plugins.htmx import HTMXDetails


class KatfRequest(Request[Any, Any, Any]):
    @property
    def htmx(self) -> HTMXDetails:
        return HTMXDetails(self)
