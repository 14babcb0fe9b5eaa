// A check-in desk without a connection (or on a network too congested to answer): every scan
// goes to the device's queue (offline-queue.js) with its key and the time it was scanned, and
// is sent through the site's batch endpoint when the connection returns. Offline the desk
// recognises a badge by its form; the badge's keyed check is verified by the server at sync.
import * as store from "./offline-queue.js";

const SHELL = "/offline/desk-shell";
const BADGE = /^K1\.[0-9a-f]{32}\.[0-9a-f]{10}$/;
const PHONE = /^\+?[0-9٠-٩][0-9٠-٩ -]{6,18}$/;

const section = document.getElementById("offline-queue");
const site = location.pathname.split("/")[2];
const shell = Boolean(document.querySelector("[data-shell]"));
const form = document.querySelector("[data-desk]");
const field = form.querySelector("[data-scan-target]");
const seen = new Set();

const queue = store.fieldQueue({
  section,
  shell: SHELL,
  mine: (e) => e.site === site,
  url: `/api/v1/sites/${site}/scans/batch`,
  chunk: 250,
  body: (part) => ({
    items: part.map((e) => ({
      key: e.key, action: e.action, at: e.at, desk: e.desk, walk_in: e.walk_in,
      shift_id: e.shift_id || null, ...(BADGE.test(e.who) ? { badge: e.who } : { phone: e.who }),
    })),
  }),
  forgets: ["who"],
  what: (e, say) => `${say(e.action === "out" ? "Out" : "In")}${store.SEP}`,
});
const say = queue.say;

function answer(text, ok) {
  const place = form.querySelector("#desk-result");
  const box = document.createElement("div");
  box.className = `desk-answer ${ok ? "ok" : "refused"}`;
  box.dataset.answer = ok ? "kept" : "refused";
  box.setAttribute("role", ok ? "status" : "alert");
  box.textContent = text;
  place.replaceChildren(box);
}

function freshKey() {
  const key = form.querySelector("[data-fresh-key]");
  const used = key.value;
  key.value = crypto.randomUUID();
  return used;
}

// Read and cleared at once, before anything waits: the next badge may be typed while this one
// is being written, and is never mixed with it.
function scanned(values, key) {
  const who = String(values.get("who") || "").trim();
  if (!BADGE.test(who) && !PHONE.test(who)) return answer(say("Unreadable"), false);
  const action = values.get("action") === "out" ? "out" : "in";
  const again = seen.has(`${action}:${who}`);
  seen.add(`${action}:${who}`);
  answer(again ? say("Again") : say("Kept"), true);
  return queue.keep({
    site, key, who, action, at: new Date().toISOString(),
    shift_id: String(values.get("shift_id") || ""), walk_in: values.get("walk_in") === "1",
    desk: String(values.get("desk") || "").slice(0, 80),
  });
}

document.addEventListener("submit", (event) => {
  if (event.target !== form || (navigator.onLine && !shell)) return;  // htmx sends it; a failure comes back below
  event.preventDefault();
  event.stopImmediatePropagation();
  const values = new FormData(form, event.submitter);
  const key = freshKey();
  field.value = "";
  form.querySelectorAll("[data-walk-in]").forEach((box) => { box.checked = false; });
  field.focus();
  scanned(values, key);
}, true);

// Sent online but never answered (the connection dropped, or the network is too congested):
// kept with the key it was sent with, so a scan that did reach the server counts once.
for (const lost of ["htmx:sendError", "htmx:timeout"]) {
  form.addEventListener(lost, (event) => {
    const sent = event.detail.requestConfig?.formData;
    if (sent instanceof FormData) scanned(sent, String(sent.get("idempotency_key") || crypto.randomUUID()));
  });
}

async function learnFromPage() {
  await store.remember(`desk:${site}`, document.querySelector("[data-site-name]").textContent);
  await store.remember("csrf", store.csrf());
  await store.remember(`desk-name:${site}`, form.querySelector("[data-desk-name]").value);
}

async function fillShell() {
  const name = await store.meta(`desk:${site}`);
  if (name) document.querySelector("[data-site-name]").textContent = name;
  form.querySelector("[data-desk-name]").value = (await store.meta(`desk-name:${site}`)) || "";
  form.action = location.pathname;
}

for (const e of await queue.own()) if (e.who) seen.add(`${e.action}:${e.who}`);
await (shell ? fillShell() : learnFromPage());
await queue.show();
if (navigator.onLine && !shell) store.keepShell(SHELL).catch(() => {});
queue.sync();
