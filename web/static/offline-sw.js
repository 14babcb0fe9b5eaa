// The field device's service worker: a point's page and a desk's page open from their cached
// shells (templates with no data) when there is no network, and the static files they need
// come from the cache. Answers that carry data are never stored here.
const CACHE = "katf-shell-v1";
const SHELLS = [
  [/^\/points\/[0-9a-f-]{36}\/?$/, "/offline/point-shell"],
  [/^\/packing\/[0-9a-f-]{36}\/desk\/?$/, "/offline/desk-shell"],
];

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || request.method !== "GET") return;
  const shell = request.mode === "navigate" && SHELLS.find(([page]) => page.test(url.pathname));
  if (shell) {
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(shell[1])) || Response.error()),
    );
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
