// Counts one read of this article for "Đọc nhiều" once the page is shown.
// The page itself stays cacheable: the count is this tiny separate request.
(function () {
  var script = document.currentScript;
  var url = script && script.dataset.beacon;
  if (!url || !navigator.sendBeacon) return;
  function send() {
    if (document.visibilityState === "visible") {
      navigator.sendBeacon(url);
      document.removeEventListener("visibilitychange", send);
    }
  }
  if (document.visibilityState === "visible") {
    window.addEventListener("load", function () { navigator.sendBeacon(url); });
  } else {
    // Opened in a background tab: count it when the reader looks at it.
    document.addEventListener("visibilitychange", send);
  }
})();
