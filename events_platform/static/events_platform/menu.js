/* The organiser's menu on a narrow screen: the list folds behind a button ("Menü für
   Veranstalter") that opens and closes it; Escape closes it and puts the focus back on the
   button. On a wide screen, or without JavaScript, the list simply stays open. */
(function () {
  "use strict";
  var nav = document.querySelector(".organiser-menu");
  if (!nav) return;
  var button = nav.querySelector(".organiser-menu__toggle");
  var list = nav.querySelector(".organiser-menu__list");
  var narrow = window.matchMedia("(max-width: 47.99em)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
  }

  function layout() {
    button.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && !list.hidden) {
      setOpen(false);
      button.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", layout);
  }
  layout();
})();
