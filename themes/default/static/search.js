// hindsight search: queries the static index in search/ (no server).
(() => {
  "use strict";
  const results = document.getElementById("search-results");
  const input = document.getElementById("search-input");
  if (!results || !input) return;
  const root = results.dataset.root || "/";
  const status = document.getElementById("search-status");
  const filters = document.getElementById("search-filters");
  const pick = { severity: document.getElementById("search-severity"), service: document.getElementById("search-service"), tag: document.getElementById("search-tag") };
  const STOP = new Set("a an and are as at be been but by for from had has have in into is it its of on or so that the their then there this to was we were which while with".split(" "));
  const shards = new Map();
  const chunks = new Map();
  let meta = null;

  const json = (path) => fetch(root + path).then((r) => {
    if (!r.ok) throw new Error(path + ": " + r.status);
    return r.json();
  });
  const tokens = (text) =>
    text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length >= 2 && !STOP.has(t));
  const shardOf = (term) => (/^[a-z0-9]/.test(term) ? term[0] : "_");
  const shard = (key) => {
    if (!shards.has(key)) shards.set(key, json(`search/terms-${key}.json`));
    return shards.get(key);
  };
  const chunk = (n) => {
    if (!chunks.has(n)) chunks.set(n, json(`search/docs-${n}.json`));
    return chunks.get(n);
  };
  const decode = (deltas) => {
    let last = 0;
    return deltas.map((d) => (last += d));
  };
  async function postings(term, prefix) {
    const terms = await shard(shardOf(term));
    const ids = new Set();
    const add = (list) => decode(list).forEach((id) => ids.add(id));
    if (terms[term]) add(terms[term]);
    if (prefix) {
      let extra = 0;
      for (const [t, list] of Object.entries(terms)) {
        if (t !== term && t.startsWith(term) && extra++ < 200) add(list);
      }
    }
    return ids;
  }
  async function doc(id) {
    const docs = await chunk(Math.floor(id / meta.docs_per_chunk));
    const [url, title, severity, date, services, tags, summary] = docs[id % meta.docs_per_chunk];
    return { id, url, title, severity, date, services, tags, summary };
  }
  function render(found, total, words) {
    results.replaceChildren();
    for (const d of found) {
      const li = document.createElement("li");
      const badge = document.createElement("span");
      badge.className = "badge sev-" + d.severity.toLowerCase().replace(/[^a-z0-9]+/g, "-");
      badge.textContent = d.severity;
      const link = document.createElement("a");
      link.href = root + d.url;
      link.textContent = d.title;
      const date = document.createElement("time");
      date.className = "muted";
      date.dateTime = d.date;
      date.textContent = d.date;
      const summary = document.createElement("p");
      summary.className = "summary";
      summary.textContent = d.summary;
      li.append(badge, " ", link, " ", date, summary);
      results.append(li);
    }
    status.textContent = words.length === 0 ? "" : total === 0 ? `No incidents match “${words.join(" ")}”.` : `${total} incident${total === 1 ? "" : "s"}${total > found.length ? `, showing the first ${found.length}` : ""}.`;
  }
  let generation = 0;
  async function search() {
    const mine = ++generation;
    const words = tokens(input.value);
    if (!meta || words.length === 0) return render([], 0, words);
    let ids = null;
    for (const [i, w] of words.entries()) {
      const found = await postings(w, i === words.length - 1);
      ids = ids === null ? found : new Set([...ids].filter((x) => found.has(x)));
      if (ids.size === 0) break;
    }
    const candidates = [...ids].sort((a, b) => a - b);
    const docs = await Promise.all(candidates.map(doc));
    if (mine !== generation) return;
    const wanted = docs.filter((d) =>
      (!pick.severity.value || d.severity === pick.severity.value) &&
      (!pick.service.value || d.services.includes(pick.service.value)) &&
      (!pick.tag.value || d.tags.includes(pick.tag.value)));
    const score = (d) => tokens(d.title).filter((t) => words.some((w) => t.startsWith(w))).length;
    wanted.sort((a, b) => score(b) - score(a) || a.id - b.id);
    render(wanted.slice(0, 50), wanted.length, words);
  }
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  for (const select of Object.values(pick)) select.addEventListener("change", search);
  document.getElementById("search-form").addEventListener("submit", (e) => {
    e.preventDefault();
    search();
  });
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
    if (e.key === "/" && !typing) {
      e.preventDefault();
      input.focus();
    }
  });
  json("search/index.json").then((m) => {
    meta = m;
    for (const [name, values] of [["service", m.services], ["tag", m.tags]]) {
      for (const v of values) pick[name].append(new Option(v, v));
    }
    filters.hidden = false;
    const q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    search();
  }).catch((e) => {
    status.textContent = "The search index could not be loaded (" + e.message + ").";
  });
})();
