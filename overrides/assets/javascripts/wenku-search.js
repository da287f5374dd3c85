/* 工会工作文库: the header's search box, Pagefind's UI (pagefind/pagefind-ui.js) over the site's index.
 *
 * Chinese queries are searched as an exact phrase. Pagefind's index cuts text into words with jieba's
 * dictionary (职工之家 -> 职工 之 家), while the browser cuts the query with its own word breaker
 * (职工 之家), so the words would not line up. The domain terms' cuts as the index makes them are written
 * at build time into pagefind-terms.js (WK_SEARCH_TERMS, build_tools/mkdocs_hooks.py); a query is cut with
 * them first, and the rest is left to the browser.
 *
 * One index for both editions (build_tools/search_index.py): the Simplified edition's, in one or more
 * bundles listed in pagefind/wenku-bundles.json and searched together. The Traditional edition
 * (data-hant-table) converts the query to Simplified and each result's title and excerpt back to
 * Traditional with a table learnt from its own build (build_tools/hant_table.py, whose `convert` this
 * mirrors); its results link to its own pages (baseUrl).
 */
(() => {
  const box = document.querySelector("[data-wk-search]");
  if (!box || typeof PagefindUI === "undefined") return;
  const panel = box.querySelector(".wk-search__panel");
  const toggle = box.querySelector(".wk-search__toggle");
  const root = new URL(box.dataset.root || "./", location.href).pathname;
  const indexRoot = new URL(box.dataset.index || box.dataset.root || "./", location.href).pathname;
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

  // Simplified -> Traditional, as hant_table.convert: both neighbours, else the left one, else the right one,
  // else the character's own form. Markup (<mark>) is skipped and does not break a character's context.
  const toHant = (table, html) => {
    const parts = html.split(/(<[^>]*>)/);
    const text = parts.filter((p, i) => i % 2 === 0).join("");
    const chars = [...text];
    const out = chars.map((c, i) => {
      const prev = i > 0 ? chars[i - 1] : null;
      const next = i + 1 < chars.length ? chars[i + 1] : null;
      return (
        (prev !== null && next !== null && table.both[prev + c + next]) ||
        (prev !== null && table.left[prev + c]) ||
        (next !== null && table.right[c + next]) ||
        table.chars[c] ||
        c
      );
    });
    let k = 0;
    return parts
      .map((p, i) => {
        if (i % 2) return p;
        const n = [...p].length;
        const piece = out.slice(k, k + n).join("");
        k += n;
        return piece;
      })
      .join("");
  };
  const toSimplified = (table, query) => [...query].map((c) => table.t2s[c] || c).join("");

  const json = (url, fallback) =>
    fetch(url)
      .then((r) => (r.ok ? r.json() : fallback))
      .catch(() => fallback);

  const start = ([listing, table]) => {
    const bundles = listing.bundles || ["pagefind/"];
    new PagefindUI({
      element: "#wk-search",
      bundlePath: indexRoot + bundles[0],
      mergeIndex: bundles.slice(1).map((b) => ({ bundlePath: indexRoot + b })),
      baseUrl: root,
      showSubResults: false,
      showImages: false,
      pageSize: 10,
      // Pagefind loads the words' index pieces while it waits; 300 ms (its default) was a third of the time
      // to the first result at 10,000 articles. Chinese input arrives whole from the input method anyway.
      debounceTimeoutMs: 100,
      excerptLength: 40,
      translations: { ...(hant || {}), placeholder: panel.dataset.placeholder },
      processTerm: (term) => {
        const query = table ? toSimplified(table, term.trim()) : term.trim();
        return han.test(query) ? phrase(query) : table ? query : term;
      },
      // The words of a phrase are marked one by one; joined, the whole term is highlighted.
      processResult: (result) => {
        result.excerpt = result.excerpt.replaceAll("</mark><mark>", "");
        if (table) {
          result.excerpt = toHant(table, result.excerpt);
          result.meta.title = toHant(table, result.meta.title || "");
        }
        return result;
      },
    });
    panel.querySelector("input")?.setAttribute("id", "wk-search-input"); // the partial's <label for>
  };
  Promise.all([
    json(indexRoot + "pagefind/wenku-bundles.json", {}),
    box.dataset.hantTable ? json(box.dataset.hantTable, null) : Promise.resolve(null),
  ]).then(start);

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
