// Cooperage console: shows a file upload's progress. The form works without this script: it only sends the same
// form with XMLHttpRequest to report progress, then shows the page the server answers with.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-upload") || !window.FormData) { return; }
  var progress = form.querySelector("progress");
  var status = form.querySelector("[role=status]");
  var button = form.querySelector("button[type=submit]");
  event.preventDefault();
  var request = new XMLHttpRequest();
  request.open("POST", form.action);
  request.upload.addEventListener("progress", function (step) {
    if (!step.lengthComputable) { return; }
    var percent = Math.round(step.loaded / step.total * 100);
    if (progress) { progress.hidden = false; progress.value = percent; progress.textContent = percent + "%"; }
    if (status) { status.textContent = percent < 100 ? "Uploading: " + percent + "%" : "Uploaded; importing…"; }
  });
  request.addEventListener("load", function () {
    var answered = new URL(request.responseURL || form.action, location.href);
    if (answered.pathname !== new URL(form.action, location.href).pathname) {
      location.assign(answered.href);
      return;
    }
    // The same page again, with the lines to correct: show its content in place of this one's.
    var page = new DOMParser().parseFromString(request.responseText, "text/html");
    var main = page.querySelector("main");
    var current = document.querySelector("main");
    if (main && current) { current.replaceWith(main); } else { location.reload(); }
  });
  request.addEventListener("error", function () {
    if (status) { status.textContent = "The upload failed. Check the connection and send the file again."; }
    if (button) { button.disabled = false; }
  });
  if (button) { button.disabled = true; }
  if (status) { status.textContent = "Uploading…"; }
  request.send(new FormData(form));
});
