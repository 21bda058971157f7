// Copy a speech's permalink. Progressive: without JavaScript the #番号 link is the permalink.
(function () {
  "use strict";
  function addCopyButtons() {
    document.querySelectorAll(".gk-speech__head .gk-permalink").forEach(function (link) {
      if (!navigator.clipboard || link.nextElementSibling && link.nextElementSibling.classList.contains("gk-copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "gk-copy";
      button.textContent = "リンクをコピー";
      button.setAttribute("aria-label", link.getAttribute("aria-label") + "をコピー");
      button.addEventListener("click", function () {
        var url = new URL(link.getAttribute("href"), window.location.href).href;
        navigator.clipboard.writeText(url).then(function () {
          button.textContent = "コピーしました";
          setTimeout(function () { button.textContent = "リンクをコピー"; }, 2000);
        });
      });
      link.insertAdjacentElement("afterend", button);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addCopyButtons);
  else addCopyButtons();
})();
