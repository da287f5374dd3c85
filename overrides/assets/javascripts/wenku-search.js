/* 工会工作文库: the header's search box, Pagefind's UI (pagefind/pagefind-ui.js) over the site's index.
 *
 * The index holds every run of Chinese characters as overlapping character pairs (职工之家 -> 职工 工之 之家,
 * build_tools/search_text.py), each coded in Latin letters and digits (base-36 code points joined by "_"), which
 * Pagefind's own Intl.Segmenter cannot cut again. `tokens` below is the same cut and code, so a query is
 * searched as the exact phrase of its own pairs and every page containing it is found, whatever the words
 * around it. Each result's content comes back coded; `decode` gives the text back, and the excerpt is cut
 * around the query here.
 *
 * One index for both editions (build_tools/search_index.py): the Simplified edition's, in one or more
 * bundles listed in pagefind/wenku-bundles.json and searched together. The Traditional edition
 * (data-hant-table) converts the query to Simplified and each result's title, excerpt and filters back to
 * Traditional with a table learnt from its own build (build_tools/hant_table.py, whose `convert` this
 * mirrors); its results link to its own pages (baseUrl).
 *
 * Filters (分类, 年份, 来源: Pagefind's filter panel) and the order of the results (relevance or date, the
 * select under the box) narrow a search; an empty result links the term index.
 */
(() => {
  const box = document.querySelector("[data-wk-search]");
  if (!box || typeof PagefindUI === "undefined") return;
  const panel = box.querySelector(".wk-search__panel");
  const toggle = box.querySelector(".wk-search__toggle");
  const root = new URL(box.dataset.root || "./", location.href).pathname;
  const indexRoot = new URL(box.dataset.index || box.dataset.root || "./", location.href).pathname;
  // Pagefind's UI looks its strings up by the page's lang; for zh-Hant it finds only its Simplified "zh" ones.
  const hant = document.documentElement.lang === "zh-Hant";
  const strings = hant
    ? {
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
      }
    : { zero_results: "未找到 [SEARCH_TERM] 的相关结果" };
  const ZERO = "未找到"; // how zero_results starts, in both editions
  const label = hant
    ? { date: "日期", category: "分類", order: "排序", relevance: "相關度", newest: "日期：新到舊", oldest: "日期：舊到新", empty: "可以試試較短的詞，或查看", terms: "術語索引" }
    : { date: "日期", category: "分类", order: "排序", relevance: "相关度", newest: "日期：新到旧", oldest: "日期：旧到新", empty: "可以试试较短的词，或查看", terms: "术语索引" };

  // The index's words (build_tools/search_text.py `words`, `tokens`, `query`, `decode`): pairs of each Chinese
  // run, coded; other runs as they are; SEP between two Chinese runs apart.
  const SEP = "\ue000";
  const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff";
  const isHan = (s) => new RegExp(`^[${HAN}]`).test(s);
  const code = (w) => {
    const c = [...w];
    return c[0].codePointAt(0).toString(36) + "_" + (c.length > 1 ? c[1].codePointAt(0).toString(36) : "");
  };
  const uncode = (token) => {
    const m = /^([0-9a-z]{3,4})_([0-9a-z]{3,4})?$/.exec(token);
    if (!m) return null;
    const chars = [m[1], m[2]].filter(Boolean).map((g) => String.fromCodePoint(parseInt(g, 36)));
    return chars.every(isHan) ? chars.join("") : null;
  };
  const tokens = (text) => {
    const out = [];
    let space = false;
    let han = false; // the last word is Chinese
    for (const [piece] of text.replaceAll(SEP, " ").matchAll(new RegExp(`[${HAN}]+|[^\\s${HAN}]+|\\s+`, "g"))) {
      if (/^\s+$/.test(piece)) {
        space = true;
        continue;
      }
      if (isHan(piece)) {
        if (space && han) out.push(SEP);
        const c = [...piece];
        if (c.length < 2) out.push(code(piece));
        for (let i = 0; i + 1 < c.length; i++) out.push(code(c[i] + c[i + 1]));
        han = true;
      } else {
        out.push(piece);
        han = false;
      }
      space = false;
    }
    return out;
  };
  // search_text.query: one word as it is; several as an exact phrase; typed with spaces, every word required.
  const query = (text) => {
    const parts = tokens(text).filter((w) => w !== SEP);
    if (parts.length <= 1 || /\s/.test(text.trim())) return parts.join(" ");
    return `"${parts.join(" ")}"`;
  };
  // search_text.decode: the text back from a result's content.
  const decode = (content) => {
    let out = "";
    let prev = "";
    const pair = (w) => [...w].length === 2 && isHan(w) && isHan([...w][1]);
    for (const token of content.split(/\s+/).filter(Boolean)) {
      if (token === SEP) {
        out += " ";
        prev = "";
        continue;
      }
      // Pagefind ends a block whose text has no closing punctuation with "." (a heading: "ijp_fmi.")
      const word = uncode(token) || (token.endsWith(".") && uncode(token.slice(0, -1))) || token;
      if (pair(word) && pair(prev) && [...prev][1] === [...word][0]) out += [...word][1];
      else if (prev && !isHan(prev) && !isHan(word)) out += " " + word;
      else out += word;
      prev = word;
    }
    return out;
  };
  const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  // The excerpt: EXCERPT characters around the first place of the query (or of its first word), marked.
  const EXCERPT = 60;
  const excerpt = (text, typed) => {
    const needles = [typed.replace(/\s+/g, ""), ...typed.split(/\s+/)].filter(Boolean);
    let at = -1;
    let needle = "";
    for (const n of needles) {
      at = text.indexOf(n);
      if (at >= 0) {
        needle = n;
        break;
      }
    }
    if (at < 0) return escape(text.slice(0, EXCERPT));
    const start = Math.max(0, at - Math.floor((EXCERPT - needle.length) / 2));
    const end = Math.min(text.length, start + EXCERPT);
    const marked = needle === needles[0] ? [needle] : needles.slice(1);
    let html = escape(text.slice(start, end));
    for (const n of marked) html = html.split(escape(n)).join(`<mark>${escape(n)}</mark>`);
    return (start > 0 ? "…" : "") + html + (end < text.length ? "…" : "");
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
  // hant_table.to_simplified: by the left neighbour, else the right one, where a character stands for two
  // Simplified ones (著眼 -> 着眼, 著作 stays), else the character's own form.
  const toSimplified = (table, query) => {
    const cs = [...query];
    const left = table.t2s_left || {};
    const right = table.t2s_right || {};
    return cs.map((c, i) => (i > 0 && left[cs[i - 1] + c]) || (i + 1 < cs.length && right[c + cs[i + 1]]) || table.t2s[c] || c).join("");
  };

  const json = (url, fallback) =>
    fetch(url)
      .then((r) => (r.ok ? r.json() : fallback))
      .catch(() => fallback);

  const SORTS = { relevance: null, newest: { date: "desc" }, oldest: { date: "asc" } };
  let ui = null;
  let mounts = 0; // the UI mounted so far (a new order mounts it again)
  let bundleUrl = ""; // the UI's pagefind.js: the same module, so the same Pagefind instance, as the UI's
  let typed = ""; // the query as Simplified text, for the excerpt

  const mount = ([listing, table], sort, term) => {
    const bundles = listing.bundles || ["pagefind/"];
    const show = (text) => (table ? toHant(table, text) : text);
    bundleUrl = indexRoot + bundles[0] + "pagefind.js";
    mounts += 1;
    ui = new PagefindUI({
      element: "#wk-search",
      bundlePath: indexRoot + bundles[0],
      mergeIndex: bundles.slice(1).map((b) => ({ bundlePath: indexRoot + b })),
      baseUrl: root,
      showSubResults: false,
      showImages: false,
      pageSize: 10,
      sort: SORTS[sort],
      openFilters: [],
      // Pagefind loads the words' index pieces while it waits; 300 ms (its default) was a third of the time
      // to the first result at 10,000 articles. Chinese input arrives whole from the input method anyway.
      debounceTimeoutMs: 100,
      translations: { ...strings, placeholder: panel.dataset.placeholder },
      processTerm: (term) => {
        typed = table ? toSimplified(table, term.trim()) : term.trim();
        return query(typed);
      },
      processResult: (result) => {
        const text = decode(result.content || "");
        result.excerpt = show(excerpt(text, typed));
        const meta = { title: show(result.meta.title || "") };
        if (result.meta.date) meta[label.date] = show(result.meta.date);
        if (result.meta.category) meta[label.category] = show(result.meta.category);
        result.meta = meta;
        return result;
      },
    });
    panel.querySelector("input")?.setAttribute("id", "wk-search-input"); // the partial's <label for>
    if (term) ui.triggerSearch(term);
  };

  // The order of the results: a select beside the box; a change mounts the UI again with the same query.
  const order = document.createElement("label");
  order.className = "wk-search__order";
  order.append(`${label.order} `);
  const select = document.createElement("select");
  for (const key of Object.keys(SORTS)) select.add(new Option(label[key], key));
  order.append(select);

  // An empty result says so (Pagefind's message) and links the term index.
  const empty = document.createElement("p");
  empty.className = "wk-search__empty";
  empty.hidden = true;
  const termsLink = document.createElement("a");
  termsLink.href = root + "terms/";
  termsLink.textContent = label.terms;
  empty.append(`${label.empty} `, termsLink, hant ? "。" : "。");

  // Pagefind's UI draws the filter panel from the filters its first search returns, and a search counts only the
  // filters whose index has loaded by then (pagefind-ui.js: available_filters = results.filters). When some
  // arrive later, the panel stays short of them for good (when none had arrived, the UI fills the panel itself
  // once they have). So once per mount, after the first results: wait until every filter has loaded and, if the
  // panel shows some filters but not all, search again (the same words and ticked values).
  let healed = 0; // the mount whose panel was checked
  const heal = () => {
    const shown = panel.querySelector(".pagefind-ui__result") || panel.querySelector(".pagefind-ui__message")?.textContent.startsWith(ZERO);
    if (healed === mounts || !shown) return;
    healed = mounts;
    const mount = mounts;
    import(bundleUrl)
      .then((pf) => pf.filters())
      .then((all) => {
        const drawn = panel.querySelectorAll(".pagefind-ui__filter-block").length;
        if (mount !== mounts || drawn === 0 || drawn >= Object.keys(all).length) return;
        const ticked = {};
        for (const box of panel.querySelectorAll(".pagefind-ui__filter-checkbox:checked")) (ticked[box.name] ||= []).push(box.value);
        ui.triggerFilters(ticked);
      })
      .catch(() => {});
  };

  // Once per frame at most, whatever the number of results rendered meanwhile.
  const watch = (table) => {
    let queued = false;
    const update = () => {
      queued = false;
      heal();
      const message = panel.querySelector(".pagefind-ui__message");
      const none = !!message && !panel.querySelector(".pagefind-ui__result") && message.textContent.startsWith(ZERO);
      if (empty.hidden === none) empty.hidden = !none;
      const drawer = panel.querySelector(".pagefind-ui__drawer");
      if (drawer && order.parentNode !== drawer) drawer.prepend(order);
      if (drawer && empty.parentNode !== drawer) drawer.prepend(empty);
      // Filter names and values come from the Simplified index.
      const filters = table && panel.querySelector(".pagefind-ui__filter-panel");
      if (filters)
        for (const el of filters.querySelectorAll(".pagefind-ui__filter-name, .pagefind-ui__filter-label"))
          for (const node of el.childNodes)
            if (node.nodeType === 3 && node.wkDone !== node.textContent) {
              node.textContent = toHant(table, node.textContent);
              node.wkDone = node.textContent;
            }
    };
    new MutationObserver(() => {
      if (!queued) (queued = true), requestAnimationFrame(update);
    }).observe(panel, { childList: true, subtree: true, characterData: true });
  };

  Promise.all([
    json(indexRoot + "pagefind/wenku-bundles.json", {}),
    box.dataset.hantTable ? json(box.dataset.hantTable, null) : Promise.resolve(null),
  ]).then((loaded) => {
    // For scripts and tests (tests/e2e/recall.py): the address of every result of a query, searched as the box
    // searches it (same conversion and cut), by an instance of Pagefind's API of its own.
    let api = null;
    window.wenkuSearch = async (term) => {
      const [listing, table] = loaded;
      const bundles = listing.bundles || ["pagefind/"];
      api ||= import(`${indexRoot}${bundles[0]}pagefind.js?api`).then(async (pf) => {
        await pf.options({ baseUrl: root });
        for (const b of bundles.slice(1)) await pf.mergeIndex(indexRoot + b);
        return pf;
      });
      const pf = await api;
      const found = await pf.search(query(table ? toSimplified(table, term.trim()) : term.trim()));
      return Promise.all(found.results.map((r) => r.data().then((d) => d.url)));
    };
    // An address with ?q=WORDS (a term page's "all articles" link) opens the box with that search.
    const asked = (new URLSearchParams(location.search).get("q") || "").trim();
    mount(loaded, "relevance", asked && loaded[1] ? toHant(loaded[1], asked) : asked);
    watch(loaded[1]);
    if (asked) open(true);
    select.addEventListener("change", () => {
      const input = panel.querySelector("input");
      const term = input ? input.value : "";
      ui.destroy();
      mount(loaded, select.value, term);
      panel.querySelector("input")?.focus();
    });
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
