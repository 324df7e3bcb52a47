// Smoother discussion: reply, edit, delete and vote in place. Without this script every link and form still works
// as a plain page; with it, the same URLs are fetched with "X-Requested-With: fetch" and answer with the fragment.
(() => {
  "use strict";
  if (window.paperHubDiscussion) return; // a page may hold the partial once per script include
  window.paperHubDiscussion = true;
  const HEADERS = { "X-Requested-With": "fetch" };

  const fragment = (html) => document.createRange().createContextualFragment(html);
  // Each discussion's new-comment form as the page first drew it: after a post it comes back empty and without the
  // errors of an earlier attempt.
  const pristine = new WeakMap();
  for (const form of document.querySelectorAll('[data-discussion] form[data-comment-form="new"]')) {
    pristine.set(form.closest("[data-discussion]"), form.cloneNode(true));
  }
  // Tell the compose script (counts, preview) that a box was swapped in.
  const announce = (form) => form?.querySelector("textarea")?.dispatchEvent(new Event("input", { bubbles: true }));

  // The heading's "(N comments)" follows the count the server sends with every write.
  function recount(discussion, response) {
    const count = response.headers.get("X-Discussion-Count");
    const label = discussion?.querySelector("#discussion-title .count");
    if (count === null || !label) return;
    const n = parseInt(count, 10);
    label.textContent = `(${n} comment${n === 1 ? "" : "s"})`;
  }
  const depthOf = (el) => parseInt(el.style.getPropertyValue("--depth") || "0", 10);

  async function send(form) {
    const response = await fetch(form.action, { method: "POST", body: new FormData(form), headers: HEADERS,
      credentials: "same-origin" });
    return { ok: response.ok, status: response.status, response };
  }

  async function openForm(link, comment, mode) {
    const existing = comment.parentElement.querySelector(`form[data-for="${comment.id}"][data-mode="${mode}"]`);
    if (existing) { existing.querySelector("textarea")?.focus(); return; }
    const response = await fetch(link.href, { headers: HEADERS, credentials: "same-origin" });
    if (!response.ok) { window.location = link.href; return; }
    const form = fragment(await response.text()).querySelector("form");
    form.dataset.for = comment.id;
    form.dataset.mode = mode;
    form.style.setProperty("--depth", String(depthOf(comment) + (mode === "reply" ? 1 : 0)));
    form.classList.add("comment-inline-form");
    comment.after(form);
    form.querySelector("textarea")?.focus();
  }

  async function submitInline(form) {
    const comment = document.getElementById(form.dataset.for);
    const { ok, status, response } = await send(form);
    const html = await response.text();
    if (!ok) {
      if (status === 400) {
        const replacement = fragment(html).querySelector("form");
        Object.assign(replacement.dataset, form.dataset);
        replacement.style.cssText = form.style.cssText;
        replacement.classList.add("comment-inline-form");
        form.replaceWith(replacement);
        announce(replacement);
        replacement.querySelector("textarea")?.focus();
      } else { form.submit(); }
      return;
    }
    recount(form.closest("[data-discussion]"), response);
    const article = fragment(html).querySelector("article");
    if (form.dataset.mode === "reply") {
      article.style.setProperty("--depth", String(depthOf(comment) + 1));
      form.replaceWith(article);
    } else {
      article.style.setProperty("--depth", String(depthOf(comment)));
      comment.replaceWith(article);
      form.remove();
    }
    article.scrollIntoView({ block: "nearest" });
  }

  async function submitNew(form) {
    const { ok, status, response } = await send(form);
    const html = await response.text();
    if (!ok) {
      if (status === 400) {
        const replacement = fragment(html).querySelector("form");
        Object.assign(replacement.dataset, form.dataset);
        form.replaceWith(replacement);
        announce(replacement);
        replacement.querySelector("textarea")?.focus();
      } else { form.submit(); }
      return;
    }
    const discussion = form.closest("[data-discussion]");
    const thread = discussion.querySelector("[data-thread]");
    thread.querySelector(".empty")?.remove();
    thread.prepend(fragment(html));
    recount(discussion, response);
    // A fresh form, not form.reset(): after a refused attempt the box's default text is what was refused, and
    // the old errors would stay.
    const fresh = pristine.get(discussion)?.cloneNode(true);
    if (fresh) { form.replaceWith(fresh); announce(fresh); } else { form.reset(); }
  }

  async function vote(form, button) {
    const body = new FormData(form);
    body.append(button.name, button.value);
    const response = await fetch(button.formAction, { method: "POST", body, headers: HEADERS,
      credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const votes = button.closest(".votes");
    for (const other of votes.querySelectorAll("button.vote")) {
      const value = other.classList.contains("vote-up") ? 1 : -1;
      const pressed = data.vote === value;
      other.value = pressed ? "withdraw" : (value === 1 ? "up" : "down");
      other.setAttribute("aria-pressed", String(pressed));
    }
    votes.querySelector(".score").textContent = `${data.score} point${data.score === 1 ? "" : "s"}`;
  }

  async function remove(link, comment) {
    if (!window.confirm("Delete this comment? Replies to it stay, under a placeholder.")) return;
    const body = new FormData();
    body.append("csrfmiddlewaretoken", link.closest("[data-discussion]").dataset.csrf || "");
    const response = await fetch(link.href, { method: "POST", body, headers: HEADERS, credentials: "same-origin" });
    if (!response.ok) { window.location = link.href; return; }
    recount(link.closest("[data-discussion]"), response);
    const article = fragment(await response.text()).querySelector("article");
    article.style.setProperty("--depth", String(depthOf(comment)));
    comment.replaceWith(article);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-discussion] a[data-action]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const comment = link.closest("article.comment");
    const action = link.dataset.action;
    if (action === "cancel") {
      const form = link.closest("form.comment-inline-form");
      if (form) { event.preventDefault(); form.remove(); }
      return;
    }
    if (!comment) return;
    event.preventDefault();
    if (action === "reply" || action === "edit") openForm(link, comment, action);
    else if (action === "delete") remove(link, comment);
  });

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.closest("[data-discussion]")) return;
    if (event.submitter?.name === "preview") return; // the compose script shows it in place
    if (form.matches("form.vote-form")) {
      event.preventDefault();
      if (event.submitter) vote(form, event.submitter);
    }
    else if (form.matches("form.comment-inline-form")) { event.preventDefault(); submitInline(form); }
    else if (form.matches('form[data-comment-form="new"]')) { event.preventDefault(); submitNew(form); }
  });
})();
