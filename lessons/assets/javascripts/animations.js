// Chapters under each animation (animations/embed.py): one button per step. A button seeks the
// video to the first frame of its step; the step on screen is marked with aria-current while the
// video plays or is seeked. Listeners sit on the document, so they also serve pages that
// Material swaps in without a reload.
(function () {
  var FIRST_FRAME = 0.01;  // just past the step's start: its own first frame, not the last of the step before

  function mark(video) {
    var t = video.currentTime;
    video.closest(".nnv-animation").querySelectorAll(".nnv-animation__chapter").forEach(function (button) {
      var inside = Number(button.dataset.start) <= t && t < Number(button.dataset.end);
      if (inside) button.setAttribute("aria-current", "step");
      else button.removeAttribute("aria-current");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".nnv-animation__chapter");
    if (!button) return;
    var video = button.closest(".nnv-animation").querySelector("video");
    video.currentTime = Number(button.dataset.start) + FIRST_FRAME;
    mark(video);
  });

  // Media events do not bubble; a capturing listener on the document still hears them.
  ["timeupdate", "seeked"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.matches && event.target.matches(".nnv-animation video")) mark(event.target);
    }, true);
  });
})();
