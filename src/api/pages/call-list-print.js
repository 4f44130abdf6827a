'use strict';
/* The call list to print: the filtered list (from the address, as the list page builds it), one
 * sheet per 25 debtors and per team, each with its heading, date and page number. */
(async () => {
  const { api, el } = Relance;
  const PER_SHEET = 25;
  const main = document.getElementById('main');
  try {
    await i18n.ready();
    const params = new URLSearchParams(location.search);
    const date = params.get('date');
    const filters = new URLSearchParams();
    for (const k of ['team', 'office', 'q']) if (params.get(k)) filters.set(k, params.get(k));
    document.getElementById('back').href = `/call-list?${new URLSearchParams([['date', date || ''], ...filters])}`;
    document.getElementById('print-now').addEventListener('click', () => window.print());
    const data = await api(`/api/call-lists/${encodeURIComponent(date)}?${filters}&limit=5000`);
    main.innerHTML = '';
    const byTeam = new Map();
    for (const e of data.entries) {
      if (!byTeam.has(e.teamId)) byTeam.set(e.teamId, []);
      byTeam.get(e.teamId).push(e);
    }
    const sheets = [];
    for (const [team, entries] of byTeam) for (let i = 0; i < entries.length; i += PER_SHEET) sheets.push({ team, entries: entries.slice(i, i + PER_SHEET) });
    const described = [...filters.values()].join(' · ') || t('call-list:print.all');
    const reasonsOf = (e) => (Array.isArray(e.reasons) ? e.reasons.slice(0, 3).map((r) => (typeof r === 'string' ? r : r[i18n.lang] || r.fr || r.text || fmt.feature(r.feature || ''))).join(' · ') : '');
    sheets.forEach((sheet, i) => {
      const zoneOf = (e) => e.window.timeZone || i18n.timeZone;
      main.append(el('section', { class: 'sheet' },
        el('header', {},
          el('h1', { text: `${t('call-list:print.heading', { date: fmt.longDate(date) })} — ${sheet.team}` }),
          el('span', { class: 'meta', text: `${t('call-list:print.subtitle', { count: data.total, filters: described })} · ${t('call-list:print.page', { page: i + 1, pages: sheets.length })}` }),
        ),
        el('table', { class: 'print-list' },
          el('colgroup', {}, ['rank', 'debtor', 'phone', 'window', 'balance', 'reasons', 'result'].map((c) => el('col', { class: `c-${c}` }))),
          el('thead', {}, el('tr', {}, [['rank', 'num'], ['debtor'], ['phone'], ['window'], ['balance', 'num'], ['reasons']].map(([c, cls]) => el('th', { class: cls, text: t(`call-list:columns.${c}`) })), el('th', { text: t('call-list:print.call_result') }))),
          el('tbody', {}, sheet.entries.map((e) => el('tr', { 'data-debtor': e.debtorId },
            el('td', { class: 'num', text: String(e.rank) }),
            el('td', {}, el('div', { text: e.name || e.debtorId }), el('div', { class: 'id', text: e.debtorId })),
            el('td', { class: 'phone', text: e.phone || '–' }),
            el('td', { text: e.window.start ? `${fmt.time(e.window.start, zoneOf(e))}–${fmt.time(e.window.end, zoneOf(e))}` : '–' }),
            el('td', { class: 'num', text: fmt.money(e.balance) }),
            el('td', { class: 'reasons', text: reasonsOf(e) }),
            el('td', { class: 'result' }),
          ))),
        ),
      ));
    });
    main.dataset.ready = 'true';
    main.dataset.sheets = String(sheets.length);
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
