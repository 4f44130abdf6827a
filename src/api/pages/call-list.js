'use strict';
/* The ranked call list: filters (date, team, office, search without accents or case), a gauge of
 * the chance of paying against the model's threshold, balance, expected recovery, the calling
 * window in the debtor's time zone, reasons in the page's language, a tel: link; Excel export and
 * print layout of the filtered list. Page and filters live in the address, so Back comes back here. */
(async () => {
  const { api, el } = Relance;
  const PAGE = 100;
  const main = document.getElementById('main');
  try {
    await Relance.start('/call-list');
    const lists = await api('/api/call-lists');
    main.innerHTML = '';
    main.append(el('h1', { text: t('call-list:heading') }));
    if (lists.length === 0) {
      main.append(el('p', { class: 'muted', text: t('call-list:no_list') }));
      return;
    }
    /** The page's state, read from and written to the address. */
    const fromUrl = () => {
      const p = new URLSearchParams(location.search);
      const date = lists.some((l) => l.listDate === p.get('date')) ? p.get('date') : lists[0].listDate;
      const page = Math.max(1, Number.parseInt(p.get('page') || '1', 10) || 1);
      return { date, team: p.get('team') || '', office: p.get('office') || '', q: p.get('q') || '', offset: (page - 1) * PAGE };
    };
    let state = fromUrl();
    const filterQuery = (extra = {}) => {
      const q = new URLSearchParams();
      if (state.team) q.set('team', state.team);
      if (state.office) q.set('office', state.office);
      if (state.q) q.set('q', state.q);
      for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
      return q;
    };
    const pageUrl = () => {
      const q = new URLSearchParams({ date: state.date });
      for (const [k, v] of filterQuery()) q.set(k, v);
      if (state.offset > 0) q.set('page', String(state.offset / PAGE + 1));
      return `/call-list?${q}`;
    };

    // The current list is stale: a night's run could not publish a new one (export missing, empty or old).
    const staleBanner = el('div', { class: 'stale-banner', id: 'stale-banner', role: 'alert', hidden: true });
    function showStale() {
      const list = lists[0];
      staleBanner.innerHTML = '';
      staleBanner.hidden = !(list && list.stale);
      if (staleBanner.hidden) return;
      staleBanner.append(
        el('strong', { text: t('call-list:stale.title') }),
        ' ',
        t('call-list:stale.text', { since: fmt.dateTime(list.staleSince), date: fmt.longDate(list.listDate) }),
        list.staleReason ? el('div', { class: 'muted', text: t('call-list:stale.reason', { reason: list.staleReason }) }) : null,
      );
    }
    main.append(staleBanner);

    const dateSelect = el('select', { id: 'f-date', name: 'date' }, lists.map((l) => el('option', { value: l.listDate, text: t('call-list:filters.date_option', { date: fmt.longDate(l.listDate), count: l.n }) })));
    const teamSelect = el('select', { id: 'f-team', name: 'team' });
    const officeSelect = el('select', { id: 'f-office', name: 'office' });
    const search = el('input', { id: 'f-search', type: 'search', placeholder: t('call-list:filters.search_placeholder') });
    const exportLink = el('a', { id: 'export', class: 'button secondary', text: t('call-list:actions.export'), download: '' });
    const printLink = el('a', { id: 'print', class: 'button secondary', text: t('call-list:actions.print') });
    const summary = el('div', { class: 'kpis card', id: 'summary' });
    // How the list was ordered; a list that fell back to the chance of payment says why.
    const ordering = el('p', { id: 'ordering', class: 'muted' });
    const table = el('table', { id: 'call-list' });
    const pager = el('div', { class: 'pager' });
    main.append(
      el('div', { class: 'filters' }, el('label', {}, t('call-list:filters.date'), dateSelect), el('label', {}, t('call-list:filters.team'), teamSelect), el('label', {}, t('call-list:filters.office'), officeSelect), el('label', {}, t('call-list:filters.search'), search), exportLink, printLink),
      summary,
      ordering,
      table,
      pager,
    );

    function fillOptions(select, values, current, allLabel) {
      select.innerHTML = '';
      select.append(el('option', { value: '', text: allLabel }));
      for (const v of values) select.append(el('option', { value: v, selected: v === current, text: v }));
    }
    function showState() {
      dateSelect.value = state.date;
      search.value = state.q;
      const list = lists.find((l) => l.listDate === state.date) || lists[0];
      fillOptions(teamSelect, (list.teams || []).filter(Boolean).sort(), state.team, t('call-list:filters.all_teams'));
      fillOptions(officeSelect, (list.offices || []).filter(Boolean).sort(), state.office, t('call-list:filters.all_offices'));
    }

    function gauge(p, threshold) {
      const hasThreshold = threshold !== null && threshold !== undefined;
      const title = hasThreshold ? t('call-list:gauge_threshold', { p: fmt.percent(p, 1), threshold: fmt.percent(threshold, 1) }) : t('call-list:gauge', { p: fmt.percent(p, 1) });
      const g = el('span', { class: 'gauge', title, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': String(p) });
      g.append(el('span', { class: 'fill', style: `width:${Math.round(p * 100)}%;background:${hasThreshold && p < threshold ? 'var(--orange)' : 'var(--blue)'}` }));
      if (hasThreshold) g.append(el('span', { class: 'mark', style: `left:${threshold * 100}%` }));
      return el('span', {}, el('span', { class: 'gauge-label', text: fmt.percent(p) }), g);
    }

    function reasons(list) {
      if (!Array.isArray(list) || list.length === 0) return '';
      return el('ul', { class: 'reasons' }, list.slice(0, 3).map((r) => {
        const text = typeof r === 'string' ? r : r[i18n.lang] || r.fr || r.text || fmt.feature(r.feature || '');
        const up = typeof r === 'object' && r !== null && typeof r.contribution === 'number' ? r.contribution >= 0 : true;
        return el('li', { class: up ? 'up' : 'down', text });
      }));
    }

    function showOrdering(data) {
      ordering.innerHTML = '';
      ordering.className = data.note ? 'stale-banner' : 'muted';
      if (data.note) ordering.append(el('strong', { text: t('call-list:ordering.fallback_title') }), ' ', data.note[i18n.lang] || data.note.fr);
      else if (data.objective) ordering.append(t(`call-list:ordering.${data.objective}`));
    }

    function adds(e) {
      if (e.incrementalRecovery === null || e.incrementalRecovery === undefined) return el('td', { class: 'num', 'data-col': 'adds', text: '–' });
      const title = e.pPayCalled === null ? '' : t('call-list:adds_detail', { called: fmt.percent(e.pPayCalled), not_called: fmt.percent(e.pPayNotCalled), amount: fmt.money(e.expectedAmount), contact: fmt.percent(e.pContact) });
      return el('td', { 'data-col': 'adds', title }, el('div', { class: 'num', text: fmt.money(e.incrementalRecovery) }), reasons(e.callReasons));
    }

    function row(e) {
      const debtorHref = `/debtor/${encodeURIComponent(e.debtorId)}`;
      const detail = e.expectedAmount === null ? '' : e.pContact === null ? t('call-list:expected_detail', { amount: fmt.money(e.expectedAmount) }) : t('call-list:expected_detail_contact', { amount: fmt.money(e.expectedAmount), contact: fmt.percent(e.pContact) });
      const zone = e.window.timeZone || i18n.timeZone;
      return el(
        'tr',
        { class: 'clickable', 'data-debtor': e.debtorId, onclick: (ev) => { if (ev.target.tagName !== 'A') location.href = debtorHref; } },
        el('td', { class: 'num', text: String(e.rank) }),
        el('td', {}, el('a', { href: debtorHref, text: e.name || e.debtorId }), el('div', { class: 'muted', text: e.debtorId })),
        el('td', {}, e.teamId, el('div', { class: 'muted', text: e.officeCode || '' })),
        el('td', {}, gauge(e.pPay, e.threshold)),
        el('td', { class: 'num', 'data-col': 'balance', text: fmt.money(e.balance) }),
        el('td', { class: 'num', title: detail }, fmt.money(e.expectedRecovery), e.priority === null ? null : el('div', { class: 'muted', text: t('common:units.per_minute', { value: fmt.number(e.priority, 1) }) })),
        el('td', { 'data-col': 'window' }, e.window.start ? `${fmt.time(e.window.start, zone)}–${fmt.time(e.window.end, zone)}` : '–', e.window.timeZone && e.window.timeZone !== i18n.timeZone ? el('div', { class: 'muted', text: e.window.timeZone }) : null, e.pContact === null ? null : el('div', { class: 'muted', text: t('call-list:contact', { p: fmt.percent(e.pContact) }) })),
        adds(e),
        el('td', {}, reasons(e.reasons)),
        el('td', { 'data-col': 'phone' }, e.phone && !e.phone.includes('•') ? el('a', { href: `tel:${e.phone}`, text: e.phone }) : e.phone || '–'),
      );
    }

    const HEADERS = ['rank', 'debtor', 'team', 'p_pay', 'balance', 'expected', 'window', 'adds', 'reasons', 'phone'];
    const NUMERIC = new Set(['rank', 'balance', 'expected']);

    async function load() {
      table.dataset.loaded = 'false';
      exportLink.href = `/api/call-lists/${state.date}/export.csv?${filterQuery({ lang: i18n.lang })}`;
      printLink.href = `/call-list/print?${new URLSearchParams([['date', state.date], ...filterQuery()])}`;
      const data = await api(`/api/call-lists/${state.date}?${filterQuery({ limit: PAGE, offset: state.offset })}`);
      summary.innerHTML = '';
      const list = lists.find((l) => l.listDate === state.date);
      summary.append(
        el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'total', 'data-value': String(data.total), text: fmt.number(data.total) }), el('div', { class: 'label', text: t('call-list:kpi.total') })),
        el('div', { class: 'kpi' }, el('div', { class: 'value', text: fmt.money(list ? list.expectedRecovery : null, 0) }), el('div', { class: 'label', text: t('call-list:kpi.expected') })),
      );
      showOrdering(data);
      table.innerHTML = '';
      table.append(el('thead', {}, el('tr', {}, HEADERS.map((h) => el('th', { class: NUMERIC.has(h) ? 'num' : undefined, text: t(`call-list:columns.${h}`) })))));
      const body = el('tbody', {}, data.entries.map(row));
      if (data.entries.length === 0) body.append(el('tr', {}, el('td', { colspan: String(HEADERS.length), class: 'muted', text: t('call-list:empty') })));
      table.append(body);
      pager.innerHTML = '';
      const page = Math.floor(state.offset / PAGE) + 1;
      const pages = Math.max(1, Math.ceil(data.total / PAGE));
      pager.append(
        el('button', { class: 'secondary', id: 'previous', disabled: state.offset === 0, text: t('call-list:pager.previous'), onclick: () => go({ offset: state.offset - PAGE }) }),
        el('span', { class: 'muted', id: 'page', text: t('call-list:pager.page', { page, pages }) }),
        el('button', { class: 'secondary', id: 'next', disabled: page >= pages, text: t('call-list:pager.next'), onclick: () => go({ offset: state.offset + PAGE }) }),
      );
      table.dataset.loaded = 'true';
    }

    /** Applies a change, records it in the history (replace: while typing a search), and reloads. */
    function go(change, { replace = false } = {}) {
      state = { ...state, offset: 0, ...change };
      if (replace) history.replaceState(null, '', pageUrl());
      else history.pushState(null, '', pageUrl());
      showState();
      load().catch(Relance.showError);
    }

    dateSelect.addEventListener('change', () => go({ date: dateSelect.value, team: '', office: '' }));
    teamSelect.addEventListener('change', () => go({ team: teamSelect.value }));
    officeSelect.addEventListener('change', () => go({ office: officeSelect.value }));
    let timer;
    let typing = false;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        // The first keystroke of a search is one history entry; the following ones refine it.
        go({ q: search.value.trim() }, { replace: typing });
        typing = true;
      }, 250);
    });
    search.addEventListener('change', () => { typing = false; });
    window.addEventListener('popstate', () => {
      state = fromUrl();
      showState();
      load().catch(Relance.showError);
    });
    history.replaceState(null, '', pageUrl());
    showState();
    showStale();
    await load();
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
