// dossier: small enhancements. Every page works without this script.
//
// Cards: a mention (a.mention) names its entry's card on the page with
// aria-describedby; on hover or keyboard focus, a copy of that card floats beside
// the mention. Escape closes it.
(function () {
  "use strict";
  var popup = null;

  function hide() {
    if (popup) {
      popup.remove();
      popup = null;
    }
  }

  function show(link) {
    var card = document.getElementById(link.getAttribute("aria-describedby") || "");
    if (!card) return;
    hide();
    popup = document.createElement("div");
    popup.className = "card-popup";
    popup.setAttribute("role", "tooltip");
    popup.innerHTML = card.innerHTML;
    document.body.appendChild(popup);
    var r = link.getBoundingClientRect();
    var left = Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - popup.offsetWidth - 8);
    popup.style.left = Math.max(8, left) + "px";
    popup.style.top = (window.scrollY + r.bottom + 6) + "px";
  }

  function mentionOf(event) {
    var t = event.target;
    return t && t.closest ? t.closest("a.mention[aria-describedby]") : null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The card replaces the browser's own tooltip.
    document.querySelectorAll("a.mention[aria-describedby]").forEach(function (a) {
      a.removeAttribute("title");
    });
  });
  document.addEventListener("mouseover", function (e) { var m = mentionOf(e); if (m) show(m); });
  document.addEventListener("mouseout", function (e) { if (mentionOf(e)) hide(); });
  document.addEventListener("focusin", function (e) { var m = mentionOf(e); if (m) show(m); else hide(); });
  document.addEventListener("focusout", function (e) { if (mentionOf(e)) hide(); });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") hide(); });
})();
