// The field device's service worker: a point's page opens from the cached shell (a template
// with no data) when there is no network, and the static files it needs come from the cache.
// Answers that carry data are never stored here.
const CACHE = "katf-shell-v1";
const SHELL = "/offline/point-shell";
const POINT_PAGE = /^\/points\/[0-9a-f-]{36}\/?$/;

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  if (request.mode === "navigate" && POINT_PAGE.test(url.pathname)) {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(SHELL)) || Response.error()),
    );
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
