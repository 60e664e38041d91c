// The stand scanner: the camera (qr-scanner) or the code field feed one handler, which sends
// the scan at once or, without network, keeps it in IndexedDB ("stand" queue) with its nonce
// and uploads it later; the server counts a nonce once. Notes go the same way.
const root = document.getElementById("stand");
const T = JSON.parse(document.getElementById("stand-strings").textContent);
const $ = (id) => document.getElementById(id);
const lang = root.dataset.lang;
const SAME_CODE_PAUSE = 4000;

const paired = new URLSearchParams(location.hash.slice(1)).get("device");
if (paired) {
  localStorage.setItem("stand.token", paired);
  history.replaceState(null, "", location.pathname + location.search);
}
let token = localStorage.getItem("stand.token");
let current = null; // {contact, secret} of the last scan, for its note
let lastCode = "";
let lastAt = 0;
let busy = false;

// --- IndexedDB queue ---------------------------------------------------------------------------
let dbPromise = null;
function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open("stand", 1);
      request.onupgradeneeded = () => request.result.createObjectStore("queue", { keyPath: "nonce" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}
async function run(mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction("queue", mode);
    const request = action(tx.objectStore("queue"));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}
const queuePut = (item) => run("readwrite", (s) => s.put(item));
const queueAll = () => run("readonly", (s) => s.getAll());
const queueRemove = (nonce) => run("readwrite", (s) => s.delete(nonce));

function nonce() {
  return crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : String(Date.now()) + Math.random();
}

class Offline extends Error {}

async function send(items) {
  let response;
  try {
    response = await fetch(`${root.dataset.upload}?lang=${lang}`, {
      method: "POST",
      headers: { Authorization: `Device ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ items }),
    });
  } catch (error) {
    throw new Offline(String(error));
  }
  if (response.status === 403) {
    localStorage.removeItem("stand.token");
    token = null;
    showUnpaired();
    throw new Error("not paired");
  }
  if (!response.ok) throw new Offline(String(response.status));
  return (await response.json()).results;
}

// --- Screens -----------------------------------------------------------------------------------
function showUnpaired() {
  $("stand-unpaired").hidden = false;
  $("stand-ready").hidden = true;
}

async function showPending() {
  const count = (await queueAll()).length;
  $("stand-pending").textContent = count ? T.pending.replace("%(count)s", count) : "";
}

function showNetwork() {
  $("stand-network").textContent = navigator.onLine ? T.online : T.offline;
}

async function loadInfo() {
  try {
    const response = await fetch(`${root.dataset.info}?lang=${lang}`, { headers: { Authorization: `Device ${token}` } });
    if (response.status === 403) {
      localStorage.removeItem("stand.token");
      showUnpaired();
      return;
    }
    const info = await response.json();
    localStorage.setItem("stand.info", JSON.stringify(info));
    showInfo(info);
  } catch (error) {
    showInfo(JSON.parse(localStorage.getItem("stand.info") || "null"));
  }
}

function showInfo(info) {
  if (!info) return;
  $("stand-company").textContent = `${info.company} · ${info.stand} · ${info.event}`;
  $("counter-contacts").textContent = info.contacts;
  $("counter-shared").textContent = info.shared;
}

function show(answer) {
  const box = $("stand-result");
  const kind = answer.queued ? "nameless" : !answer.ok ? "refused" : answer.shared ? "ok" : "nameless";
  box.className = `stand-result stand-result--${kind}`;
  box.dataset.code = answer.code || "";
  $("result-status").textContent = answer.queued ? T.queued : !answer.ok ? T.refused : answer.shared ? T.saved : T.nameless;
  $("result-name").textContent = answer.name || "";
  $("result-message").textContent = answer.queued ? "" : answer.message || "";
  $("stand-note-form").hidden = !answer.ok && !answer.queued;
  $("stand-note-form").reset();
  box.hidden = false;
  box.scrollIntoView({ block: "start" });
}

// --- Scans and notes ---------------------------------------------------------------------------
async function handle(secret) {
  if (busy) return;
  busy = true;
  const item = { type: "scan", nonce: nonce(), secret, scanned_at: new Date().toISOString() };
  try {
    if (!navigator.onLine) throw new Offline("offline");
    const [answer] = await send([item]);
    current = { contact: answer.contact, secret };
    show(answer);
    loadInfo();
  } catch (error) {
    if (error instanceof Offline) {
      await queuePut({ ...item, offline: true });
      current = { contact: null, secret };
      show({ queued: true, ok: true });
      await showPending();
    }
  } finally {
    busy = false;
  }
}

async function saveNote(event) {
  event.preventDefault();
  if (!current) return;
  const form = event.target;
  const item = {
    type: "note",
    nonce: nonce(),
    note: form.note.value,
    tags: form.tags.value.split(",").map((t) => t.trim()).filter(Boolean),
  };
  if (form.rating.value) item.rating = Number(form.rating.value);
  if (current.contact) item.contact = current.contact;
  else item.secret = current.secret;
  try {
    if (!navigator.onLine || !current.contact) throw new Offline("offline");
    const [answer] = await send([item]);
    $("result-message").textContent = answer.message;
  } catch (error) {
    if (error instanceof Offline) {
      await queuePut({ ...item, at: Date.now() });
      $("result-message").textContent = T.queued;
      await showPending();
    }
  }
}

export async function upload() {
  if (!token) return 0;
  const queued = (await queueAll()).sort((a, b) => (a.type === b.type ? 0 : a.type === "scan" ? -1 : 1));
  if (!queued.length) return 0;
  try {
    const results = await send(queued);
    for (const result of results) await queueRemove(result.nonce);
    await showPending();
    $("stand-pending").textContent = T.uploaded;
    root.dataset.uploaded = String(Number(root.dataset.uploaded || 0) + results.length);
    loadInfo();
    return results.length;
  } catch (error) {
    return 0;
  }
}

// --- Camera ------------------------------------------------------------------------------------
let stream = null;
let engine = null;
let scanning = false;
const canvas = document.createElement("canvas");

function fromCamera(result) {
  const code = (result && result.data) || "";
  const now = Date.now();
  if (!code || busy || (code === lastCode && now - lastAt < SAME_CODE_PAUSE)) return;
  lastCode = code;
  lastAt = now;
  handle(code);
}

async function scanLoop(QrScanner) {
  const video = $("stand-video");
  while (scanning) {
    if (video.readyState >= 2) {
      try {
        fromCamera(await QrScanner.scanImage(video, { returnDetailedScanResult: true, qrEngine: engine, canvas }));
      } catch (error) {
        /* no code in this frame */
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function startCamera() {
  $("stand-camera-error").hidden = true;
  try {
    const QrScanner = (await import(root.dataset.qrModule)).default;
    engine = engine || (await QrScanner.createQrEngine());
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    const video = $("stand-video");
    video.srcObject = stream;
    await video.play();
    scanning = true;
    root.dataset.camera = "on";
    $("stand-camera-toggle").firstElementChild.textContent = T.cameraStop;
    scanLoop(QrScanner);
  } catch (failure) {
    $("stand-camera-error").textContent = T.cameraError;
    $("stand-camera-error").hidden = false;
  }
}

function stopCamera() {
  scanning = false;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  $("stand-video").srcObject = null;
  root.dataset.camera = "off";
  $("stand-camera-toggle").firstElementChild.textContent = T.cameraStart;
}

async function main() {
  if (!token) {
    showUnpaired();
    return;
  }
  $("stand-ready").hidden = false;
  showNetwork();
  $("stand-camera-toggle").addEventListener("click", () => (root.dataset.camera === "on" ? stopCamera() : startCamera()));
  $("stand-code-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const field = $("stand-code");
    const code = field.value.trim();
    field.value = "";
    if (code) handle(code);
  });
  $("stand-note-form").addEventListener("submit", saveNote);
  $("result-next").addEventListener("click", () => {
    $("stand-result").hidden = true;
    $("stand-code").focus();
  });
  $("stand-upload").addEventListener("click", upload);
  window.addEventListener("online", () => {
    showNetwork();
    upload();
  });
  window.addEventListener("offline", showNetwork);
  await loadInfo();
  await showPending();
  if (navigator.onLine) await upload();
  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw).catch(() => {});
  }
  root.dataset.ready = "true";
}

main();
