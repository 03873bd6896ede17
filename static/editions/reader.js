// The print edition's page reader (editions/templates/editions/issue_detail.html).
// Progressive enhancement: without it, the page is a picture with links.
// - swipe left / right (or the arrow keys) goes to the next / previous page,
//   through the same links a reader without JavaScript clicks;
// - double-tap (double-click) zooms in and out, two fingers zoom freely, the
//   + and - buttons too; a zoomed page pans inside its frame and loads the
//   large picture (by the sizes attribute: the browser picks from srcset).
(function () {
  "use strict";

  var frame = document.querySelector("[data-print-zoom]");
  if (!frame) return;
  var image = frame.querySelector("img");
  var source = frame.querySelector("source");
  var prev = document.querySelector("[data-print-prev]");
  var next = document.querySelector("[data-print-next]");
  var MAX = 4;
  var scale = 1;

  function go(link) {
    if (link) window.location.href = link.href;
  }

  function setScale(value, originX, originY) {
    var before = scale;
    scale = Math.min(MAX, Math.max(1, value));
    if (scale === before) return;
    // Keep the point under the finger (or the centre) where it was.
    var x = originX === undefined ? frame.clientWidth / 2 : originX;
    var y = originY === undefined ? frame.clientHeight / 2 : originY;
    var ratio = scale / before;
    var left = (frame.scrollLeft + x) * ratio - x;
    var top = (frame.scrollTop + y) * ratio - y;
    image.style.width = scale * 100 + "%";
    frame.classList.toggle("is-zoomed", scale > 1);
    if (scale > 1 && source) {
      // Ask for pictures as wide as the zoomed page: the large one.
      source.sizes = Math.round(scale * 100) + "vw";
    }
    frame.scrollLeft = left;
    frame.scrollTop = top;
    label.textContent = Math.round(scale * 100) + "%";
  }

  // The zoom buttons, shown only where they work.
  var tools = document.createElement("span");
  tools.className = "print-zoom";
  var out = document.createElement("button");
  out.type = "button";
  out.textContent = "−";
  out.setAttribute("aria-label", frame.getAttribute("data-zoom-out") || "Thu nhỏ");
  var label = document.createElement("span");
  label.className = "visually-hidden";
  label.setAttribute("aria-live", "polite");
  var zoomIn = document.createElement("button");
  zoomIn.type = "button";
  zoomIn.textContent = "+";
  zoomIn.setAttribute("aria-label", frame.getAttribute("data-zoom-in") || "Phóng to");
  out.addEventListener("click", function () { setScale(scale / 1.5); });
  zoomIn.addEventListener("click", function () { setScale(scale * 1.5); });
  tools.appendChild(out);
  tools.appendChild(zoomIn);
  tools.appendChild(label);
  var caption = document.querySelector(".print-page__caption");
  if (caption) caption.insertBefore(tools, caption.querySelector("[data-print-hint]"));
  var hint = document.querySelector("[data-print-hint]");
  if (hint) hint.hidden = false;

  function point(event) {
    var box = frame.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  }

  frame.addEventListener("dblclick", function (event) {
    var at = point(event);
    setScale(scale > 1 ? 1 : 2.5, at[0], at[1]);
  });

  // Touch: one finger swipes (at 100 %) or pans (zoomed); two fingers pinch.
  var start = null;
  var pinch = null;
  var lastTap = 0;

  function distance(touches) {
    var dx = touches[0].clientX - touches[1].clientX;
    var dy = touches[0].clientY - touches[1].clientY;
    return Math.sqrt(dx * dx + dy * dy);
  }

  frame.addEventListener("touchstart", function (event) {
    if (event.touches.length === 2) {
      var box = frame.getBoundingClientRect();
      pinch = {
        distance: distance(event.touches),
        scale: scale,
        x: (event.touches[0].clientX + event.touches[1].clientX) / 2 - box.left,
        y: (event.touches[0].clientY + event.touches[1].clientY) / 2 - box.top
      };
      start = null;
      event.preventDefault();
    } else if (event.touches.length === 1) {
      start = { x: event.touches[0].clientX, y: event.touches[0].clientY, at: Date.now() };
    }
  }, { passive: false });

  frame.addEventListener("touchmove", function (event) {
    if (pinch && event.touches.length === 2) {
      event.preventDefault();
      setScale(pinch.scale * distance(event.touches) / pinch.distance, pinch.x, pinch.y);
    }
  }, { passive: false });

  frame.addEventListener("touchend", function (event) {
    if (pinch) {
      if (event.touches.length < 2) pinch = null;
      return;
    }
    if (!start || event.changedTouches.length !== 1) return;
    var touch = event.changedTouches[0];
    var dx = touch.clientX - start.x;
    var dy = touch.clientY - start.y;
    var quick = Date.now() - start.at < 600;
    var now = Date.now();
    if (Math.abs(dx) < 10 && Math.abs(dy) < 10) {
      // A tap: two within 300 ms zoom in or out around the finger.
      if (now - lastTap < 300) {
        var at = point(touch);
        setScale(scale > 1 ? 1 : 2.5, at[0], at[1]);
        event.preventDefault();
        lastTap = 0;
      } else {
        lastTap = now;
      }
    } else if (scale === 1 && quick && Math.abs(dx) > 60 && Math.abs(dx) > 2 * Math.abs(dy)) {
      // A sideways swipe on an unzoomed page (a zoomed one pans instead).
      go(dx < 0 ? next : prev);
    }
    start = null;
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (event.key === "ArrowRight" && scale === 1) go(next);
    else if (event.key === "ArrowLeft" && scale === 1) go(prev);
    else if (event.key === "+" || event.key === "=") setScale(scale * 1.5);
    else if (event.key === "-") setScale(scale / 1.5);
  });
})();
