// An edition's delivery counts, refreshed from its JSON endpoint: every two seconds while it
// sends, every half minute while it waits for its time. The page renders the same numbers on
// the server, so without this script they are right as of loading.
(() => {
  const box = document.querySelector("[data-newsletter-counts]");
  if (!box) return;
  const pause = { sending: 2000, scheduled: 30000 };
  const refresh = async () => {
    let data;
    try {
      const response = await fetch(box.dataset.newsletterCounts, { headers: { Accept: "application/json" } });
      // Signed out, or sent to confirm the password: stop quietly, the numbers shown stay.
      if (!response.ok || response.redirected) return;
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
    if (data.status in pause) window.setTimeout(refresh, pause[data.status]);
  };
  refresh();
})();
