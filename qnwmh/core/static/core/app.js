/* Back-office behaviour, loaded as a file (the CSP forbids inline script). Everything here
   is an enhancement: without JavaScript the menu still opens and the server asks for
   confirmation on its own page.
   - The menu's stage groups (details.nav-group): one open at a time; a click elsewhere or
     Escape closes them.
   - A submit button or form with data-confirm asks first; on "OK" the form gains
     confirmed=1, so the server does not ask again. */
(function () {
  "use strict";

  function closeGroups(except) {
    document.querySelectorAll("details.nav-group[open]").forEach(function (d) {
      if (d !== except) { d.open = false; }
    });
  }

  document.addEventListener("toggle", function (event) {
    var d = event.target;
    if (d instanceof HTMLDetailsElement && d.classList.contains("nav-group") && d.open) {
      closeGroups(d);
    }
  }, true);

  document.addEventListener("click", function (event) {
    var inside = event.target instanceof Element && event.target.closest("details.nav-group");
    closeGroups(inside || null);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { closeGroups(null); }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) { return; }
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (!question) { return; }
    if (!window.confirm(question)) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    var flag = form.querySelector("input[name=confirmed]");
    if (!flag) {
      flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "confirmed";
      form.appendChild(flag);
    }
    flag.value = "1";
  }, true);
})();
