// A distribution point's page without a connection: hand-offs are kept on the device in the
// order they happened and sent through the point's batch endpoint when the connection
// returns. Offline, the device itself refuses a second share to a household it served this
// round and a hand-out beyond the stock it last knew; the server decides the rest at sync.
import * as store from "./offline-queue.js";

const CACHE = "katf-shell-v1";
const SHELL = "/offline/point-shell";
const CHUNK = 100;
const RETRY_MS = 15000;
const WESTERN = { "٠": 0, "١": 1, "٢": 2, "٣": 3, "٤": 4, "٥": 5, "٦": 6, "٧": 7, "٨": 8, "٩": 9 };

const section = document.getElementById("offline-queue");
const point = location.pathname.split("/")[2];
const say = (name) => section.dataset[`msg${name}`] || "";
const shell = Boolean(document.querySelector("[data-shell]"));
let syncing = false;

const number = (text) => Number(String(text).replace(/[٠-٩]/g, (d) => WESTERN[d]).replace(/\D/g, "")) || 0;
const LANG = document.documentElement.lang === "ar" ? "ar-EG" : "en-GB";
const when = (iso) => new Date(iso).toLocaleString(LANG, { dateStyle: "short", timeStyle: "medium" });
const at = (iso) => new Date(iso).toLocaleTimeString(LANG, { hour: "numeric", minute: "2-digit" });
const csrf = () => JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";

async function learnFromPage() {
  const round = section.dataset.round;
  if (!section.dataset.point) return;
  if (round) await store.remember("round", round);
  await store.remember(`name:${point}`, document.querySelector("h1").textContent);
  const stock = {};
  for (const tile of document.querySelectorAll("[data-on-hand]")) {
    stock[tile.dataset.onHand] = number(tile.textContent);
  }
  await store.remember(`stock:${point}`, stock);
  await store.remember("csrf", csrf());
}

async function keepShell() {
  if (!("serviceWorker" in navigator) || !self.caches) return;
  await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  const cache = await caches.open(CACHE);
  const answer = await fetch(SHELL, { credentials: "same-origin" });
  if (!answer.ok) return;
  const html = await answer.clone().text();
  await cache.put(SHELL, answer);
  const files = new Set(html.match(/\/static\/[^"'\s]+/g) || []);
  files.add(new URL("./offline-queue.js", import.meta.url).pathname);
  await cache.addAll([...files].map((f) => f.replaceAll("&amp;", "&")));
}

async function waitingFor(item) {
  return (await store.entries())
    .filter((e) => e.point === point && e.status === "waiting" && e.item === item)
    .reduce((sum, e) => sum + e.count, 0);
}

async function knownStock(item) {
  const stock = (await store.meta(`stock:${point}`)) || {};
  return item in stock ? stock[item] - (await waitingFor(item)) : Infinity;
}

function answer(text, ok) {
  const place = document.querySelector("[data-local-answer]") || section.querySelector("[data-offline-state]");
  place.textContent = text;
  place.className = `notice ${ok ? "success" : "error"}`;
}

async function keep(form) {
  const data = new FormData(form);
  const nationalId = String(data.get("national_id") || "").trim();
  const item = String(data.get("item") || "food_box");
  const count = Math.max(1, number(data.get("count") || "1"));
  const round = (await store.meta("round")) || "";
  const hash = await store.hashed(round, nationalId);
  if (await store.served(hash)) return answer(say("Twice"), false);
  if (count > (await knownStock(item))) return answer(say("Stock"), false);
  await store.add({
    point, round, key: crypto.randomUUID(), national_id: nationalId, item, count,
    at: new Date().toISOString(), status: "waiting",
  });
  await store.serve(hash);
  form.reset();
  form.querySelector("[name=national_id]").focus();
  answer(say("Queued"), true);
  await show();
}

async function sync() {
  if (syncing || !navigator.onLine) return;
  syncing = true;
  try {
    const waiting = (await store.entries()).filter((e) => e.point === point && e.status === "waiting");
    for (let start = 0; start < waiting.length; start += CHUNK) {
      const chunk = waiting.slice(start, start + CHUNK);
      const sent = await fetch(`/api/v1/points/${point}/hand-offs/batch`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf() || (await store.meta("csrf")) },
        body: JSON.stringify({
          round_id: chunk[0].round || null,
          items: chunk.map((e) => ({ national_id: e.national_id, item: e.item, count: e.count, key: e.key, at: e.at })),
        }),
      });
      if (sent.status === 401 || (sent.status === 403 && (await signedOut()))) return revoked();
      if (!sent.ok) return;
      const settled = new Date().toISOString();
      const stock = (await store.meta(`stock:${point}`)) || {};
      for (const result of (await sent.json()).results) {
        const entry = chunk[result.index];
        if (result.status === "recorded" && entry.item in stock) stock[entry.item] -= entry.count;
        Object.assign(entry, {
          status: result.status, code: result.code || "", message: result.message || "",
          national_id: "", settled,
        });
        await store.put(entry);
      }
      await store.remember(`stock:${point}`, stock);
      await store.remember("synced", settled);
      if (!shell && window.htmx) {
        htmx.ajax("GET", location.pathname, { target: "#point-panel", select: "#point-panel", swap: "outerHTML" });
      }
    }
  } catch (offline) {
    // the connection went again: what is left waits for the next try
  } finally {
    syncing = false;
    await show();
  }
}

// A session that has ended is refused by the CSRF check (403) before anything else: the shell,
// which needs a session and nothing more, tells a device signed out (401) from one refused.
async function signedOut() {
  return (await fetch(SHELL, { credentials: "same-origin", cache: "no-store" })).status === 401;
}

async function revoked() {
  await store.wipe();
  const registration = await navigator.serviceWorker?.getRegistration("/");
  await registration?.unregister();
  await show();
}

const FATES = { recorded: "Recorded", already_recorded: "Already", refused: "Refused", waiting: "Waiting" };

async function show() {
  const mine = (await store.entries()).filter((e) => e.point === point);
  const count = (status) => mine.filter((e) => e.status === status).length;
  const waitingNow = section.querySelector("[data-queue-waiting]");
  waitingNow.dataset.count = count("waiting");
  waitingNow.textContent = count("waiting").toLocaleString(LANG);
  const synced = await store.meta("synced");
  section.querySelector("[data-queue-synced]").textContent = synced ? at(synced) : say("Never");
  for (const tally of section.querySelectorAll("[data-tally]")) {
    tally.textContent = count(tally.dataset.tally).toLocaleString(LANG);
  }
  const state = section.querySelector("[data-offline-state]");
  state.textContent = navigator.onLine ? say("Online") : say("Offline");
  state.dataset.online = navigator.onLine;
  const list = section.querySelector("[data-queue-fates]");
  const refused = mine.filter((e) => e.status === "refused");
  const others = mine.filter((e) => e.status !== "refused");
  list.replaceChildren(...[...refused.slice(-50), ...others.slice(-10)].reverse().map((e) => {
    const line = document.createElement("li");
    line.dataset.fate = e.status;
    line.textContent = `${when(e.at)} · ${say(FATES[e.status])}${e.message ? ` — ${e.message}` : ""}`;
    if (e.code === "allowance_used") line.textContent += ` ${say("Conflict")}`;
    return line;
  }));
  await fillTiles();
}

async function fillTiles() {
  const name = await store.meta(`name:${point}`);
  if (name && shell) document.querySelector("[data-point-name]").textContent = name;
  for (const tile of document.querySelectorAll("[data-on-hand]")) {
    if (!shell && !(await waitingFor(tile.dataset.onHand))) continue;  // the server's figure
    const known = await knownStock(tile.dataset.onHand);
    tile.textContent = Number.isFinite(known) ? known.toLocaleString(LANG) : "–";
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("form[action='/sign-out']")) {
    event.preventDefault();
    revoked().finally(() => form.submit());
  } else if (form.matches("[data-hand-off]") && (!navigator.onLine || shell)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form).then(sync);
  }
}, true);

document.body.addEventListener("htmx:afterSwap", () => learnFromPage());
document.body.addEventListener("htmx:afterRequest", async (event) => {
  const form = event.detail.elt;
  if (!event.detail.successful || !form.matches?.("[data-hand-off]")) return;
  const nationalId = form.querySelector("[name=national_id]").value.trim();
  await store.serve(await store.hashed((await store.meta("round")) || "", nationalId));
});
document.body.addEventListener("htmx:sendError", (event) => {
  if (event.detail.elt.matches?.("[data-hand-off]")) keep(event.detail.elt);
});
section.querySelector("[data-queue-sync]").addEventListener("click", () => sync());
window.addEventListener("online", () => { show(); sync(); });
window.addEventListener("offline", () => show());
setInterval(sync, RETRY_MS);

section.hidden = false;
if (section.dataset.point) await learnFromPage();
await show();
if (navigator.onLine && section.dataset.point) keepShell().catch(() => {});
sync();
