/* «نبّهني بالأخبار العاجلة»: asks the browser's permission only when the reader clicks,
   registers the service worker, subscribes with the site's VAPID key and sends the
   subscription to the server; the same place unsubscribes. The page's words come from
   data attributes (translated by the template). */
"use strict";

(function () {
  const form = document.getElementById("push-form");
  if (!form) {
    return;
  }
  const status = document.getElementById("push-status");
  const subscribeButton = document.getElementById("push-subscribe");
  const unsubscribeButton = document.getElementById("push-unsubscribe");
  const say = (key) => {
    status.textContent = form.dataset[key] || "";
  };
  const showSubscribed = (subscribed) => {
    unsubscribeButton.hidden = !subscribed;
  };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    subscribeButton.disabled = true;
    say("unsupported");
    return;
  }
  const csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function keyBytes(text) {
    const padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    return response.json();
  }

  async function currentSubscription() {
    const registration = await navigator.serviceWorker.getRegistration("/");
    return registration ? registration.pushManager.getSubscription() : null;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("denied");
        return;
      }
      await navigator.serviceWorker.register(form.dataset.worker, { scope: "/" });
      const registration = await navigator.serviceWorker.ready;
      let subscription = await registration.pushManager.getSubscription();
      if (!subscription) {
        subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(form.dataset.key),
        });
      }
      const sections = Array.from(form.querySelectorAll("input[name=section]:checked"), (box) => box.value);
      const breaking = form.querySelector("input[name=breaking]").checked;
      await post(form.dataset.subscribeUrl, Object.assign(subscription.toJSON(), { breaking, sections }));
      showSubscribed(true);
      say("subscribed");
    } catch (error) {
      say("failed");
    }
  });

  unsubscribeButton.addEventListener("click", async () => {
    try {
      const subscription = await currentSubscription();
      if (subscription) {
        await post(form.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      showSubscribed(false);
      say("unsubscribed");
    } catch (error) {
      say("failed");
    }
  });

  currentSubscription().then((subscription) => showSubscribed(Boolean(subscription)), () => {});
})();
