// Instant filter for the list of responses: by topic and by words, across every response.
// Without JavaScript the list is browsable by topic and page; this only enhances it. What the
// site calls its responses and topics comes from the form's data attributes.
(function () {
  "use strict";
  var form = document.querySelector("form.responses-filter");
  var list = document.querySelector("ul.responses-list");
  if (!form || !list || !window.fetch) {
    return;
  }
  var text = document.getElementById("responses-filter-text");
  var topic = document.getElementById("responses-filter-topic");
  var status = document.getElementById("responses-filter-status");
  var pagination = document.querySelector(".pagination");
  var name = form.getAttribute("data-name");
  var singular = form.getAttribute("data-singular");
  var topicName = form.getAttribute("data-topic");
  var original = Array.prototype.slice.call(list.children);
  var loaded = null;
  var timer = null;
  form.hidden = false;

  function load() {
    if (!loaded) {
      loaded = fetch(form.getAttribute("data-responses-url"))
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (items) {
          return items.map(card);
        });
    }
    return loaded;
  }

  // One response as a card, built with DOM APIs so no text is ever read as HTML.
  function card(item) {
    var element = document.createElement("li");
    element.className = "card response-card";
    element.setAttribute("data-topics", item.topic_slugs);
    var heading = document.createElement("h3");
    heading.className = "card__title";
    var link = document.createElement("a");
    link.href = new URL(item.permalink).pathname;
    link.textContent = singular + " " + item.number;
    heading.appendChild(link);
    var meta = document.createElement("p");
    meta.className = "card__meta";
    meta.textContent = item.respondent || (item.anonymous ? "Published anonymously" : "Respondent not named");
    var body = document.createElement("p");
    body.className = "card__text";
    body.textContent = item.text;
    element.appendChild(heading);
    element.appendChild(meta);
    element.appendChild(body);
    element.searchText = (item.text + " " + item.respondent + " " + item.topics).toLowerCase();
    return { element: element, topics: " " + item.topic_slugs + " " };
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
      status.textContent = "Showing the " + name + " of this page. Type a word or choose a " + topicName +
        " to filter all " + name + ".";
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
      status.textContent = shown === 1 ? "1 " + singular.toLowerCase() + " matches." : shown + " " + name + " match.";
    }, function () {
      status.textContent = "The " + name + " could not be loaded. Browse them by " + topicName + " instead.";
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
