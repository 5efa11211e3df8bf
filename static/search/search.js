// dossier's search page. The index is a set of scripts written by the build (see
// src/search/mod.rs): search/catalogue.js (every document's id and filters, the
// entries, the languages and their stemmers), search/terms/<n>.js (each stem's
// documents) and search/documents/<id>.js (a document's title and passages). Each
// calls
// dossierSearch.put(name, data); scripts load from file:// where fetch() does not.
// Words are cut, folded and stemmed as the build does it, with the same Snowball
// algorithms (search/snowball.js).
(function () {
  "use strict";
  var page = document.querySelector(".search");
  if (!page) return;
  // Busy until the first results are shown (tests wait for this too).
  page.setAttribute("aria-busy", "true");

  var loaded = {};
  var waiting = {};
  window.dossierSearch = {
    put: function (name, data) {
      loaded[name] = data;
      (waiting[name] || []).forEach(function (done) { done(data); });
      delete waiting[name];
    }
  };

  // The data file `name` (without .js), or null when the index has none.
  function load(name) {
    if (name in loaded) return Promise.resolve(loaded[name]);
    return new Promise(function (resolve) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push(resolve);
      if (!first) return;
      var script = document.createElement("script");
      script.src = name + ".js";
      script.onerror = function () { window.dossierSearch.put(name, null); };
      document.head.appendChild(script);
    });
  }

  // --- Words, as the build cuts and stems them --------------------------------
  var WORD = /[\p{Alphabetic}\p{N}]+(?:-[\p{Alphabetic}\p{N}]+)*/gu;
  function fold(word) { return word.toLowerCase().replace(/ё/g, "е"); }
  function words(text) {
    var found = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text))) found.push({ word: m[0], at: m.index });
    return found;
  }

  var catalogue = null;
  var stemmers = [];
  var stemCache = {};
  // Every form a word may stand as in the index: its stem in each language of the
  // edition that has a stemmer, and the word itself (languages without one).
  function stems(word) {
    var folded = fold(word);
    if (stemCache[folded]) return stemCache[folded];
    var set = {};
    set[folded] = true;
    stemmers.forEach(function (s) { set[s.stem(folded)] = true; });
    return (stemCache[folded] = Object.keys(set));
  }
  function meets(a, b) { return a.some(function (x) { return b.indexOf(x) >= 0; }); }

  // Numbers as the build writes them: five bits a character, the last character
  // of each number from the first half of DIGITS (src/search/mod.rs, `encode`).
  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVwxyzabcdefghijklmnopqrstuv-_WXYZ";
  function decode(text, from, to) {
    var numbers = [];
    var n = 0;
    for (var i = from || 0; i < (to === undefined ? text.length : to); i++) {
      var d = DIGITS.indexOf(text[i]);
      n = n * 32 + (d & 31);
      if (d < 32) { numbers.push(n); n = 0; }
    }
    return numbers;
  }

  // A stem's term file: FNV-1a of its UTF-8, modulo the number of files.
  function termFile(stem) {
    var hash = 0x811c9dc5;
    new TextEncoder().encode(stem).forEach(function (b) {
      hash = Math.imul(hash ^ b, 0x01000193) >>> 0;
    });
    return "terms/" + (hash % catalogue.term_files);
  }

  // document number → passages holding the word (any of its forms).
  function postings(word) {
    var forms = stems(word);
    return Promise.all(forms.map(function (f) { return load(termFile(f)); })).then(function (files) {
      var docs = new Map();
      files.forEach(function (file, i) {
        var list = file && Object.prototype.hasOwnProperty.call(file, forms[i]) ? file[forms[i]] : null;
        if (!list) return;
        // Each document: the gap from the one before, times four, plus how many
        // of its passages hold the stem (3: three or more).
        var numbers = decode(list);
        var doc = 0;
        for (var k = 0; k < numbers.length; k++) {
          doc += Math.floor(numbers[k] / 4);
          docs.set(doc, (docs.get(doc) || 0) + (numbers[k] & 3));
        }
      });
      return docs;
    });
  }

  // --- Names of register entries ------------------------------------------------
  var aliasWords = null;
  // Spans of the query that are a name of an entry: [{start, end, entity}], longest
  // first, not overlapping.
  function entitySpans(query) {
    if (!aliasWords) {
      aliasWords = catalogue.aliases.map(function (a) {
        return { entity: a[0], words: words(a[1]).map(function (w) { return stems(w.word); }) };
      });
    }
    var q = query.map(function (w) { return stems(w); });
    var spans = [];
    aliasWords.forEach(function (alias) {
      var n = alias.words.length;
      if (!n) return;
      for (var start = 0; start + n <= q.length; start++) {
        var all = true;
        for (var i = 0; i < n && all; i++) all = meets(alias.words[i], q[start + i]);
        if (all) spans.push({ start: start, end: start + n, entity: alias.entity });
      }
    });
    spans.sort(function (a, b) { return (b.end - b.start) - (a.end - a.start) || a.start - b.start; });
    var taken = [];
    var chosen = [];
    spans.forEach(function (s) {
      for (var i = s.start; i < s.end; i++) if (taken[i] && taken[i] !== s.entity + 1) return;
      if (chosen.some(function (c) { return c.start === s.start && c.end === s.end && c.entity === s.entity; })) return;
      for (var j = s.start; j < s.end; j++) taken[j] = s.entity + 1;
      chosen.push(s);
    });
    return chosen;
  }

  // --- Searching ----------------------------------------------------------------
  // The documents that have every word of the query (a name of an entry counts for
  // its words in every document naming the entry), with their hit passages.
  function search(query) {
    var queryWords = words(query).map(function (w) { return w.word; });
    if (!queryWords.length) return Promise.resolve({ words: [], results: [], entities: [] });
    var spans = entitySpans(queryWords);
    return Promise.all(queryWords.map(postings)).then(function (perWord) {
      // Units: each entity span, each word outside one.
      var units = [];
      var covered = [];
      spans.forEach(function (s) {
        for (var i = s.start; i < s.end; i++) covered[i] = true;
      });
      var spanGroups = {};
      spans.forEach(function (s) {
        var key = s.start + "-" + s.end;
        (spanGroups[key] = spanGroups[key] || { start: s.start, end: s.end, entities: [] }).entities.push(s.entity);
      });
      Object.keys(spanGroups).forEach(function (k) { units.push(spanGroups[k]); });
      queryWords.forEach(function (w, i) { if (!covered[i]) units.push({ start: i, end: i + 1, entities: [] }); });
      var score = new Map();
      var named = new Map();
      var result = null;
      units.forEach(function (unit) {
        var docs = new Map();
        // In the words: every word of the unit, in the same document.
        var inWords = null;
        for (var i = unit.start; i < unit.end; i++) {
          var next = new Map();
          perWord[i].forEach(function (count, d) {
            if (!inWords || inWords.has(d)) next.set(d, count + (inWords ? inWords.get(d) : 0));
          });
          inWords = next;
        }
        inWords.forEach(function (count, d) { docs.set(d, count); });
        // By name: every document naming one of the unit's entries.
        unit.entities.forEach(function (e) {
          catalogue.documents.forEach(function (doc, d) {
            if (doc.entities.indexOf(e) >= 0) {
              if (!docs.has(d)) docs.set(d, 0);
              var list = named.get(d) || [];
              if (list.indexOf(e) < 0) list.push(e);
              named.set(d, list);
            }
          });
        });
        var idf = Math.log(1 + catalogue.documents.length / (1 + docs.size));
        docs.forEach(function (count, d) {
          score.set(d, (score.get(d) || 0) + idf * (count + (unit.entities.length && named.has(d) ? 3 : 0)));
        });
        if (result === null) {
          result = new Set(docs.keys());
        } else {
          result = new Set(Array.from(result).filter(function (d) { return docs.has(d); }));
        }
      });
      var results = Array.from(result || []).map(function (d) {
        return { doc: d, score: score.get(d), named: named.get(d) || [] };
      });
      results.sort(function (a, b) {
        return b.score - a.score || catalogue.documents[a.doc].year - catalogue.documents[b.doc].year || a.doc - b.doc;
      });
      var allEntities = [];
      spans.forEach(function (s) { if (allEntities.indexOf(s.entity) < 0) allEntities.push(s.entity); });
      return { words: queryWords, results: results, entities: allEntities };
    });
  }

  // --- Filters ------------------------------------------------------------------
  var FACETS = [
    { key: "person", heading: "People", kind: "person" },
    { key: "event", heading: "Events", kind: "event" },
    { key: "place", heading: "Places", kind: "place" },
    { key: "year", heading: "Year" },
    { key: "lang", heading: "Language" },
    { key: "type", heading: "Type" },
    { key: "tag", heading: "Tags" }
  ];

  // The values of a facet for one result: [value, label]. Language: the
  // languages the document has a text in.
  function values(facet, result) {
    var doc = catalogue.documents[result.doc];
    switch (facet.key) {
      case "year": return [[String(doc.year), String(doc.year)]];
      case "type": return doc.type >= 0 ? [[catalogue.types[doc.type], catalogue.types[doc.type]]] : [];
      case "tag": return doc.tags.map(function (t) { return catalogue.tags[t]; });
      case "lang":
        return catalogue.languageCodes.filter(function (l, i) { return doc.languages & (1 << i); })
          .map(function (l) { return [l, catalogue.languages[l].name]; });
      default:
        return doc.entities.filter(function (e) { return catalogue.entities[e][0] === facet.kind; })
          .map(function (e) { return [catalogue.entities[e][1], catalogue.entities[e][2]]; });
    }
  }

  function filtered(results, chosen) {
    if (!Object.keys(chosen).length) return results;
    return results.filter(function (r) {
      return FACETS.every(function (f) {
        var want = chosen[f.key];
        return !want || values(f, r).some(function (v) { return v[0] === want; });
      });
    });
  }

  // --- The page -----------------------------------------------------------------
  var input = page.querySelector("#q");
  var form = page.querySelector(".search-form");
  var status = page.querySelector(".search-status");
  var list = page.querySelector(".search-results");
  var filters = page.querySelector(".search-filters");
  var more = page.querySelector(".search-more");
  var hrefBefore = page.getAttribute("data-document-href-before");
  var hrefAfter = page.getAttribute("data-document-href-after");
  var PAGE = 10;
  var shown = 0;
  var current = null;
  var run = 0;

  function element(tag, attributes, children) {
    var e = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { e.setAttribute(k, attributes[k]); });
    (children || []).forEach(function (c) { e.append(c); });
    return e;
  }

  function state() {
    var params = new URLSearchParams(location.search);
    var chosen = {};
    FACETS.forEach(function (f) { if (params.get(f.key)) chosen[f.key] = params.get(f.key); });
    return { q: params.get("q") || "", chosen: chosen };
  }

  function address(q, chosen) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    FACETS.forEach(function (f) { if (chosen[f.key]) params.set(f.key, chosen[f.key]); });
    var search = params.toString();
    return location.pathname + (search ? "?" + search : "");
  }

  // `text` with the words whose forms are in `forms` marked, cut to about 40 words
  // around the first mark.
  function marked(text, forms) {
    var all = words(text);
    var hitAt = -1;
    var isHit = all.map(function (w, i) {
      var hit = meets(stems(w.word), forms);
      if (hit && hitAt < 0) hitAt = i;
      return hit;
    });
    var from = Math.max(0, (hitAt < 0 ? 0 : hitAt) - 15);
    var to = Math.min(all.length, from + 40);
    var start = from === 0 ? 0 : all[from].at;
    var end = to === all.length ? text.length : all[to].at;
    var parts = [];
    if (from > 0) parts.push("… ");
    var at = start;
    for (var i = from; i < to; i++) {
      if (!isHit[i]) continue;
      parts.push(text.slice(at, all[i].at));
      parts.push(element("mark", {}, [all[i].word]));
      at = all[i].at + all[i].word.length;
    }
    parts.push(text.slice(at, end).replace(/\s+$/, ""));
    if (to < all.length) parts.push(" …");
    return parts;
  }

  function documentHref(id) { return hrefBefore + id + hrefAfter; }

  function showResult(result, query, forms) {
    var id = catalogue.documents[result.doc].id;
    return load("documents/" + id).then(function (passages) {
      var href = documentHref(id);
      var item = element("li", { "class": "search-result" });
      if (!passages) return item;
      item.append(element("h2", { "class": "result-title" }, [element("a", { href: href }, [passages.title])]));
      var meta = [element("time", { datetime: passages.datetime }, [passages.date])];
      if (passages.type) meta.push(", " + passages.type);
      item.append(element("p", { "class": "result-meta" }, meta));
      if (result.named.length) {
        item.append(element("p", { "class": "result-names" }, [
          "Names " + result.named.map(function (e) { return catalogue.entities[e][2]; }).join(", ")
        ]));
      }
      // The passages holding a word of the query, and those naming a matched entry;
      // each with the passage of its row in the other language.
      var chosen = new Set();
      passages.passages.forEach(function (p, n) {
        if (words(p[3]).some(function (w) { return meets(stems(w.word), forms); })) chosen.add(n);
      });
      var entityKeys = result.named.map(function (e) { return catalogue.entities[e][0] + ":" + catalogue.entities[e][1]; });
      passages.mentions.forEach(function (m) { if (entityKeys.indexOf(m[1]) >= 0) chosen.add(m[0]); });
      var nameForms = forms.slice();
      result.named.forEach(function (e) {
        catalogue.aliases.forEach(function (a) {
          if (a[0] === e) words(a[1]).forEach(function (w) { nameForms = nameForms.concat(stems(w.word)); });
        });
      });
      var places = [];
      var seenRows = {};
      Array.from(chosen).sort(function (a, b) { return a - b; }).forEach(function (p) {
        var passage = passages.passages[p];
        if (!passage) return;
        var row = passage[2];
        if (row >= 0) {
          if (seenRows[row]) return;
          seenRows[row] = true;
          var inRow = [];
          passages.passages.forEach(function (q, n) { if (q[2] === row && q[0] !== passages.texts.length - 1) inRow.push(n); });
          places.push(inRow);
        } else {
          places.push([p]);
        }
      });
      if (places.length) {
        var ul = element("ul", { "class": "passages" });
        places.slice(0, 5).forEach(function (place) {
          var li = element("li", { "class": "place" });
          place.forEach(function (n) {
            var passage = passages.passages[n];
            var text = passages.texts[passage[0]];
            var side = passage[1] === "headnote" ? "in-headnote" : passage[0] === 0 ? "original" : "translation";
            li.append(element("p", { "class": "kwic " + side, lang: text[0] }, [
              element("span", { "class": "visually-hidden" }, [text[1] + ": "]),
              element("a", { href: href + "#" + passage[1] }, marked(passage[3], nameForms))
            ]));
          });
          ul.append(li);
        });
        item.append(ul);
        if (places.length > 5) item.append(element("p", { "class": "result-more" }, [(places.length - 5) + " more places in this document"]));
      }
      return item;
    });
  }

  // Filters are open beside the results on a wide screen; on a narrow one they
  // stand above them, closed until asked for (or while one is chosen).
  var filtersOpen = null;
  function showFilters(results, chosen, q) {
    filters.textContent = "";
    var any = false;
    var box = element("details", { "class": "filters-box" }, [element("summary", {}, ["Filter the results"])]);
    var wide = window.matchMedia && window.matchMedia("(min-width: 900px)").matches;
    var anyChosen = FACETS.some(function (f) { return chosen[f.key]; });
    box.open = filtersOpen === null ? wide || anyChosen : filtersOpen || anyChosen;
    box.addEventListener("toggle", function () { filtersOpen = box.open; });
    FACETS.forEach(function (facet) {
      var counts = new Map();
      var labels = {};
      var others = Object.assign({}, chosen);
      delete others[facet.key];
      (Object.keys(others).length ? filtered(results, others) : results).forEach(function (r) {
        values(facet, r).forEach(function (v) { counts.set(v[0], (counts.get(v[0]) || 0) + 1); labels[v[0]] = v[1]; });
      });
      if (!counts.size) return;
      any = true;
      var entries = Array.from(counts).sort(function (a, b) { return b[1] - a[1] || String(labels[a[0]]).localeCompare(String(labels[b[0]])); });
      var section = element("section", { "class": "facet" }, [element("h2", {}, [facet.heading])]);
      var ul = element("ul");
      entries.slice(0, 8).forEach(function (e) {
        var on = chosen[facet.key] === e[0];
        var next = Object.assign({}, chosen);
        next[facet.key] = on ? undefined : e[0];
        var a = element("a", { href: address(q, next), "aria-current": on ? "true" : "false" }, [labels[e[0]] + " (" + e[1] + ")"]);
        a.addEventListener("click", function (event) {
          event.preventDefault();
          history.pushState(null, "", a.getAttribute("href"));
          show();
        });
        ul.append(element("li", {}, [a]));
      });
      section.append(ul);
      box.append(section);
    });
    filters.append(box);
    filters.hidden = !any;
  }

  function showMore() {
    var batch = current.results.slice(shown, shown + PAGE);
    shown += batch.length;
    var mine = run;
    return Promise.all(batch.map(function (r) { return showResult(r, current.query, current.forms); })).then(function (items) {
      if (mine !== run) return;
      items.forEach(function (item) { list.append(item); });
      more.hidden = shown >= current.results.length;
    });
  }

  function show() {
    var s = state();
    if (document.activeElement !== input) input.value = s.q;
    var mine = ++run;
    page.removeAttribute("data-shown");
    page.setAttribute("aria-busy", "true");
    list.textContent = "";
    more.hidden = true;
    if (!s.q.trim()) {
      filters.hidden = true;
      status.textContent = "";
      page.setAttribute("data-shown", "");
      page.setAttribute("aria-busy", "false");
      return Promise.resolve();
    }
    return search(s.q).then(function (found) {
      if (mine !== run) return;
      var results = filtered(found.results, s.chosen);
      var forms = [];
      found.words.forEach(function (w) { forms = forms.concat(stems(w)); });
      current = { results: results, query: s.q, forms: forms };
      shown = 0;
      showFilters(found.results, s.chosen, s.q);
      var names = found.entities.map(function (e) { return catalogue.entities[e][2]; });
      status.textContent = (results.length === 1 ? "1 document" : results.length + " documents") +
        (names.length ? " (names: " + names.join(", ") + ")" : "") + ".";
      document.title = s.q + " · " + document.title.replace(/^.* · (.*· )?/, "$1");
      return showMore();
    }).then(function () {
      if (mine !== run) return;
      page.setAttribute("data-shown", s.q);
      page.setAttribute("aria-busy", "false");
      // For the benchmark's measure of a query (bench/src/bin/search_budget.rs).
      if (window.performance && performance.mark) performance.mark("search-results-shown");
    });
  }

  var typing = null;
  input.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () {
      // As you type the address follows, without a history entry per letter.
      history.replaceState(null, "", address(input.value, state().chosen));
      show();
    }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(typing);
    history.pushState(null, "", address(input.value, {}));
    show();
  });
  more.querySelector("button").addEventListener("click", showMore);
  window.addEventListener("popstate", show);

  // The catalogue's ids and filters, read into one object a document.
  function readCatalogue(data) {
    var ids = [];
    var previous = "";
    data.ids.split(",").forEach(function (item) {
      var end = 0;
      while (DIGITS.indexOf(item[end]) >= 32) end++;
      var shared = decode(item, 0, end + 1)[0];
      previous = previous.slice(0, shared) + item.slice(end + 1);
      ids.push(previous);
    });
    var numbers = decode(data.facets);
    var at = 0;
    data.documents = ids.map(function (id) {
      var doc = { id: id, year: data.years[numbers[at++]], type: numbers[at++] - 1 };
      doc.tags = numbers.slice(at + 1, at + 1 + numbers[at]);
      at += 1 + numbers[at];
      doc.languages = numbers[at++];
      doc.entities = numbers.slice(at + 1, at + 1 + numbers[at]);
      at += 1 + numbers[at];
      return doc;
    });
    data.languageCodes = Object.keys(data.languages).sort();
    return data;
  }

  load("catalogue").then(function (data) {
    catalogue = data && readCatalogue(data);
    if (!data) {
      status.textContent = "The search index is missing.";
      page.setAttribute("aria-busy", "false");
      return;
    }
    var factory = window.snowballFactory;
    Object.keys(data.languages).forEach(function (l) {
      var name = data.languages[l].stemmer;
      if (name && factory) stemmers.push(factory.newStemmer(name));
    });
    var header = document.querySelector("#site-search-q");
    if (header) header.value = "";
    show();
  });
})();
