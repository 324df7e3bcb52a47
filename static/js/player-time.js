// A comment on a video can be about a time in it. Next to the form's time field this adds a button that fills in
// where the page's player is now: the <audio> element's currentTime, or the embedded YouTube player's, which the
// iframe API reports through postMessage ("infoDelivery") once the page says it is listening. Without this script
// the field is typed by hand (7:50 or 1:02:03).
(() => {
  "use strict";
  if (window.paperHubPlayerTime) return;
  window.paperHubPlayerTime = true;
  let youtubeTime = null;

  const format = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = String(s % 60).padStart(2, "0");
    return h ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
  };

  const frame = () => document.getElementById("video-player");

  function listen() {
    const player = frame();
    if (player && player.contentWindow) {
      player.contentWindow.postMessage(JSON.stringify({ event: "listening", id: player.id }), "*");
    }
  }

  window.addEventListener("message", (event) => {
    const player = frame();
    if (!player || event.source !== player.contentWindow) return;
    let data = event.data;
    try { data = typeof data === "string" ? JSON.parse(data) : data; } catch { return; }
    const time = data && data.info && data.info.currentTime;
    if (typeof time === "number") youtubeTime = time;
  });

  function now() {
    const audio = document.getElementById("audio-player");
    if (audio) return audio.currentTime;
    return youtubeTime;
  }

  function addButton(input) {
    if (input.dataset.playerButton) return;
    input.dataset.playerButton = "1";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "player-time";
    button.textContent = "Use the player's time";
    button.addEventListener("click", () => {
      const seconds = now();
      if (seconds === null || seconds === undefined) { listen(); input.focus(); return; }
      input.value = format(seconds);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
    input.after(button);
  }

  function setUp() {
    if (!document.getElementById("audio-player") && !frame()) return; // nothing plays here: the time is typed
    document.querySelectorAll("input[data-player-time]").forEach(addButton);
    const player = frame();
    if (player) { player.addEventListener("load", listen); listen(); }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
