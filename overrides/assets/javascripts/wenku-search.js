/* 工会工作文库: the header's search box, Pagefind's UI (pagefind/pagefind-ui.js) over this edition's index.
 *
 * Chinese queries are searched as an exact phrase. Pagefind's index cuts text into words with jieba's
 * dictionary (职工之家 -> 职工 之 家; in the Traditional edition mostly single characters), while the
 * browser cuts the query with its own word breaker (职工 之家), so the words would not line up. The domain
 * terms' cuts as the index makes them are written at build time into pagefind-terms.js (WK_SEARCH_TERMS,
 * build_tools/mkdocs_hooks.py); a query is cut with them first, and the rest is left to the browser.
 */
(() => {
  const box = document.querySelector("[data-wk-search]");
  if (!box || typeof PagefindUI === "undefined") return;
  const panel = box.querySelector(".wk-search__panel");
  const toggle = box.querySelector(".wk-search__toggle");
  const root = new URL(box.dataset.root || "./", location.href).pathname;
  const terms = window.WK_SEARCH_TERMS || {};
  const keys = Object.keys(terms).sort((a, b) => b.length - a.length);
  const han = /^[\p{Script=Han}\d]+$/u;
  // Pagefind's UI looks its strings up by the page's lang; for zh-Hant it finds only its Simplified "zh" ones.
  const hant = document.documentElement.lang === "zh-Hant" && {
    clear_search: "清除",
    load_more: "載入更多結果",
    search_label: "站內搜尋",
    filters_label: "篩選",
    zero_results: "未找到 [SEARCH_TERM] 的相關結果",
    many_results: "找到 [COUNT] 個 [SEARCH_TERM] 的相關結果",
    one_result: "找到 [COUNT] 個 [SEARCH_TERM] 的相關結果",
    alt_search: "未找到 [SEARCH_TERM] 的相關結果。改為顯示 [DIFFERENT_TERM] 的相關結果",
    search_suggestion: "未找到 [SEARCH_TERM] 的相關結果。請嘗試以下搜尋。",
    searching: "正在搜尋 [SEARCH_TERM]...",
  };

  // 建设职工之家 -> "建设 职工 之 家": the longest known term at each position, with the index's own cut.
  const phrase = (query) => {
    const out = [];
    let rest = "";
    for (let i = 0; i < query.length; ) {
      const key = keys.find((k) => query.startsWith(k, i));
      if (key) {
        if (rest) out.push(rest), (rest = "");
        out.push(terms[key]);
        i += key.length;
      } else {
        rest += query[i++];
      }
    }
    if (rest) out.push(rest);
    return `"${out.join(" ")}"`;
  };

  new PagefindUI({
    element: "#wk-search",
    bundlePath: root + "pagefind/",
    baseUrl: root,
    showSubResults: false,
    showImages: false,
    pageSize: 10,
    excerptLength: 40,
    translations: { ...(hant || {}), placeholder: panel.dataset.placeholder },
    processTerm: (term) => (han.test(term.trim()) ? phrase(term.trim()) : term),
    // The words of a phrase are marked one by one; joined, the whole term is highlighted.
    processResult: (result) => {
      result.excerpt = result.excerpt.replaceAll("</mark><mark>", "");
      return result;
    },
  });

  const open = (on) => {
    box.classList.toggle("wk-search--open", on);
    toggle.setAttribute("aria-expanded", String(on));
    if (on) panel.querySelector("input")?.focus();
  };
  // A click on the results' text must not take the focus away (the results show while the box has it).
  panel.addEventListener("mousedown", (e) => {
    if (!e.target.closest("a, button, input")) e.preventDefault();
  });
  toggle.addEventListener("click", () => open(!box.classList.contains("wk-search--open")));
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && box.contains(document.activeElement)) {
      open(false);
      document.activeElement.blur();
    }
  });
})();
