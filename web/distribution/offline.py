"""What a distribution point's device keeps for working offline: the service worker, the web
app manifest, and the point page's shell, a template without any data (the page's scripts fill
it from the device's own queue)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from coordination.stock import Item
from web.platform.guards import requires_sign_in
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page
from web.platform.static import STATIC

AnyRequest = Request[Any, Any, Any]
NO_CACHE = {"Cache-Control": "no-cache"}
APP_NAME = N_("Katf field device")


class OfflineDevice(Controller):
    """Served from the root, so the worker's scope covers ``/points/`` and ``/packing/``."""

    @get("/sw.js", sync_to_thread=False)
    def service_worker(self) -> Response[bytes]:
        body = (STATIC / "offline-sw.js").read_bytes()
        return Response(body, media_type="text/javascript", headers=NO_CACHE)

    @get("/manifest.webmanifest", sync_to_thread=False)
    def manifest(self, request: AnyRequest) -> Response[dict[str, Any]]:
        locale = locale_of(request)
        name = gettext_for(locale, APP_NAME)
        manifest = {
            "name": name,
            "short_name": name,
            "lang": locale,
            "dir": "rtl" if locale == "ar" else "ltr",
            "start_url": "/home",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#0b6e4f",
        }
        return Response(manifest, media_type="application/manifest+json", headers=NO_CACHE)

    @get("/offline/point-shell", guards=[requires_sign_in], sync_to_thread=False)
    def point_shell(self, request: AnyRequest) -> Response[str]:
        return page(request, "point_shell.html", personal=True, items=list(Item))
