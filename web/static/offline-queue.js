// The device's own store for work done without a connection (IndexedDB): the queue of
// hand-offs in the order they happened, what the device last knew (stock, names of places),
// and the hashed national IDs it has served this round. Nothing here is ever sent anywhere
// but the point's own batch endpoint; wipe() forgets all of it.
const NAME = "katf-offline";
const CACHE_PREFIX = "katf-";

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
