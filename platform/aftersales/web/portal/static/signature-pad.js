/* The customer's signature on the intake form of a console request page: drawn with a finger, pen or mouse on
   the <canvas data-signature-pad>, and put into the form's hidden "signature" field as a PNG data URL each time a
   stroke ends (the server checks it is a PNG and small). "Clear" starts again. No inline script. */
(function () {
  "use strict";
  var canvas = document.querySelector("[data-signature-pad]");
  if (!canvas) { return; }
  var form = canvas.closest("form");
  var field = form.querySelector("input[name=signature]");
  var context = canvas.getContext("2d");
  var drawing = false;
  context.lineWidth = 2;
  context.lineCap = "round";
  context.strokeStyle = "#000";

  function point(event) {
    var box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * canvas.width / box.width, (event.clientY - box.top) * canvas.height / box.height];
  }
  canvas.addEventListener("pointerdown", function (event) {
    var at = point(event);
    drawing = true;
    canvas.setPointerCapture(event.pointerId);
    context.beginPath();
    context.moveTo(at[0], at[1]);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", function (event) {
    if (!drawing) { return; }
    var at = point(event);
    context.lineTo(at[0], at[1]);
    context.stroke();
    event.preventDefault();
  });
  function end() {
    if (!drawing) { return; }
    drawing = false;
    field.value = canvas.toDataURL("image/png");
  }
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);
  form.querySelector("[data-clear-signature]").addEventListener("click", function () {
    context.clearRect(0, 0, canvas.width, canvas.height);
    field.value = "";
  });
}());
