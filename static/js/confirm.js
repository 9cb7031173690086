// Irreversible actions ask first: a submit button (or its form) with data-confirm="question"
// submits only after the person agrees. Without JavaScript the action runs as before.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
