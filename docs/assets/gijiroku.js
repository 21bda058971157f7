// Cite a speech: the button copies 「第N回（委員会名）（令和X年M月D日）議事録 （話者） 発言N
// https://…/meetings/N/#speech-N」 (the meeting's citation, written once by the build in the
// fact card's data-cite, the turn's speaker and number, and its permalink). Progressive: without
// JavaScript the #番号 link is the permalink, and the page prints as it is. With it, each
// permalink also carries its tooltip, its name for a screen reader (発言nの固定リンク) and its
// absolute address for print (data-href, which the print stylesheet shows after the number), each
// turn's heading its number for a screen reader (（発言n）, not shown), and each heading's # its
// tooltip: said here once rather than in every turn and heading of the page.
// And on a narrow screen, the tabs' row shows the current section's tab and the one focused.
(function () {
  "use strict";
  var LABEL = "引用をコピー";

  function absolute(link) {
    return new URL(link.getAttribute("href"), window.location.href).href;
  }

  function citation(link) {
    var meeting = document.querySelector("[data-cite]");
    var heading = link.closest(".gk-speech").querySelector("h3");  // its first child: the label or its link
    var speaker = heading && heading.firstChild;
    return [meeting && meeting.getAttribute("data-cite"), speaker && speaker.textContent, turn(link),
      absolute(link)].filter(Boolean).join(" ");
  }

  // The turn a permalink belongs to, as the page says it: 発言n.
  function turn(link) {
    return "発言" + link.closest(".gk-speech").id.replace("speech-", "");
  }

  // Each turn's hidden number in its heading, its permalink's name, tooltip and address, and its copy button.
  function enhanceTurns() {
    document.querySelectorAll(".gk-speech > .gk-permalink").forEach(function (link) {
      var speech = turn(link);
      var heading = link.parentNode.querySelector("h3");
      if (heading && !heading.querySelector(".gk-visually-hidden")) {
        var number = document.createElement("span");  // a screen reader's list of headings tells turns apart
        number.className = "gk-visually-hidden";
        number.textContent = "（" + speech + "）";
        heading.appendChild(number);
      }
      link.setAttribute("data-href", absolute(link));
      link.setAttribute("aria-label", speech + "の固定リンク");
      link.title = "この発言の固定リンク";
      if (!navigator.clipboard || link.nextElementSibling && link.nextElementSibling.classList.contains("gk-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-copy";
      button.textContent = LABEL;
      button.setAttribute("aria-label", speech + "の引用をコピー");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(citation(link)).then(function () {
          button.textContent = "コピーしました";
          setTimeout(function () { button.textContent = LABEL; }, 2000);
        });
      });
      link.insertAdjacentElement("afterend", button);
    });
  }
  // On a narrow screen the tabs are a row that scrolls sideways: the current section's tab is
  // brought into it (the row alone: a permalink's place on the page is kept), and a tab the
  // keyboard reaches is shown whole (a browser leaves one half cut off at the edge where it is).
  function showTabs() {
    var row = document.querySelector(".md-tabs__list");
    if (!row) return;
    var current = row.querySelector(".md-tabs__item--active");
    var over = current ? current.getBoundingClientRect().right - row.getBoundingClientRect().right : 0;
    if (over > 0) row.scrollLeft += over;
    row.addEventListener("focusin", function (event) {
      event.target.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
  }

  // A printout holds every fact: the folded list of the secretariat opens for print.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.gk-secretariat").forEach(function (d) { d.open = true; });
  });
  function enhance() {
    showTabs();
    document.querySelectorAll(".headerlink").forEach(function (link) { link.title = "この見出しへのリンク"; });
    enhanceTurns();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
