// Full-text search of the record at /search/?q=…: the index that hooks/gijiroku/search/ builds
// (search/postings.py describes its files), and this page's own results, excerpts, filters and
// sort. Everything comes from this site: gzip files of the index and of the record's text.
//
// The query is read by query.js (folding as the index folds, OR, -exclusion, "phrases") and each
// word turned into the ranks of its characters in the index's table. At every character of the
// text stands a word of GRAM characters (fewer at a paragraph's end). A query word of up to GRAM
// characters is found as the words that start with it: one run of the sorted words, in the chunk
// where it starts and the next ones that start with it. A longer word is found through GRAM-grams
// covering it, each looked up alone, kept where they sit at the word's offsets. Consecutive grams
// overlap by a character, so that no two neighbouring characters of the word fall in different
// grams: a page whose one paragraph ends with the first gram and whose next begins with the
// second is no match (a word never reaches past its paragraph's end).
//
// A page (meeting or document) matches when it holds every word (or one of the alternatives
// joined by OR). Its results are its blocks (speeches, agenda items, sections, from the block
// layout in facets.json) that hold a word and no excluded word: those that hold every word, in
// themselves or their context (the page's facts, their item's heading), when there are such
// blocks, else all of them. The speaker, agency, kind and outcome filters select blocks, so that
// a speaker filter shows that speaker's remarks only. Results are listed under their page.
(function () {
  "use strict";

  var TITLE_WEIGHT = 5; // a hit in a page's first block (its title and facts) counts this much
  var PAGE = 10; // meetings or documents per page ("さらに表示" adds as many)
  var SUBS = 3; // results under a meeting before "ほかN件を表示"
  var AROUND = 50; // characters of context on each side of a hit
  var FILTERS = [
    ["kind", "種類"], ["year", "年"], ["speaker", "発言者"], ["agency", "関係機関"],
    ["itemkind", "議題の種類"], ["outcome", "議題の結果"], ["meeting", "会議"],
  ];
  var PAGE_LEVEL = { kind: true, year: true, meeting: true }; // the others are values of each block
  var SORTS = { relevance: "関連度順", new: "日付の新しい順", old: "日付の古い順" };
  var DATE = /^\d{4}-\d{2}-\d{2}$/;

  var host = document.getElementById("gk-search");
  var form = document.querySelector(".gk-search-form");
  var input = document.getElementById("gk-search-q");
  var Q = window.gijirokuQuery;
  if (!host || !form || !input || !Q) return;
  var base = new URL(host.getAttribute("data-root"), location.href);
  var dataUrl = new URL(host.getAttribute("data-data"), location.href);

  // -- loading -------------------------------------------------------------------------------------------

  var engine = null;
  function loadEngine() {
    if (!engine) {
      engine = Promise.all([Q.fetchJSON(new URL("facets.json.gz", dataUrl).href), Q.ready(dataUrl)]).then(function (loaded) {
        var facets = loaded[0], index = facets.index, rank = new Map(), lengths = {}, total = 0;
        Array.from(index.chars).forEach(function (ch, i) { rank.set(ch, i + 1); });
        index.pages.forEach(function (id) {
          var flat = facets.rows[id][5], n = 0;
          for (var i = 0; i < flat.length; i += 3) n += flat[i];
          lengths[id] = n;
          total += n;
        });
        var firsts = index.chunks.map(function (c) { return Array.from(c[0]).map(function (ch) { return rank.get(ch); }); });
        return { index: index, facets: facets, rank: rank, firsts: firsts, lengths: lengths,
                 average: total / Math.max(1, index.pages.length) };
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  var files = {};
  function cached(url) {
    if (!files[url]) {
      files[url] = Q.fetchJSON(url);
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }
  function header(id) { return cached(new URL("r/" + id + ".json.gz", dataUrl).href); }
  function part(id, n) { return cached(new URL("p/" + id + "-" + n + ".json.gz", dataUrl).href); }

  // A chunk of the index, read: its words' ranks (GRAM columns), and each word's places.
  var chunks = {};
  function chunk(e, n) {
    if (!chunks[n]) {
      chunks[n] = (async function () {
        var bytes = await Q.fetchBytes(new URL("index/" + e.index.chunks[n][1], dataUrl).href);
        var at = 5, gram = e.facets.gram; // after the magic GKIX1
        function next() {
          var value = 0, shift = 0, b;
          do { b = bytes[at++]; value += (b & 0x7f) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
          return value;
        }
        var words = next(), places = next(), ranks = [], counts = [], pages = [], positions = [];
        for (var k = 0; k < gram; k++) {
          var column = new Uint32Array(words), previous = 0;
          for (var w = 0; w < words; w++) { column[w] = k ? next() : (previous += next()); }
          ranks.push(column);
        }
        for (w = 0; w < words; w++) counts.push(next());
        var starts = [0];
        counts.forEach(function (c) { starts.push(starts[starts.length - 1] + c); });
        var page = new Uint32Array(places), position = new Uint32Array(places);
        for (w = 0; w < words; w++) {
          for (var i = starts[w]; i < starts[w + 1]; i++) page[i] = i === starts[w] ? next() : page[i - 1] + next();
        }
        for (w = 0; w < words; w++) {
          for (i = starts[w]; i < starts[w + 1]; i++) {
            var step = next();
            position[i] = i > starts[w] && page[i] === page[i - 1] ? position[i - 1] + step : step;
          }
        }
        return { words: words, ranks: ranks, starts: starts, page: page, position: position };
      })();
      chunks[n].catch(function () { delete chunks[n]; });
    }
    return chunks[n];
  }

  // Compares the first ranks of a word with a term's ranks: <0, 0 (the word starts with the term), >0.
  function compare(ranks, term) {
    for (var k = 0; k < term.length; k++) {
      var r = ranks[k] || 0;
      if (r !== term[k]) return r - term[k];
    }
    return 0;
  }

  // The places where the text starts with `term` (ranks, at most GRAM of them): {pageId: [positions]}.
  async function lookup(e, term) {
    var firsts = e.firsts, lo = 0, hi = firsts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (compare(firsts[mid], term) < 0) lo = mid + 1; else hi = mid; }
    var wanted = [];
    if (lo > 0) wanted.push(lo - 1); // the run may start inside the chunk before the first that starts with the term
    for (var n = lo; n < firsts.length && compare(firsts[n], term) === 0; n++) wanted.push(n);
    var found = {};
    (await Promise.all(wanted.map(function (n) { return chunk(e, n); }))).forEach(function (c) {
      var a = 0, b = c.words;
      var at = function (w) { return c.ranks.map(function (col) { return col[w]; }); };
      while (a < b) { var m = (a + b) >> 1; if (compare(at(m), term) < 0) a = m + 1; else b = m; }
      for (var w = a; w < c.words && compare(at(w), term) === 0; w++) {
        for (var i = c.starts[w]; i < c.starts[w + 1]; i++) {
          var id = e.index.pages[c.page[i]];
          (found[id] = found[id] || []).push(c.position[i]);
        }
      }
    });
    Object.keys(found).forEach(function (id) { found[id].sort(function (x, y) { return x - y; }); });
    return found;
  }

  // Relevance of a page for one word (BM25 over its places, a title hit counting TITLE_WEIGHT).
  function relevance(e, id, places, pagesWithIt) {
    var titleEnd = e.facets.rows[id][5][0], tf = 0;
    places.forEach(function (p) { tf += p < titleEnd ? TITLE_WEIGHT : 1; });
    var idf = Math.log(1 + (e.index.pages.length - pagesWithIt + 0.5) / (pagesWithIt + 0.5));
    return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * e.lengths[id] / e.average));
  }

  // -- searching -----------------------------------------------------------------------------------------

  // The pages that contain one query word: {id: {score, hits: [[position, length]]}}.
  async function searchWord(e, w) {
    var gram = e.facets.gram, pages = {};
    var ranks = w.map(function (ch) { return e.rank.get(ch); });
    if (ranks.some(function (r) { return !r; })) return pages; // a character the index does not have
    if (w.length <= gram) {
      var found = await lookup(e, ranks), count = Object.keys(found).length;
      Object.keys(found).forEach(function (id) {
        pages[id] = { score: relevance(e, id, found[id], count), hits: found[id].map(function (p) { return [p, w.length]; }) };
      });
      return pages;
    }
    var offsets = [];
    for (var o = 0; o + gram < w.length; o += gram - 1) offsets.push(o);
    offsets.push(w.length - gram);
    var byGram = await Promise.all(offsets.map(function (o) { return lookup(e, ranks.slice(o, o + gram)); }));
    var hitsOf = {};
    Object.keys(byGram[0]).forEach(function (id) {
      if (!byGram.every(function (m) { return m[id]; })) return;
      var at = byGram.map(function (m) { return new Set(m[id]); });
      var hits = byGram[0][id].filter(function (p) { return offsets.every(function (o, j) { return at[j].has(p + o); }); });
      if (hits.length) hitsOf[id] = hits;
    });
    var count = Object.keys(hitsOf).length;
    Object.keys(hitsOf).forEach(function (id) {
      pages[id] = { score: relevance(e, id, hitsOf[id], count), hits: hitsOf[id].map(function (p) { return [p, w.length]; }) };
    });
    return pages;
  }

  // A page's blocks from its facets row: where each starts among the tokens, its speaker and item.
  var layouts = {};
  function layout(row, id) {
    if (!layouts[id]) {
      var flat = row[5], starts = [], speakers = [], items = [], at = 0;
      for (var i = 0; i < flat.length; i += 3) {
        starts.push(at);
        at += flat[i];
        speakers.push(flat[i + 1]);
        items.push(flat[i + 2]);
      }
      layouts[id] = { starts: starts, speakers: speakers, items: items };
    }
    return layouts[id];
  }

  function blockAt(starts, position) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (starts[mid] <= position) lo = mid + 1; else hi = mid; }
    return lo - 1;
  }

  // Every page that has each group of words (one of its alternatives), with its relevance and its
  // results: the blocks that hold a word and no excluded word, each with its hits [position, length].
  async function runSearch(parsed) {
    var e = await loadEngine();
    if (!e.index.pages.length || !parsed.all.length) return [];
    var unique = {};
    parsed.marks.concat(parsed.none).forEach(function (w) { unique[w.join("")] = w; });
    var keys = Object.keys(unique);
    var found = await Promise.all(keys.map(function (k) { return searchWord(e, unique[k]); }));
    var byWord = {};
    keys.forEach(function (k, i) { byWord[k] = found[i]; });
    var first = parsed.all[0].reduce(function (ids, w) { return ids.concat(Object.keys(byWord[w.join("")])); }, []);
    var out = [];
    new Set(first).forEach(function (id) {
      var score = 0;
      var ok = parsed.all.every(function (group) {
        var best = 0, any = false;
        group.forEach(function (w) { var p = byWord[w.join("")][id]; if (p) { any = true; best = Math.max(best, p.score); } });
        score += best;
        return any;
      });
      if (!ok) return;
      var lay = layout(e.facets.rows[id], id), blocks = {}, excluded = {}, holding = {};
      parsed.none.forEach(function (w) {
        var p = byWord[w.join("")][id];
        if (p) p.hits.forEach(function (hit) { excluded[blockAt(lay.starts, hit[0])] = true; });
      });
      parsed.marks.forEach(function (w) {
        var p = byWord[w.join("")][id], where = holding[w.join("")] = {};
        if (!p) return;
        p.hits.forEach(function (hit) {
          var b = blockAt(lay.starts, hit[0]);
          where[b] = true;
          if (b >= 0 && !excluded[b]) (blocks[b] = blocks[b] || []).push(hit);
        });
      });
      var list = Object.keys(blocks).map(Number).sort(function (a, b) { return a - b; });
      // Where the words are apart on the page, the blocks that have them all (in themselves or in
      // their context: the page's facts, their agenda item's heading) are the results, if any.
      var whole = list.filter(function (b) {
        var context = [b, 0, headingOf(lay, b)];
        return parsed.all.every(function (group) {
          return group.some(function (w) { return context.some(function (c) { return holding[w.join("")][c]; }); });
        });
      });
      if (parsed.all.length > 1 && whole.length) list = whole;
      list = list.map(function (b) { return { index: b, hits: blocks[b].sort(function (x, y) { return x[0] - y[0]; }) }; });
      if (list.length) out.push({ id: id, score: score, blocks: list });
    });
    return out;
  }

  // The block that heads a block's agenda item (an item's first block is its heading), or -1.
  function headingOf(lay, b) {
    var item = lay.items[b];
    if (!item) return -1;
    while (b > 0 && lay.items[b - 1] === item) b--;
    return b;
  }

  // -- state, the URL, filters and sort ------------------------------------------------------------------

  var state = { q: "", sort: "relevance", filters: {}, from: "", to: "", shown: PAGE };
  var current = null; // {query, parsed, results, filtered}

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state.q = params.get("q") || "";
    state.sort = SORTS[params.get("sort")] ? params.get("sort") : "relevance";
    state.filters = {};
    FILTERS.forEach(function (f) {
      var values = params.getAll(f[0]).filter(Boolean);
      if (values.length) state.filters[f[0]] = values;
    });
    state.from = DATE.test(params.get("from") || "") ? params.get("from") : "";
    state.to = DATE.test(params.get("to") || "") ? params.get("to") : "";
    var kept = history.state || {};
    state.shown = kept.shown > PAGE ? kept.shown : PAGE;
  }

  // Where the reader was in the list: how many results were shown, the scroll, the filter panel
  // open or not. Kept in the history entry, not the URL, and given back when Back returns to the
  // search (it showed the first 10 results at the top, the panel closed: found by a reader's attack).
  function remember() {
    history.replaceState({ shown: state.shown, y: Math.round(window.scrollY),
                           panel: ui.toggle.getAttribute("aria-expanded") === "true" }, "");
  }
  var remembering = 0;
  window.addEventListener("scroll", function () {
    clearTimeout(remembering);
    remembering = setTimeout(remember, 250);
  }, { passive: true });
  window.addEventListener("pagehide", remember);

  // After the results of a search the reader returned to are shown: back where they were.
  function restore() {
    var kept = history.state || {};
    if (kept.panel && ui.toggle.getAttribute("aria-expanded") !== "true" && !ui.side.hidden) {
      ui.toggle.setAttribute("aria-expanded", "true");
      ui.panel.classList.add("gk-search__panel--open");
    }
    if (kept.y) window.scrollTo(0, kept.y);
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    FILTERS.forEach(function (f) { (state.filters[f[0]] || []).forEach(function (v) { params.append(f[0], v); }); });
    if (state.from) params.set("from", state.from);
    if (state.to) params.set("to", state.to);
    if (state.sort !== "relevance") params.set("sort", state.sort);
    var url = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (url !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"]({ shown: state.shown, y: push ? 0 : Math.round(window.scrollY) }, "", url);
    }
  }

  function pageValues(facets, row) {
    return {
      kind: [facets.kinds[row[0]]],
      year: [row[1] ? row[1].slice(0, 4) : "不明"],
      meeting: row[2] ? [String(row[2])] : [],
    };
  }

  // A block's own values: its speaker, and its agenda item's agencies, kind and outcome (outside
  // any item, the page's).
  function blockValues(facets, row, lay, b) {
    var sp = lay.speakers[b], it = lay.items[b], item = it ? row[6][it - 1] : null;
    var kinds = item ? (item[0] ? [item[0]] : []) : row[6].map(function (x) { return x[0]; }).concat([row[7]]);
    return {
      speaker: sp ? [facets.speakers[sp - 1][0]] : [],
      agency: (item ? item[2] : row[3]).map(function (i) { return facets.agencies[i][0]; }),
      itemkind: Array.from(new Set(kinds.filter(Boolean))).map(function (i) { return facets.item_kinds[i - 1]; }),
      outcome: item ? (item[1] ? [facets.outcomes[item[1] - 1]] : []) : row[4].map(function (i) { return facets.outcomes[i]; }),
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

  function inRange(row) {
    if (!state.from && !state.to) return true;
    if (!row[1]) return false;
    return (!state.from || row[1] >= state.from) && (!state.to || row[1] <= state.to);
  }

  // The results that pass the chosen filters, and for each filter the counts of its values among
  // the results (blocks) that pass every other filter (so a count says what choosing that value gives).
  function applyFilters(facets, results) {
    var counts = {};
    FILTERS.forEach(function (f) { counts[f[0]] = {}; });
    var passes = function (values, key) {
      var wanted = state.filters[key];
      return !wanted || values[key].some(function (v) { return wanted.indexOf(v) >= 0; });
    };
    var kept = [];
    results.forEach(function (r) {
      var row = facets.rows[r.id];
      if (!inRange(row)) return;
      var lay = layout(row, r.id), values = pageValues(facets, row);
      var pagePass = {};
      Object.keys(PAGE_LEVEL).forEach(function (k) { pagePass[k] = passes(values, k); });
      var blocks = r.blocks.filter(function (block) {
        var own = blockValues(facets, row, lay, block.index);
        Object.keys(own).forEach(function (k) { values[k] = own[k]; });
        var pass = {};
        FILTERS.forEach(function (f) { pass[f[0]] = PAGE_LEVEL[f[0]] ? pagePass[f[0]] : passes(values, f[0]); });
        FILTERS.forEach(function (f) {
          if (FILTERS.every(function (g) { return g[0] === f[0] || pass[g[0]]; })) {
            values[f[0]].forEach(function (v) { counts[f[0]][v] = (counts[f[0]][v] || 0) + 1; });
          }
        });
        return FILTERS.every(function (f) { return pass[f[0]]; });
      });
      if (blocks.length) kept.push({ id: r.id, score: r.score, blocks: blocks });
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

  function count(results) {
    return results.reduce(function (n, r) { return n + r.blocks.length; }, 0);
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
  function dateBox(id, label, key) {
    var box = h("input", { type: "date", id: id, class: "gk-search__date", name: key });
    box.addEventListener("change", function () {
      state[key] = DATE.test(box.value) ? box.value : "";
      if (state.from && state.to && state.from > state.to) { var t = state.from; state.from = state.to; state.to = t; }
      state.shown = PAGE;
      update(true, box);
    });
    ui[key] = box;
    return h("span", { class: "gk-search__date-field" }, [h("label", { for: id, text: label }), box]);
  }

  function buildUi() {
    host.textContent = "";
    ui.status = h("p", { class: "gk-search__status", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    ui.progress = h("div", { class: "gk-search__progress", "aria-hidden": "true" }, [h("span")]);
    ui.filters = h("div", { class: "gk-search__filters" });
    ui.clear = h("button", { type: "button", class: "gk-search__clear", text: "絞り込みをすべて解除", hidden: "" });
    ui.clear.addEventListener("click", function () {
      state.filters = {}; state.from = ""; state.to = ""; state.shown = PAGE; update(true, input);
    });
    ui.sort = h("select", { id: "gk-search-sort", class: "gk-search__sort" }, Object.keys(SORTS).map(function (k) {
      return h("option", { value: k, text: SORTS[k] });
    }));
    ui.sort.addEventListener("change", function () { state.sort = ui.sort.value; state.shown = PAGE; update(true); });
    ui.list = h("ol", { id: "gk-results", class: "gk-results", "aria-label": "検索結果", tabindex: "-1" }); // target of the skip link
    ui.more = h("button", { type: "button", class: "gk-search__more", hidden: "" });
    ui.more.addEventListener("click", function () {
      var from = state.shown;
      state.shown += PAGE;
      show(from).then(remember);
    });
    ui.dates = h("fieldset", { class: "gk-facet gk-facet--dates", "data-facet": "date" }, [
      h("legend", { text: "期間（開催日・日付）" }), dateBox("gk-search-from", "開始日", "from"), dateBox("gk-search-to", "終了日", "to"),
    ]);
    ui.panel = h("div", { id: "gk-search-panel", class: "gk-search__panel", role: "group", "aria-label": "絞り込み" }, [
      h("p", { class: "gk-search__panel-title", text: "絞り込み" }), ui.dates, ui.filters, ui.clear,
    ]);
    ui.toggle = h("button", { type: "button", class: "gk-search__panel-toggle", "aria-expanded": "false", "aria-controls": "gk-search-panel", hidden: "" });
    ui.toggle.addEventListener("click", function () {
      var open = ui.toggle.getAttribute("aria-expanded") !== "true";
      ui.toggle.setAttribute("aria-expanded", String(open));
      ui.panel.classList.toggle("gk-search__panel--open", open);
      if (open) { var first = ui.panel.querySelector("input, button"); if (first) first.focus(); }
      remember();
    });
    ui.toolbar = h("p", { class: "gk-search__toolbar", hidden: "" }, [h("label", { for: "gk-search-sort", text: "並べ替え" }), " ", ui.sort]);
    ui.side = h("div", { class: "gk-search__side", hidden: "" }, [ui.toggle, ui.panel]);
    host.appendChild(ui.progress);
    host.appendChild(ui.status);
    // From the search box to the results without tabbing through every filter (shown on focus):
    // right after the form, before the help and the filters.
    var skip = h("p", { class: "gk-skip" }, [h("a", { href: "#gk-results", text: "検索結果へ移動（絞り込みを飛ばす）" })]);
    var form = document.querySelector(".gk-search-form");
    if (form) form.insertAdjacentElement("afterend", skip); else host.appendChild(skip);
    host.appendChild(h("div", { class: "gk-search__layout" }, [
      ui.side, h("div", { class: "gk-search__main" }, [ui.toolbar, ui.list, ui.more]),
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
    var dated = Object.keys(facets.rows).map(function (id) { return facets.rows[id][1]; }).filter(Boolean).sort();
    [ui.from, ui.to].forEach(function (box) {
      if (dated.length) { box.min = dated[0]; box.max = dated[dated.length - 1]; }
    });
    ui.from.value = state.from;
    ui.to.value = state.to;
    var active = Object.keys(state.filters).reduce(function (n, k) { return n + state.filters[k].length; }, 0)
      + (state.from ? 1 : 0) + (state.to ? 1 : 0);
    ui.clear.hidden = !active;
    ui.side.hidden = false;
    ui.toggle.hidden = false;
    ui.toggle.textContent = active ? "絞り込み（" + active + "件を選択中）" : "絞り込み";
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

  // The excerpt of a part around its hit: [label node or null, text node], the text as printed.
  // `segment` is [position, part, block, titled]; `size` its length in search characters.
  function excerpt(segment, label, paragraphs, hit, size, words) {
    var maps = paragraphs.map(Q.lettersWithMap);
    var total = maps.reduce(function (n, m) { return n + m.chars.length; }, 0);
    var p = -1, local = hit - segment[0];
    if (total === size) { // the hit's paragraph and character, as the build counted them
      p = 0;
      while (p < maps.length - 1 && local >= maps[p].chars.length) { local -= maps[p].chars.length; p++; }
    }
    var marks = maps.map(function (m) { return Q.marksIn(m, words); });
    if (p < 0 || !marks[p].length) { // else the first paragraph where a word is seen
      p = Math.max(0, marks.findIndex(function (m) { return m.length; }));
      local = -1;
    }
    if (segment[3] === 1 && p === 0) { // the hit is in the label (speaker, heading): mark it there, show what follows
      var rest = paragraphs[1] || "";
      return [marked(label, 0, label.length, marks[0]),
        rest ? marked(rest, 0, Math.min(rest.length, 2 * AROUND), marks[1] || []) : null];
    }
    var text = paragraphs[p];
    var centre = local >= 0 && local < maps[p].starts.length ? maps[p].starts[local] : (marks[p][0] || [0])[0];
    var from = Math.max(0, centre - AROUND);
    var to = Math.min(text.length, from + 2 * AROUND);
    from = Math.max(0, Math.min(from, to - 2 * AROUND));
    return [null, marked(text, from, to, marks[p])];
  }

  // One result: a speech (speaker, number as its permalink, 議題) or another block, with its excerpt.
  async function hitItem(id, head, block, words) {
    var starts = head.s.map(function (s) { return s[0]; });
    var first = block.hits[0][0];
    var k = Math.max(0, blockAt(starts, first));
    while (k > 0 && head.s[k][2] !== block.index) k--; // a part of this block
    var segment = head.s[k];
    var end = k + 1 < starts.length ? starts[k + 1] : head.n;
    var info = head.b[block.index], anchor = info[0], label = info[1], order = info[2], item = info[3];
    var content = await part(id, segment[1]);
    var entry = content.find(function (c) { return c[0] === k; });
    var shown = entry ? excerpt(segment, label, entry[1], first, end - segment[0], words) : [null, null];
    var page = new URL(head.u, base);
    var target = new URL(page.href);
    target.searchParams.set("hl", state.q.trim());
    target.hash = anchor;
    var what = shown[0] || (order || block.index > 0 ? label : /^議事/.test(head.k) ? "会議の概要" : "文書の概要") || "本文";
    var head2 = [h("span", { class: order ? "gk-hit__speaker" : "gk-hit__label" }, [what])];
    if (order) {
      page.hash = anchor;
      head2.push(h("a", { class: "gk-hit__permalink", href: page.href, text: "発言" + order,
        "aria-label": head.t + " 発言" + order + "の固定リンク" }));
    }
    // not on the item's own heading (a summary's paragraph shares its anchor, labelled 議事概要)
    if (item && head.a[item] && !(anchor === "agenda-" + item && label === "議題" + item + " " + head.a[item])) {
      head2.push(h("span", { class: "gk-hit__item", text: "議題" + item + " " + head.a[item] }));
    }
    return h("li", { class: "gk-hit", "data-block": String(block.index) }, [
      h("p", { class: "gk-hit__head" }, head2),
      shown[1] ? h("a", { class: "gk-hit__link", href: target.href }, [shown[1]])
        : h("a", { class: "gk-hit__link", href: target.href, text: "該当箇所を開く" }),
    ]);
  }

  async function renderResult(r, words, item, facets) {
    var head = await header(r.id);
    var title = h("h2", { class: "gk-result__title" }, [h("a", { href: new URL(head.u, base).href, text: head.t })]);
    item.appendChild(title);
    item.appendChild(h("p", { class: "gk-result__meta" }, [
      h("span", { class: "gk-result__kind gk-result__kind--" + facets.kinds.indexOf(head.k), text: head.k }), " ",
      h("span", { class: "gk-result__date", text: head.w }),
      h("span", { class: "gk-result__count", text: "該当 " + r.blocks.length + "件" }),
    ]));
    var list = h("ol", { class: "gk-hits", "aria-label": head.t + "の該当箇所" });
    item.appendChild(list);
    (await Promise.all(r.blocks.slice(0, SUBS).map(function (b) { return hitItem(r.id, head, b, words); })))
      .forEach(function (li) { list.appendChild(li); });
    if (r.blocks.length > SUBS) {
      var rest = r.blocks.slice(SUBS);
      var more = h("button", { type: "button", class: "gk-hits__more", text: "ほか" + rest.length + "件を表示" });
      more.addEventListener("click", async function () {
        more.disabled = true;
        var added = await Promise.all(rest.map(function (b) { return hitItem(r.id, head, b, words); }));
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
      pending.push(renderResult(current.filtered[i], current.parsed.marks, item, facets));
    }
    try {
      await Promise.all(pending);
    } catch (err) {
      failed(mine);
      return;
    }
    if (mine !== generation) return;
    var left = current.filtered.length - upto;
    ui.more.hidden = left <= 0;
    ui.more.textContent = "さらに表示（残り" + left + "件の会議・文書）";
    if (from > 0 && ui.list.children[from]) ui.list.children[from].querySelector("a").focus();
    host.setAttribute("data-state", "done");
  }

  function summary(query, parsed, results, kept) {
    if (!parsed.all.length) {
      return parsed.none.length ? "除外する語（-）のほかに、探す語を入力してください。" : "「" + query + "」には検索できる文字がありません。";
    }
    if (!results.length) return "「" + query + "」に該当する発言・箇所はありません。";
    var line = "「" + query + "」の検索結果: 発言・箇所 " + count(results) + "件（会議・文書 " + results.length + "件）";
    if (kept === results) return line;
    return line + "のうち、絞り込んだ 発言・箇所 " + count(kept) + "件（会議・文書 " + kept.length + "件）";
  }

  // A part of the index or of the results' texts that did not load (the connection dropped): the
  // search says so and offers to run again, instead of "searching" for ever. Files that failed are
  // not cached, so the next run fetches them again.
  function failed(mine) {
    if (mine !== generation) return;
    ui.status.textContent = "検索の途中で、索引や本文の一部を読み込めませんでした。通信を確かめてから、もう一度検索してください。";
    var again = h("button", { type: "button", class: "gk-retry", text: "もう一度検索する" });
    again.addEventListener("click", function () { update(false, input); });
    ui.status.appendChild(document.createTextNode(" "));
    ui.status.appendChild(again);
    host.setAttribute("data-state", "error");
  }

  async function update(push, focus) {
    var mine = ++generation;
    writeUrl(push);
    document.title = (state.q ? "「" + state.q + "」の検索結果 - " : "") + document.title.replace(/^「.*」の検索結果 - /, "");
    ui.sort.value = state.sort;
    var query = state.q.trim();
    ui.list.textContent = "";
    ui.more.hidden = true;
    if (!query) {
      ui.status.textContent = "検索語を入力してください。語を空白で区切ると、すべての語を含む会議・文書から、語が現れる発言を探します。";
      ui.filters.textContent = "";
      ui.side.hidden = true;
      ui.toolbar.hidden = true;
      host.setAttribute("data-state", "idle");
      return;
    }
    host.setAttribute("data-state", engine ? "busy" : "loading");
    if (!current || current.query !== query) ui.status.textContent = "「" + query + "」を検索しています…";
    var e;
    try {
      e = await loadEngine();
    } catch (err) {
      ui.status.textContent = "検索の準備ができませんでした。ページを再読み込みしてください。";
      host.setAttribute("data-state", "error");
      throw err;
    }
    if (mine !== generation) return;
    host.setAttribute("data-state", "busy");
    if (!current || current.query !== query) {
      var parsed = Q.parse(query);
      var results;
      try {
        results = await runSearch(parsed);
      } catch (err) {
        failed(mine);
        return;
      }
      if (mine !== generation) return;
      current = { query: query, parsed: parsed, results: results };
    }
    var filtered = applyFilters(e.facets, current.results);
    current.filtered = sortResults(e.facets, filtered.kept);
    renderFilters(e.facets, filtered.counts);
    ui.toolbar.hidden = current.filtered.length < 2;
    var narrowed = Object.keys(state.filters).length || state.from || state.to;
    ui.status.textContent = summary(query, current.parsed, current.results, narrowed ? current.filtered : current.results);
    if (!current.results.length) ui.side.hidden = !narrowed;
    if (focus && focus.facet) {
      var box = ui.filters.querySelector('[data-facet="' + focus.facet + '"] input[value="' + CSS.escape(focus.value) + '"]');
      if (box) box.focus();
    } else if (focus && focus.focus) {
      focus.focus();
    }
    await show(0);
  }

  // For the tests and the benchmark: the raw matches of a query, and the index's codes.
  window.gijirokuSearch = { run: function (q) { return runSearch(Q.parse(q)); }, ready: loadEngine };

  buildUi();
  readUrl();
  input.value = state.q;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value;
    state.filters = {}; // a new search starts unfiltered, as the URL of a new search says
    state.from = "";
    state.to = "";
    state.shown = PAGE;
    update(true);
  });
  window.addEventListener("popstate", function () {
    readUrl();
    input.value = state.q;
    update(false).then(restore);
  });
  if ("scrollRestoration" in history) history.scrollRestoration = "manual"; // restore() does it, once the list is back
  update(false).then(restore);
  if (!state.q) loadEngine(); // warm up while the reader types
})();
