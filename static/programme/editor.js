// Drag-and-drop for the timetable editor: a progressive enhancement of the forms.
// Drop a session on a slot to move it (it keeps its length); drag its lower edge onto a slot
// to make it end there. Both post the same fields as the no-JavaScript move form.
(function () {
  "use strict";
  var grid = document.getElementById("tt-grid");
  var form = document.getElementById("tt-move-form");
  if (!grid || !form || !window.fetch) return;
  var token = form.querySelector("input[name=csrf_token]");
  var dragged = null;
  var resizing = false;

  function plusSlot(hhmm) {
    var parts = hhmm.split(":"), minutes = +parts[0] * 60 + +parts[1] + 15;
    return ("0" + Math.floor(minutes / 60) % 24).slice(-2) + ":" + ("0" + minutes % 60).slice(-2);
  }

  grid.addEventListener("dragstart", function (e) {
    var block = e.target.closest && e.target.closest(".tt-block");
    if (!block) return;
    dragged = block;
    resizing = e.target.classList.contains("tt-resize");
    block.classList.add("dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", block.dataset.id);
    if (resizing) e.stopPropagation();
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
      if (resizing) {
        body.append("start", dragged.dataset.start);
        body.append("end", plusSlot(cell.dataset.start));
        body.append("room_id", dragged.dataset.room || "0");
      } else {
        body.append("start", cell.dataset.start);
        body.append("room_id", cell.dataset.room);
      }
      fetch(dragged.dataset.move, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (r) { return r.json().then(function (data) { return [r.ok, data]; }); })
        .then(function (result) {
          if (!result[0]) { alert(result[1].error.message); return; }
          if (result[1].warnings.length) alert(result[1].warnings.join("\n"));
          window.location.reload();
        })
        .catch(function () { alert("The session could not be changed. Please use its form."); });
    });
  });
})();
