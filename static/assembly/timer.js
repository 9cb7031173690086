// The speaker's countdown on the projector. The server gives the start, the limit (seconds)
// and its own clock at render time, so a projector whose clock is wrong still counts right.
// Past the limit it counts on, marked "over".
(function () {
  "use strict";
  var timers = document.querySelectorAll("[data-timer-start]");
  if (!timers.length) {
    return;
  }

  function pad(n) {
    return n < 10 ? "0" + n : String(n);
  }

  function show(element, offset) {
    var start = Date.parse(element.getAttribute("data-timer-start"));
    var limit = parseInt(element.getAttribute("data-timer-limit"), 10) * 1000;
    var left = Math.round((start + limit - (Date.now() + offset)) / 1000);
    var over = left < 0;
    var seconds = Math.abs(left);
    element.textContent =
      (over ? "+" : "") + Math.floor(seconds / 60) + ":" + pad(seconds % 60);
    element.classList.toggle("over", over);
  }

  Array.prototype.forEach.call(timers, function (element) {
    var serverNow = Date.parse(element.getAttribute("data-timer-now"));
    var offset = isNaN(serverNow) ? 0 : serverNow - Date.now();
    show(element, offset);
    window.setInterval(function () {
      show(element, offset);
    }, 1000);
  });
})();
