// A search query read as search reads it, on every page: the search page (search.js) finds with it,
// and the page a result opens (?hl=…) marks the query's words and scrolls to the first.
//
// Folding is that of search_chars() in hooks/gijiroku/search/tokens.py: NFKC width, 異体字 and case
// (the tables come from search/fold.json.gz, written with the index), then letters and digits only.
// Operators: words separated by spaces must all be on the meeting or document; A OR B, either;
// -A, no result (speech, section) that holds A; "A B", the words in a row (spaces and punctuation
// do not count, as everywhere in search). Quotes may be "…", “…” or 「…」.
(function () {
  "use strict";

  var LETTER = /[\p{L}\p{N}]/u;
  var JOINS = /^[\p{M}\uFF9E\uFF9F]$/u; // combining marks and half-width (han)dakuten join the character before
  var QUOTES = { "\"": "\"", "“": "”", "「": "」" };
  var fold = { v: {}, c: {} };
  var loaded = null;
  var here = document.currentScript ? document.currentScript.src : location.href;

  // The folding tables, once (dataUrl: the site's search/ folder).
  function ready(dataUrl) {
    if (!loaded) {
      loaded = fetchJSON(new URL("fold.json.gz", dataUrl || new URL("../search/", here)).href).then(function (tables) {
        fold = tables;
      });
      loaded.catch(function () { loaded = null; });
    }
    return loaded;
  }

  // A file of the site, gzip-compressed or not (a host may already have unpacked it): its bytes.
  async function fetchBytes(url) {
    var response = await fetch(url);
    if (!response.ok) throw new Error(url + ": HTTP " + response.status);
    var bytes = new Uint8Array(await response.arrayBuffer());
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return bytes;
  }

  async function fetchJSON(url) {
    return JSON.parse(new TextDecoder().decode(await fetchBytes(url)));
  }

  function foldString(text) {
    var out = "";
    for (var ch of text.normalize("NFKC")) {
      ch = fold.v[ch] || ch;
      for (var c of ch) out += fold.c[c] !== undefined ? fold.c[c] : c.toLowerCase();
    }
    return out;
  }

  function letters(text) {
    return Array.from(foldString(text)).filter(function (ch) { return LETTER.test(ch); });
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
      letters(text.slice(start, i)).forEach(function (ch) { chars.push(ch); starts.push(start); ends.push(i); });
    }
    return { chars: chars, starts: starts, ends: ends };
  }

  // The query's terms as typed: [{text, phrase, not}], an OR between two terms as {or: true}.
  function terms(query) {
    var out = [], s = query.normalize("NFKC"), i = 0;
    while (i < s.length) {
      if (/\s/u.test(s[i])) { i++; continue; }
      var not = false;
      if (s[i] === "-" && i + 1 < s.length && !/\s/u.test(s[i + 1])) { not = true; i++; }
      var close = QUOTES[s[i]];
      var end;
      if (close) {
        end = s.indexOf(close, i + 1);
        if (end < 0) end = s.length;
        out.push({ text: s.slice(i + 1, end), phrase: true, not: not });
        i = end + 1;
      } else {
        end = i;
        while (end < s.length && !/\s/u.test(s[end])) end++;
        var text = s.slice(i, end);
        out.push(text === "OR" && !not ? { or: true } : { text: text, phrase: false, not: not });
        i = end;
      }
    }
    return out;
  }

  // The query as search uses it: `all`, groups of alternative words of which each group must be
  // on the page; `none`, words that no result may hold; `marks`, every word to highlight. A word is
  // an array of search characters; duplicates are dropped.
  function parse(query) {
    var all = [], none = [], seen = {}, orNext = false;
    function word(text) {
      var chars = letters(text);
      return chars.length ? chars : null;
    }
    terms(query).forEach(function (t) {
      if (t.or) { orNext = all.length > 0; return; }
      var w = word(t.text);
      if (!w) { orNext = false; return; }
      var key = w.join("");
      if (t.not) { if (!seen["-" + key]) none.push(w); seen["-" + key] = true; orNext = false; return; }
      if (orNext) {
        var group = all[all.length - 1];
        if (!group.some(function (x) { return x.join("") === key; })) group.push(w);
      } else if (!seen[key]) {
        all.push([w]);
      }
      seen[key] = true;
      orNext = false;
    });
    var marks = [].concat.apply([], all);
    return { all: all, none: none, marks: marks };
  }

  // Every word of a query, operators ignored (how the index folds each character).
  function words(query) {
    return parse(query).marks;
  }

  // Where the words stand in a displayed text: sorted [start, end) stretches of the text.
  function marksIn(map, list) {
    var found = [];
    list.forEach(function (w) {
      for (var i = 0; i + w.length <= map.chars.length; i++) {
        var k = 0;
        while (k < w.length && map.chars[i + k] === w[k]) k++;
        if (k === w.length) found.push([map.starts[i], map.ends[i + w.length - 1]]);
      }
    });
    return found.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
  }

  window.gijirokuQuery = {
    ready: ready, fetchBytes: fetchBytes, fetchJSON: fetchJSON, letters: letters, lettersWithMap: lettersWithMap, parse: parse,
    words: words, marksIn: marksIn,
  };

  // -- the page a search result opens: ?hl=<query>#<anchor> ------------------------------------------------

  var SKIP = "script, style, noscript, mark, .headerlink, .gk-permalink, .gk-copy, nav, button";

  function highlight(query) {
    var list = parse(query).marks;
    var root = document.querySelector("article.md-content__inner");
    if (!list.length || !root) return [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && !node.parentElement.closest(SKIP) && LETTER.test(node.data)
          ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    var made = [];
    nodes.forEach(function (node) {
      var text = node.data, cursor = 0, pieces = [];
      marksIn(lettersWithMap(text), list).forEach(function (m) {
        if (m[0] < cursor) return;
        pieces.push(document.createTextNode(text.slice(cursor, m[0])));
        var mark = document.createElement("mark");
        mark.className = "gk-hl";
        mark.textContent = text.slice(m[0], m[1]);
        pieces.push(mark);
        made.push(mark);
        cursor = m[1];
      });
      if (!pieces.length) return;
      pieces.push(document.createTextNode(text.slice(cursor)));
      var parent = node.parentNode;
      pieces.forEach(function (p) { if (p.data !== "") parent.insertBefore(p, node); });
      parent.removeChild(node);
    });
    return made;
  }

  // A note above the text: what is marked, how many places, and a button to clear the marks.
  function note(query, made, root) {
    var box = document.createElement("p");
    box.className = "gk-hl-note";
    box.setAttribute("role", "status");
    box.textContent = made.length ? "「" + query + "」を" + made.length + "箇所で強調表示しています。"
      : "「" + query + "」はこのページの本文に見つかりませんでした。";
    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "gk-hl-note__clear";
    clear.textContent = "強調表示を消す";
    clear.addEventListener("click", function () {
      made.forEach(function (m) { m.replaceWith(document.createTextNode(m.textContent)); });
      root.normalize();
      box.remove();
    });
    if (made.length) box.appendChild(clear);
    var heading = root.querySelector("h1");
    if (heading) heading.insertAdjacentElement("afterend", box); else root.prepend(box);
  }

  // The first mark within the linked speech or section (else the first of the page), in view.
  function scrollToFirst(made) {
    var target = location.hash ? document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var first = made.find(function (m) { return target && target.contains(m); });
    if (!first && target) {
      first = made.find(function (m) {
        return target.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING;
      });
    }
    first = first || made[0];
    if (!first) return;
    first.classList.add("gk-hl--current");
    first.scrollIntoView({ block: "center" });
  }

  function start() {
    var query = new URLSearchParams(location.search).get("hl");
    if (!query || !query.trim() || document.getElementById("gk-search")) return;
    ready().then(function () {
      var root = document.querySelector("article.md-content__inner");
      if (!root) return;
      var made = highlight(query.trim());
      note(query.trim(), made, root);
      scrollToFirst(made);
      document.documentElement.setAttribute("data-gk-highlight", String(made.length));
    }).catch(function () {
      document.documentElement.setAttribute("data-gk-highlight", "error");
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
