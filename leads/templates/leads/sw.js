/* The stand scanner's service worker: keeps the scanner shell and its assets for offline use.
   API calls are never cached here; the scanner queues its scans in IndexedDB itself. */
const CACHE = "stand-{{ version }}";
const SHELL = "{{ shell|escapejs }}";
const ASSETS = [{% for url in assets %}"{{ url|escapejs }}", {% endfor %}SHELL];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("stand-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname.includes("/geraet/")) {
    return;
  }
  if (request.mode === "navigate") {
    // The page: fresh when the network answers, the cached shell when it does not.
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok && url.pathname === SHELL) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(SHELL, copy));
          }
          return response;
        })
        .catch(() => caches.match(url.pathname === SHELL ? SHELL : request))
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});
