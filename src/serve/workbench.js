// The edit panel of `chorus serve` (see src/serve/edit.rs): sends the fields an editor
// changed, with serve's token, and says in the panel's live region what became of them.
// Once the file is written, serve rebuilds and reload.js reloads the page.
(function () {
  "use strict";

  var form = document.getElementById("chorus-edit");
  if (!form) {
    return;
  }
  var status = document.getElementById("chorus-edit-status");
  var reload = document.getElementById("chorus-edit-reload");

  function ticked(name) {
    var boxes = form.querySelectorAll('input[type="checkbox"][name="' + name + '"]');
    return Array.prototype.filter
      .call(boxes, function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  }

  // The panel's values, as the endpoint takes them.
  function values() {
    var notes = ticked("content_note");
    var added = form.elements.new_note.value.trim();
    if (added && notes.indexOf(added) < 0) {
      notes.push(added);
    }
    var now = {
      themes: ticked("themes"),
      content_note: notes,
      privacy_reviewed: form.elements.privacy_reviewed.checked,
      draft: form.elements.draft.checked,
    };
    if (form.elements.voice) {
      now.voice = form.elements.voice.value || null;
    }
    return now;
  }

  var saved = values();

  // Only the fields that differ from what the file holds: the others stay as written.
  function changes(now) {
    var edit = {};
    Object.keys(now).forEach(function (key) {
      if (JSON.stringify(now[key]) !== JSON.stringify(saved[key])) {
        edit[key] = now[key];
      }
    });
    return edit;
  }

  function say(message) {
    status.textContent = message;
  }

  function explain(response, body) {
    var error = (body && body.error) || {};
    var message = error.message || "The server answered " + response.status + ".";
    if (error.help) {
      message += " (" + error.help + ")";
    }
    if (response.status === 409) {
      message = "Not saved: the file changed on disk after this page was made. Reload the page to see it, then make the edit again.";
    }
    reload.hidden = response.status !== 409;
    say(message);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var now = values();
    var edit = changes(now);
    if (Object.keys(edit).length === 0) {
      say("Nothing to save: no field has changed.");
      return;
    }
    say("Saving…");
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Chorus-Token": form.dataset.token },
      body: JSON.stringify({ path: form.dataset.path, hash: form.dataset.hash, edit: edit }),
    })
      .then(function (response) {
        return response.json().catch(function () { return null; }).then(function (body) {
          if (!response.ok) {
            explain(response, body);
            return;
          }
          form.dataset.hash = body.hash;
          saved = now;
          reload.hidden = true;
          say("Saved to content/" + form.dataset.path + ". The page reloads once the site has rebuilt.");
        });
      })
      .catch(function () {
        say("Not saved: chorus serve did not answer. Is it still running?");
      });
  });

  reload.addEventListener("click", function () {
    window.location.reload();
  });
})();
