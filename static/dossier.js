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

    var facsimile = null;

    function setView(view) {
      // The page images stand beside one text: side by side puts them away.
      if (view === "parallel" && facsimile) facsimile.show(false);
      ["parallel", "original", "translation"].forEach(function (v) {
        article.classList.toggle("view-" + v, v === view);
      });
      press("data-view", view);
      remember("view", view);
      if (facsimile) facsimile.follow();
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
      if (b.hasAttribute("data-facsimile-toggle") && facsimile) {
        var on = b.getAttribute("aria-pressed") !== "true";
        if (on && article.classList.contains("view-parallel")) setView("original");
        facsimile.show(on);
      }
    });
    var select = controls.querySelector("select[data-translation]");
    if (select) select.addEventListener("change", function () { setTranslation(select.value); });

    var single = texts.querySelector(".parallel.single");
    controls.querySelectorAll("[data-view]").forEach(function (b) { b.hidden = !!single; });
    setView(single ? "original" : remembered("view", "parallel"));
    setRendering(remembered("rendering", "diplomatic"));
    setTranslation(remembered("translation", ""));
    facsimile = setupFacsimile(texts, article, controls);
    if (facsimile && remembered("facsimile", "off") === "on") {
      if (article.classList.contains("view-parallel")) setView("original");
      facsimile.show(true);
    }
    controls.hidden = false;
  }

  // --- Facsimile ----------------------------------------------------------------
  // The image of the page being read beside the text: the page of the last page
  // marker above the reading line (a third down the window) in the text shown, or,
  // where that text marks no pages (a translation), in the original's hidden cells
  // of the same rows. Zoom and pan with the buttons, the wheel (with Ctrl, or once
  // zoomed), a drag, two fingers, or the keyboard (+, −, 0, arrows).
  function setupFacsimile(texts, article, controls) {
    var panel = texts.querySelector("[data-facsimile]");
    var toggle = controls.querySelector("[data-facsimile-toggle]");
    if (!panel || !toggle) return null;
    var pages = {};
    var order = [];
    panel.querySelectorAll(".facsimile-pages [data-page]").forEach(function (li) {
      pages[li.getAttribute("data-page")] = li;
      order.push(li.getAttribute("data-page"));
    });
    var frame = panel.querySelector(".facsimile-frame");
    var img = frame.querySelector("img");
    var missing = panel.querySelector(".facsimile-missing");
    var caption = panel.querySelector("figcaption");
    var full = panel.querySelector("[data-full]");
    var current;
    var scale = 1, x = 0, y = 0;
    var on = false;

    function apply() {
      img.style.transform = "translate(" + x + "px, " + y + "px) scale(" + scale + ")";
    }

    // The image fills the frame at scale 1; zoomed, it may not leave a gap.
    function clamp() {
      var w = frame.clientWidth, h = frame.clientHeight;
      x = Math.min(0, Math.max(w - w * scale, x));
      y = Math.min(0, Math.max(h - h * scale, y));
    }

    function fit() {
      scale = 1; x = 0; y = 0;
      apply();
    }

    // Zoom by `factor` keeping the point (px, py) of the frame where it is.
    function zoom(factor, px, py) {
      var next = Math.min(8, Math.max(1, scale * factor));
      if (px === undefined) { px = frame.clientWidth / 2; py = frame.clientHeight / 2; }
      x = px - (px - x) * next / scale;
      y = py - (py - y) * next / scale;
      scale = next;
      clamp();
      apply();
    }

    function pan(dx, dy) {
      x += dx; y += dy;
      clamp();
      apply();
    }

    function showPage(label) {
      if (label === current) return;
      current = label;
      var page = label === undefined ? null : pages[label];
      panel.setAttribute("data-current", label || "");
      var description = page ? page.getAttribute("data-description") : "";
      if (page && page.hasAttribute("data-src")) {
        img.src = page.getAttribute("data-src");
        img.alt = description;
        img.hidden = false;
        missing.hidden = true;
        caption.textContent = description;
        frame.setAttribute("aria-label", description);
        full.href = page.getAttribute("data-full");
        full.hidden = false;
      } else {
        img.hidden = true;
        img.removeAttribute("src");
        img.alt = "";
        missing.hidden = false;
        missing.textContent = label === undefined
          ? "This text marks no pages."
          : "No image of page " + label + ".";
        caption.textContent = label === undefined ? "" : "Page " + label;
        frame.setAttribute("aria-label", missing.textContent);
        full.hidden = true;
      }
      fit();
    }

    // The page markers of the text being read, each with the element whose place
    // on the screen says where its page begins.
    function markers() {
      var all = Array.prototype.slice.call(
        texts.querySelectorAll(".parallel:not(.other-translation) .pb[data-page]"));
      var shown = all.filter(function (m) { return m.getClientRects().length > 0; });
      if (shown.length) return shown.map(function (m) { return [m, m]; });
      return all.map(function (m) { return [m, m.closest(".row") || m]; });
    }

    function follow() {
      if (!on) return;
      var line = window.innerHeight / 3;
      var list = markers();
      var label = list.length ? list[0][0].getAttribute("data-page") : order[0];
      for (var i = 0; i < list.length; i++) {
        if (list[i][1].getBoundingClientRect().top > line) break;
        label = list[i][0].getAttribute("data-page");
      }
      showPage(label);
    }

    var scheduled = false;
    function schedule() {
      if (scheduled) return;
      scheduled = true;
      window.requestAnimationFrame(function () { scheduled = false; follow(); });
    }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);

    function show(state) {
      on = state;
      panel.hidden = !on;
      article.classList.toggle("with-facsimile", on);
      toggle.setAttribute("aria-pressed", String(on));
      remember("facsimile", on ? "on" : "off");
      current = null;
      follow();
    }

    panel.addEventListener("click", function (e) {
      var b = e.target.closest("button[data-zoom]");
      if (b) {
        var how = b.getAttribute("data-zoom");
        if (how === "in") zoom(1.5);
        else if (how === "out") zoom(1 / 1.5);
        else fit();
        return;
      }
      // A thumbnail: to the place in the text where its page begins.
      var thumb = e.target.closest(".facsimile-pages [data-page] a");
      if (thumb) {
        var label = thumb.parentNode.getAttribute("data-page");
        var target = markers().filter(function (m) { return m[0].getAttribute("data-page") === label; })[0];
        if (target) {
          e.preventDefault();
          window.scrollTo({ top: window.scrollY + target[1].getBoundingClientRect().top - window.innerHeight / 3 + 2 });
          showPage(label);
        }
      }
    });

    frame.addEventListener("wheel", function (e) {
      if (!e.ctrlKey && !e.metaKey && scale === 1) return;
      e.preventDefault();
      var r = frame.getBoundingClientRect();
      zoom(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });

    var pointers = {};
    frame.addEventListener("pointerdown", function (e) {
      frame.setPointerCapture(e.pointerId);
      pointers[e.pointerId] = { x: e.clientX, y: e.clientY };
    });
    frame.addEventListener("pointermove", function (e) {
      var last = pointers[e.pointerId];
      if (!last) return;
      var ids = Object.keys(pointers);
      var now = { x: e.clientX, y: e.clientY };
      if (ids.length === 1) {
        pan(now.x - last.x, now.y - last.y);
      } else if (ids.length === 2) {
        // Two fingers: zoom by how much further apart they are, about their middle.
        var other = pointers[ids[0] === String(e.pointerId) ? ids[1] : ids[0]];
        var before = Math.hypot(last.x - other.x, last.y - other.y);
        var after = Math.hypot(now.x - other.x, now.y - other.y);
        var r = frame.getBoundingClientRect();
        if (before > 0) zoom(after / before, (now.x + other.x) / 2 - r.left, (now.y + other.y) / 2 - r.top);
      }
      pointers[e.pointerId] = now;
    });
    ["pointerup", "pointercancel"].forEach(function (type) {
      frame.addEventListener(type, function (e) { delete pointers[e.pointerId]; });
    });
    frame.addEventListener("dblclick", function (e) {
      var r = frame.getBoundingClientRect();
      if (scale > 1) fit(); else zoom(2, e.clientX - r.left, e.clientY - r.top);
    });
    frame.addEventListener("keydown", function (e) {
      var step = frame.clientWidth / 10;
      var keys = {
        "+": function () { zoom(1.5); }, "=": function () { zoom(1.5); },
        "-": function () { zoom(1 / 1.5); }, "_": function () { zoom(1 / 1.5); },
        "0": fit,
        ArrowLeft: function () { pan(step, 0); }, ArrowRight: function () { pan(-step, 0); },
        ArrowUp: function () { pan(0, step); }, ArrowDown: function () { pan(0, -step); }
      };
      if (!keys[e.key] || e.ctrlKey || e.metaKey || e.altKey) return;
      e.preventDefault();
      keys[e.key]();
    });

    toggle.parentNode.hidden = false;
    return { show: show, follow: follow };
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
