// Cite a speech: the button copies 「第N回（委員会名）（令和X年M月D日）議事録 （話者） 発言N
// https://…/meetings/N/#speech-N」 (the speech's data-cite, written by the build, and its
// permalink). Progressive: without JavaScript the #番号 link is the permalink, and the page prints
// as it is. With it, each permalink also carries its absolute address for print (data-href, which
// the print stylesheet shows after the number).
(function () {
  "use strict";
  var LABEL = "引用をコピー";

  function absolute(link) {
    return new URL(link.getAttribute("href"), window.location.href).href;
  }

  function citation(link) {
    var speech = link.closest("[data-cite]");
    var cite = speech ? speech.getAttribute("data-cite") : "";
    return (cite ? cite + " " : "") + absolute(link);
  }

  function addCopyButtons() {
    document.querySelectorAll(".gk-speech__head .gk-permalink").forEach(function (link) {
      link.setAttribute("data-href", absolute(link));
      if (!navigator.clipboard || link.nextElementSibling && link.nextElementSibling.classList.contains("gk-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-copy";
      button.textContent = LABEL;
      button.setAttribute("aria-label", (link.getAttribute("aria-label") || "").replace("の固定リンク", "") + "の引用をコピー");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(citation(link)).then(function () {
          button.textContent = "コピーしました";
          setTimeout(function () { button.textContent = LABEL; }, 2000);
        });
      });
      link.insertAdjacentElement("afterend", button);
    });
  }
  // A printout holds every fact: the folded list of the secretariat opens for print.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.gk-secretariat").forEach(function (d) { d.open = true; });
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addCopyButtons);
  else addCopyButtons();
})();
