"""What a field device (a distribution point, a check-in desk) keeps for working offline: the
service worker, the web app manifest with its icons, and each page's shell, a template without
any data (the page's scripts fill it from the device's own queue)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from coordination.stock import Item
from web.platform.guards import requires_sign_in
from web.platform.i18n import N_, gettext_for
from web.platform.render import locale_of, page
from web.platform.static import STATIC, static_url

AnyRequest = Request[Any, Any, Any]
NO_CACHE = {"Cache-Control": "no-cache"}
APP_NAME = N_("Katf field device")
ICONS = [
    ("icon-192.png", "192x192"),
    ("icon-512.png", "512x512"),
    ("icon-maskable-512.png", "512x512"),
]


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
            "icons": [
                {"src": static_url(f"icons/{name}"), "sizes": sizes, "type": "image/png"}
                | ({"purpose": "maskable"} if "maskable" in name else {})
                for name, sizes in ICONS
            ],
        }
        return Response(manifest, media_type="application/manifest+json", headers=NO_CACHE)

    @get("/offline/point-shell", guards=[requires_sign_in], sync_to_thread=False)
    def point_shell(self, request: AnyRequest) -> Response[str]:
        return page(request, "point_shell.html", personal=True, items=list(Item))

    @get("/offline/desk-shell", guards=[requires_sign_in], sync_to_thread=False)
    def desk_shell(self, request: AnyRequest) -> Response[str]:
        return page(request, "desk_shell.html", personal=True)
