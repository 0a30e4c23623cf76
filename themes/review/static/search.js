// The search page: reads the sharded index that `chorus build` writes (docs/search.md),
// fetching only the shards a query's words live in and the stored documents of the
// results on show. No dependencies; under node it exports its text pipeline for the
// parity test instead of starting (tests/search-parity/).
(function () {
  "use strict";

  // ---- The text pipeline: the same steps, in the same order, as src/search/analysis.rs.

  // Rust's char::is_whitespace (Unicode White_Space) and the hyphen split tokens.
  var SEPARATOR = "\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000-";
  var SEPARATORS = new RegExp("[" + SEPARATOR + "]+");
  var EDGES = /^[^0-9A-Za-z_]+|[^0-9A-Za-z_]+$/g;
  var STOP_WORDS = new Set(("|a|able|about|across|after|all|almost|also|am|among|an|and|any|are|as|at|be|because|" +
    "been|but|by|can|cannot|could|dear|did|do|does|either|else|ever|every|for|from|get|got|had|has|have|he|her|" +
    "hers|him|his|how|however|i|if|in|into|is|it|its|just|least|let|like|likely|may|me|might|most|must|my|" +
    "neither|no|nor|not|of|off|often|on|only|or|other|our|own|rather|said|say|says|she|should|since|so|some|" +
    "than|that|the|their|them|then|there|these|they|this|tis|to|too|twas|us|wants|was|we|were|what|when|where|" +
    "which|while|who|whom|why|will|with|would|yet|you|your").split("|"));

  // elasticlunr's tokenizer, then curly apostrophes folded and a possessive 's dropped.
  function tokenize(text) {
    return text.split(SEPARATORS).filter(Boolean).map(function (word) {
      var token = word.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(EDGES, "");
      return token.slice(-2) === "'s" ? token.slice(0, -2) : token;
    });
  }

  // Trimmer, stop-word filter and stemmer; "" for a token the pipeline drops.
  function term(token) {
    var trimmed = token.replace(EDGES, "");
    return STOP_WORDS.has(trimmed) ? "" : stem(trimmed);
  }

  function analyse(text) {
    return tokenize(text).map(term).filter(Boolean);
  }

  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  // The Porter stemmer of elasticlunr-rs (from rust-stem), over UTF-8 bytes as it works.
  function stem(word) {
    var b = encoder.encode(word);
    if (b.length <= 2) return word;
    for (var x = 0; x < b.length; x++) if (b[x] >= 65 && b[x] <= 90) b[x] += 32;
    var k = b.length;
    var j = 0;
    function vowel(c) { return c === 97 || c === 101 || c === 105 || c === 111 || c === 117; }
    function cons(i) { return b[i] === 121 ? i === 0 || !cons(i - 1) : !vowel(b[i]); }
    function measure() {
      var n = 0;
      var i = 0;
      for (;;) { if (i >= j) return n; if (!cons(i)) break; i++; }
      i++;
      for (;;) {
        for (;;) { if (i >= j) return n; if (cons(i)) break; i++; }
        i++;
        n++;
        for (;;) { if (i >= j) return n; if (!cons(i)) break; i++; }
        i++;
      }
    }
    function hasVowel() { for (var i = 0; i < j; i++) if (!cons(i)) return true; return false; }
    function double(i) { return i >= 1 && b[i] === b[i - 1] && b[i] < 128 && cons(i); }
    function cvc(i) {
      return i >= 2 && cons(i) && !cons(i - 1) && cons(i - 2) && b[i] !== 119 && b[i] !== 120 && b[i] !== 121;
    }
    function ends(s) {
      var n = s.length;
      if (n > k) return false;
      for (var i = 0; i < n; i++) if (b[k - n + i] !== s.charCodeAt(i)) return false;
      j = k - n;
      return true;
    }
    function setTo(s) {
      for (var i = 0; i < s.length; i++) b[j + i] = s.charCodeAt(i);
      k = j + s.length;
    }
    function r(s) { if (measure() > 0) setTo(s); }
    // Each list is tried in order; the first suffix that ends the word is replaced, if
    // what precedes it has a measure above 0, and the rest are skipped.
    function rules(list) {
      for (var i = 0; i < list.length; i += 2) if (ends(list[i])) { r(list[i + 1]); return; }
    }
    var STEP2 = {
      a: ["ational", "ate", "tional", "tion"], c: ["enci", "ence", "anci", "ance"], e: ["izer", "ize"],
      l: ["bli", "ble", "alli", "al", "entli", "ent", "eli", "e", "ousli", "ous"],
      o: ["ization", "ize", "ation", "ate", "ator", "ate"],
      s: ["alism", "al", "iveness", "ive", "fulness", "ful", "ousness", "ous"],
      t: ["aliti", "al", "iviti", "ive", "biliti", "ble"], g: ["logi", "log"]
    };
    var STEP3 = { e: ["icate", "ic", "ative", "", "alize", "al"], i: ["iciti", "ic"], l: ["ical", "ic", "ful", ""], s: ["ness", ""] };
    var STEP4 = {
      a: ["al"], c: ["ance", "ence"], e: ["er"], i: ["ic"], l: ["able", "ible"], n: ["ant", "ement", "ment", "ent"],
      s: ["ism"], t: ["ate", "iti"], u: ["ous"], v: ["ive"], z: ["ize"]
    };

    // Step 1ab: plurals, -ed and -ing.
    if (b[k - 1] === 115) {
      if (ends("sses")) k -= 2;
      else if (ends("ies")) setTo("i");
      else if (b[k - 2] !== 115) k -= 1;
    }
    if (ends("eed")) {
      if (measure() > 0) k -= 1;
    } else if ((ends("ed") || ends("ing")) && hasVowel()) {
      k = j;
      if (ends("at")) setTo("ate");
      else if (ends("bl")) setTo("ble");
      else if (ends("iz")) setTo("ize");
      else if (double(k - 1)) {
        k -= 1;
        if (b[k - 1] === 108 || b[k - 1] === 115 || b[k - 1] === 122) k += 1;
      } else if (measure() === 1 && cvc(k - 1)) setTo("e");
    }
    // Step 1c: a final y after a non-vowel (y counts as one here) becomes i.
    if (k > 2 && ends("y") && !vowel(b[k - 2])) b[k - 1] = 105;
    // Step 2 and 3: double and -ic-, -ful, -ness suffixes, chosen by a letter near the end.
    if (k >= 2) rules(STEP2[String.fromCharCode(b[k - 2])] || []);
    rules(STEP3[String.fromCharCode(b[k - 1])] || []);
    // Step 4: -ant, -ence and the like go in a word with a measure above 1.
    if (k >= 2) {
      var letter = String.fromCharCode(b[k - 2]);
      var matched = letter === "o"
        ? (ends("ion") && j > 0 && (b[j - 1] === 115 || b[j - 1] === 116)) || ends("ou")
        : (STEP4[letter] || []).some(ends);
      if (matched && measure() > 1) k = j;
    }
    // Step 5: a final -e, and -ll to -l.
    j = k;
    if (b[k - 1] === 101) {
      var m = measure();
      if (m > 1 || (m === 1 && !cvc(k - 2))) k -= 1;
    }
    if (b[k - 1] === 108 && double(k - 1) && measure() > 1) k -= 1;
    return decoder.decode(b.subarray(0, k));
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { tokenize: tokenize, analyse: analyse, stem: stem };
    return;
  }

  // ---- The index: the manifest, then shards and stored documents on demand.

  var PAGE = 10; // results shown at once
  var MIN_PREFIX = 3; // a last word this long or longer also matches longer terms
  var TYPING_PAUSE = 250; // ms without a key press before the query runs
  var ANNOUNCE_PAUSE = 700; // ms more before the count reaches the live region
  var app = document.getElementById("search-app");
  var indexUrl = new URL(app.getAttribute("data-index-url"), location.href);
  var fetched = new Map();

  function load(url) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      }).catch(function (error) {
        fetched.delete(url); // so that a later query tries again
        throw error;
      }));
    }
    return fetched.get(url);
  }

  var manifest = load(indexUrl.href).then(function (m) {
    if (m.version !== 1) throw new Error("unknown index format " + m.version);
    return m;
  });

  // The shard that holds `word`: the last whose first term is not after it.
  function shardOf(m, word) {
    var low = 0;
    var high = m.shards.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (m.shards[mid][0] <= word) low = mid; else high = mid - 1;
    }
    return low;
  }

  var sortedTerms = new WeakMap();
  function shard(m, i) {
    return load(new URL(m.shards[i][1], indexUrl).href).then(function (s) {
      if (!sortedTerms.has(s)) sortedTerms.set(s, Object.keys(s).sort());
      return s;
    });
  }

  // The documents of `word` with their scores, and the terms that matched: the word itself
  // and, to expand a partly typed last word, the longer terms it starts, whose scores are
  // weighted down as elasticlunr's expansion does.
  function lookup(m, word, expand) {
    var last = expand ? shardOf(m, word + "\uffff") : shardOf(m, word);
    var wanted = [];
    for (var i = shardOf(m, word); i <= last; i++) wanted.push(shard(m, i));
    return Promise.all(wanted).then(function (shards) {
      var scores = new Map();
      var keys = [];
      shards.forEach(function (s) {
        sortedTerms.get(s).forEach(function (key) {
          if (key === word || (expand && key.indexOf(word) === 0)) {
            keys.push(key);
            var weight = key === word ? 1 : (1 - (key.length - word.length) / key.length) * 0.15;
            var postings = s[key];
            for (var p = 0, doc = 0; p < postings.length; p += 2) {
              doc += postings[p];
              scores.set(doc, (scores.get(doc) || 0) + postings[p + 1] * weight);
            }
          }
        });
      });
      return { scores: scores, keys: keys };
    });
  }

  // Documents that have every word (or, when none has, any word: fewer matched words,
  // lower score), best first.
  function search(m, query) {
    var words = analyse(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    var partial = query.length > 0 && !SEPARATORS.test(query.slice(-1));
    return Promise.all(words.map(function (word, i) {
      return lookup(m, word, partial && i === words.length - 1 && word.length >= MIN_PREFIX);
    })).then(function (found) {
      var total = new Map();
      var count = new Map();
      found.forEach(function (f) {
        f.scores.forEach(function (score, doc) {
          total.set(doc, (total.get(doc) || 0) + score);
          count.set(doc, (count.get(doc) || 0) + 1);
        });
      });
      var docs = [];
      total.forEach(function (score, doc) {
        if (count.get(doc) === found.length) docs.push({ doc: doc, score: score });
      });
      var all = docs.length > 0;
      if (!all) {
        total.forEach(function (score, doc) { docs.push({ doc: doc, score: score * count.get(doc) / found.length }); });
      }
      docs.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      var keys = new Set();
      found.forEach(function (f) { f.keys.forEach(function (k) { keys.add(k); }); });
      return { docs: docs, all: all, keys: keys };
    });
  }

  function stored(m, doc) {
    var chunk = Math.floor(doc / m.chunk_size);
    return load(new URL(m.chunks + chunk + ".json", indexUrl).href).then(function (list) {
      return list[doc % m.chunk_size];
    });
  }

  // ---- The page.

  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var facetsBox = document.getElementById("search-facets");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var fallback = document.querySelector(".search-fallback");
  var state = { q: "", filters: {} };
  var result = null;
  var shown = 0;
  var generation = 0;
  var typing = false;
  var openFacets = new Set(); // facets the reader opened, kept open across searches
  var searchTimer = 0;
  var announceTimer = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    state = { q: params.get("q") || "", filters: {} };
    ["kind", "summary", "voice", "theme"].forEach(function (key) {
      var values = params.getAll(key);
      if (values.length) state.filters[key] = values;
    });
    input.value = state.q;
  }

  function writeUrl(push) {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    Object.keys(state.filters).forEach(function (key) {
      state.filters[key].forEach(function (v) { params.append(key, v); });
    });
    var search = params.toString();
    var url = location.pathname + (search ? "?" + search : "");
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
  }

  // Whether document `item` passes every filter but `skip`'s.
  function passes(m, item, skip) {
    return m.facets.every(function (facet, f) {
      var wanted = state.filters[facet.key];
      if (!wanted || facet.key === skip) return true;
      var values = f < 3 ? [item[f]] : item.slice(3);
      return values.some(function (v) { return v >= 0 && wanted.indexOf(facet.values[v][0]) >= 0; });
    });
  }

  function filtered(m) {
    return result.docs.filter(function (d) { return passes(m, m.items[d.doc], null); });
  }

  function run(announceNow) {
    var mine = ++generation;
    return manifest.then(function (m) {
      if (!state.q.trim()) {
        result = null;
        render(m, announceNow);
        return;
      }
      return search(m, state.q).then(function (found) {
        if (mine !== generation) return;
        result = found;
        render(m, announceNow);
      });
    }).catch(failed);
  }

  function render(m, announceNow) {
    list.textContent = "";
    shown = 0;
    renderFacets(m);
    if (!result) {
      more.hidden = true;
      setStatus("", true);
      return;
    }
    var docs = filtered(m);
    var n = docs.length;
    var text = n === 0 ? "No results for " : n + (n === 1 ? " result for " : " results for ");
    text += "\u201c" + state.q.trim() + "\u201d";
    if (n > 0 && !result.all) text += ", containing some of the words (none has them all)";
    if (n === 0 && result.docs.length > 0) text += " with the chosen filters";
    setStatus(text, announceNow);
    showMore(m, docs, false);
  }

  // Shows the next page of results; `focus` moves the keyboard to the first one added.
  function showMore(m, docs, focus) {
    var mine = generation;
    var page = docs.slice(shown, shown + PAGE);
    shown += page.length;
    more.hidden = shown >= docs.length;
    Promise.all(page.map(function (d) { return stored(m, d.doc); })).then(function (records) {
      if (mine !== generation) return;
      var first = null;
      records.forEach(function (record, i) {
        var item = renderResult(m, record, m.items[page[i].doc]);
        list.appendChild(item);
        first = first || item.querySelector("a");
      });
      if (focus && first) first.focus();
    }).catch(failed);
  }

  function renderResult(m, record, item) {
    var li = el("li", "search-result");
    var heading = el("h3", "search-result__title");
    var link = el("a", "", record.title);
    link.href = record.url;
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = [m.facets[0].values[item[0]][1]];
    if (item[1] >= 0) meta.push(m.facets[1].values[item[1]][1]);
    if (record.speaker) meta.push(record.speaker);
    li.appendChild(el("p", "search-result__meta", meta.join(" \u00b7 ")));
    li.appendChild(teaser(record.text));
    return li;
  }

  // About forty words of `text` from just before its first matched word, with every
  // matched word in <mark>.
  function teaser(text) {
    var p = el("p", "search-result__teaser");
    var words = [];
    var re = new RegExp("[^" + SEPARATOR + "]+", "g");
    var match;
    var first = -1;
    while ((match = re.exec(text))) {
      var hit = tokenize(match[0]).some(function (t) { return result.keys.has(term(t)); });
      if (hit && first < 0) first = words.length;
      words.push({ index: match.index, end: re.lastIndex, hit: hit });
    }
    var start = Math.max(0, first - 10);
    var stop = Math.min(words.length, start + 40);
    if (words.length === 0) return p;
    var from = words[start].index;
    if (start > 0) p.appendChild(document.createTextNode("\u2026 "));
    for (var i = start; i < stop; i++) {
      if (!words[i].hit) continue;
      var core = text.slice(words[i].index, words[i].end);
      var lead = core.length - core.replace(/^[^\p{L}\p{N}_]+/u, "").length;
      var tail = core.length - core.replace(/[^\p{L}\p{N}_]+$/u, "").length;
      p.appendChild(document.createTextNode(text.slice(from, words[i].index + lead)));
      p.appendChild(el("mark", "", text.slice(words[i].index + lead, words[i].end - tail)));
      from = words[i].end - tail;
    }
    p.appendChild(document.createTextNode(text.slice(from, words[stop - 1].end)));
    if (stop < words.length || words[stop - 1].end < text.length) p.appendChild(document.createTextNode(" \u2026"));
    return p;
  }

  // One disclosure per facet, open while it filters, its values by count; a value stays
  // listed while it is chosen, even when no result has it.
  function renderFacets(m) {
    facetsBox.textContent = "";
    facetsBox.hidden = !result || result.docs.length === 0;
    if (facetsBox.hidden) return;
    facetsBox.appendChild(el("h2", "search-facets__title", "Filter results"));
    m.facets.forEach(function (facet, f) {
      var counts = new Map();
      result.docs.forEach(function (d) {
        var item = m.items[d.doc];
        if (!passes(m, item, facet.key)) return;
        (f < 3 ? [item[f]] : item.slice(3)).forEach(function (v) {
          if (v >= 0) counts.set(v, (counts.get(v) || 0) + 1);
        });
      });
      var wanted = state.filters[facet.key] || [];
      var values = facet.values.map(function (v, i) { return i; }).filter(function (i) {
        return counts.has(i) || wanted.indexOf(facet.values[i][0]) >= 0;
      });
      if (values.length === 0) return;
      values.sort(function (a, b) { return (counts.get(b) || 0) - (counts.get(a) || 0) || a - b; });
      var details = el("details", "search-facet");
      details.setAttribute("data-facet", facet.key);
      details.open = wanted.length > 0 || openFacets.has(facet.key);
      details.addEventListener("toggle", function () {
        if (details.open) openFacets.add(facet.key); else openFacets.delete(facet.key);
      });
      details.appendChild(el("summary", "", facet.name));
      var fieldset = el("fieldset");
      fieldset.appendChild(el("legend", "visually-hidden", facet.name));
      var ul = el("ul", "search-facet__values");
      values.forEach(function (i) {
        var slug = facet.values[i][0];
        var li = el("li");
        var box = el("input");
        box.type = "checkbox";
        box.id = "facet-" + facet.key + "-" + slug;
        box.name = facet.key;
        box.value = slug;
        box.checked = wanted.indexOf(slug) >= 0;
        var label = el("label", "", facet.values[i][1] + " ");
        label.htmlFor = box.id;
        label.appendChild(el("span", "search-facet__count", "(" + (counts.get(i) || 0) + ")"));
        li.appendChild(box);
        li.appendChild(label);
        ul.appendChild(li);
      });
      fieldset.appendChild(ul);
      details.appendChild(fieldset);
      facetsBox.appendChild(details);
    });
  }

  function setStatus(text, now) {
    clearTimeout(announceTimer);
    // Screen readers hear the count once typing pauses, not at every keystroke.
    if (now) status.textContent = text;
    else announceTimer = setTimeout(function () { status.textContent = text; }, ANNOUNCE_PAUSE);
  }

  function failed(error) {
    var missing = /^404 /.test(error && error.message);
    setStatus(missing ? "Search is switched off on this site." : "Search could not load its index. Please try again later.", true);
    fallback.hidden = false;
  }

  input.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(function () {
      state.q = input.value;
      // One history entry per search: the first pause in typing adds it, later ones update it.
      writeUrl(!typing);
      typing = true;
      run(false);
    }, TYPING_PAUSE);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(searchTimer);
    state.q = input.value;
    writeUrl(!typing);
    typing = false;
    run(true);
  });

  facetsBox.addEventListener("change", function (event) {
    var box = event.target;
    var values = (state.filters[box.name] || []).filter(function (v) { return v !== box.value; });
    if (box.checked) values.push(box.value);
    if (values.length) state.filters[box.name] = values; else delete state.filters[box.name];
    typing = false;
    writeUrl(true);
    manifest.then(function (m) {
      render(m, true);
      var again = document.getElementById(box.id);
      if (again) again.focus();
    });
  });

  more.addEventListener("click", function () {
    manifest.then(function (m) { showMore(m, filtered(m), true); });
  });

  window.addEventListener("popstate", function () {
    typing = false;
    readUrl();
    run(true);
  });

  fallback.hidden = true;
  app.hidden = false;
  readUrl();
  if (state.q) run(true);
  else manifest.catch(failed);
})();
