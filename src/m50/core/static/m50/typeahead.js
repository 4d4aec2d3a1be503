/*
 * Type-ahead for the search box in the header: suggestions while typing, as the WAI-ARIA
 * combobox pattern (a text box that controls a listbox; the option is "active" through
 * aria-activedescendant, so focus stays in the box).
 *
 * Progressive enhancement: without this script the box is a plain form that submits to the
 * search page, and it still is when nothing is chosen. The form names the JSON endpoint and
 * the texts (translated by the server) in data-suggestions-* attributes. No inline styles:
 * the look is in site.css, shown and hidden with the hidden attribute.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 150;
  var MIN_LENGTH = 2;

  function enhance(form) {
    var input = form.querySelector("input[name='zoek']");
    var endpoint = form.getAttribute("data-suggestions-url");
    if (!input || !endpoint || !window.fetch) {
      return;
    }
    var prefix = input.id || "m50-zoek";
    var listbox = document.createElement("ul");
    listbox.id = prefix + "-suggesties";
    listbox.className = "m50-typeahead__list";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", form.getAttribute("data-suggestions-label") || "");
    listbox.hidden = true;
    var status = document.createElement("div");
    status.className = "m50-visually-hidden";
    status.setAttribute("role", "status");
    input.insertAdjacentElement("afterend", listbox);
    form.appendChild(status);
    form.classList.add("m50-typeahead");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    var suggestions = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var asked = 0;

    function say(count) {
      var text = "";
      if (count === 1) {
        text = form.getAttribute("data-suggestions-one") || "";
      } else if (count > 1) {
        text = (form.getAttribute("data-suggestions-many") || "").replace("{count}", count);
      }
      status.textContent = text;
    }

    function isOpen() {
      return !listbox.hidden;
    }

    function setActive(index) {
      var options = listbox.children;
      for (var i = 0; i < options.length; i++) {
        var chosen = i === index;
        options[i].setAttribute("aria-selected", chosen ? "true" : "false");
        options[i].classList.toggle("m50-typeahead__option--active", chosen);
      }
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        if (options[index].scrollIntoView) {
          options[index].scrollIntoView({ block: "nearest" });
        }
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (suggestions.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
    }

    function isOwnPath(url) {
      // Only the platform's own pages: a path, never another origin ("//host").
      return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/";
    }

    function go(index) {
      var suggestion = suggestions[index];
      if (suggestion && isOwnPath(suggestion.url)) {
        close();
        window.location.assign(suggestion.url);
      }
    }

    function show(found) {
      suggestions = found.filter(function (s) {
        return s && typeof s.title === "string" && isOwnPath(s.url);
      });
      listbox.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.className = "m50-typeahead__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var title = document.createElement("span");
        title.className = "m50-typeahead__title";
        title.textContent = suggestion.title;
        option.appendChild(title);
        if (suggestion.kind) {
          var kind = document.createElement("span");
          kind.className = "m50-typeahead__kind";
          kind.textContent = suggestion.kind;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(kind);
        }
        listbox.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (suggestions.length) {
        open();
      } else {
        close();
      }
      say(suggestions.length);
    }

    function ask() {
      var text = input.value;
      if (text.trim().length < MIN_LENGTH) {
        if (controller) {
          controller.abort();
        }
        show([]);
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = window.AbortController ? new AbortController() : null;
      var number = ++asked;
      var url = endpoint + "?zoek=" + encodeURIComponent(text);
      fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (found) {
          // An answer to an older text than the box now holds is dropped.
          if (number === asked && Array.isArray(found)) {
            show(found);
          }
        })
        .catch(function () {
          // No suggestions (offline, aborted): the box still submits to the search page.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = suggestions.length;
      switch (event.key) {
        case "ArrowDown":
          if (!count) {
            return;
          }
          event.preventDefault();
          if (!isOpen()) {
            open();
            if (event.altKey) {
              return;
            }
          }
          setActive(active + 1 >= count ? 0 : active + 1);
          break;
        case "ArrowUp":
          if (!count) {
            return;
          }
          event.preventDefault();
          open();
          setActive(active <= 0 ? count - 1 : active - 1);
          break;
        case "Enter":
          // With an option chosen, open it; otherwise the form searches as it always did.
          if (isOpen() && active >= 0) {
            event.preventDefault();
            go(active);
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    // A pointer chooses an option without taking the focus from the box.
    listbox.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role='option']");
      if (option) {
        go(Array.prototype.indexOf.call(listbox.children, option));
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-suggestions-url]");
    for (var i = 0; i < forms.length; i++) {
      enhance(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
