// Focal point picker for the photo admin: a click on the preview writes the
// point (fractions of width and height) into the focus_x / focus_y inputs.
// The inputs stay usable without JavaScript or a mouse.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-focal-point]");
  var inputX = document.getElementById("id_focus_x");
  var inputY = document.getElementById("id_focus_y");
  if (!box || !inputX || !inputY) {
    return;
  }
  var image = box.querySelector("img");
  var marker = box.querySelector(".focal-point__marker");

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function place() {
    var x = clamp(parseFloat(inputX.value) || 0.5);
    var y = clamp(parseFloat(inputY.value) || 0.5);
    marker.style.left = x * 100 + "%";
    marker.style.top = y * 100 + "%";
  }

  image.addEventListener("click", function (event) {
    var rect = image.getBoundingClientRect();
    inputX.value = clamp((event.clientX - rect.left) / rect.width).toFixed(3);
    inputY.value = clamp((event.clientY - rect.top) / rect.height).toFixed(3);
    place();
  });
  inputX.addEventListener("input", place);
  inputY.addEventListener("input", place);
  place();
});
