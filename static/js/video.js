// YouTube and Facebook videos wait behind the paper's own poster: a click
// puts the provider's player in its place, and only then does the browser
// contact the provider. Without JavaScript the poster is a plain link to the
// video's own page. (articles/players.py, templates/articles/_video.html)
(function () {
  function play(frame, button) {
    var player = document.createElement("iframe");
    player.className = "video__iframe";
    player.src = frame.dataset.videoPlayer;
    player.title = frame.dataset.videoTitle;
    player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    player.allowFullscreen = true;
    // The paper's pages send no Referer to other hosts; YouTube's player
    // refuses to start without one. The page's origin only, never its path.
    player.referrerPolicy = "strict-origin-when-cross-origin";
    button.replaceWith(player);
    player.focus();
  }

  document.querySelectorAll("[data-video-player]").forEach(function (frame) {
    var link = frame.querySelector("a.video__facade");
    if (!link) return;
    // With JavaScript the poster plays here: a button, not a link away.
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    while (link.firstChild) button.appendChild(link.firstChild);
    link.replaceWith(button);
    button.addEventListener("click", function () { play(frame, button); });
  });
})();
