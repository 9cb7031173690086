// The chair's desk: the delegate and proxy fields suggest a few matches as one types, from
// small JSON look-ups (a datalist per kind, filled on demand), instead of menus of everyone.
(function () {
  "use strict";
  var timers = {};

  function fill(list, items, kind) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    items.forEach(function (item) {
      var option = document.createElement("option");
      option.value = kind === "delegates" ? item.email : item.name;
      if (kind === "delegates") {
        option.label = item.name;
      }
      list.appendChild(option);
    });
  }

  function suggest(input) {
    var kind = input.getAttribute("data-suggest");
    var list = document.getElementById(input.getAttribute("list"));
    var text = input.value.trim();
    if (!list || text.length < 2) {
      return;
    }
    var url = list.getAttribute("data-url") + "?q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data[kind]) {
          fill(list, data[kind], kind);
        }
      })
      .catch(function () {});
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.getAttribute || !input.getAttribute("data-suggest")) {
      return;
    }
    var key = input.getAttribute("data-suggest");
    window.clearTimeout(timers[key]);
    timers[key] = window.setTimeout(function () {
      suggest(input);
    }, 200);
  });
})();
