// Live Assembly pages (the delegate's ballot, the projector): poll a small state endpoint and
// reload when what the page shows has changed. An element with data-live-url,
// data-live-key ("polls" or "votes") and data-live-version (the version the page was built
// from) turns it on. A page that shows something that must not vanish (receipts) carries
// data-live-keep: it shows a notice with a reload link instead of reloading by itself.
// The endpoint sends an ETag; the next request carries it and an unchanged state costs a 304.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root) {
    return;
  }
  var url = root.getAttribute("data-live-url");
  var key = root.getAttribute("data-live-key") || "polls";
  var version = root.getAttribute("data-live-version");
  var interval = parseInt(root.getAttribute("data-live-interval") || "3000", 10);
  var keep = document.querySelector("[data-live-keep]");
  var notice = document.getElementById("live-notice");
  var etag = null;

  function changed() {
    if (keep && notice) {
      notice.hidden = false;
      return false;
    }
    window.location.reload();
    return true;
  }

  function check() {
    if (document.hidden) {
      return window.setTimeout(check, interval);
    }
    var headers = { Accept: "application/json" };
    if (etag) {
      headers["If-None-Match"] = etag;
    }
    fetch(url, { headers: headers, cache: "no-store" })
      .then(function (response) {
        if (response.status === 304 || !response.ok) {
          return null; // unchanged, or a passing error: ask again later
        }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        if (state && state[key] && state[key] !== version) {
          version = state[key];
          if (changed()) {
            return;
          }
        }
        window.setTimeout(check, interval);
      })
      .catch(function () {
        window.setTimeout(check, interval * 2); // the server restarts or the Wi-Fi drops
      });
  }

  window.setTimeout(check, interval);
})();
