// The language menu switches as soon as a language is chosen; the OK button stays for those
// without JavaScript (and is hidden here, where it is not needed).
document.querySelectorAll("form.lang").forEach(function (form) {
  var select = form.querySelector("select[name=locale]");
  var button = form.querySelector("button[type=submit]");
  if (!select) return;
  select.addEventListener("change", function () { form.submit(); });
  if (button) button.hidden = true;
});
