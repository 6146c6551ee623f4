// An edition's delivery counts, refreshed from its JSON endpoint while it sends. The page
// renders the same numbers on the server, so without this script they are right as of loading.
(() => {
  const box = document.querySelector("[data-newsletter-counts]");
  if (!box) return;
  const live = new Set(["sending", "scheduled"]);
  const refresh = async () => {
    let data;
    try {
      const response = await fetch(box.dataset.newsletterCounts, { headers: { Accept: "application/json" } });
      if (!response.ok) return; // signed out, or the re-authentication prompt: stop quietly
      data = await response.json();
    } catch {
      window.setTimeout(refresh, 10000);
      return;
    }
    for (const [status, count] of Object.entries(data.counts)) {
      const cell = box.querySelector(`[data-count="${status}"]`);
      if (cell) cell.textContent = String(count);
    }
    const label = box.querySelector("[data-edition-status]");
    if (label) label.textContent = data.status_label;
    box.dataset.refreshed = "yes";
    if (live.has(data.status)) window.setTimeout(refresh, 2000);
  };
  refresh();
})();
