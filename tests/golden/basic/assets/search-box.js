/* timeline default theme: the search box on every page. It loads search.js, and through it the index, only once the reader focuses the box or types. */
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form || !window.fetch) { return; }
  var input = form.querySelector("input[type=search]");
  function load() {
    form.removeEventListener("focusin", load);
    form.removeEventListener("input", load);
    var script = document.createElement("script");
    script.src = form.getAttribute("data-script");
    document.head.appendChild(script);
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  if (input && (input.value || document.activeElement === input)) { load(); return; }
  form.addEventListener("focusin", load);
  form.addEventListener("input", load);
})();
