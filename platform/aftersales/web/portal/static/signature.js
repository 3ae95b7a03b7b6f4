// The customer's signature on the day sheet: draw on the canvas with a finger, mouse or pen; the finish form sends
// it as a PNG data URL in its hidden "signature" field (nothing is sent while the canvas is empty).
(function () {
  document.querySelectorAll("canvas.signature").forEach(function (canvas) {
    var form = canvas.closest("form");
    var field = form.querySelector("input[name=signature]");
    var pen = canvas.getContext("2d");
    var drawing = false;
    var drawn = false;
    function fit() {
      var box = canvas.getBoundingClientRect();
      canvas.width = Math.round(box.width);
      canvas.height = Math.round(box.height);
      pen.lineWidth = 2.5;
      pen.lineCap = "round";
      pen.strokeStyle = "#111827";
    }
    function at(event) {
      var box = canvas.getBoundingClientRect();
      return [event.clientX - box.left, event.clientY - box.top];
    }
    fit();
    canvas.addEventListener("pointerdown", function (event) {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      var p = at(event);
      pen.beginPath();
      pen.moveTo(p[0], p[1]);
    });
    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) { return; }
      var p = at(event);
      pen.lineTo(p[0], p[1]);
      pen.stroke();
      drawn = true;
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      canvas.addEventListener(name, function () { drawing = false; });
    });
    var clear = form.querySelector("button[data-clear-signature]");
    if (clear) {
      clear.addEventListener("click", function () { fit(); drawn = false; field.value = ""; });
    }
    form.addEventListener("submit", function () { field.value = drawn ? canvas.toDataURL("image/png") : ""; });
  });
})();
