// Live reload for `chorus serve`. The server adds this script, and the page's state
// (#chorus-live-state: which build the page came from, and the current build errors),
// to every page it serves; `chorus build` never ships it.
//
// Events, from <base>__chorus/events:
//   reload: a newer good build exists; load it.
//   css:    the only change was to stylesheets; swap them without losing the scroll position.
//   error:  the latest build failed; show its errors over the last good page until a good
//           build replaces it.
//   hello:  nothing new.
(function () {
  "use strict";

  var script = document.currentScript;
  var stateElement = document.getElementById("chorus-live-state");
  var state = { instance: "", generation: 0, errors: [] };
  try {
    state = JSON.parse(stateElement.textContent);
  } catch (e) {
    // A page without its state still reloads; it just cannot say which build it shows.
  }
  var overlay = null;

  function clearErrors() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function locationOf(error) {
    var where = error.file || "";
    if (error.line) {
      where += ":" + error.line;
      if (error.column) {
        where += ":" + error.column;
      }
    }
    return where;
  }

  // The overlay is built from elements and text nodes only, never from HTML strings, so
  // nothing in an error message can run or break the page.
  function showErrors(errors) {
    clearErrors();
    overlay = document.createElement("section");
    overlay.id = "chorus-error-overlay";
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-labelledby", "chorus-error-heading");
    var style = overlay.style;
    style.position = "fixed";
    style.left = "1rem";
    style.right = "1rem";
    style.bottom = "1rem";
    style.maxHeight = "60vh";
    style.overflow = "auto";
    style.zIndex = "2147483647";
    style.padding = "1rem 1.25rem";
    style.background = "#ffffff";
    style.color = "#0b0c0c";
    style.border = "5px solid #d4351c";
    style.boxShadow = "0 0 0 3px #ffffff";
    style.font = "1rem/1.4 system-ui, sans-serif";

    var heading = document.createElement("h2");
    heading.id = "chorus-error-heading";
    heading.textContent = errors.length === 1 ? "The site did not build: 1 error" : "The site did not build: " + errors.length + " errors";
    heading.style.margin = "0 0 0.5rem";
    overlay.appendChild(heading);

    var note = document.createElement("p");
    note.textContent = "This is the last version that built. Fix the file and save: this page updates by itself.";
    note.style.margin = "0 0 0.5rem";
    overlay.appendChild(note);

    var list = document.createElement("ul");
    list.style.margin = "0";
    list.style.paddingLeft = "1.25rem";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      item.className = "chorus-error";
      var where = document.createElement("code");
      where.className = "chorus-error__location";
      where.textContent = locationOf(error);
      item.appendChild(where);
      item.appendChild(document.createTextNode(" "));
      var message = document.createElement("span");
      message.className = "chorus-error__message";
      message.textContent = error.message || "";
      item.appendChild(message);
      if (error.help) {
        var help = document.createElement("p");
        help.textContent = "Help: " + error.help;
        help.style.margin = "0.25rem 0 0";
        item.appendChild(help);
      }
      list.appendChild(item);
    });
    overlay.appendChild(list);

    var hide = document.createElement("button");
    hide.type = "button";
    hide.textContent = "Hide until the next build";
    hide.style.marginTop = "0.75rem";
    hide.addEventListener("click", clearErrors);
    overlay.appendChild(hide);

    document.body.appendChild(overlay);
  }

  // Each stylesheet link whose URL the change names gets a new link beside it; the old
  // one goes once the new one has loaded, so the page never shows unstyled.
  function swapStylesheets(changes) {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var path = new URL(link.href, location.href).pathname;
      var change = changes.find(function (c) {
        return c.from === path;
      });
      if (!change) {
        return;
      }
      var next = link.cloneNode(false);
      var url = new URL(change.to, location.href);
      url.searchParams.set("chorus-reload", stamp);
      next.href = url.href;
      var done = function () {
        link.remove();
      };
      next.addEventListener("load", done);
      next.addEventListener("error", done);
      link.after(next);
    });
  }

  if (state.errors && state.errors.length) {
    showErrors(state.errors);
  }

  var url = new URL("events", script.src);
  url.searchParams.set("instance", state.instance);
  url.searchParams.set("since", String(state.generation));
  const source = new EventSource(url.href);

  source.addEventListener("reload", function () {
    source.close();
    location.reload();
  });
  // The server counts the swap as this page's build; only a reconnection after a dropped
  // connection asks again from the build the page loaded with, and then reloads.
  source.addEventListener("css", function (event) {
    clearErrors();
    swapStylesheets(JSON.parse(event.data).stylesheets);
  });
  // EventSource also fires "error" when the connection drops; only the server's own
  // events carry data.
  source.addEventListener("error", function (event) {
    if (typeof event.data === "string") {
      showErrors(JSON.parse(event.data).errors);
    }
  });
})();
