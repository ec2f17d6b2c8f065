// The weekly rota (templates/volunteers/rota_week.html): as boxes are ticked, each session's
// cover and the count of sessions short of volunteers change with them. Progressive
// enhancement only: without this file the page shows the saved cover and works the same.
(() => {
  const grid = document.getElementById("rota-grid");
  if (!grid) {
    return;
  }
  const summary = document.getElementById("rota-short-rows");

  const update = (row) => {
    const assigned = Number(row.dataset.assigned) + row.querySelectorAll("input[type=checkbox]:checked").length;
    const needed = Number(row.dataset.needed);
    const short = Math.max(needed - assigned, 0);
    row.querySelector(".rota-count").textContent = `${assigned} of ${needed}`;
    const badge = row.querySelector(".rota-short");
    badge.textContent = short ? `${short} short` : "covered";
    badge.classList.toggle("text-bg-warning", short > 0);
    badge.classList.toggle("text-bg-success", short === 0);
    row.dataset.short = String(short);
  };

  const count = () => {
    // Only the sessions still to come have boxes, and only they are counted as short.
    const open = grid.querySelectorAll("tr.rota-row[data-open='1']");
    summary.textContent = String([...open].filter((row) => row.dataset.short !== "0").length);
  };

  grid.querySelectorAll("tr.rota-row").forEach(update);
  count();
  grid.addEventListener("change", (event) => {
    const row = event.target.closest("tr.rota-row");
    if (row) {
      update(row);
      count();
    }
  });
})();
