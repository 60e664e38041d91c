// The floor plan and the list of stand checkboxes show one choice: selecting a stand on
// the plan ticks its checkbox and the other way round. Details of the stand under the
// pointer or the keyboard focus appear in the details panel (aria-live).
(function () {
  "use strict";
  var details = document.getElementById("stand-details");

  function showDetails(stand) {
    if (!details) return;
    var parts = [
      stand.getAttribute("aria-label"),
      stand.dataset.kind,
      stand.dataset.features
    ];
    details.textContent = "";
    var title = document.createElement("strong");
    title.textContent = parts[0];
    details.appendChild(title);
    details.appendChild(document.createTextNode(" – " + parts[1] + " – " + parts[2]));
  }

  document.querySelectorAll("[data-plan] .stand").forEach(function (stand) {
    stand.addEventListener("mouseenter", function () { showDetails(stand); });
    stand.addEventListener("focus", function () { showDetails(stand); });
    if (stand.getAttribute("role") !== "checkbox") return;
    var box = document.getElementById("stand-" + stand.dataset.standId);
    if (!box) return;

    function sync() {
      stand.setAttribute("aria-checked", box.checked ? "true" : "false");
      stand.classList.toggle("is-selected", box.checked);
    }
    function toggle() {
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      showDetails(stand);
    }
    stand.addEventListener("click", toggle);
    stand.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle();
      }
    });
    box.addEventListener("change", sync);
    sync();
  });
})();
