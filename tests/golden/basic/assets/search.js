/* timeline default theme: site-wide search, loaded only once the reader focuses the search box or types.
   It reads search/index.json (the shard keys), then only the shards the query's words fall in and
   the document chunks of the results it shows. Folding and cutting words must match
   timeline/outputs/tokens.py. Everything shown is set as text, never as HTML. */
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form || form.hasAttribute("data-ready") || !window.fetch || !window.Promise) { return; }
  form.setAttribute("data-ready", "");
  var input = form.querySelector("input[type=search]");
  var box = document.getElementById("site-search-results");
  var list = box.querySelector("ol");
  var more = box.querySelector("button");
  var status = document.getElementById("site-search-status");
  var root = form.getAttribute("data-index");
  var PAGE = 10;
  var PREFIX_BYTES = 40000; // a short prefix that would read more than this is matched as a whole word
  var SAME = { "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u03c2": "\u03c3", "\u0640": "" };
  var IDEO = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var WORD = new RegExp("[" + IDEO + "]|(?:(?![" + IDEO + "])[\\p{L}\\p{N}])+", "gu");
  var files = {};
  var shown = [];
  var found = [];
  var turn = 0;
  var timer = 0;

  function fold(text) {
    return String(text).toLowerCase().normalize("NFKD").replace(/\p{M}/gu, "")
      .replace(/[\u064a\u0649\u0643\u03c2\u0640]/g, function (c) { return SAME[c]; });
  }

  function tokens(text) {
    return (fold(text).match(WORD) || []).map(function (word) { return Array.from(word).slice(0, 32).join(""); });
  }

  function hex(text) {
    return Array.prototype.map.call(new TextEncoder().encode(text), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }

  function load(path) {
    if (!files[path]) {
      files[path] = fetch(root + path, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  // The shards a word needs: the one its whole form falls in, and for a prefix every longer key it starts.
  function plan(manifest, word, prefix) {
    var keys = Object.keys(manifest.shards);
    var home = "";
    keys.forEach(function (key) { if (word.indexOf(key) === 0 && key.length > home.length) { home = key; } });
    var longer = prefix ? keys.filter(function (key) { return key.length > word.length && key.indexOf(word) === 0; }) : [];
    var bytes = longer.reduce(function (sum, key) { return sum + manifest.shards[key]; }, 0);
    if (bytes > PREFIX_BYTES) { longer = []; prefix = false; }
    return { word: word, prefix: prefix, keys: (home ? [home] : []).concat(longer) };
  }

  // A token's events: delta-coded (2 * event + in title), or for a common word a bitmap of the
  // events and the delta-coded events that have it in their title (timeline/outputs/search.py).
  function add(docs, postings) {
    var value = 0;
    if (Array.isArray(postings)) {
      postings.forEach(function (step) {
        value += step;
        docs.set(value >> 1, (docs.get(value >> 1) || 0) | (value & 1));
      });
      return;
    }
    var bits = atob(postings.b);
    for (var i = 0; i < bits.length; i++) {
      var byte = bits.charCodeAt(i);
      for (var bit = 0; byte && bit < 8; bit++) {
        if (byte & (1 << bit)) { docs.set(i * 8 + bit, docs.get(i * 8 + bit) || 0); }
      }
    }
    postings.t.forEach(function (step) { value += step; docs.set(value, 1); });
  }

  function matches(need, shards) {
    var docs = new Map();
    shards.forEach(function (shard) {
      Object.keys(shard).forEach(function (token) {
        if (token === need.word || (need.prefix && token.indexOf(need.word) === 0)) { add(docs, shard[token]); }
      });
    });
    return docs;
  }

  function entry(manifest, doc) {
    return load("d/" + Math.floor(doc / manifest.chunk) + ".json").then(function (chunk) { return chunk[doc % manifest.chunk]; });
  }

  function say(name, count) {
    status.textContent = (form.getAttribute("data-" + name) || "").replace("{n}", count);
  }

  function show(manifest, mine) {
    var next = found.slice(shown.length, shown.length + PAGE);
    return Promise.all(next.map(function (doc) { return entry(manifest, doc); })).then(function (entries) {
      if (mine !== turn) { return; }
      entries.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item[2];
        a.textContent = item[0];
        a.dir = "auto";
        var when = document.createElement("span");
        when.className = "when";
        when.textContent = item[1];
        li.appendChild(a);
        li.appendChild(document.createTextNode(" "));
        li.appendChild(when);
        list.appendChild(li);
      });
      shown = shown.concat(next);
      more.hidden = shown.length >= found.length;
      box.hidden = !shown.length;
    });
  }

  function run() {
    var mine = ++turn;
    var query = input.value;
    var words = tokens(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    list.textContent = "";
    shown = [];
    found = [];
    more.hidden = true;
    box.hidden = true;
    if (!words.length) { status.textContent = ""; return; }
    say("loading", 0);
    load("index.json").then(function (manifest) {
      var typing = !/\s$/.test(query);
      var needs = words.map(function (word, i) { return plan(manifest, word, typing && i === words.length - 1); });
      return Promise.all(needs.map(function (need) {
        return Promise.all(need.keys.map(function (key) { return load("t/" + hex(key) + ".json"); }));
      })).then(function (loaded) {
        if (mine !== turn) { return; }
        var sets = needs.map(function (need, i) { return matches(need, loaded[i]); });
        var score = new Map(sets[0]);
        sets.slice(1).forEach(function (set) {
          score.forEach(function (value, doc) {
            if (set.has(doc)) { score.set(doc, value + set.get(doc)); } else { score.delete(doc); }
          });
        });
        // Events with the words in their title first, then the latest first.
        found = Array.from(score.keys()).sort(function (a, b) { return (score.get(b) - score.get(a)) || (b - a); });
        if (!found.length) { say("none", 0); return; }
        say(found.length === 1 ? "one" : "found", found.length);
        return show(manifest, mine);
      });
    }).catch(function () { if (mine === turn) { say("failed", 0); } });
  }

  function later() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 300);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); window.clearTimeout(timer); run(); });
  input.addEventListener("input", later);
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && input.value) { input.value = ""; run(); }
  });
  // The results close when focus leaves the search, and come back with it.
  form.addEventListener("focusout", function (event) {
    if (!form.contains(event.relatedTarget)) { box.hidden = true; }
  });
  form.addEventListener("focusin", function () { if (list.children.length) { box.hidden = false; } });
  // A press on a result keeps the focus where it is, so browsers that do not focus a clicked link
  // (Safari) do not close the results before the click lands.
  box.addEventListener("mousedown", function (event) { event.preventDefault(); });
  more.addEventListener("click", function () {
    load("index.json").then(function (manifest) { return show(manifest, turn); });
  });
  if (input.value) { run(); }
})();
