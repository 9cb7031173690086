// Pages that watch something change (a badge job, the door's counts) name a period in
// <meta name="eventsys-refresh" content="SECONDS">; this reloads them then, but only while the
// tab is visible. A meta http-equiv refresh would reload hidden tabs too, and screen readers
// lose their place without warning (WCAG 2.2.1), so the page says what it does beside it.
(function () {
  var meta = document.querySelector('meta[name="eventsys-refresh"]');
  if (!meta) return;
  var seconds = parseInt(meta.getAttribute("content"), 10);
  if (!(seconds > 0)) return;
  function reloadWhenVisible() {
    if (document.visibilityState === "visible") { window.location.reload(); return; }
    document.addEventListener("visibilitychange", reloadWhenVisible, { once: true });
  }
  window.setTimeout(reloadWhenVisible, seconds * 1000);
})();
