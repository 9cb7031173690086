// Progressive enhancement: offer the reader's own zone, which the browser knows.
(function () {
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var input = document.getElementById("f-tz");
  if (!zone || !input || input.value) return;
  if (zone !== input.dataset.eventZone) {
    var option = document.createElement("option");
    option.value = zone;
    document.getElementById("tz-suggest").appendChild(option);
    input.placeholder = zone;
  }
})();
