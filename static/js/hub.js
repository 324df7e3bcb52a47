/* Paper Hub: a little progressive enhancement. Every page works without this file.
 *
 * - Seeking: any a[data-seek] (integer seconds) on a page with the embedded player seeks it there through the
 *   YouTube iframe API's postMessage protocol and scrolls the player into view; on a podcast episode's page,
 *   the same links seek its <audio id="audio-player"> and play it. Without JavaScript, or without a player,
 *   the link's href (the video, or the episode's page, at that time) is an ordinary link.
 * - Copying: a button[data-copy="ID"] copies the text of element ID (the BibTeX entry); it is hidden until
 *   this script shows it, so readers without JavaScript select the text in the <pre> instead.
 */
(function () {
  "use strict";

  function player() {
    return document.getElementById("video-player");
  }

  function send(frame, func, args) {
    frame.contentWindow.postMessage(JSON.stringify({ event: "command", func: func, args: args || [] }), "*");
  }

  function seekAudio(audio, seconds) {
    audio.currentTime = seconds;
    var playing = audio.play();
    if (playing && playing.catch) playing.catch(function () {}); // a refused autoplay leaves it paused there
    return audio;
  }

  function seek(seconds) {
    var audio = document.getElementById("audio-player");
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (audio) {
      seekAudio(audio, seconds).scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
      return true;
    }
    var frame = player();
    if (!frame || !frame.contentWindow) return false;
    // "listening" registers us with the player, which the API needs before it takes commands.
    frame.contentWindow.postMessage(JSON.stringify({ event: "listening", id: frame.id }), "*");
    send(frame, "seekTo", [seconds, true]);
    send(frame, "playVideo");
    frame.scrollIntoView({ behavior: reduce ? "auto" : "smooth", block: "center" });
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab: keep the link
    var link = event.target.closest && event.target.closest("a[data-seek]");
    if (!link) return;
    var seconds = parseInt(link.getAttribute("data-seek"), 10);
    if (isNaN(seconds) || seconds < 0) return;
    if (seek(seconds)) {
      event.preventDefault();
      document.querySelectorAll("a[data-seek].is-current").forEach(function (a) {
        a.classList.remove("is-current");
      });
      link.classList.add("is-current");
    }
  });

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Fallback for plain-http pages: a hidden textarea and the older command.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      ok ? resolve() : reject(new Error("copy refused"));
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(source.textContent).then(
        function () { button.textContent = "Copied"; },
        function () { button.textContent = "Select the text to copy"; }
      );
      window.setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
})();
