// The organiser's live check-in view: a bar chart of one day's arrivals per 15 minutes
// (Chart.js), refreshed with the counters every 15 seconds.
(function () {
  const section = document.getElementById("checkin-figures");
  const data = JSON.parse(document.getElementById("checkin-figures-data").textContent);
  const canvas = document.getElementById("arrivals-chart");
  let chart = null;
  if (window.Chart && canvas) {
    chart = new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.arrivals.labels, datasets: [{ label: canvas.getAttribute("aria-label"), data: data.arrivals.values, backgroundColor: "#2044aa" }] },
      options: { animation: false, responsive: true, maintainAspectRatio: false, plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  }
  async function refresh() {
    try {
      const response = await fetch(section.dataset.url, { credentials: "same-origin" });
      if (!response.ok) return;
      const fresh = await response.json();
      document.getElementById("figure-inside").textContent = fresh.counters.inside;
      document.getElementById("figure-checked-in").textContent = fresh.counters.checked_in;
      document.getElementById("figure-registered").textContent = fresh.counters.registered;
      document.getElementById("figure-walk-ins").textContent = fresh.counters.walk_ins;
      document.getElementById("figure-entries").textContent = fresh.entered;
      document.getElementById("figure-exits").textContent = fresh.exits;
      document.getElementById("figure-present").textContent = fresh.counters.inside;
      if (chart) {
        chart.data.labels = fresh.arrivals.labels;
        chart.data.datasets[0].data = fresh.arrivals.values;
        chart.update();
      }
    } catch (error) {
      /* try again at the next tick */
    }
  }
  setInterval(refresh, 15000);
})();
