// Offline parts of the door scanner: a small IndexedDB store, and reading and verifying
// signed ticket codes in the browser with the event's public key (@noble/ed25519).
// Secret layout (events_platform/ticket_codes.py): base32 of
//   version (1) | kind (1) | event id (4, big-endian) | serial (8, big-endian) | Ed25519 signature (64)

const DB_NAME = "checkin";
const PAYLOAD = 14;
const SECRET_BYTES = PAYLOAD + 64;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

let dbPromise = null;

export function openDb() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        const db = request.result;
        db.createObjectStore("queue", { keyPath: "nonce" });
        db.createObjectStore("lists", { keyPath: "list" });
        db.createObjectStore("local", { keyPath: "key" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return dbPromise;
}

async function run(store, mode, action) {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(store, mode);
    const request = action(tx.objectStore(store));
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
  });
}

export const put = (store, value) => run(store, "readwrite", (s) => s.put(value));
export const get = (store, key) => run(store, "readonly", (s) => s.get(key));
export const all = (store) => run(store, "readonly", (s) => s.getAll());
export const remove = (store, key) => run(store, "readwrite", (s) => s.delete(key));
export const clear = (store) => run(store, "readwrite", (s) => s.clear());

export function base32ToBytes(text) {
  const clean = text.replace(/\s+/g, "").toUpperCase().replace(/=+$/, "");
  const out = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = ALPHABET.indexOf(char);
    if (index < 0) return null;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

export function base64UrlToBytes(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function readClaim(bytes) {
  if (!bytes || bytes.length !== SECRET_BYTES || bytes[0] !== 1) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, PAYLOAD);
  const kind = view.getUint8(1);
  if (kind !== 1 && kind !== 2) return null;
  return { kind, eventId: view.getUint32(2), serial: view.getBigUint64(6).toString() };
}

// The claim of a genuine code, or null for a forged, altered or unreadable one.
export async function verifySecret(ed, secret, publicKeyText) {
  const bytes = base32ToBytes(secret);
  const claim = readClaim(bytes);
  if (!claim || !ed || !publicKeyText) return null;
  try {
    const ok = await ed.verifyAsync(
      bytes.slice(PAYLOAD),
      bytes.slice(0, PAYLOAD),
      base64UrlToBytes(publicKeyText)
    );
    return ok ? claim : null;
  } catch (error) {
    return null;
  }
}
