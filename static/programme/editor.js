// Drag-and-drop for the timetable editor: a progressive enhancement of the forms.
// Dropping a session on a slot posts the same fields as the no-JavaScript move form.
(function () {
  "use strict";
  var grid = document.getElementById("tt-grid");
  var form = document.getElementById("tt-move-form");
  if (!grid || !form || !window.fetch) return;
  var token = form.querySelector("input[name=csrf_token]");
  var dragged = null;

  grid.addEventListener("dragstart", function (e) {
    var block = e.target.closest && e.target.closest(".tt-block");
    if (!block) return;
    dragged = block;
    block.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", block.dataset.id);
  });
  grid.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
  });
  grid.querySelectorAll(".tt-cell").forEach(function (cell) {
    cell.addEventListener("dragover", function (e) {
      if (!dragged) return;
      e.preventDefault();
      cell.classList.add("drop-over");
    });
    cell.addEventListener("dragleave", function () { cell.classList.remove("drop-over"); });
    cell.addEventListener("drop", function (e) {
      e.preventDefault();
      cell.classList.remove("drop-over");
      if (!dragged) return;
      var body = new FormData();
      if (token) body.append("csrf_token", token.value);
      body.append("day", grid.dataset.day);
      body.append("start", cell.dataset.start);
      body.append("room_id", cell.dataset.room);
      fetch(dragged.dataset.move, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) { return r.json().then(function (data) { return [r.ok, data]; }); })
        .then(function (result) {
          if (!result[0]) { alert(result[1].error.message); return; }
          if (result[1].warnings.length) alert(result[1].warnings.join("\n"));
          window.location.reload();
        })
        .catch(function () { alert("The session could not be moved. Please use its form."); });
    });
  });
})();
