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

/* Type-ahead for long selects (select[data-searchable], see core.forms.SearchableSelect): a
   search box before the select keeps only the options whose name, pinyin or pinyin initials
   contain what was typed, and picks the first match. The server still checks the choice. */
(function () {
  "use strict";

  function normalise(text) { return (text || "").toLowerCase().replace(/\s+/g, ""); }

  function enhance(select) {
    var all = Array.prototype.slice.call(select.options);
    var box = document.createElement("input");
    box.type = "search";
    box.className = "select-search";
    box.placeholder = select.getAttribute("data-search-label") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("data-search-for", select.name);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);
    box.addEventListener("input", function () {
      var query = normalise(box.value);
      var current = select.value;
      var kept = all.filter(function (option) {
        if (!option.value) { return true; }  // the empty choice stays
        if (!query) { return true; }
        var hay = (option.getAttribute("data-search") || option.text.toLowerCase()).split("|");
        return hay.some(function (h) { return normalise(h).indexOf(query) !== -1; });
      });
      select.replaceChildren.apply(select, kept);
      var stillThere = kept.some(function (o) { return o.value === current && o.value; });
      if (!stillThere) {
        var first = kept.filter(function (o) { return o.value; })[0];
        select.value = first ? first.value : "";
      } else {
        select.value = current;
      }
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function init() {
    document.querySelectorAll("select[data-searchable]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
