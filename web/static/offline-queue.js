// The device's own queue of work done without a connection, one module for every field page
// (a distribution point's hand-offs, a desk's scans): kept in IndexedDB in the order it
// happened, each entry with its idempotency key and the device's time; sent in chunks through
// the page's batch endpoint when the connection returns, each entry's fate kept and shown.
// Nothing here is sent anywhere but that endpoint; forget() wipes the queue and the cache.
const NAME = "katf-offline";
const CACHE = "katf-shell-v1";
const CACHE_PREFIX = "katf-";
const RETRY_MS = 15000;

function opened() {
  return new Promise((resolve, reject) => {
    const asked = indexedDB.open(NAME, 1);
    asked.onupgradeneeded = () => {
      const db = asked.result;
      db.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      db.createObjectStore("meta", { keyPath: "name" });
      db.createObjectStore("served", { keyPath: "hash" });
    };
    asked.onsuccess = () => resolve(asked.result);
    asked.onerror = () => reject(asked.error);
  });
}

let database = null;
function db() {
  database = database || opened();
  return database;
}

async function run(store, mode, work) {
  const handle = await db();
  return new Promise((resolve, reject) => {
    const tx = handle.transaction(store, mode);
    let result;
    const asked = work(tx.objectStore(store));
    if (asked) asked.onsuccess = () => { result = asked.result; };
    tx.oncomplete = () => resolve(result);
    tx.onerror = () => reject(tx.error);
  });
}

export const entries = () => run("queue", "readonly", (s) => s.getAll());
export const add = (entry) => run("queue", "readwrite", (s) => s.add(entry));
export const put = (entry) => run("queue", "readwrite", (s) => s.put(entry));
export const meta = async (name) => (await run("meta", "readonly", (s) => s.get(name)))?.value;
export const remember = (name, value) => run("meta", "readwrite", (s) => s.put({ name, value }));
export const served = async (hash) => Boolean(await run("served", "readonly", (s) => s.get(hash)));
export const serve = (hash) => run("served", "readwrite", (s) => s.put({ hash }));

export async function hashed(round, nationalId) {
  const bytes = new TextEncoder().encode(`${round}:${nationalId}`);
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function wipe() {
  for (const store of ["queue", "meta", "served"]) {
    await run(store, "readwrite", (s) => s.clear());
  }
  if (self.caches) {
    for (const key of await caches.keys()) {
      if (key.startsWith(CACHE_PREFIX)) await caches.delete(key);
    }
  }
}

export const LANG = document.documentElement.lang === "ar" ? "ar-EG" : "en-GB";
// What joins two facts on a line: a middle dot beside Arabic-Indic digits reads as a zero.
export const SEP = document.documentElement.lang === "ar" ? "، " : " · ";
const when = (iso) => new Date(iso).toLocaleString(LANG, { dateStyle: "short", timeStyle: "medium" });
const at = (iso) => new Date(iso).toLocaleTimeString(LANG, { hour: "numeric", minute: "2-digit" });
const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";

// The page's shell (a template without data) and the static files it links, for opening the
// page with no network. The worker is registered here; the page itself never waits for it.
export async function keepShell(shell) {
  if (!("serviceWorker" in navigator) || !self.caches) return;
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const cache = await caches.open(CACHE);
  const answer = await fetch(shell, { credentials: "same-origin" });
  if (!answer.ok) return;
  const html = await answer.clone().text();
  const files = new Set(html.match(/\/static\/[^"'\s]+/g) || []);
  files.add(new URL("./offline-queue.js", import.meta.url).pathname);
  await cache.addAll([...files].map((f) => f.replaceAll("&amp;", "&")));
  await cache.put(shell, answer);  // last: a cached shell means its files are there too
}

const FATES = { recorded: "Recorded", already_recorded: "Already", refused: "Refused", waiting: "Waiting" };

// One page's queue. ``mine`` picks its entries, ``url`` is its batch endpoint, ``body`` turns
// a chunk into what the endpoint takes, ``forgets`` names the personal fields cleared once an
// entry is settled, ``settled`` is told of each chunk's answers, ``what`` and ``advice`` begin and end a fate's line.
export function fieldQueue({ section, shell, mine, url, body, forgets, settled, what, advice, chunk = 100 }) {
  const say = (name) => section.dataset[`msg${name}`] || "";
  let syncing = false;
  let shown = Promise.resolve();

  const own = async () => (await entries()).filter(mine);

  async function keep(entry) {
    await add({ key: crypto.randomUUID(), at: new Date().toISOString(), ...entry, status: "waiting" });
    await show();
  }

  async function sync() {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      const waiting = (await own()).filter((e) => e.status === "waiting");
      for (let start = 0; start < waiting.length; start += chunk) {
        const part = waiting.slice(start, start + chunk);
        const sent = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() || (await meta("csrf")) },
          body: JSON.stringify(body(part)),
        });
        if (sent.status === 401 || (sent.status === 403 && (await signedOut()))) return forget();
        if (!sent.ok) return;
        const done = new Date().toISOString();
        const results = (await sent.json()).results;
        for (const result of results) {
          if (result.code === "idempotency_key_in_flight") continue;  // still being decided: sent again
          const entry = part[result.index];
          Object.assign(entry, { status: result.status, code: result.code || "", message: result.message || "", settled: done });
          for (const field of forgets) entry[field] = "";
          await put(entry);
        }
        await remember("synced", done);
        if (settled) await settled(part, results);
      }
    } catch (offline) {
      // the connection went again: what is left waits for the next try
    } finally {
      syncing = false;
      await show();
    }
  }

  // A session that has ended is refused by the CSRF check (403) before anything else: the
  // shell, which needs a session and nothing more, tells a device signed out (401) from one refused.
  async function signedOut() {
    return (await fetch(shell, { credentials: "same-origin", cache: "no-store" })).status === 401;
  }

  async function forget() {
    await wipe();
    const registration = await navigator.serviceWorker?.getRegistration("/");
    await registration?.unregister();
    await show();
  }

  async function draw() {
    const mineNow = await own();
    const count = (status) => mineNow.filter((e) => e.status === status).length;
    const waitingNow = section.querySelector("[data-queue-waiting]");
    waitingNow.dataset.count = count("waiting");
    waitingNow.textContent = count("waiting").toLocaleString(LANG);
    const synced = await meta("synced");
    section.querySelector("[data-queue-synced]").textContent = synced ? at(synced) : say("Never");
    for (const tally of section.querySelectorAll("[data-tally]")) {
      tally.textContent = count(tally.dataset.tally).toLocaleString(LANG);
    }
    const state = section.querySelector("[data-offline-state]");
    state.textContent = navigator.onLine ? say("Online") : say("Offline");
    state.dataset.online = navigator.onLine;
    const refused = mineNow.filter((e) => e.status === "refused");
    const others = mineNow.filter((e) => e.status !== "refused");
    section.querySelector("[data-queue-fates]").replaceChildren(...[...refused.slice(-50), ...others.slice(-10)].reverse().map((e) => {
      const item = document.createElement("li");
      item.dataset.fate = e.status;
      const told = e.message ? ` — ${e.message}` : "";
      item.textContent = `${when(e.at)}${SEP}${what ? what(e, say) : ""}${say(FATES[e.status])}${told}${advice ? advice(e, say) : ""}`;
      return item;
    }));
  }

  // One drawing at a time, and one waiting at most (it reads the queue when it starts): a
  // burst of scans is drawn a few times, never leaving an older count shown.
  let queued = false;
  function show() {
    if (queued) return shown;
    queued = true;
    const next = () => { queued = false; return draw(); };
    shown = shown.then(next, next);
    return shown;
  }

  // Signing out forgets the device's queue: what still waits is sent first if it can be,
  // and the person is asked before anything unsent is lost.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.matches("form[action='/sign-out']")) return;
    event.preventDefault();
    if (navigator.onLine) await sync();
    const waiting = (await own()).filter((e) => e.status === "waiting").length;
    if (waiting && !window.confirm(say("Leaving"))) return;
    forget().finally(() => form.submit());
  }, true);
  section.querySelector("[data-queue-sync]").addEventListener("click", () => sync());
  window.addEventListener("online", () => { show(); sync(); });
  window.addEventListener("offline", () => show());
  setInterval(sync, RETRY_MS);
  section.hidden = false;
  return { keep, sync, show, say, own };
}

export { csrf };
