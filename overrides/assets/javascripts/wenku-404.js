/* 工会工作文库: the 404 page's search button opens the header's search box (on a phone, behind its magnifier). */
(() => {
  const button = document.querySelector("[data-wk-open-search]");
  if (!button) return;
  button.addEventListener("click", () => {
    const box = document.querySelector("[data-wk-search]");
    const toggle = box && box.querySelector(".wk-search__toggle");
    if (toggle && getComputedStyle(toggle).display !== "none" && toggle.getAttribute("aria-expanded") !== "true") toggle.click();
    const input = box && box.querySelector("input");
    if (input) input.focus();
  });
})();
