// Filters the action items by owner and status. The page is complete
// without this script; it only hides rows.
(() => {
  "use strict";
  const form = document.getElementById("action-filters");
  if (!form) return;
  const owner = document.getElementById("filter-owner");
  const status = document.getElementById("filter-status");
  const count = document.getElementById("filter-count");
  const rows = Array.from(document.querySelectorAll("tr[data-owner]"));
  const apply = () => {
    let shown = 0;
    for (const row of rows) {
      const visible =
        (!owner.value || row.dataset.owner === owner.value) &&
        (!status.value || row.dataset.status === status.value);
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const group of document.querySelectorAll(".action-group")) {
      group.hidden = Boolean(status.value) && group.dataset.status !== status.value;
    }
    const scope = form.dataset.scope ? ` ${form.dataset.scope}` : "";
    count.textContent = `${shown} of ${rows.length} items shown${scope}`;
  };
  const params = new URLSearchParams(location.search);
  owner.value = params.get("owner") || "";
  status.value = params.get("status") || "";
  owner.addEventListener("change", apply);
  status.addEventListener("change", apply);
  form.addEventListener("submit", (e) => e.preventDefault());
  form.hidden = false;
  apply();
})();
