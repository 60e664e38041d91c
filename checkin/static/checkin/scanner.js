// The door scanner: camera (qr-scanner) and hand scanner (keyboard wedge) feed one handler
// that asks the check-in API, or, without network, checks the signature and the cached
// ticket list on this device and queues the scan in IndexedDB for upload.
const root = document.getElementById("checkin");
const T = JSON.parse(document.getElementById("checkin-strings").textContent);
const $ = (id) => document.getElementById(id);
const lang = root.dataset.lang;
const SAME_CODE_PAUSE = 3000;

// Just paired: the pairing page sent the device token in the address's fragment.
const paired = new URLSearchParams(location.hash.slice(1)).get("device");
if (paired) {
  localStorage.setItem("checkin.token", paired);
  localStorage.removeItem("checkin.info");
  history.replaceState(null, "", location.pathname + location.search);
}
let token = localStorage.getItem("checkin.token");
let info = JSON.parse(localStorage.getItem("checkin.info") || "null");
let store = null;
let ed = null;
let list = null; // {list, event_id, public_key, tickets: {serial: row}}
let busy = false;
let lastCode = "";
let lastAt = 0;
let hideTimer = null;
let audio = null;

function unpaired() {
  $("checkin-unpaired").hidden = false;
  $("checkin-ready").hidden = true;
}

class Offline extends Error {}

async function api(path, options = {}) {
  const sep = path.includes("?") ? "&" : "?";
  let response;
  try {
    response = await fetch(`${root.dataset.api}${path}${sep}lang=${lang}`, {
      ...options,
      headers: { Authorization: `Device ${token}`, "Content-Type": "application/json" },
    });
  } catch (error) {
    throw new Offline(String(error));
  }
  if (response.status === 401 || response.status === 403) {
    localStorage.removeItem("checkin.token");
    token = null;
    unpaired();
    throw new Error("revoked");
  }
  return response;
}

function online() {
  return navigator.onLine;
}

function showNetwork() {
  $("checkin-network").textContent = online() ? T.online : T.offline;
  $("checkin-network").classList.toggle("checkin__network--offline", !online());
}

async function showPending() {
  const count = (await store.all("queue")).length;
  $("checkin-pending").textContent = count ? T.pending.replace("%(count)s", count) : "";
  root.dataset.pending = String(count);
}

function showCounters(counters) {
  $("counter-inside").textContent = counters.inside;
  $("counter-checked-in").textContent = counters.checked_in;
  $("counter-registered").textContent = counters.registered;
  $("counter-walk-ins").textContent = counters.walk_ins;
}

async function refreshCounters() {
  if (!online() || !info) return;
  try {
    const response = await api(`counters/?list=${info.current_list}`);
    if (response.ok) showCounters(await response.json());
  } catch (error) {
    /* offline: the figures wait */
  }
}

async function loadInfo() {
  try {
    const response = await api("device/");
    if (response.ok) {
      info = await response.json();
      localStorage.setItem("checkin.info", JSON.stringify(info));
    }
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
  }
  return info;
}

async function syncList() {
  if (!online() || !info) return;
  try {
    const response = await api(`tickets/?list=${info.current_list}`);
    if (!response.ok) return;
    const body = await response.json();
    const tickets = {};
    for (const row of body.tickets) tickets[`${row.kind}:${row.serial}`] = row;
    list = { list: body.list, event_id: body.event_id, public_key: body.public_key, tickets };
    await store.put("lists", list);
    root.dataset.synced = "true";
  } catch (error) {
    /* keep the list we have */
  }
}

// --- The answer on screen, in sound and in the hand -----------------------------------------

const AMBER = new Set(["already_checked_in", "not_checked_in", "not_valid_yet", "no_longer_valid", "wrong_day"]);

function tone(kind) {
  try {
    audio = audio || new AudioContext();
    const notes = kind === "ok" ? [[880, 0.12]] : kind === "amber" ? [[440, 0.12], [440, 0.12]] : [[220, 0.45]];
    let at = audio.currentTime;
    for (const [frequency, length] of notes) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + length);
      at += length + 0.08;
    }
  } catch (error) {
    /* no sound: the colour says it */
  }
  if (navigator.vibrate) navigator.vibrate(kind === "ok" ? 120 : kind === "amber" ? [80, 60, 80] : 400);
}

function show(answer) {
  const kind = answer.code === "ok" ? "ok" : AMBER.has(answer.code) ? "amber" : "red";
  const box = $("checkin-result");
  box.className = `checkin-result checkin-result--${kind}`;
  box.dataset.code = answer.code;
  $("result-status").textContent =
    kind === "ok" ? (answer.direction === "exit" ? T.okExit : T.ok) : kind === "amber" ? T.attention : T.refused;
  $("result-name").textContent = answer.name || "";
  $("result-type").textContent = answer.ticket_type || "";
  $("result-headcount").textContent = answer.headcount > 1 ? `${T.persons}: ${answer.headcount}` : "";
  $("result-photo").textContent = answer.minor ? (answer.photo_consent ? T.photoYes : T.photoNo) : "";
  $("result-message").textContent = answer.message || "";
  box.hidden = false;
  tone(kind);
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hide, kind === "ok" ? 1200 : 2500);
}

function hide() {
  $("checkin-result").hidden = true;
  focusWedge();
}

// A hand scanner types into whatever has focus: keep it on the code field unless the
// person is using another field or control.
function focusWedge() {
  const active = document.activeElement;
  if (!active || active === document.body || active.id === "result-next") $("checkin-code").focus();
}

// --- One handler for camera, hand scanner and search ----------------------------------------

function direction() {
  return document.querySelector("input[name=direction]:checked").value;
}

async function redeem(scan) {
  if (online()) {
    try {
      const response = await api("redeem/", { method: "POST", body: JSON.stringify(scan) });
      if (response.status === 200 || response.status === 409) {
        const answer = await response.json();
        if (answer.code === "ok") rememberLocally(answer.serial, scan.kind || 1, scan.direction);
        refreshCounters();
        return answer;
      }
      if (response.status === 429) {
        // Too many invalid codes from this phone: say so, and do not queue the scan offline.
        const body = await response.json();
        return { code: body.code, message: body.detail, direction: scan.direction };
      }
    } catch (error) {
      if (!(error instanceof Offline)) throw error;
    }
  }
  return redeemOffline(scan);
}

async function rememberLocally(serial, kind, way) {
  if (!list || !serial) return;
  await store.put("local", { key: `${list.list}:${kind}:${serial}`, inside: way === "entry" });
}

async function redeemOffline(scan) {
  const refuse = (code, message, row) => ({ code, message, direction: scan.direction, ...(row || {}) });
  list = list || (info && (await store.get("lists", info.current_list))) || null;
  if (!list) return refuse("unknown", T.unknown);
  let claim;
  if (scan.serial) {
    claim = { kind: scan.kind || 1, eventId: list.event_id, serial: String(scan.serial) };
  } else {
    claim = await store.verifySecret(ed, scan.secret, list.public_key);
    if (!claim) return refuse("invalid", T.invalid);
  }
  if (claim.eventId !== list.event_id) return refuse("wrong_event", T.wrongEvent);
  const row = list.tickets[`${claim.kind}:${claim.serial}`];
  if (!row) return refuse("unknown", T.unknown);
  const shown = { name: row.name, ticket_type: row.ticket_type, headcount: row.headcount, serial: row.serial };
  if (row.status !== "valid") return refuse("cancelled", T.cancelledTicket, shown);
  const current = info.lists.find((item) => item.id === list.list);
  const now = new Date();
  if (current && now < new Date(current.opens_at)) return refuse("not_valid_yet", T.notValidYet, shown);
  if (current && now > new Date(current.closes_at)) return refuse("no_longer_valid", T.noLongerValid, shown);
  const local = await store.get("local", `${list.list}:${claim.kind}:${claim.serial}`);
  const inside = local ? local.inside : Boolean(row.inside);
  if (scan.direction === "entry" && inside) return refuse("already_checked_in", T.already, shown);
  if (scan.direction === "exit" && !inside) return refuse("not_checked_in", T.notInside, shown);
  await store.put("queue", { ...scan, list: list.list, offline: true });
  await rememberLocally(claim.serial, claim.kind, scan.direction);
  await showPending();
  const counter = $("counter-checked-in");
  if (scan.direction === "entry" && !local && /^\d+$/.test(counter.textContent)) {
    counter.textContent = String(Number(counter.textContent) + row.headcount);
  }
  return { code: "ok", message: T.offlineChecked, direction: scan.direction, ...shown };
}

// The ticket number printed on a ticket and its PDF, typed by hand: digits, perhaps with
// spaces, dashes or dots between them (as services.printed_serial reads it), or null.
function printedNumber(text) {
  const digits = text.replace(/[\s\-./_]/g, "");
  if (!/^\d{1,19}$/.test(digits) || BigInt(digits) >= 2n ** 63n) return null;
  return BigInt(digits).toString();
}

async function handle(scan) {
  busy = true;
  try {
    const full = {
      nonce: crypto.randomUUID(),
      scanned_at: new Date().toISOString(),
      direction: direction(),
      kind: 1,
      ...scan,
    };
    show(await redeem(full));
  } finally {
    busy = false;
  }
}

function fromCamera(result) {
  const code = (result && result.data) || "";
  const now = Date.now();
  if (!code || busy || (code === lastCode && now - lastAt < SAME_CODE_PAUSE)) return;
  lastCode = code;
  lastAt = now;
  handle({ secret: code });
}

async function upload() {
  if (!online() || !token) return;
  const queued = await store.all("queue");
  if (!queued.length) return;
  const scans = queued.filter((item) => item.type !== "walk_in");
  const walkIns = queued.filter((item) => item.type === "walk_in");
  try {
    if (scans.length) {
      const response = await api("upload/", { method: "POST", body: JSON.stringify({ scans }) });
      if (!response.ok) return;
      const body = await response.json();
      for (const result of body.results) await store.remove("queue", result.nonce);
    }
    for (const walkIn of walkIns) {
      // Idempotent by nonce on the server: a walk-in sent twice counts once.
      const response = await api("walk-ins/", { method: "POST", body: JSON.stringify(walkIn) });
      if (response.ok || response.status === 400) await store.remove("queue", walkIn.nonce);
    }
    await showPending();
    $("checkin-pending").textContent = T.uploaded;
    await refreshCounters();
    await syncList();
  } catch (error) {
    /* try again later */
  }
}

// --- Camera ------------------------------------------------------------------------------------
// Our own loop over qr-scanner's decoder (a web worker, or the browser's BarcodeDetector):
// a few frames a second, and it keeps reading the same code, so a second scan is possible.

let stream = null;
let engine = null;
let scanning = false;
const canvas = document.createElement("canvas");

async function scanLoop(QrScanner) {
  const video = $("checkin-video");
  while (scanning) {
    if (video.readyState >= 2) {
      try {
        fromCamera(await QrScanner.scanImage(video, { returnDetailedScanResult: true, qrEngine: engine, canvas }));
      } catch (error) {
        /* no code in this frame */
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function startCamera() {
  const error = $("checkin-camera-error");
  error.hidden = true;
  try {
    const QrScanner = (await import(root.dataset.qrModule)).default;
    engine = engine || (await QrScanner.createQrEngine());
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    const video = $("checkin-video");
    video.srcObject = stream;
    await video.play();
    scanning = true;
    root.dataset.camera = "on";
    $("checkin-camera-toggle").firstElementChild.textContent = T.cameraStop;
    scanLoop(QrScanner);
  } catch (failure) {
    error.textContent = T.cameraError;
    error.hidden = false;
  }
}

function stopCamera() {
  scanning = false;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  $("checkin-video").srcObject = null;
  root.dataset.camera = "off";
  $("checkin-camera-toggle").firstElementChild.textContent = T.cameraStart;
}

function toggleCamera() {
  if (root.dataset.camera === "on") stopCamera();
  else startCamera();
}

// --- Search and walk-ins -------------------------------------------------------------------------

async function search(event) {
  event.preventDefault();
  const results = $("checkin-results");
  results.replaceChildren();
  const q = $("checkin-query").value.trim();
  let rows = [];
  try {
    const response = await api(`search/?list=${info.current_list}&q=${encodeURIComponent(q)}`);
    if (response.ok) rows = await response.json();
  } catch (error) {
    const needle = q.toLowerCase();
    const number = printedNumber(q);
    rows = Object.values((list && list.tickets) || {}).filter(
      (row) => row.kind === 1 && (row.name.toLowerCase().includes(needle) || row.serial === number)
    );
  }
  if (!rows.length) {
    const li = document.createElement("li");
    li.textContent = T.noResults;
    results.append(li);
  }
  for (const row of rows.slice(0, 20)) {
    const li = document.createElement("li");
    const text = document.createElement("span");
    const state = row.status !== "valid" ? ` – ${T.cancelled}` : row.inside ? ` – ${T.inside}` : "";
    text.textContent = `${row.name}${row.email ? ` (${row.email})` : ""}, ${row.ticket_type || ""} ${row.headcount > 1 ? `× ${row.headcount}` : ""}${state}`;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kern-btn kern-btn--secondary";
    button.textContent = `${T.checkIn}: ${row.name}`;
    button.addEventListener("click", () => handle({ serial: row.serial }));
    li.append(text, " ", button);
    results.append(li);
  }
}

async function countWalkIn(event) {
  event.preventDefault();
  const form = event.target;
  const body = {
    nonce: crypto.randomUUID(),
    postcode: form.elements.postcode.value,
    interest: form.elements.interest.value,
    counted_at: new Date().toISOString(),
  };
  form.reset();
  try {
    const response = await api("walk-ins/", { method: "POST", body: JSON.stringify(body) });
    if (response.ok) showCounters(await response.json());
  } catch (error) {
    if (!(error instanceof Offline)) throw error;
    // No network: keep the walk-in on this device and send it later.
    await store.put("queue", { ...body, type: "walk_in" });
    await showPending();
    const counter = $("counter-walk-ins");
    if (/^\d+$/.test(counter.textContent)) counter.textContent = String(Number(counter.textContent) + 1);
  }
  show({ code: "ok", message: T.walkInCounted, headcount: 1 });
}

// --- Start ---------------------------------------------------------------------------------------

async function main() {
  if (!token) return unpaired();
  store = await import(root.dataset.offlineModule);
  import(root.dataset.edModule).then((module) => (ed = module));
  await loadInfo();
  if (!info || !token) return unpaired();
  $("checkin-ready").hidden = false;
  $("checkin-event").textContent = info.event;
  $("checkin-device").textContent = `${info.device}${info.entrance ? ` · ${info.entrance.name}` : ""}`;
  $("counter-walk-ins-box").hidden = !info.walk_ins_allowed;
  $("checkin-walk-in").hidden = !info.walk_ins_allowed;
  showCounters(info.counters);
  showNetwork();
  list = (await store.get("lists", info.current_list)) || null;
  await showPending();
  $("checkin-wedge").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = $("checkin-code");
    const code = input.value.trim();
    input.value = "";
    const number = printedNumber(code);
    if (number) handle({ serial: number });
    else if (code) handle({ secret: code });
    input.focus();
  });
  $("checkin-search").addEventListener("submit", search);
  $("checkin-walk-in-form").addEventListener("submit", countWalkIn);
  $("checkin-camera-toggle").addEventListener("click", toggleCamera);
  $("result-next").addEventListener("click", hide);
  $("checkin-result").addEventListener("click", hide);
  window.addEventListener("online", () => { showNetwork(); upload(); });
  window.addEventListener("offline", showNetwork);
  setInterval(() => { refreshCounters(); upload(); }, 5000);
  setInterval(syncList, 60000);
  await syncList();
  await upload();
  root.dataset.ready = "true";
  $("checkin-code").focus();
  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (event.key.length === 1 && event.key !== " " && !event.ctrlKey && !event.altKey && !event.metaKey && !["INPUT", "TEXTAREA", "SELECT"].includes(tag)) {
      $("checkin-code").focus(); // the hand scanner's first character lands in the code field
    }
  });
  startCamera();
  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw).catch(() => {});
  }
}

main();
