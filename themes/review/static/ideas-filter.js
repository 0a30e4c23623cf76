// Instant filter for the ideas index: by topic and by words, across every idea.
// Without JavaScript the index is browsable by topic and page; this only enhances it.
(function () {
  "use strict";
  var form = document.querySelector("form.ideas-filter");
  var list = document.querySelector("ul.ideas-list");
  if (!form || !list || !window.fetch) {
    return;
  }
  var text = document.getElementById("ideas-filter-text");
  var topic = document.getElementById("ideas-filter-topic");
  var status = document.getElementById("ideas-filter-status");
  var pagination = document.querySelector(".pagination");
  var original = Array.prototype.slice.call(list.children);
  var loaded = null;
  var timer = null;
  form.hidden = false;

  function load() {
    if (!loaded) {
      loaded = fetch(form.getAttribute("data-ideas-url"))
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (ideas) {
          return ideas.map(card);
        });
    }
    return loaded;
  }

  // One idea as a card, built with DOM APIs so no text is ever read as HTML.
  function card(idea) {
    var item = document.createElement("li");
    item.className = "card idea-card";
    item.setAttribute("data-topics", idea.topic_slugs);
    var heading = document.createElement("h3");
    heading.className = "card__title";
    var link = document.createElement("a");
    link.href = new URL(idea.permalink).pathname;
    link.textContent = "Idea " + idea.number;
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "card__meta";
    meta.textContent = idea.respondent || (idea.anonymous ? "Published anonymously" : "Respondent not named");
    var body = document.createElement("p");
    body.className = "card__text";
    body.textContent = idea.text;
    item.appendChild(heading);
    item.appendChild(meta);
    item.appendChild(body);
    item.searchText = (idea.text + " " + idea.respondent + " " + idea.topics).toLowerCase();
    return { element: item, topics: " " + idea.topic_slugs + " " };
  }

  function words(value) {
    return value.toLowerCase().split(/\s+/).filter(Boolean);
  }

  function apply() {
    var wanted = words(text.value);
    var slug = topic.value;
    if (!wanted.length && !slug) {
      list.replaceChildren.apply(list, original);
      if (pagination) {
        pagination.hidden = false;
      }
      status.textContent = "Showing the ideas of this page. Type a word or choose a topic to filter all ideas.";
      return;
    }
    load().then(function (cards) {
      var shown = 0;
      cards.forEach(function (c) {
        var match = (!slug || c.topics.indexOf(" " + slug + " ") !== -1) &&
          wanted.every(function (w) { return c.element.searchText.indexOf(w) !== -1; });
        c.element.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      if (list.firstElementChild !== cards[0].element) {
        list.replaceChildren.apply(list, cards.map(function (c) { return c.element; }));
      }
      if (pagination) {
        pagination.hidden = true;
      }
      status.textContent = shown === 1 ? "1 idea matches." : shown + " ideas match.";
    }, function () {
      status.textContent = "The ideas could not be loaded. Browse them by topic instead.";
    });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(apply, 250);
  }

  text.addEventListener("input", schedule);
  topic.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
})();
