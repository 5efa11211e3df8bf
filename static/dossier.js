// dossier: small enhancements. Every page works without this script.
(function () {
  "use strict";

  // --- Cards ------------------------------------------------------------------
  // A mention (a.mention) names its entry's card on the page with aria-describedby;
  // on hover or keyboard focus a copy of that card floats beside it. Escape closes it.
  var popup = null;

  function hideCard() {
    if (popup) {
      popup.remove();
      popup = null;
    }
  }

  function showCard(link) {
    var card = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!card) return;
    hideCard();
    popup = document.createElement("div");
    popup.className = "card-popup";
    popup.setAttribute("role", "tooltip");
    popup.innerHTML = card.innerHTML;
    document.body.appendChild(popup);
    var r = link.getBoundingClientRect();
    var maxLeft = window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8;
    popup.style.left = Math.max(8, Math.min(window.scrollX + r.left, maxLeft)) + "px";
    popup.style.top = (window.scrollY + r.bottom + 6) + "px";
  }

  function mentionOf(event) {
    var t = event.target;
    return t && t.closest ? t.closest("a.mention[aria-describedby]") : null;
  }

  document.addEventListener("mouseover", function (e) { var m = mentionOf(e); if (m) showCard(m); });
  document.addEventListener("mouseout", function (e) { if (mentionOf(e)) hideCard(); });
  document.addEventListener("focusin", function (e) { var m = mentionOf(e); if (m) showCard(m); else hideCard(); });
  document.addEventListener("focusout", function (e) { if (mentionOf(e)) hideCard(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hideCard(); });

  // --- Views of a document ------------------------------------------------------
  // Side by side / original / translation, diplomatic / reading, and which
  // translation stands beside the original; the reader's choice is remembered.
  function remembered(key, fallback) {
    try { return window.localStorage.getItem("dossier-" + key) || fallback; } catch (e) { return fallback; }
  }

  function remember(key, value) {
    try { window.localStorage.setItem("dossier-" + key, value); } catch (e) { /* private mode */ }
  }

  function setupViews(texts) {
    var article = texts.closest("article") || document.body;
    var controls = texts.querySelector(".view-controls");
    if (!controls) return;

    function press(attribute, value) {
      controls.querySelectorAll("[" + attribute + "]").forEach(function (b) {
        b.setAttribute("aria-pressed", String(b.getAttribute(attribute) === value));
      });
    }

    function setView(view) {
      ["parallel", "original", "translation"].forEach(function (v) {
        article.classList.toggle("view-" + v, v === view);
      });
      press("data-view", view);
      remember("view", view);
    }

    function setRendering(rendering) {
      article.classList.toggle("rendering-reading", rendering === "reading");
      article.classList.toggle("rendering-diplomatic", rendering !== "reading");
      press("data-rendering", rendering);
      var note = texts.querySelector(".rendering-note");
      if (note) note.hidden = rendering === "reading";
      remember("rendering", rendering);
    }

    function setTranslation(lang) {
      var parallels = texts.querySelectorAll(".parallel");
      var known = Array.prototype.some.call(parallels, function (p) { return p.getAttribute("data-translation") === lang; });
      if (!known && parallels.length) lang = parallels[0].getAttribute("data-translation");
      parallels.forEach(function (p) {
        p.classList.toggle("other-translation", p.getAttribute("data-translation") !== lang);
      });
      var select = controls.querySelector("select[data-translation]");
      if (select) select.value = lang;
      remember("translation", lang);
    }

    controls.addEventListener("click", function (e) {
      var b = e.target.closest("button");
      if (!b) return;
      if (b.hasAttribute("data-view")) setView(b.getAttribute("data-view"));
      if (b.hasAttribute("data-rendering")) setRendering(b.getAttribute("data-rendering"));
    });
    var select = controls.querySelector("select[data-translation]");
    if (select) select.addEventListener("change", function () { setTranslation(select.value); });

    var single = texts.querySelector(".parallel.single");
    controls.querySelectorAll("[data-view]").forEach(function (b) { b.hidden = !!single; });
    setView(single ? "original" : remembered("view", "parallel"));
    setRendering(remembered("rendering", "diplomatic"));
    setTranslation(remembered("translation", ""));
    controls.hidden = false;
  }

  // --- Narrow screens -----------------------------------------------------------
  // On a phone the metadata and the headnote would fill the first screens before the
  // text begins: each is folded under its heading, a tap away. Without the script
  // everything stays open.
  function fold(block, label) {
    if (!block) return;
    var details = document.createElement("details");
    details.className = "folded";
    var summary = document.createElement("summary");
    summary.textContent = label;
    details.appendChild(summary);
    block.parentNode.insertBefore(details, block);
    details.appendChild(block);
  }

  function foldForNarrowScreens() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 600px)").matches) return;
    var article = document.querySelector("article.document");
    if (!article) return;
    fold(article.querySelector(".metadata"), "About this document");
    var headnote = article.querySelector("section.headnote");
    if (headnote) {
      var title = headnote.querySelector("h2");
      var body = document.createElement("div");
      while (title && title.nextSibling) body.appendChild(title.nextSibling);
      headnote.appendChild(body);
      fold(body, title ? title.textContent : "Headnote");
      if (title) title.classList.add("visually-hidden");
    }
    // The columns' headings and where each text comes from: each block says its
    // language when the columns are stacked.
    article.querySelectorAll(".parallel .heading-row").forEach(function (row) {
      fold(row, "About the texts");
    });
  }

  // The citation's copy button: the text as it is shown, to the clipboard; where the
  // page may not write to it (opened from a file), the text is selected for the
  // reader to copy.
  function setupCopy(button) {
    var target = document.querySelector(button.getAttribute("data-copy"));
    if (!target) return;
    var status = button.parentNode.querySelector("[role=status]");
    function say(text) {
      if (status) status.textContent = text;
    }
    function select() {
      var range = document.createRange();
      range.selectNodeContents(target);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say("Selected: press Ctrl+C (or ⌘C) to copy.");
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.replace(/\s+/g, " ").trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          say("Citation copied.");
        }, select);
      } else {
        select();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldForNarrowScreens();
    document.querySelectorAll("button[data-copy]").forEach(setupCopy);
    document.querySelectorAll("section.texts").forEach(setupViews);
  });
})();
