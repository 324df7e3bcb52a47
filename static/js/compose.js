// Writing comfort for every markdown box (textarea[data-compose]: comments, replies, edits, notes): a count of the
// characters left, and a live preview rendered by the server's own markdown code (POST to the form's
// data-preview-url), never by a second renderer here. Without this script the box still states its limit, the
// server refuses an over-long text with an error and keeps it, and the "Preview" button renders it on a page.
(() => {
  "use strict";
  if (window.paperHubCompose) return;
  window.paperHubCompose = true;
  const DEBOUNCE_MS = 400;
  const numbers = new Intl.NumberFormat("en");
  const timers = new WeakMap();
  const latest = new WeakMap();

  // As the server counts: code points, with line breaks as "\n" (the form field turns "\r\n" into "\n").
  const length = (text) => { let n = 0; for (const _ of text) n += 1; return n; };

  // The count and the preview sit right after the box, in that order, created on first need.
  function companion(box, className, make, after = box) {
    let el = box.form?.querySelector(`[data-compose-part="${className}"]`);
    if (!el) {
      el = make();
      el.dataset.composePart = className;
      el.className = className;
      el.id = `${box.id || "compose"}-${className}`;
      after.after(el);
    }
    return el;
  }

  function count(box) {
    const max = parseInt(box.dataset.maxLength || "0", 10);
    if (!max) return;
    const counter = companion(box, "compose-count", () => document.createElement("p"));
    const ids = new Set((box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
    if (!ids.has(counter.id)) { ids.add(counter.id); box.setAttribute("aria-describedby", [...ids].join(" ")); }
    const left = max - length(box.value);
    counter.classList.toggle("over", left < 0);
    const chars = (n) => `${numbers.format(n)} character${n === 1 ? "" : "s"}`;
    counter.textContent = left >= 0
      ? `${chars(left)} left of ${numbers.format(max)}`
      : `${chars(-left)} over the limit of ${numbers.format(max)}: shorten it before posting`;
  }

  function previewPane(box) {
    const counter = box.form?.querySelector('[data-compose-part="compose-count"]') || box;
    return companion(box, "compose-preview", () => {
      const pane = document.createElement("section");
      pane.setAttribute("aria-live", "polite");
      pane.setAttribute("aria-label", "Preview");
      pane.hidden = true;
      return pane;
    }, counter);
  }

  async function preview(box) {
    const form = box.form;
    const url = form?.dataset.previewUrl;
    if (!url) return;
    const pane = previewPane(box);
    const text = box.value;
    if (!text.trim()) { pane.hidden = true; pane.replaceChildren(); return; }
    const body = new FormData();
    body.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken?.value || "");
    body.append("body", text);
    const asked = Symbol("preview");
    latest.set(box, asked);
    let html, note = "";
    try {
      const response = await fetch(url, { method: "POST", body, headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin" });
      if (latest.get(box) !== asked) return; // a newer preview is on its way
      if (response.ok) html = await response.text();
      else note = response.status === 429 ? "Preview paused for a moment (too many in a short time)."
        : (await response.text()).slice(0, 200) || "No preview just now.";
    } catch { note = "No preview just now (offline?)."; }
    const heading = document.createElement("p");
    heading.className = "compose-preview-title";
    heading.textContent = note ? `Preview: ${note}` : "Preview";
    const prose = document.createElement("div");
    prose.className = "prose";
    if (html !== undefined) prose.innerHTML = html; // sanitised on the server by shared.markdown, as every body
    pane.replaceChildren(heading, prose);
    pane.hidden = false;
  }

  function schedule(box) {
    clearTimeout(timers.get(box));
    timers.set(box, setTimeout(() => preview(box), DEBOUNCE_MS));
  }

  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement) || !box.matches("[data-compose]")) return;
    count(box);
    schedule(box);
  });

  // "Preview" without a page load when the script runs; the button posts the form for a server page otherwise.
  document.addEventListener("submit", (event) => {
    if (event.submitter?.name !== "preview") return;
    const box = event.target.querySelector("textarea[data-compose]");
    if (!box || !event.target.dataset.previewUrl) return;
    event.preventDefault();
    clearTimeout(timers.get(box));
    preview(box);
  });

  function start(root) {
    for (const box of root.querySelectorAll("textarea[data-compose]")) count(box);
  }
  start(document);
  // Forms the discussion script adds later (replies, edits, a form with errors) announce themselves by an input event.
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLTextAreaElement && event.target.matches("[data-compose]")) count(event.target);
  });
})();
