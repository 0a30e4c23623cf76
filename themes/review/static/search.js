// The search page: reads the sharded index that `chorus build` writes (docs/search.md),
// fetching only the shards a query's words live in and the stored documents of the
// results on show. No dependencies; under node it exports its text pipeline for the
// parity test instead of starting (tests/search-parity/).
(function () {
  "use strict";

  // ---- The text pipeline: the same steps, in the same order, as src/search/analysis.rs.

  // A word is a run of letters and digits of any script, `_` and apostrophes (Rust's
  // char::is_alphanumeric is Unicode Alphabetic or Numeric); every other character parts
  // words: spaces, `/`, brackets, dashes, dots, quotation marks.
  var WORD = "[\\p{Alphabetic}\\p{N}_'\\u2018\\u2019]+";
  var WORDS = new RegExp(WORD, "gu");
  var EDGES = /^[^0-9A-Za-z_]+|[^0-9A-Za-z_]+$/g;
  var STOP_WORDS = new Set(("|a|able|about|across|after|all|almost|also|am|among|an|and|any|are|as|at|be|because|" +
    "been|but|by|can|cannot|could|dear|did|do|does|either|else|ever|every|for|from|get|got|had|has|have|he|her|" +
    "hers|him|his|how|however|i|if|in|into|is|it|its|just|least|let|like|likely|may|me|might|most|must|my|" +
    "neither|no|nor|not|of|off|often|on|only|or|other|our|own|rather|said|say|says|she|should|since|so|some|" +
    "than|that|the|their|them|then|there|these|they|this|tis|to|too|twas|us|wants|was|we|were|what|when|where|" +
    "which|while|who|whom|why|will|with|would|yet|you|your").split("|"));

  // The words of `text` (each one position), as the index splits them.
  function words(text) {
    return text.match(WORDS) || [];
  }

  // One word's token: lower-cased, curly apostrophes folded, trimmed, a possessive 's dropped.
  function token(word) {
    var t = word.toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(EDGES, "");
    return t.slice(-2) === "'s" ? t.slice(0, -2) : t;
  }

  function tokenize(text) {
    return words(text).map(token);
  }

  // Trimmer, stop-word filter and stemmer; "" for a token the pipeline drops.
  function term(token) {
    var trimmed = token.replace(EDGES, "");
    return STOP_WORDS.has(trimmed) ? "" : stem(trimmed);
  }

  function analyse(text) {
    return tokenize(text).map(term).filter(Boolean);
  }

  // The terms of `text` with their positions, as [position, term] pairs; a stop word as
  // its entry, "'" and the trimmed word, which has positions in the index but no score.
  function positioned(text) {
    var out = [];
    tokenize(text).forEach(function (t, i) {
      var trimmed = t.replace(EDGES, "");
      var found = STOP_WORDS.has(trimmed) ? (trimmed ? "'" + trimmed : "") : stem(trimmed);
      if (found) out.push([i, found]);
    });
    return out;
  }

  function isStop(term) {
    return term.charAt(0) === "'";
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
    module.exports = { tokenize: tokenize, analyse: analyse, positioned: positioned, stem: stem };
    return;
  }

  // ---- The index: the manifest, then shards and stored documents on demand.

  var PAGE = 10; // results shown at once
  var MIN_PREFIX = 3; // a last word this long or longer also matches longer terms
  var TYPING_PAUSE = 250; // ms without a key press before a query fetches shards and the address changes
  var ANNOUNCE_PAUSE = 700; // ms more before the count reaches the live region
  var NEAR_BOOST = 2; // at most this much more for words as close together as typed
  var QUOTE_MARKS = /["\u201c\u201d\u201e]/;
  var ENDS_IN_WORD = new RegExp(WORD + "$", "u");
  var app = document.getElementById("search-app");
  var indexUrl = new URL(app.getAttribute("data-index-url"), location.href);
  var fetched = new Map(); // URL → promise of its JSON
  var arrived = new Set(); // URLs whose JSON is here
  var loaded = null; // the manifest, once here

  function load(url) {
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.json();
      }).then(function (json) {
        arrived.add(url);
        return json;
      }).catch(function (error) {
        fetched.delete(url); // so that a later query tries again
        throw error;
      }));
    }
    return fetched.get(url);
  }

  var manifest = load(indexUrl.href).then(function (m) {
    if (m.version !== 2) throw new Error("unknown index format " + m.version);
    loaded = m;
    return m;
  });

  // ---- Queries: phrases in double quotes and loose words, each word with its position.

  // What a query asks for: `phrases`, each a list of {term, at}, whose words must all be
  // in a document at the same distances as typed; `loose`, the other words; and in
  // `lookups` every distinct term to fetch, the last one also as a prefix when it may be
  // partly typed.
  function parse(query) {
    var parts = query.split(QUOTE_MARKS);
    var phrases = [];
    var loose = [];
    var offset = 0;
    var final = null;
    var literal = [];
    parts.forEach(function (part, i) {
      var count = words(part).length;
      if (i % 2 && count) literal.push(tokenize(part).filter(Boolean).join(" "));
      var pairs = positioned(part);
      var terms = pairs.map(function (pair) { return { term: pair[1], at: pair[0] + (i % 2 ? 0 : offset) }; });
      if (i % 2) {
        if (terms.length) phrases.push(terms);
      } else {
        // Loose stop words count for nothing, as in elasticlunr.
        loose = loose.concat(terms.filter(function (t) { return !isStop(t.term); }));
        offset += count;
      }
      if (i === parts.length - 1 && pairs.length && pairs[pairs.length - 1][0] === count - 1) final = terms[terms.length - 1];
    });
    if (final && !isStop(final.term) && final.term.length >= MIN_PREFIX && ENDS_IN_WORD.test(query)) final.prefix = true;
    var lookups = new Map();
    phrases.concat([loose]).forEach(function (terms) {
      terms.forEach(function (t) {
        t.key = t.term + (t.prefix ? "*" : "");
        lookups.set(t.key, t);
      });
    });
    return { phrases: phrases, literal: literal, loose: distinct(loose), lookups: Array.from(lookups.values()) };
  }

  // The first of each term.
  function distinct(terms) {
    var seen = new Set();
    return terms.filter(function (t) { if (seen.has(t.key)) return false; seen.add(t.key); return true; });
  }

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

  // The URLs of the shards a term needs: its own, and for a prefix every one its longer
  // terms may be in.
  function shardUrls(m, t) {
    var urls = [];
    var last = t.prefix ? shardOf(m, t.term + "\uffff") : shardOf(m, t.term);
    for (var i = shardOf(m, t.term); i <= last; i++) urls.push(new URL(m.shards[i][1], indexUrl).href);
    return urls;
  }

  // Whether every file `query` needs is here, so that it can run at once.
  function ready(query) {
    return loaded !== null && parse(query).lookups.every(function (t) {
      return shardUrls(loaded, t).every(function (url) { return arrived.has(url); });
    });
  }

  var sortedTerms = new WeakMap();
  function shard(url) {
    return load(url).then(function (s) {
      if (!sortedTerms.has(s)) sortedTerms.set(s, Object.keys(s).sort());
      return s;
    });
  }

  // The documents of term `t` (doc → {score, positions}) and the index terms that matched:
  // the term itself and, for a prefix, the longer terms it starts, whose scores are
  // weighted down as elasticlunr's expansion does.
  function lookup(m, t) {
    return Promise.all(shardUrls(m, t).map(shard)).then(function (shards) {
      var docs = new Map();
      var keys = [];
      shards.forEach(function (s) {
        sortedTerms.get(s).forEach(function (key) {
          if (key !== t.term && !(t.prefix && key.indexOf(t.term) === 0)) return;
          keys.push(key);
          var weight = key === t.term ? 1 : (1 - (key.length - t.term.length) / key.length) * 0.15;
          decode(s[key], weight, docs);
        });
      });
      return { docs: docs, keys: keys };
    });
  }

  // Adds a shard entry's documents to `into`: [doc gap, score, n, position gap × n, …].
  function decode(list, weight, into) {
    for (var p = 0, doc = 0; p < list.length; p += 3 + list[p + 2]) {
      doc += list[p];
      var positions = [];
      for (var i = 0, at = 0; i < list[p + 2]; i++) positions.push(at += list[p + 3 + i]);
      var hit = into.get(doc);
      if (hit) {
        hit.score += list[p + 1] * weight;
        hit.positions = hit.positions.concat(positions).sort(function (a, b) { return a - b; });
      } else {
        into.set(doc, { score: list[p + 1] * weight, positions: positions });
      }
    }
  }

  function has(sorted, value) {
    var low = 0;
    var high = sorted.length - 1;
    while (low <= high) {
      var mid = (low + high) >> 1;
      if (sorted[mid] === value) return true;
      if (sorted[mid] < value) low = mid + 1; else high = mid - 1;
    }
    return false;
  }

  // The first position where `terms` stand at the distances they have in the query, or -1;
  // `positions(t)` gives a term's positions in the document.
  function phraseAt(terms, positions) {
    var first = positions(terms[0]);
    for (var i = 0; i < first.length; i++) {
      var ok = terms.every(function (t) { return has(positions(t), first[i] + t.at - terms[0].at); });
      if (ok) return first[i];
    }
    return -1;
  }

  // The narrowest stretch of the document holding one of each list of positions:
  // {start, span}.
  function window_(lists) {
    var next = lists.map(function () { return 0; });
    var best = { start: -1, span: Infinity };
    for (;;) {
      var low = 0;
      var high = -Infinity;
      for (var i = 0; i < lists.length; i++) {
        var value = lists[i][next[i]];
        if (value < lists[low][next[low]]) low = i;
        if (value > high) high = value;
      }
      var start = lists[low][next[low]];
      if (high - start < best.span) best = { start: start, span: high - start };
      if (++next[low] >= lists[low].length) return best;
    }
  }

  // How much nearness adds to a document that has `present` of the loose words, whether
  // they are there exactly as typed (stop words apart), and where its best match starts:
  // the closer together the words are, against how far apart they were typed, the more.
  function nearness(present, positions) {
    if (present.length < 2) return { boost: 1, at: present.length ? positions(present[0])[0] : -1, exact: false };
    var exact = phraseAt(present, positions);
    if (exact >= 0) return { boost: 1 + NEAR_BOOST, at: exact, exact: true };
    var near = window_(present.map(positions));
    var typed = present[present.length - 1].at - present[0].at;
    return { boost: 1 + NEAR_BOOST * Math.min(1, typed / near.span), at: near.start, exact: false };
  }

  // Documents with every phrase and every loose word (or, when none has every loose word,
  // some: fewer words, lower score), best first, each with where its best match starts.
  function search(m, query) {
    var q = parse(query);
    return Promise.all(q.lookups.map(function (t) { return lookup(m, t); })).then(function (found) {
      var byKey = new Map();
      var keys = new Set();
      q.lookups.forEach(function (t, i) {
        byKey.set(t.key, found[i].docs);
        found[i].keys.forEach(function (k) { keys.add(k); });
      });
      // The documents of the rarest word of the first phrase, or of any loose word.
      var candidates = new Set();
      var rarest = function (a, b) { return byKey.get(a.key).size <= byKey.get(b.key).size ? a : b; };
      var first = q.phrases.length ? [q.phrases[0].reduce(rarest)] : q.loose;
      first.forEach(function (t) { byKey.get(t.key).forEach(function (hit, doc) { candidates.add(doc); }); });
      var docs = [];
      candidates.forEach(function (doc) {
        var scored = score(q, byKey, doc);
        if (scored) docs.push(scored);
      });
      var all = q.loose.length === 0 || docs.some(function (d) { return d.words === q.loose.length; });
      docs = docs.filter(function (d) { return !all || d.words === q.loose.length; });
      if (!all) docs.forEach(function (d) { d.score *= d.words / q.loose.length; });
      // The words together and in order as typed first, then by score.
      docs.sort(function (a, b) { return b.exact - a.exact || b.score - a.score || a.doc - b.doc; });
      return { docs: docs, all: all, keys: keys, literal: q.literal };
    });
  }

  // Document `doc`'s score for query `q`, or null when it lacks one of the phrases.
  function score(q, byKey, doc) {
    function hit(t) { return byKey.get(t.key).get(doc); }
    function positions(t) { return hit(t).positions; }
    var at = -1;
    for (var i = 0; i < q.phrases.length; i++) {
      if (!q.phrases[i].every(hit)) return null;
      var where = phraseAt(q.phrases[i], positions);
      if (where < 0) return null;
      if (at < 0) at = where;
    }
    var present = q.loose.filter(hit);
    var total = 0;
    distinct(q.phrases.concat([present]).reduce(function (a, b) { return a.concat(b); }, [])).forEach(function (t) {
      total += hit(t).score;
    });
    var near = nearness(present, positions);
    return { doc: doc, score: total * near.boost, words: present.length, exact: near.exact, at: at >= 0 ? at : near.at };
  }

  function stored(m, doc) {
    var starts = m.store.starts;
    var low = 0;
    var high = starts.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (starts[mid] <= doc) low = mid; else high = mid - 1;
    }
    return load(new URL(m.store.folder + low + ".json", indexUrl).href).then(function (list) {
      return list[doc - starts[low]];
    });
  }

  // ---- Filters: a document's values in each facet, and which documents pass.

  // Indexes into `facet.values` of the values document `doc` has.
  function valuesOf(facet, doc) {
    var v = facet.documents[doc];
    return typeof v === "number" ? (v >= 0 ? [v] : []) : v;
  }

  // Whether document `doc` passes every chosen filter but `skip`'s.
  function passes(m, doc, skip) {
    return m.facets.every(function (facet) {
      var wanted = state.filters[facet.key];
      if (!wanted || facet.key === skip) return true;
      return valuesOf(facet, doc).some(function (v) { return wanted.indexOf(facet.values[v][0]) >= 0; });
    });
  }

  function chosen(m) {
    return m.facets.some(function (facet) { return state.filters[facet.key]; });
  }

  // Every document, in the site's order, as a result list: what browsing by filters starts from.
  function everything(m) {
    var docs = [];
    for (var doc = 0; doc < m.documents; doc++) docs.push({ doc: doc, at: -1 });
    return { docs: docs, all: true, keys: new Set(), literal: [], browsing: true };
  }

  function filtered(m) {
    return result.docs.filter(function (d) { return passes(m, d.doc, null); });
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

  // The query and the filters from the address: `q`, and one parameter per facet
  // (`kind`, `summary`, and each taxonomy's key in site.yaml) with the values' slugs.
  function readUrl() {
    var params = new URLSearchParams(location.search);
    state = { q: params.get("q") || "", filters: {} };
    params.forEach(function (value, key) {
      if (key !== "q") (state.filters[key] = state.filters[key] || []).push(value);
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

  function run(announceNow) {
    var mine = ++generation;
    return manifest.then(function (m) {
      if (!state.q.trim()) {
        result = chosen(m) ? everything(m) : null;
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
    setStatus(count(docs.length), announceNow);
    showMore(m, docs, false);
  }

  // What the live region says of `n` results.
  function count(n) {
    var text = n === 0 ? "No results" : n + (n === 1 ? " result" : " results");
    if (result.browsing) return text;
    text += " for \u201c" + state.q.trim() + "\u201d";
    if (n > 0 && !result.all) text += ", containing some of the words (none has them all)";
    if (n === 0 && result.docs.length > 0) text += " with the chosen filters";
    return text;
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
      byLetter(records, page).forEach(function (i) {
        var record = records[i];
        var item = renderResult(m, record, page[i]);
        list.appendChild(item);
        first = first || item.querySelector("a");
      });
      if (focus && first) first.focus();
    }).catch(failed);
  }

  // The order to show a page of results in: the index keeps stems, so a phrase in quotes
  // also finds other forms of its words ("reducing the" finds "reduce the"); those that
  // have the phrases letter for letter (case and apostrophes aside) come first on the page.
  function byLetter(records, page) {
    var order = records.map(function (r, i) { return i; });
    if (!result.literal || result.literal.length === 0) return order;
    var joined = function (text) { return " " + tokenize(text).filter(Boolean).join(" ") + " "; };
    var literal = records.map(function (record) {
      var texts = [joined(record.title), joined(record.text)];
      return result.literal.every(function (phrase) {
        return texts.some(function (text) { return text.indexOf(" " + phrase + " ") >= 0; });
      });
    });
    return order.sort(function (a, b) { return literal[b] - literal[a] || a - b; });
  }

  function renderResult(m, record, found) {
    var li = el("li", "search-result");
    var heading = el("h3", "search-result__title");
    var link = el("a");
    link.href = record.url;
    marked(link, record.title, 0, record.title.length);
    heading.appendChild(link);
    li.appendChild(heading);
    var meta = [m.facets[0].values[m.facets[0].documents[found.doc]][1]];
    var summary = m.facets[1].documents[found.doc];
    if (summary >= 0) meta.push(m.facets[1].values[summary][1]);
    if (record.speaker) meta.push(record.speaker);
    li.appendChild(el("p", "search-result__meta", meta.join(" \u00b7 ")));
    li.appendChild(teaser(record.text, found.at));
    return li;
  }

  // About forty words of `text` around word `at` (from the start when the match is not in
  // the text), with the matched words in <mark>.
  function teaser(text, at) {
    var p = el("p", "search-result__teaser");
    var all = [];
    var re = new RegExp(WORD, "gu");
    var match;
    while ((match = re.exec(text))) all.push([match.index, re.lastIndex]);
    if (all.length === 0) return p;
    var start = at >= 0 && at < all.length ? Math.max(0, at - 10) : 0;
    var stop = Math.min(all.length, start + 40);
    if (start > 0) p.appendChild(document.createTextNode("\u2026 "));
    marked(p, text, all[start][0], all[stop - 1][1]);
    if (all[stop - 1][1] < text.length) p.appendChild(document.createTextNode(" \u2026"));
    return p;
  }

  // Appends `text` from character `from` to `to` to `node`, each run of matched words (with
  // only stop words between them, as in "removed at birth") in one <mark>.
  function marked(node, text, from, to) {
    var re = new RegExp(WORD, "gu");
    re.lastIndex = from;
    var spans = [];
    var extendable = false;
    var match;
    while ((match = re.exec(text)) && re.lastIndex <= to) {
      var t = term(token(match[0]));
      if (result && result.keys.has(t)) {
        // The word without the apostrophes that quote it.
        var start = match.index + match[0].length - match[0].replace(/^['\u2018\u2019]+/, "").length;
        var end = match.index + match[0].replace(/['\u2018\u2019]+$/, "").length;
        if (extendable) spans[spans.length - 1].end = end;
        else spans.push({ start: start, end: end });
        extendable = true;
      } else if (t !== "") {
        extendable = false;
      }
    }
    var at = from;
    spans.forEach(function (span) {
      node.appendChild(document.createTextNode(text.slice(at, span.start)));
      node.appendChild(el("mark", "", text.slice(span.start, span.end)));
      at = span.end;
    });
    node.appendChild(document.createTextNode(text.slice(at, to)));
  }

  // One disclosure per facet, open while it filters, its values by count; a value stays
  // listed while it is chosen, even when no result has it.
  function renderFacets(m) {
    facetsBox.textContent = "";
    var base = result ? result.docs : everything(m).docs;
    facetsBox.hidden = base.length === 0;
    if (facetsBox.hidden) return;
    facetsBox.appendChild(el("h2", "search-facets__title", state.q.trim() ? "Filter results" : "Browse by filter"));
    m.facets.forEach(function (facet) {
      var counts = new Map();
      base.forEach(function (d) {
        if (!passes(m, d.doc, facet.key)) return;
        valuesOf(facet, d.doc).forEach(function (v) { counts.set(v, (counts.get(v) || 0) + 1); });
      });
      var wanted = state.filters[facet.key] || [];
      var values = facet.values.map(function (v, i) { return i; }).filter(function (i) {
        return counts.has(i) || wanted.indexOf(facet.values[i][0]) >= 0;
      });
      if (values.length === 0) return;
      values.sort(function (a, b) { return (counts.get(b) || 0) - (counts.get(a) || 0) || a - b; });
      facetsBox.appendChild(facetBox(facet, values, counts, wanted));
    });
  }

  function facetBox(facet, values, counts, wanted) {
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
    return details;
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

  // A query whose files are here runs at every key press; one that needs more waits for a
  // pause in typing, so that a word typed letter by letter does not fetch a shard per letter.
  input.addEventListener("input", function () {
    state.q = input.value;
    clearTimeout(searchTimer);
    var now = ready(state.q);
    if (now) run(false);
    searchTimer = setTimeout(function () {
      // One history entry per search: the first pause in typing adds it, later ones update it.
      writeUrl(!typing);
      typing = true;
      if (!now) run(false);
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
    run(true).then(function () {
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
  run(true);
})();
