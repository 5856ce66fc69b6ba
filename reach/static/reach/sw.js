/* The site's service worker (served at /sw.js, scope "/"): shows the breaking-news alerts
   our server pushes (reach/push.py) and opens the article when one is clicked. It caches
   nothing and runs no other code. */
"use strict";

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = {};
  }
  const options = {
    body: data.body || "",
    lang: data.lang || "ar",
    dir: "rtl",
    tag: data.url || "alert",
    data: { url: data.url || "/" },
  };
  if (data.icon) {
    options.icon = data.icon;
  }
  event.waitUntil(self.registration.showNotification(data.title || "", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
