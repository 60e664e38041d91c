/* Wide tables on a narrow screen: each row becomes a stacked block whose cells are labelled
   with their column heading ("Status: Bestätigt"), so no status or price hides off-screen.
   The heading text is copied into data-label here (site.css shows it below 40em); the ARIA
   roles keep the table's meaning for screen readers once CSS changes its display. Without
   JavaScript a wide table scrolls in its frame. */
(function () {
  "use strict";
  document.querySelectorAll("table").forEach(function (table) {
    var heads = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.replace(/\s+/g, " ").trim();
    });
    if (heads.length < 2) return;
    table.classList.add("is-stackable");
    table.setAttribute("role", "table");
    table.querySelectorAll("thead, tbody, tfoot").forEach(function (group) {
      group.setAttribute("role", "rowgroup");
    });
    table.querySelectorAll("thead th").forEach(function (th) {
      th.setAttribute("role", "columnheader");
    });
    table.querySelectorAll("tr").forEach(function (row) {
      row.setAttribute("role", "row");
      if (row.parentElement.tagName === "THEAD") return;
      Array.prototype.forEach.call(row.children, function (cell, index) {
        cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
        if (heads[index] && !cell.hasAttribute("colspan")) {
          cell.setAttribute("data-label", heads[index]);
        }
      });
    });
  });
})();
