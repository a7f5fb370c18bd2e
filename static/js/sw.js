// CampaignFlow's service worker, served as /sw.js with CF_CACHE, CF_PRECACHE, CF_OFFLINE_URL and CF_STATIC_URL
// written in front of this file (campaignflow/pwa/views.py). ADR 0017 says why it caches what it caches:
// - the app shell (CF_PRECACHE) when it installs, in a cache named after a digest of the static files;
// - other static files the first time they are fetched (cache first: their URL changes with a deploy's digest);
// - pages: always from the network; without one, the offline page. A page or an API answer is never stored:
//   it holds someone's data, and a phone is shared. Nothing but GET requests of this site is touched.
/* global CF_CACHE, CF_PRECACHE, CF_OFFLINE_URL, CF_STATIC_URL */
"use strict";

const NEVER = ["/api/", "/admin/"];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CF_CACHE)
      .then((cache) => cache.addAll(CF_PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CF_CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NEVER.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(offlinePage));
  } else if (url.pathname.startsWith(CF_STATIC_URL)) {
    event.respondWith(cacheFirst(request));
  }
});

async function offlinePage() {
  const cached = await caches.match(CF_OFFLINE_URL, { ignoreVary: true });
  return cached || new Response(
    "<!DOCTYPE html><meta charset=utf-8><meta name=viewport content='width=device-width'>" +
      "<title>CampaignFlow</title><p>你已离线。联网后再试。</p><p>You are offline. Try again when you are back online.</p>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } },
  );
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  const download = (response.headers.get("Content-Disposition") || "").startsWith("attachment");
  if (response.ok && response.type === "basic" && !download) {
    const cache = await caches.open(CF_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

// The page asks at logout: every cache goes (the next person starts from nothing).
self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "cf-logout") return;
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.map((key) => caches.delete(key))))
      .then(() => event.ports[0] && event.ports[0].postMessage({ cleared: true })),
  );
});
