// hindsight live reload: injected only by `hindsight serve`.
(() => {
  "use strict";
  const key = "hindsight-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    restore();
    window.addEventListener("load", restore);
  }
  let overlay = null;
  function hide() {
    if (overlay) overlay.remove();
    overlay = null;
  }
  function show(problems) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "hindsight-overlay";
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-label", "Build errors");
    overlay.style.cssText =
      "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,24,31,.94);" +
      "color:#f1f3f5;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem";
    const title = document.createElement("h2");
    title.textContent = "The site has errors; still showing the last good build";
    title.style.cssText = "margin:0 0 1rem;font:600 18px system-ui,sans-serif;color:#ff8a80";
    overlay.append(title);
    const list = document.createElement("ol");
    list.style.cssText = "margin:0;padding-left:1.2rem";
    for (const p of problems) {
      const item = document.createElement("li");
      item.className = "hindsight-problem";
      item.style.margin = "0 0 .8rem";
      const head = document.createElement("div");
      head.textContent = `${p.level}[${p.rule}] ${p.file}:${p.line}:${p.column}`;
      head.style.color = p.level === "error" ? "#ff8a80" : "#ffd180";
      const message = document.createElement("div");
      message.textContent = p.message;
      item.append(head, message);
      list.append(item);
    }
    overlay.append(list);
    const close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.style.cssText = "margin-top:1rem;font:inherit;padding:.3rem .8rem";
    close.addEventListener("click", hide);
    overlay.append(close);
    document.body.append(overlay);
  }
  // True when the message concerns this page (no list: every page).
  function shows(message) {
    if (!message.paths) return true;
    const base = message.base || "/";
    let page = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname.slice(1);
    page = decodeURIComponent(page);
    if (page === "" || page.endsWith("/")) page += "index.html";
    return message.paths.includes(page);
  }
  function update(message) {
    const errors = message.problems.filter((p) => p.level === "error");
    if (errors.length) show(errors);
    else hide();
  }
  // The base path this page was served under. When base_url changes the
  // site moves: go to the same page under the new path.
  let base = null;
  function moved(message) {
    if (base === null) base = message.base;
    if (!message.ok || !message.base || message.base === base) return false;
    const rest = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
    location.href = message.base + rest + location.search + location.hash;
    return true;
  }
  fetch("/__hindsight/status").then((r) => r.json()).then((m) => { moved(m); update(m); }).catch(() => {});
  const events = new EventSource("/__hindsight/events");
  events.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (moved(message)) return;
    if (message.reload === "css" && message.ok) {
      for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
        const url = new URL(link.href);
        url.searchParams.set("v", message.version);
        link.href = url.toString();
      }
      update(message);
    } else if (message.reload === "full" && message.ok && shows(message)) {
      sessionStorage.setItem(key, String(window.scrollY));
      location.reload();
    } else {
      update(message);
    }
  };
})();
