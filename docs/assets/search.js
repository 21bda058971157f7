// Full-text search of the record at /search/?q=…: Pagefind's index as hooks/gijiroku/search/
// builds it, and this page's own results, excerpts, filters and sort. Everything comes from this
// site: Pagefind's pagefind.js, its worker and WebAssembly, and gzip files of the record's text.
//
// The query is folded like the index (NFKC width, 異体字, case), split into words at spaces, and
// each word encoded as the index's ASCII codes (search/tokens.py explains why). A word of up to GRAM
// characters is one Pagefind term: its prefix matches are exactly the places where the text
// starts with the word. A longer word is found through GRAM-grams covering it, each searched
// alone, kept where they sit at the word's offsets. Consecutive grams overlap by a character, so
// that no two neighbouring characters of the word fall in different grams: a page whose one
// paragraph ends with the first gram and whose next begins with the second is no match (the
// tokens at a paragraph's end are padded, see search/tokens.py run_tokens). Words combine with AND.
(function () {
  "use strict";

  var ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
  var SHORT = 33 * 36 * 36;
  var PAGE = 10; // results per page ("さらに表示" adds as many)
  var SUBS = 3; // excerpts per result before "ほかN箇所を表示"
  var AROUND = 50; // characters of context on each side of a hit
  var LETTER = /[\p{L}\p{N}]/u;
  var JOINS = /^[\p{M}\uFF9E\uFF9F]$/u; // combining marks and half-width (han)dakuten join the character before
  var FILTERS = [
    ["kind", "種類"], ["year", "年"], ["speaker", "発言した委員"], ["agency", "関係機関"],
    ["outcome", "議題の結果"], ["meeting", "会議"],
  ];
  var SORTS = { relevance: "関連度順", new: "日付の新しい順", old: "日付の古い順" };

  var host = document.getElementById("gk-search");
  var form = document.querySelector(".gk-search-form");
  var input = document.getElementById("gk-search-q");
  if (!host || !form || !input) return;
  var base = new URL(host.getAttribute("data-root"), location.href);
  var bundle = new URL(host.getAttribute("data-bundle"), location.href);
  var dataUrl = new URL(host.getAttribute("data-data"), location.href);

  // -- folding and codes: as search_chars() and char_code() in search/tokens.py ---------------------------

  var fold = { v: {}, c: {} }; // 異体字 and case-fold exceptions, from facets.json

  function foldString(text) {
    var out = "";
    for (var ch of text.normalize("NFKC")) {
      ch = fold.v[ch] || ch;
      for (var c of ch) out += fold.c[c] !== undefined ? fold.c[c] : c.toLowerCase();
    }
    return out;
  }

  function letters(text) {
    return Array.from(text).filter(function (ch) { return LETTER.test(ch); });
  }

  // A displayed text's search characters, each with the stretch of the text it comes from.
  function lettersWithMap(text) {
    var chars = [], starts = [], ends = [];
    var i = 0;
    while (i < text.length) {
      var start = i;
      i += String.fromCodePoint(text.codePointAt(i)).length;
      while (i < text.length && JOINS.test(String.fromCodePoint(text.codePointAt(i)))) {
        i += String.fromCodePoint(text.codePointAt(i)).length;
      }
      letters(foldString(text.slice(start, i))).forEach(function (ch) { chars.push(ch); starts.push(start); ends.push(i); });
    }
    return { chars: chars, starts: starts, ends: ends };
  }

  function code(ch) {
    var cp = ch.codePointAt(0);
    if (cp < SHORT) return ALPHABET[Math.floor(cp / 1296)] + ALPHABET[Math.floor(cp / 36) % 36] + ALPHABET[cp % 36];
    var digits = "";
    for (var k = 0; k < 4; k++) { digits = ALPHABET[cp % 36] + digits; cp = Math.floor(cp / 36); }
    return "x" + digits;
  }

  // The query's words, as arrays of search characters (duplicates dropped).
  function parseQuery(query) {
    var words = [], seen = {};
    foldString(query).split(/\s+/u).forEach(function (part) {
      var chars = letters(part);
      if (chars.length && !seen[chars.join("")]) { seen[chars.join("")] = true; words.push(chars); }
    });
    return words;
  }

  // -- loading -------------------------------------------------------------------------------------------

  async function fetchJSON(url) {
    var response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    var bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) { // gzip, unless the server already unpacked it
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return JSON.parse(await new Response(stream).text());
    }
    return JSON.parse(new TextDecoder().decode(bytes));
  }

  var engine = null;
  function loadEngine() {
    if (!engine) {
      engine = Promise.all([
        import(new URL("pagefind.js", bundle).href).catch(function (err) { return err; }),
        fetchJSON(new URL("facets.json.gz", dataUrl)),
      ]).then(async function (loaded) {
        var pf = loaded[0], facets = loaded[1];
        fold = facets.fold;
        if (!Object.keys(facets.rows).length) return { pf: null, facets: facets }; // nothing indexed yet
        if (pf instanceof Error) throw pf;
        await pf.options({ excerptLength: 0 });
        await pf.init();
        return { pf: pf, facets: facets };
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  var files = {};
  function cached(url) {
    if (!files[url]) {
      files[url] = fetchJSON(url);
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }
  function header(id) { return cached(new URL("r/" + id + ".json.gz", dataUrl).href); }
  function part(id, n) { return cached(new URL("p/" + id + "-" + n + ".json.gz", dataUrl).href); }

  // -- searching -----------------------------------------------------------------------------------------

  // Pagefind fetches the index chunk where a term sorts. A short term's longer words may go on
  // into the next chunks: fetch every chunk that starts with the term as well.
  async function loadExtensions(pf, chunks, term) {
    var lo = 0, hi = chunks.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (chunks[mid] <= term) lo = mid + 1; else hi = mid; }
    var probes = [];
    for (var i = lo; i < chunks.length && chunks[i].startsWith(term); i++) probes.push(chunks[i]);
    await Promise.all(probes.map(function (p) { return pf.preload(p); }));
  }

  // The pages that contain one query word: {id: {score, hits: [[position, length]]}}.
  async function searchWord(e, w) {
    var pf = e.pf, gram = e.facets.gram;
    var codes = w.map(code);
    var pages = {};
    if (w.length <= gram) {
      var term = codes.join("");
      await loadExtensions(pf, e.facets.chunks, term);
      (await pf.search(term)).results.forEach(function (r) {
        pages[r.id] = { score: r.score, hits: r.words.map(function (p) { return [p, w.length]; }) };
      });
      return pages;
    }
    var offsets = [];
    for (var o = 0; o + gram < w.length; o += gram - 1) offsets.push(o);
    offsets.push(w.length - gram);
    var each = await Promise.all(offsets.map(function (o) { return pf.search(codes.slice(o, o + gram).join("")); }));
    var byGram = each.map(function (found) {
      var m = {};
      found.results.forEach(function (r) { m[r.id] = r; });
      return m;
    });
    Object.keys(byGram[0]).forEach(function (id) {
      if (!byGram.every(function (m) { return m[id]; })) return;
      var at = byGram.map(function (m) {
        var set = new Set(m[id].words);
        return set;
      });
      var hits = byGram[0][id].words.filter(function (p) {
        return offsets.every(function (o, j) { return at[j].has(p + o); });
      });
      if (!hits.length) return;
      // Relevance: the rarest gram's score, scaled by the share of its places that are the word.
      var rarest = byGram.reduce(function (best, m) { return m[id].words.length < best[id].words.length ? m : best; });
      pages[id] = {
        score: rarest[id].score * hits.length / rarest[id].words.length,
        hits: hits.map(function (p) { return [p, w.length]; }),
      };
    });
    return pages;
  }

  // Every page that contains all the words, with its relevance and where the words are.
  async function runSearch(words) {
    var e = await loadEngine();
    if (!e.pf) return [];
    var each = await Promise.all(words.map(function (w) { return searchWord(e, w); }));
    return Object.keys(each[0] || {}).filter(function (id) {
      return each.every(function (pages) { return pages[id]; });
    }).map(function (id) {
      return {
        id: id,
        score: each.reduce(function (s, pages) { return s + pages[id].score; }, 0),
        hits: [].concat.apply([], each.map(function (pages) { return pages[id].hits; })),
      };
    });
  }

  // -- state, the URL, filters and sort ------------------------------------------------------------------

  var state = { q: "", sort: "relevance", filters: {}, shown: PAGE };
  var current = null; // {query, words, results, filtered}

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.sort = SORTS[params.get("sort")] ? params.get("sort") : "relevance";
    state.filters = {};
    FILTERS.forEach(function (f) {
      var values = params.getAll(f[0]).filter(Boolean);
      if (values.length) state.filters[f[0]] = values;
    });
    state.shown = PAGE;
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { params.append(f[0], v); }); });
    if (state.sort !== "relevance") params.set("sort", state.sort);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function valuesOf(facets, row) {
    return {
      kind: [facets.kinds[row[0]]],
      year: [row[1] ? row[1].slice(0, 4) : "不明"],
      speaker: row[3].map(function (i) { return facets.speakers[i][0]; }),
      agency: row[4].map(function (i) { return facets.agencies[i][0]; }),
      outcome: row[5].map(function (i) { return facets.outcomes[i]; }),
      meeting: row[2] ? [String(row[2])] : [],
    };
  }

  function facetLabel(facets, key, value) {
    var named = function (list) { var hit = list.find(function (x) { return x[0] === value; }); return hit ? hit[1] : value; };
    if (key === "year") return value === "不明" ? "日付不明" : value + "年（" + (facets.wareki[value] || "") + "）";
    if (key === "speaker") return named(facets.speakers);
    if (key === "agency") return named(facets.agencies);
    if (key === "meeting") return facets.meetings[value] || "第" + value + "回";
    return value;
  }

  // The results that pass the chosen filters, and for each filter the counts of its values among
  // the results that pass every other filter (so a count says what choosing that value gives).
  function applyFilters(facets, results) {
    var counts = {};
    FILTERS.forEach(function (f) { counts[f[0]] = {}; });
    var kept = results.filter(function (r) {
      var values = valuesOf(facets, facets.rows[r.id]);
      var pass = {};
      FILTERS.forEach(function (f) {
        var wanted = state.filters[f[0]];
        pass[f[0]] = !wanted || values[f[0]].some(function (v) { return wanted.indexOf(v) >= 0; });
      });
      FILTERS.forEach(function (f) {
        if (FILTERS.every(function (g) { return g[0] === f[0] || pass[g[0]]; })) {
          values[f[0]].forEach(function (v) { counts[f[0]][v] = (counts[f[0]][v] || 0) + 1; });
        }
      });
      return FILTERS.every(function (f) { return pass[f[0]]; });
    });
    return { kept: kept, counts: counts };
  }

  function sortResults(facets, results) {
    var when = function (r) { var row = facets.rows[r.id]; return row[1] ? row[1] + "/" + String(1e6 + row[2]) : ""; };
    var byDate = function (a, b, newest) { // undated results last, whichever the direction
      var da = when(a), db = when(b);
      if (!da || !db) return (da ? 0 : 1) - (db ? 0 : 1);
      return (da < db ? -1 : da > db ? 1 : 0) * (newest ? -1 : 1);
    };
    results.sort(function (a, b) {
      if (state.sort === "relevance") return b.score - a.score || byDate(a, b, true) || (a.id < b.id ? -1 : 1);
      return byDate(a, b, state.sort === "new") || (a.id < b.id ? -1 : 1);
    });
    return results;
  }

  // -- rendering -----------------------------------------------------------------------------------------

  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined && attrs[k] !== false) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined && c !== "") node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  var ui = {};
  function buildUi() {
    host.textContent = "";
    ui.status = h("p", { class: "gk-search__status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    ui.filters = h("div", { class: "gk-search__filters" });
    ui.clear = h("button", { type: "button", class: "gk-search__clear", text: "絞り込みをすべて解除", hidden: "" });
    ui.clear.addEventListener("click", function () { state.filters = {}; state.shown = PAGE; update(true, input); });
    ui.sort = h("select", { id: "gk-search-sort", class: "gk-search__sort" }, Object.keys(SORTS).map(function (k) {
      return h("option", { value: k, text: SORTS[k] });
    }));
    ui.sort.addEventListener("change", function () { state.sort = ui.sort.value; state.shown = PAGE; update(true); });
    ui.list = h("ol", { id: "gk-results", class: "gk-results", "aria-label": "検索結果", tabindex: "-1" }); // target of the skip link
    ui.more = h("button", { type: "button", class: "gk-search__more", hidden: "" });
    ui.more.addEventListener("click", function () {
      var from = state.shown;
      state.shown += PAGE;
      show(from);
    });
    ui.panel = h("div", { id: "gk-search-panel", class: "gk-search__panel", role: "group", "aria-label": "絞り込み" }, [
      h("p", { class: "gk-search__panel-title", text: "絞り込み" }), ui.filters, ui.clear,
    ]);
    ui.toggle = h("button", { type: "button", class: "gk-search__panel-toggle", "aria-expanded": "false", "aria-controls": "gk-search-panel", hidden: "" });
    ui.toggle.addEventListener("click", function () {
      var open = ui.toggle.getAttribute("aria-expanded") !== "true";
      ui.toggle.setAttribute("aria-expanded", String(open));
      ui.panel.classList.toggle("gk-search__panel--open", open);
      if (open) { var first = ui.panel.querySelector("input, button"); if (first) first.focus(); }
    });
    ui.toolbar = h("p", { class: "gk-search__toolbar", hidden: "" }, [h("label", { for: "gk-search-sort", text: "並べ替え" }), " ", ui.sort]);
    host.appendChild(ui.status);
    // From the search box to the results without tabbing through every filter (shown on focus).
    host.appendChild(h("p", { class: "gk-skip" }, [h("a", { href: "#gk-results", text: "検索結果へ移動（絞り込みを飛ばす）" })]));
    host.appendChild(h("div", { class: "gk-search__layout" }, [
      h("div", { class: "gk-search__side" }, [ui.toggle, ui.panel]),
      h("div", { class: "gk-search__main" }, [ui.toolbar, ui.list, ui.more]),
    ]));
  }

  function renderFilters(facets, counts) {
    ui.filters.textContent = "";
    FILTERS.forEach(function (f) {
      var key = f[0], chosen = state.filters[key] || [];
      var entries = Object.keys(counts[key]).map(function (v) { return [v, counts[key][v]]; });
      chosen.forEach(function (v) { if (!counts[key][v]) entries.push([v, 0]); });
      if (!entries.length) return;
      entries.sort(function (a, b) {
        if (key === "kind") return facets.kinds.indexOf(a[0]) - facets.kinds.indexOf(b[0]);
        if (key === "year") return a[0] === "不明" ? 1 : b[0] === "不明" ? -1 : Number(b[0]) - Number(a[0]);
        if (key === "meeting") return Number(b[0]) - Number(a[0]);
        return b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
      });
      var group = h("fieldset", { class: "gk-facet", "data-facet": key }, [h("legend", { text: f[1] })]);
      var list = h("ul", { class: "gk-facet__list" });
      entries.forEach(function (entry, i) {
        var id = "gk-f-" + key + "-" + i;
        var box = h("input", { type: "checkbox", id: id, value: entry[0], name: key });
        box.checked = chosen.indexOf(entry[0]) >= 0;
        box.addEventListener("change", function () {
          var next = (state.filters[key] || []).filter(function (v) { return v !== entry[0]; });
          if (box.checked) next.push(entry[0]);
          if (next.length) state.filters[key] = next; else delete state.filters[key];
          state.shown = PAGE;
          update(true, { facet: key, value: entry[0] });
        });
        list.appendChild(h("li", { class: i >= 6 && !box.checked ? "gk-facet__extra" : null }, [
          box, h("label", { for: id }, [facetLabel(facets, key, entry[0]), " ",
            h("span", { class: "gk-facet__count", text: entry[1] + "件" })]),
        ]));
      });
      group.appendChild(list);
      if (entries.length > 6) {
        var toggle = h("button", { type: "button", class: "gk-facet__toggle", "aria-expanded": "false" });
        var label = function (open) { toggle.textContent = open ? "主なものだけ表示" : "すべて表示（" + entries.length + "）"; };
        label(false);
        toggle.addEventListener("click", function () {
          var open = group.classList.toggle("gk-facet--open");
          toggle.setAttribute("aria-expanded", String(open));
          label(open);
        });
        group.appendChild(toggle);
      }
      ui.filters.appendChild(group);
    });
    var active = Object.keys(state.filters).reduce(function (n, k) { return n + state.filters[k].length; }, 0);
    ui.clear.hidden = !active;
    ui.toggle.hidden = !ui.filters.children.length;
    ui.toggle.textContent = active ? "絞り込み（" + active + "件を選択中）" : "絞り込み";
  }

  // The header's segments that hold hits, in page order: {index, segment, hits, end}.
  function segmentsHit(head, hits) {
    var starts = head.s.map(function (s) { return s[0]; });
    var bySegment = {};
    hits.forEach(function (hit) {
      var lo = 0, hi = starts.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= hit[0]) lo = mid + 1; else hi = mid; }
      if (lo > 0) (bySegment[lo - 1] = bySegment[lo - 1] || []).push(hit);
    });
    return Object.keys(bySegment).map(Number).sort(function (a, b) { return a - b; }).map(function (i) {
      return { index: i, segment: head.s[i], hits: bySegment[i], end: i + 1 < starts.length ? starts[i + 1] : head.n };
    });
  }

  // Where the query's words stand in a displayed text: sorted [start, end) stretches of the text.
  function marksIn(map, words) {
    var found = [];
    words.forEach(function (w) {
      for (var i = 0; i + w.length <= map.chars.length; i++) {
        var k = 0;
        while (k < w.length && map.chars[i + k] === w[k]) k++;
        if (k === w.length) found.push([map.starts[i], map.ends[i + w.length - 1]]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  function marked(text, from, to, marks) {
    var node = h("span", { class: "gk-hit__text" });
    if (from > 0) node.appendChild(document.createTextNode("…"));
    var cursor = from;
    marks.forEach(function (m) {
      if (m[1] <= cursor || m[0] >= to) return;
      var s = Math.max(m[0], cursor), t = Math.min(m[1], to);
      if (s > cursor) node.appendChild(document.createTextNode(text.slice(cursor, s)));
      node.appendChild(h("mark", { text: text.slice(s, t) }));
      cursor = t;
    });
    if (to > cursor) node.appendChild(document.createTextNode(text.slice(cursor, to)));
    if (to < text.length) node.appendChild(document.createTextNode("…"));
    return node;
  }

  // The excerpt of a segment around its first hit: [label node, text node], the text as printed.
  function excerpt(segment, paragraphs, hit, size, words) {
    var maps = paragraphs.map(lettersWithMap);
    var total = maps.reduce(function (n, m) { return n + m.chars.length; }, 0);
    var p = -1, local = hit - segment[0];
    if (total === size) { // the hit's paragraph and character, as the build counted them
      p = 0;
      while (p < maps.length - 1 && local >= maps[p].chars.length) { local -= maps[p].chars.length; p++; }
    }
    var marks = maps.map(function (m) { return marksIn(m, words); });
    if (p < 0 || !marks[p].length) { // else the first paragraph where a word is seen
      p = Math.max(0, marks.findIndex(function (m) { return m.length; }));
      local = -1;
    }
    var label = segment[3];
    var titled = segment[5] === 1;
    if (titled && p === 0) { // the hit is in the label (speaker, heading): mark it there, show what follows
      var rest = paragraphs[1] || "";
      return [marked(label, 0, label.length, marks[0]),
        rest ? marked(rest, 0, Math.min(rest.length, 2 * AROUND), marks[1] || []) : null];
    }
    var text = paragraphs[p];
    var centre = local >= 0 && local < maps[p].starts.length ? maps[p].starts[local] : (marks[p][0] || [0])[0];
    var from = Math.max(0, centre - AROUND);
    var to = Math.min(text.length, from + 2 * AROUND);
    from = Math.max(0, Math.min(from, to - 2 * AROUND));
    return [label ? document.createTextNode(label) : null, marked(text, from, to, marks[p])];
  }

  async function subResult(id, head, hit, words) {
    var segment = hit.segment;
    var content = await part(id, segment[1]);
    var entry = content.find(function (c) { return c[0] === hit.index; });
    var first = hit.hits.reduce(function (a, b) { return b[0] < a[0] ? b : a; })[0];
    var shown = entry ? excerpt(segment, entry[1], first, hit.end - segment[0], words) : [document.createTextNode(segment[3]), null];
    var href = new URL(head.u + (segment[2] ? "#" + segment[2] : ""), base).href;
    return h("li", { class: "gk-hit" }, [
      h("a", { class: "gk-hit__link", href: href }, [
        h("span", { class: "gk-hit__label" }, [shown[0] || (segment[2] ? "" : "概要")]), shown[1],
      ]),
    ]);
  }

  async function renderResult(r, words, item, facets) {
    var head = await header(r.id);
    var hits = segmentsHit(head, r.hits);
    var chosen = state.filters.speaker || [];
    if (chosen.length) { // the chosen commissioners' remarks first
      hits.sort(function (a, b) {
        return (chosen.indexOf(b.segment[4]) >= 0) - (chosen.indexOf(a.segment[4]) >= 0) || a.index - b.index;
      });
    }
    var title = h("h2", { class: "gk-result__title" }, [h("a", { href: new URL(head.u, base).href, text: head.t })]);
    var places = r.hits.length;
    item.appendChild(title);
    item.appendChild(h("p", { class: "gk-result__meta" }, [
      h("span", { class: "gk-result__kind gk-result__kind--" + facets.kinds.indexOf(head.k), text: head.k }), " ",
      h("span", { text: head.w }), places ? h("span", { class: "gk-result__count", text: "該当 " + places + "箇所" }) : null,
    ]));
    var list = h("ul", { class: "gk-hits", "aria-label": head.t + "の該当箇所" });
    item.appendChild(list);
    (await Promise.all(hits.slice(0, SUBS).map(function (hit) { return subResult(r.id, head, hit, words); })))
      .forEach(function (li) { list.appendChild(li); });
    if (hits.length > SUBS) {
      var rest = hits.slice(SUBS);
      var more = h("button", { type: "button", class: "gk-hits__more", text: "ほか" + rest.length + "箇所を表示" });
      more.addEventListener("click", async function () {
        more.disabled = true;
        var added = await Promise.all(rest.map(function (hit) { return subResult(r.id, head, hit, words); }));
        added.forEach(function (li) { list.appendChild(li); });
        more.remove();
        added[0].querySelector("a").focus();
      });
      item.appendChild(more);
    }
  }

  var generation = 0;
  async function show(from) {
    var mine = generation;
    host.setAttribute("data-state", "busy");
    var facets = (await loadEngine()).facets;
    var upto = Math.min(state.shown, current.filtered.length);
    var pending = [];
    for (var i = from; i < upto; i++) {
      var item = h("li", { class: "gk-result" });
      ui.list.appendChild(item);
      pending.push(renderResult(current.filtered[i], current.words, item, facets));
    }
    await Promise.all(pending);
    if (mine !== generation) return;
    var left = current.filtered.length - upto;
    ui.more.hidden = left <= 0;
    ui.more.textContent = "さらに表示（残り" + left + "件）";
    if (from > 0 && ui.list.children[from]) ui.list.children[from].querySelector("a").focus();
    host.setAttribute("data-state", "done");
  }

  async function update(push, focus) {
    var mine = ++generation;
    host.setAttribute("data-state", "busy");
    writeUrl(push);
    document.title = (state.q ? "「" + state.q + "」の検索結果 - " : "") + document.title.replace(/^「.*」の検索結果 - /, "");
    ui.sort.value = state.sort;
    var query = state.q.trim();
    ui.list.textContent = "";
    ui.more.hidden = true;
    if (!query) {
      ui.status.textContent = "検索語を入力してください。語を空白で区切ると、すべての語を含む会議・文書を探します。";
      ui.filters.textContent = "";
      ui.toggle.hidden = true;
      ui.toolbar.hidden = true;
      host.setAttribute("data-state", "idle");
      return;
    }
    var e;
    try {
      e = await loadEngine();
    } catch (err) {
      ui.status.textContent = "検索の準備ができませんでした。ページを再読み込みしてください。";
      host.setAttribute("data-state", "error");
      throw err;
    }
    var words = parseQuery(query);
    if (!current || current.query !== query) {
      ui.status.textContent = "「" + query + "」を検索しています…";
      var results = words.length ? await runSearch(words) : [];
      if (mine !== generation) return;
      current = { query: query, words: words, results: results };
    }
    var filtered = applyFilters(e.facets, current.results);
    current.filtered = sortResults(e.facets, filtered.kept);
    renderFilters(e.facets, filtered.counts);
    var total = current.results.length, kept = current.filtered.length;
    ui.toolbar.hidden = kept < 2;
    ui.status.textContent = !words.length ? "「" + query + "」には検索できる文字がありません。"
      : total === 0 ? "「" + query + "」を含む会議・文書はありません。"
        : "「" + query + "」を含む会議・文書 " + total + "件" + (kept === total ? "" : "のうち、絞り込んだ " + kept + "件");
    if (focus && focus.facet) {
      var box = ui.filters.querySelector('[data-facet="' + focus.facet + '"] input[value="' + CSS.escape(focus.value) + '"]');
      if (box) box.focus();
    } else if (focus && focus.focus) {
      focus.focus();
    }
    await show(0);
  }

  // For the tests and the benchmark: the query as the index sees it, and the raw matches.
  window.gijirokuSearch = { parseQuery: parseQuery, code: code, run: runSearch, ready: loadEngine, lettersWithMap: lettersWithMap };

  buildUi();
  readUrl();
  input.value = state.q;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value;
    state.filters = {};
    state.shown = PAGE;
    update(true);
  });
  window.addEventListener("popstate", function () {
    readUrl();
    input.value = state.q;
    update(false);
  });
  update(false);
  if (!state.q) loadEngine(); // warm up while the reader types
})();
