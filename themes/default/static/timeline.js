/* timeline default theme: filters, search and keyboard navigation over a page that works without it. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var root = document.getElementById("events");
  if (!form || !root || !window.fetch || !window.URLSearchParams || !window.history.replaceState) { return; }
  var KEYS = ["q", "actor", "place", "tag", "status"];
  var items = Array.prototype.slice.call(root.querySelectorAll("article.event"));
  var sections = Array.prototype.slice.call(root.querySelectorAll("section.month, section.year"));
  var status = document.getElementById("filter-status");
  var total = items.length;
  var records = {};

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function current() {
    var state = {};
    KEYS.forEach(function (key) { state[key] = form.elements[key].value.trim(); });
    return state;
  }

  function matches(rec, state, words) {
    if (state.actor && rec.actors.indexOf(state.actor) < 0) { return false; }
    if (state.place && rec.places.indexOf(state.place) < 0) { return false; }
    if (state.tag && rec.tags.indexOf(state.tag) < 0) { return false; }
    if (state.status && rec.status !== state.status) { return false; }
    return words.every(function (word) { return rec.text.indexOf(word) >= 0; });
  }

  function apply() {
    var state = current();
    var words = fold(state.q).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var rec = records[item.id.slice("event-".length)];
      var visible = !rec || matches(rec, state, words);
      item.parentNode.hidden = !visible;
      if (visible) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector("li:not([hidden]) > article.event");
    });
    var filtered = KEYS.some(function (key) { return state[key]; });
    status.textContent = !filtered ? "" : shown ? root.getAttribute("data-shown")
      .replace("{shown}", shown).replace("{total}", total) : root.getAttribute("data-none");
    var params = new URLSearchParams();
    KEYS.forEach(function (key) { if (state[key]) { params.set(key, state[key]); } });
    var query = params.toString();
    history.replaceState(history.state, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function restore() {
    var params = new URLSearchParams(location.search);
    KEYS.forEach(function (key) {
      var field = form.elements[key];
      var value = params.get(key) || "";
      if (field.tagName === "SELECT" && !field.querySelector('option[value="' + CSS.escape(value) + '"]')) { value = ""; }
      field.value = value;
    });
  }

  function visibleItems() {
    return items.filter(function (item) { return !item.parentNode.hidden && !item.closest("[hidden]"); });
  }

  function move(step) {
    var list = visibleItems();
    if (!list.length) { return; }
    var at = list.indexOf(document.activeElement && document.activeElement.closest ? document.activeElement.closest("article.event") : null);
    if (at < 0) {
      // Start from the first event at or below the top of the window.
      at = list.findIndex(function (item) { return item.getBoundingClientRect().top >= 0; });
      at = at < 0 ? list.length - 1 : step > 0 ? at - 1 : at;
    }
    var next = list[Math.min(Math.max(at + step, 0), list.length - 1)];
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "center", behavior: still ? "auto" : "smooth" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.defaultPrevented) { return; }
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName))) { return; }
    if (event.key === "j") { event.preventDefault(); move(1); } else if (event.key === "k") { event.preventDefault(); move(-1); }
    else if (event.key === "Enter" && target && target.matches && target.matches("article.event")) {
      // An event reached with j or k opens as its title link would.
      var link = target.querySelector(".event-title a");
      if (link) { event.preventDefault(); link.click(); }
    }
  });

  form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  fetch(root.getAttribute("data-index"), { credentials: "same-origin" })
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      data.events.forEach(function (rec) {
        rec.text = fold(rec.title + " " + rec.summary);
        records[rec.id] = rec;
      });
      restore();
      form.hidden = false;
      form.setAttribute("data-ready", "");
      apply();
    })
    .catch(function () { /* Without the index the full list stays as it is. */ });
})();

/* The time axis: one Tab stop per stretch with the arrow keys inside it, and the name of a mark or
   bar shown under the axis on focus, on hover and on a first tap (a second tap follows the link). */
(function () {
  "use strict";
  var axis = document.getElementById("axis");
  var readout = document.getElementById("axis-name");
  if (!axis || !readout || !Element.prototype.closest) { return; }
  var touch = false;

  function linkOf(node) { return node && node.closest ? node.closest("svg a") : null; }
  function siblings(link) { return Array.prototype.slice.call(link.closest("svg").querySelectorAll("a")); }
  function show(link) { readout.textContent = link.getAttribute("aria-label"); }

  axis.addEventListener("focusin", function (event) {
    var link = linkOf(event.target);
    if (!link) { return; }
    // The focused mark becomes its stretch's one Tab stop, so Tab leaves the stretch from here.
    siblings(link).forEach(function (other) { other.setAttribute("tabindex", other === link ? "0" : "-1"); });
    show(link);
  });
  axis.addEventListener("pointerover", function (event) { var link = linkOf(event.target); if (link) { show(link); } });
  axis.addEventListener("keydown", function (event) {
    var link = linkOf(event.target);
    if (!link || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var list = siblings(link);
    var at = list.indexOf(link);
    var to = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: list.length - 1 }[event.key];
    if (to === undefined) { return; }
    event.preventDefault();
    list[Math.min(Math.max(to, 0), list.length - 1)].focus();
  });
  axis.addEventListener("pointerdown", function (event) { touch = event.pointerType !== "mouse"; });
  axis.addEventListener("click", function (event) {
    var link = linkOf(event.target);
    if (!link || !touch || link.classList.contains("tapped")) { return; }
    // A touch screen has no hover: the first tap names the mark, the second opens it.
    event.preventDefault();
    Array.prototype.forEach.call(axis.querySelectorAll("a.tapped"), function (other) { other.classList.remove("tapped"); });
    link.classList.add("tapped");
    link.focus({ preventScroll: true });
    show(link);
  });
})();

/* Print: links that print their address print it absolute, as a root-relative path means nothing on paper. */
window.addEventListener("beforeprint", function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll(".event-meta .sources dd a[href], .citations cite a[href]"), function (link) {
    if (!/^[a-z][a-z0-9+.-]*:/i.test(link.getAttribute("href"))) { link.setAttribute("data-print-href", link.href); }
  });
});
