// The article page's small helpers; the page reads and shares without them.
// - Share buttons (templates/articles/_share.html): copy the address with the
//   Clipboard API and say so; offer the phone's own share sheet where the
//   browser has one (navigator.share). Without this script the address
//   stays in a field to select.
// - The E-magazine's reading-progress line, for browsers without CSS
//   scroll-driven animations (static/css/site.css draws it in the others).
"use strict";
(function () {
  var share = document.querySelector("[data-share]");
  if (share) {
    var url = share.dataset.url;
    var copy = share.querySelector("[data-share-copy]");
    var field = share.querySelector("[data-share-field]");
    var status = share.querySelector("[data-share-status]");
    var native = share.querySelector("[data-share-native]");
    var quiet;
    var say = function (text) {
      // Emptied first, so the same words are announced again on a second click.
      status.textContent = "";
      clearTimeout(quiet);
      setTimeout(function () {
        status.textContent = text;
        quiet = setTimeout(function () { status.textContent = ""; }, 6000);
      }, 50);
    };
    var byHand = function () {
      share.classList.add("share--by-hand");
      field.focus();
      field.select();
      say(copy.dataset.failed);
    };
    share.classList.add("share--ready");
    copy.addEventListener("click", function () {
      if (!navigator.clipboard || !navigator.clipboard.writeText) return byHand();
      navigator.clipboard.writeText(url).then(function () {
        share.classList.remove("share--by-hand");
        say(copy.dataset.done);
      }, byHand);
    });
    field.addEventListener("focus", function () { field.select(); });
    if (navigator.share) {
      native.parentNode.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: share.dataset.title, url: url }).catch(function () {
          // The reader closed the sheet: nothing to say.
        });
      });
    }
  }

  var line = document.querySelector(".reading-progress");
  var supported = window.CSS && CSS.supports("animation-timeline: view()");
  var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  if (!line || supported || still) return;
  var story = line.parentNode;
  var waiting = false;
  var draw = function () {
    waiting = false;
    // As the CSS timeline: 0 when the story's top reaches the window's top,
    // 1 when its end reaches the window's bottom.
    var box = story.getBoundingClientRect();
    var span = box.height - window.innerHeight;
    var done = span > 0 ? Math.min(1, Math.max(0, -box.top / span)) : 1;
    line.style.transform = "scaleX(" + done + ")";
  };
  var later = function () {
    if (!waiting) {
      waiting = true;
      window.requestAnimationFrame(draw);
    }
  };
  window.addEventListener("scroll", later, { passive: true });
  window.addEventListener("resize", later);
  draw();
})();
