'use strict';
/* The ranked call list: filters (date, team, office, search), a P(pay) gauge against the model's
 * threshold, expected recovery, calling window and reasons; CSV export of the filtered list. */
(async () => {
  const { api, el, fmt } = Relance;
  const PAGE = 100;
  const main = document.getElementById('main');
  try {
    await Relance.start('/call-list');
    const lists = await api('/api/call-lists');
    main.innerHTML = '';
    main.append(el('h1', { text: 'Call list' }));
    if (lists.length === 0) {
      main.append(el('p', { class: 'muted', text: 'No call list has been published yet.' }));
      return;
    }
    const params = new URLSearchParams(location.search);
    const state = { date: params.get('date') || lists[0].listDate, team: params.get('team') || '', office: params.get('office') || '', q: params.get('q') || '', offset: 0 };

    // The current list is stale: a night's run could not publish a new one (export missing, empty or old).
    const staleBanner = el('div', { class: 'stale-banner', id: 'stale-banner', role: 'alert', hidden: true });
    function showStale() {
      const list = lists[0];
      staleBanner.innerHTML = '';
      staleBanner.hidden = !(list && list.stale);
      if (staleBanner.hidden) return;
      staleBanner.append(
        el('strong', { text: 'Liste périmée. ' }),
        `Aucune nouvelle liste n'a pu être publiée depuis le ${fmt.dateTime(list.staleSince)} : les données de la nuit sont absentes, vides ou trop anciennes. Cette liste est celle du ${list.listDate}.`,
        list.staleReason ? el('div', { class: 'muted', text: `Motif : ${list.staleReason}` }) : null,
      );
    }
    main.append(staleBanner);

    const dateSelect = el('select', { id: 'f-date', name: 'date' }, lists.map((l) => el('option', { value: l.listDate, selected: l.listDate === state.date, text: `${l.listDate} (${l.n})` })));
    const teamSelect = el('select', { id: 'f-team', name: 'team' });
    const officeSelect = el('select', { id: 'f-office', name: 'office' });
    const search = el('input', { id: 'f-search', type: 'search', placeholder: 'name or id', value: state.q });
    const exportLink = el('a', { id: 'export', class: 'button secondary', text: 'Export CSV', download: '' });
    const summary = el('div', { class: 'kpis card', id: 'summary' });
    const table = el('table', { id: 'call-list' });
    const pager = el('div', { class: 'pager' });
    main.append(
      el('div', { class: 'filters' }, el('label', {}, 'List date', dateSelect), el('label', {}, 'Team', teamSelect), el('label', {}, 'Office', officeSelect), el('label', {}, 'Search', search), exportLink),
      summary,
      table,
      pager,
    );

    function fillOptions(select, values, current, allLabel) {
      select.innerHTML = '';
      select.append(el('option', { value: '', text: allLabel }));
      for (const v of values) select.append(el('option', { value: v, selected: v === current, text: v }));
    }
    function refreshOptions() {
      const list = lists.find((l) => l.listDate === state.date) || lists[0];
      fillOptions(teamSelect, (list.teams || []).filter(Boolean).sort(), state.team, 'All teams');
      fillOptions(officeSelect, (list.offices || []).filter(Boolean).sort(), state.office, 'All offices');
    }

    function query(extra = {}) {
      const q = new URLSearchParams();
      if (state.team) q.set('team', state.team);
      if (state.office) q.set('office', state.office);
      if (state.q) q.set('q', state.q);
      for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
      return q.toString();
    }

    function gauge(p, threshold) {
      const g = el('span', { class: 'gauge', title: `P(pay) ${fmt.pct(p, 1)}${threshold !== null ? `, threshold ${fmt.pct(threshold, 1)}` : ''}`, role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '1', 'aria-valuenow': String(p) });
      g.append(el('span', { class: 'fill', style: `width:${Math.round(p * 100)}%;background:${threshold !== null && p < threshold ? 'var(--orange)' : 'var(--blue)'}` }));
      if (threshold !== null && threshold !== undefined) g.append(el('span', { class: 'mark', style: `left:${threshold * 100}%` }));
      return el('span', {}, el('span', { class: 'gauge-label', text: fmt.pct(p) }), g);
    }

    function reasons(list) {
      if (!Array.isArray(list) || list.length === 0) return '';
      return el('ul', { class: 'reasons' }, list.slice(0, 3).map((r) => {
        const text = typeof r === 'string' ? r : r.text || r.label || fmt.feature(r.feature || '');
        const up = typeof r === 'object' && r !== null && typeof r.contribution === 'number' ? r.contribution >= 0 : true;
        return el('li', { class: up ? 'up' : 'down', text });
      }));
    }

    async function load() {
      const url = `/api/call-lists/${state.date}?${query({ limit: PAGE, offset: state.offset })}`;
      history.replaceState(null, '', `/call-list?${new URLSearchParams({ date: state.date, ...(state.team && { team: state.team }), ...(state.office && { office: state.office }), ...(state.q && { q: state.q }) })}`);
      exportLink.href = `/api/call-lists/${state.date}/export.csv?${query()}`;
      const data = await api(url);
      summary.innerHTML = '';
      const list = lists.find((l) => l.listDate === state.date);
      summary.append(
        el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'total', text: String(data.total) }), el('div', { class: 'label', text: 'debtors to call (filtered)' })),
        el('div', { class: 'kpi' }, el('div', { class: 'value', text: fmt.eur(list ? list.expectedRecovery : null) }), el('div', { class: 'label', text: 'expected recovery, whole list' })),
      );
      table.innerHTML = '';
      table.append(el('thead', {}, el('tr', {}, ['#', 'Debtor', 'Team / office', 'P(pay)', 'Expected recovery', 'Window', 'Why', 'Phone'].map((h, i) => el('th', { class: i === 0 || i === 4 ? 'num' : undefined, text: h })))));
      const body = el('tbody');
      for (const e of data.entries) {
        const row = el(
          'tr',
          { class: 'clickable', 'data-debtor': e.debtorId, onclick: (ev) => { if (ev.target.tagName !== 'A') location.href = `/debtor/${encodeURIComponent(e.debtorId)}`; } },
          el('td', { class: 'num', text: String(e.rank) }),
          el('td', {}, el('a', { href: `/debtor/${encodeURIComponent(e.debtorId)}`, text: e.name || e.debtorId }), el('div', { class: 'muted', text: e.debtorId })),
          el('td', {}, e.teamId, el('div', { class: 'muted', text: e.officeCode || '' })),
          el('td', {}, gauge(e.pPay, e.threshold)),
          el('td', { class: 'num', title: e.expectedAmount === null ? '' : `P(pay) × ${fmt.eur(e.expectedAmount)}${e.pContact === null ? '' : ` × P(contact) ${fmt.pct(e.pContact)}`}` }, fmt.eur(e.expectedRecovery), e.priority === null ? null : el('div', { class: 'muted', text: `${fmt.num(e.priority, 1)} €/min` })),
          el('td', {}, e.window.start ? `${fmt.time(e.window.start)}–${fmt.time(e.window.end)}` : '–', e.pContact === null ? null : el('div', { class: 'muted', text: `contact ${fmt.pct(e.pContact)}` })),
          el('td', {}, reasons(e.reasons)),
          el('td', { text: e.phone || '–' }),
        );
        body.append(row);
      }
      if (data.entries.length === 0) body.append(el('tr', {}, el('td', { colspan: '8', class: 'muted', text: 'No debtor matches these filters.' })));
      table.append(body);
      pager.innerHTML = '';
      const page = Math.floor(state.offset / PAGE) + 1;
      const pages = Math.max(1, Math.ceil(data.total / PAGE));
      pager.append(
        el('button', { class: 'secondary', disabled: state.offset === 0, text: '← Previous', onclick: () => { state.offset -= PAGE; load().catch(Relance.showError); } }),
        el('span', { class: 'muted', text: `page ${page} of ${pages}` }),
        el('button', { class: 'secondary', disabled: page >= pages, text: 'Next →', onclick: () => { state.offset += PAGE; load().catch(Relance.showError); } }),
      );
      table.dataset.loaded = 'true';
    }

    const reload = () => {
      state.offset = 0;
      load().catch(Relance.showError);
    };
    dateSelect.addEventListener('change', () => { state.date = dateSelect.value; state.team = ''; state.office = ''; refreshOptions(); reload(); });
    teamSelect.addEventListener('change', () => { state.team = teamSelect.value; reload(); });
    officeSelect.addEventListener('change', () => { state.office = officeSelect.value; reload(); });
    let timer;
    search.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => { state.q = search.value.trim(); reload(); }, 250); });
    refreshOptions();
    showStale();
    await load();
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
