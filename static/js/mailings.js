// The mailing form's recipient count follows the filters as they change (without JavaScript,
// the "Count again" button does the same with a round trip).
(function () {
  var form = document.querySelector("form[data-count-url]");
  if (!form) return;
  var output = form.querySelector("[data-count]");
  var pending = null;
  function update() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && name.indexOf("subject") !== 0 && name.indexOf("body") !== 0) {
        params.append(name, value);
      }
    });
    if (pending) pending.abort();
    pending = new AbortController();
    fetch(form.getAttribute("data-count-url") + "?" + params.toString(), {
      signal: pending.signal,
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && output) output.textContent = data.text; })
      .catch(function () {});
  }
  form.addEventListener("change", function (event) {
    if (event.target.name && event.target.name.indexOf("body") !== 0) update();
  });
})();
