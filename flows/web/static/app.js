// payrecon web front: progressive enhancement only (the forms work without this file).
// Drag-and-drop on the upload zone puts the dropped files into the form's file input.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Review queue: one box ticks or unticks every suggestion of the page.
  var all = document.getElementById("tick-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.tick").forEach(function (box) { box.checked = all.checked; });
    });
  }
  var zone = document.getElementById("drop-zone");
  var input = document.getElementById("file-input");
  var chosen = document.getElementById("chosen");
  if (!zone || !input) { return; }
  function show() {
    chosen.textContent = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + Math.ceil(file.size / 1024) + " KB)";
      chosen.appendChild(item);
    });
  }
  input.addEventListener("change", show);
  ["dragenter", "dragover"].forEach(function (name) {
    zone.addEventListener(name, function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    zone.addEventListener(name, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  var form = document.getElementById("upload-form");
  form.addEventListener("submit", function () {
    var button = document.getElementById("upload-button");
    button.disabled = true;
    button.textContent = "Reading and reconciling…";
  });
});
