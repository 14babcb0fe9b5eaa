// Check-in desk: a hand scanner types the badge code and Enter into the field; on phones the
// camera can read the QR code where the browser offers BarcodeDetector. After each answer the
// field is cleared and focused for the next person, the form gets a fresh idempotency key,
// and the answer brings the shift counts and an unticked walk-in box (out-of-band swaps).
(function () {
  "use strict";
  function freshKey(form) {
    var key = form.querySelector("[data-fresh-key]");
    if (key && window.crypto && crypto.randomUUID) { key.value = crypto.randomUUID(); }
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target.closest && event.target.closest("[data-desk]");
    if (!form) { return; }
    freshKey(form);
    var field = form.querySelector("[data-scan-target]");
    field.value = "";
    form.querySelectorAll("[data-walk-in]").forEach(function (box) { box.checked = false; });
    field.focus();
  });

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-desk]");
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var button = form.querySelector("[data-camera]");
    var video = form.querySelector("[data-camera-view]");
    var field = form.querySelector("[data-scan-target]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var look = function () {
          detector.detect(video).then(function (codes) {
            if (codes.length) {
              field.value = codes[0].rawValue;
              stream.getTracks().forEach(function (track) { track.stop(); });
              video.hidden = true;
              form.requestSubmit(form.querySelector("[value=in]"));
            } else {
              requestAnimationFrame(look);
            }
          });
        };
        look();
      });
    });
  });
})();
