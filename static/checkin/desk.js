// Progressive enhancement of the check-in desk: answers without reloading, the camera where the
// browser has BarcodeDetector, and a queue in localStorage while the network is gone.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root || !window.fetch) return;
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var result = document.getElementById("result");
  var note = document.getElementById("queue-note");
  var counter = document.getElementById("checked-in-count");
  var queueKey = "eventsys-checkin-queue:" + root.dataset.event;

  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function loadQueue() {
    try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; }
  }
  function saveQueue(queue) {
    localStorage.setItem(queueKey, JSON.stringify(queue));
    note.hidden = queue.length === 0;
    note.textContent = queue.length + " scan(s) saved while offline: they will be sent when the connection is back.";
  }
  function send(scan) {
    return fetch(root.dataset.scanUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify({ code: scan.code, nonce: scan.nonce, csrf_token: root.dataset.csrf })
    }).then(function (response) {
      if (response.status >= 500) throw new Error("server");
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("json") === -1) {
        // Logged out or no longer staff: queueing would never succeed, so say it now.
        return { notSent: true, html: '<div class="scan-result outcome-error" role="alert"><p class="verdict">Not sent</p>' +
                       '<p>Your session has ended or you may not check people in here: reload and log in.</p></div>' };
      }
      return response.json();
    });
  }
  function show(answer) {
    result.innerHTML = answer.html;
    if (typeof answer.checked_in === "number") counter.textContent = answer.checked_in;
  }
  function submit(code) {
    var scan = { code: code, nonce: nonce() };
    input.value = "";
    if (!navigator.onLine) return enqueue(scan);
    send(scan).then(show, function () { enqueue(scan); });
  }
  function enqueue(scan) {
    var queue = loadQueue();
    queue.push(scan);
    saveQueue(queue);
    result.innerHTML = '<div class="scan-result outcome-queued" role="alert"><p class="verdict">Saved offline</p><p>No connection: this scan is queued and will be sent (admit only if the badge looks right).</p></div>';
  }
  var flushing = false;
  function flush() {
    var queue = loadQueue();
    if (flushing || !queue.length || !navigator.onLine) return;
    flushing = true;
    // The same nonce goes again: a scan that did reach the server is not counted twice.
    send(queue[0]).then(function (answer) {
      if (answer.notSent) { show(answer); flushing = false; return; }  // keep the queue
      saveQueue(loadQueue().slice(1));
      if (typeof answer.checked_in === "number") counter.textContent = answer.checked_in;
      flushing = false;
      flush();
    }, function () { flushing = false; });
  }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit(input.value.trim());
    input.focus();
  });
  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  saveQueue(loadQueue());
  flush();

  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    var button = document.getElementById("camera-button");
    var video = document.getElementById("camera");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    var last = { code: "", at: 0 };
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            var code = codes[0].rawValue, now = Date.now();
            if (code === last.code && now - last.at < 4000) return;  // the same badge held still
            last = { code: code, at: now };
            submit(code);
          }).catch(function () {});
        }, 300);
      }).catch(function () { button.hidden = true; });
    });
  }
})();
