// A distribution point's page without a connection: hand-offs go to the device's queue
// (offline-queue.js) and are sent through the point's batch endpoint when the connection
// returns. Offline, the device itself refuses a second share to a household it served this
// round and a hand-out beyond the stock it last knew; the server decides the rest at sync.
import * as store from "./offline-queue.js";

const SHELL = "/offline/point-shell";
const WESTERN = { "٠": 0, "١": 1, "٢": 2, "٣": 3, "٤": 4, "٥": 5, "٦": 6, "٧": 7, "٨": 8, "٩": 9 };

const section = document.getElementById("offline-queue");
const point = location.pathname.split("/")[2];
const shell = Boolean(document.querySelector("[data-shell]"));
const number = (text) => Number(String(text).replace(/[٠-٩]/g, (d) => WESTERN[d]).replace(/\D/g, "")) || 0;

const queue = store.fieldQueue({
  section,
  shell: SHELL,
  mine: (e) => e.point === point,
  url: `/api/v1/points/${point}/hand-offs/batch`,
  body: (part) => ({
    round_id: part[0].round || null,
    items: part.map((e) => ({ national_id: e.national_id, item: e.item, count: e.count, key: e.key, at: e.at })),
  }),
  forgets: ["national_id"],
  settled: async (part, results) => {
    const stock = (await store.meta(`stock:${point}`)) || {};
    for (const result of results) {
      const entry = part[result.index];
      if (result.status === "recorded" && entry.item in stock) stock[entry.item] -= entry.count;
    }
    await store.remember(`stock:${point}`, stock);
    await fillTiles();
    if (!shell && window.htmx) {
      htmx.ajax("GET", location.pathname, { target: "#point-panel", select: "#point-panel", swap: "outerHTML" });
    }
  },
  advice: (e, say) => (e.code === "allowance_used" ? ` ${say("Conflict")}` : ""),
});
const say = queue.say;

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
  await store.remember("csrf", store.csrf());
}

async function waitingFor(item) {
  return (await queue.own())
    .filter((e) => e.status === "waiting" && e.item === item)
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

// One hand-over decided at a time, in the order they were made: the device's own refusals
// (served twice, beyond its stock) read what the hand-over before it kept.
let turn = Promise.resolve();

function keep(form) {
  const data = new FormData(form);
  const field = form.querySelector("[name=national_id]");
  turn = turn.then(() => kept(form, field, data)).catch(() => {});
  return turn;
}

async function kept(form, field, data) {
  const nationalId = String(data.get("national_id") || "").trim();
  const item = String(data.get("item") || "food_box");
  const count = Math.max(1, number(data.get("count") || "1"));
  const round = (await store.meta("round")) || "";
  const hash = await store.hashed(round, nationalId);
  if (await store.served(hash)) return answer(say("Twice"), false);
  if (count > (await knownStock(item))) return answer(say("Stock"), false);
  await queue.keep({ point, round, national_id: nationalId, item, count });
  await store.serve(hash);
  if (field.value.trim() === nationalId) {  // not what was typed for the next household since
    form.reset();
    field.focus();
  }
  answer(say("Queued"), true);
  await fillTiles();
}

async function show() {
  await queue.show();
  await fillTiles();
}

async function fillTiles() {
  const name = await store.meta(`name:${point}`);
  if (name && shell) document.querySelector("[data-point-name]").textContent = name;
  for (const tile of document.querySelectorAll("[data-on-hand]")) {
    if (!shell && !(await waitingFor(tile.dataset.onHand))) continue;  // the server's figure
    const known = await knownStock(tile.dataset.onHand);
    tile.textContent = Number.isFinite(known) ? known.toLocaleString(store.LANG) : "–";
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.matches("[data-hand-off]") && (!navigator.onLine || shell)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    keep(form).then(() => queue.sync()).then(fillTiles);
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
window.addEventListener("online", () => fillTiles());

if (section.dataset.point) await learnFromPage();
await show();
if (navigator.onLine && section.dataset.point) store.keepShell(SHELL).catch(() => {});
queue.sync().then(fillTiles);
