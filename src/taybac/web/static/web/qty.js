/* Product page quantity picker: − / + beside the number field, bounded by its min and max (the stock).
   Without JavaScript the number field alone works and the buttons stay hidden. */
(function () {
  "use strict";
  function clamp(input, value) {
    var low = parseInt(input.min, 10) || 1, high = parseInt(input.max, 10) || low;
    if (isNaN(value)) value = low;
    return Math.min(Math.max(value, low), high);
  }
  function sync(box, input) {
    var value = parseInt(input.value, 10);
    box.querySelector(".qdown").disabled = !(value > (parseInt(input.min, 10) || 1));
    box.querySelector(".qup").disabled = !(value < (parseInt(input.max, 10) || 1));
  }
  document.querySelectorAll(".qty").forEach(function (box) {
    var input = box.querySelector("input[type=number]");
    if (!input) return;
    box.querySelectorAll("button").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var step = button.classList.contains("qup") ? 1 : -1;
        input.value = clamp(input, parseInt(input.value, 10) + step);
        sync(box, input);
      });
    });
    input.addEventListener("change", function () {
      input.value = clamp(input, parseInt(input.value, 10));
      sync(box, input);
    });
    sync(box, input);
  });
})();
