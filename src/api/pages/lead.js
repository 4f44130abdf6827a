'use strict';
/* The lead's morning view: the last days' lists (empty ones say why), a banner when the team works
 * from a stale list, why the chosen list is the size it is (listed, excluded by rule with the
 * debtors, deferred for capacity, control group) and the day's progress per agent. The date, rule
 * and search live in the address, so Back comes back here. */
(async () => {
  const { api, el } = Relance;
  const main = document.getElementById('main');
  const kpi = (id, value, label) => el('div', { class: 'kpi' }, el('div', { class: 'value', id, text: value }), el('div', { class: 'label', text: label }));
  try {
    await Relance.start('/lead');
    const calendar = await api('/api/lead/days?days=14');
    const fromUrl = () => {
      const p = new URLSearchParams(location.search);
      const firstWithList = calendar.find((d) => d.listed > 0 || d.stale);
      return { date: p.get('date') || (firstWithList || calendar[0]).listDate, rule: p.get('rule') || '', q: p.get('q') || '' };
    };
    let state = fromUrl();
    const url = () => `/lead?${new URLSearchParams(Object.entries(state).filter(([, v]) => v))}`;

    main.innerHTML = '';
    const banner = el('div', { id: 'stale-banner', role: 'alert', class: 'error', hidden: true });
    const calendarTable = el('table', { id: 'calendar' });
    const composition = el('div', { class: 'card', id: 'composition' });
    const progress = el('div', { class: 'card', id: 'progress' });
    const ruleTable = el('table', { id: 'rules' });
    const ruleSelect = el('select', { id: 'f-rule' });
    const search = el('input', { id: 'f-exclusion-search', type: 'search', placeholder: t('lead:rules.search') });
    const exclusions = el('table', { id: 'exclusions' });
    const exclusionsNote = el('p', { class: 'muted', id: 'exclusions-note' });
    const setAside = el('table', { id: 'set-aside' });
    main.append(
      el('h1', { text: t('lead:heading') }),
      banner,
      el('div', { class: 'grid2' },
        el('div', { class: 'card' }, el('h2', { text: t('lead:calendar.heading') }), calendarTable),
        el('div', {}, composition, progress),
      ),
      el('div', { class: 'card' },
        el('h2', { text: t('lead:rules.heading') }),
        ruleTable,
        el('div', { class: 'filters', style: 'margin-top:0.8rem' }, el('label', {}, t('lead:rules.rule'), ruleSelect), el('label', {}, t('lead:rules.search'), search)),
        exclusions,
        exclusionsNote,
      ),
      el('div', { class: 'card' }, el('h2', { text: t('lead:set_aside.heading') }), setAside),
    );

    const ruleName = (rule) => (i18n.exists(`lead:rules.names.${rule}`) ? t(`lead:rules.names.${rule}`) : rule);
    const dayStatus = (d) => (d.listed > 0 ? t('lead:calendar.listed', { count: d.listed, formatted: fmt.number(d.listed) }) : t(`lead:empty.${d.emptyReason}`, { holiday: d.holiday || '' }));

    function drawCalendar() {
      calendarTable.innerHTML = '';
      calendarTable.append(el('thead', {}, el('tr', {}, el('th', { text: t('lead:calendar.date') }), el('th', { text: t('lead:calendar.status') }))));
      calendarTable.append(el('tbody', {}, calendar.map((d) => el('tr', { class: `clickable${d.listDate === state.date ? ' selected' : ''}`, 'data-date': d.listDate, 'data-empty': d.emptyReason || '', onclick: () => go({ date: d.listDate, rule: '', q: '' }) },
        el('td', { text: fmt.longDate(d.listDate) }),
        el('td', { class: d.listed > 0 ? undefined : 'muted' }, dayStatus(d), d.stale ? el('span', { class: 'badge warn', style: 'margin-left:0.4rem', text: t('lead:calendar.stale') }) : null),
      ))));
    }

    function drawDay(day) {
      banner.hidden = !day.stale;
      banner.textContent = day.stale ? t(`lead:stale.${day.staleReason}`, { date: day.workingFrom ? fmt.date(day.workingFrom) : t('lead:stale.no_previous') }) : '';
      const c = day.composition;
      composition.innerHTML = '';
      composition.append(el('h2', { text: `${t('lead:composition.heading')} — ${fmt.longDate(day.listDate)}` }));
      if (day.listed === 0 && !day.published) composition.append(el('p', { class: 'muted', id: 'empty-reason', text: dayStatus(day) }));
      composition.append(el('div', { class: 'kpis' },
        kpi('k-candidates', fmt.number(day.candidates), t('lead:composition.candidates')),
        kpi('k-listed', fmt.number(c.listed), t('lead:composition.listed')),
        kpi('k-excluded', fmt.number(c.excluded), t('lead:composition.excluded')),
        kpi('k-deferred', fmt.number(c.deferred), t('lead:composition.deferred')),
        kpi('k-holdout', fmt.number(c.holdout), t('lead:composition.holdout')),
      ));
      if (day.run) composition.append(el('p', { class: 'muted', id: 'run-state', text: t('lead:run.label', { state: i18n.exists(`lead:run.states.${day.run.state}`) ? t(`lead:run.states.${day.run.state}`) : day.run.state }) }));

      const p = day.progress;
      progress.innerHTML = '';
      progress.append(
        el('h2', { text: t('lead:progress.heading') }),
        el('div', { class: 'kpis' },
          kpi('p-calls', fmt.number(p.totals.calls), t('lead:progress.kpi_calls')),
          kpi('p-contacts', fmt.number(p.totals.contacts), t('lead:progress.kpi_contacts')),
          kpi('p-promises', fmt.number(p.totals.promises), t('lead:progress.kpi_promises')),
          kpi('p-promised', fmt.money(p.totals.promisedAmount), t('lead:progress.kpi_promised')),
          kpi('p-coverage', fmt.percent(c.listed ? p.totals.listedDebtorsCalled / c.listed : null), t('lead:progress.kpi_coverage')),
        ),
      );
      const cols = [['agent'], ['calls', 'num'], ['contacts', 'num'], ['promises', 'num'], ['promised', 'num'], ['listed_called', 'num']];
      const agentRow = (a, cls) => el('tr', { class: cls, 'data-agent': a.agent }, el('td', { text: a.agent || '–' }), el('td', { class: 'num', text: fmt.number(a.calls) }), el('td', { class: 'num', text: fmt.number(a.contacts) }), el('td', { class: 'num', text: fmt.number(a.promises) }), el('td', { class: 'num', text: fmt.money(a.promisedAmount) }), el('td', { class: 'num', text: fmt.number(a.listedDebtorsCalled) }));
      progress.append(p.agents.length === 0 ? el('p', { class: 'muted', text: t('lead:progress.empty') }) : el('table', { id: 'agents' },
        el('thead', {}, el('tr', {}, cols.map(([k, cls]) => el('th', { class: cls, text: t(`lead:progress.${k}`) })))),
        el('tbody', {}, p.agents.map((a) => agentRow(a)), agentRow({ ...p.totals, agent: t('lead:progress.total') }, 'total')),
      ), el('p', { class: 'muted', text: t(`lead:progress.source_${p.source}`) }));

      ruleTable.innerHTML = '';
      ruleTable.append(el('thead', {}, el('tr', {}, el('th', { text: t('lead:rules.rule') }), el('th', { class: 'num', text: t('lead:rules.debtors') }))));
      ruleTable.append(el('tbody', {}, c.byRule.map((r) => el('tr', { class: `clickable${r.rule === state.rule ? ' selected' : ''}`, 'data-rule': r.rule, onclick: () => go({ rule: r.rule === state.rule ? '' : r.rule }) }, el('td', { text: ruleName(r.rule) }), el('td', { class: 'num', text: fmt.number(r.debtors) })))));
      ruleSelect.innerHTML = '';
      ruleSelect.append(el('option', { value: '', text: t('lead:rules.all') }), c.byRule.map((r) => el('option', { value: r.rule, selected: r.rule === state.rule, text: ruleName(r.rule) })));

      setAside.innerHTML = '';
      setAside.append(el('thead', {}, el('tr', {}, ['kind', 'team', 'debtors', 'expected'].map((k) => el('th', { class: k === 'debtors' || k === 'expected' ? 'num' : undefined, text: t(`lead:set_aside.${k}`) })))));
      setAside.append(el('tbody', {}, c.setAside.map((s) => el('tr', { 'data-kind': `${s.kind}_${s.reason}` }, el('td', { text: t(`lead:set_aside.kinds.${s.kind}_${s.reason}`) }), el('td', { text: s.teamId || t('lead:set_aside.no_team') }), el('td', { class: 'num', text: fmt.number(s.debtors) }), el('td', { class: 'num', text: fmt.money(s.expectedRecovery) })))));
    }

    async function loadExclusions() {
      exclusions.dataset.loaded = 'false';
      const q = new URLSearchParams({ limit: '200' });
      if (state.rule) q.set('rule', state.rule);
      if (state.q) q.set('q', state.q);
      const data = await api(`/api/lead/${state.date}/exclusions?${q}`);
      exclusions.innerHTML = '';
      exclusions.append(el('thead', {}, el('tr', {}, ['debtor', 'office', 'rule', 'detail'].map((k) => el('th', { text: t(`lead:rules.${k}`) })))));
      exclusions.append(el('tbody', {}, data.entries.length === 0 ? el('tr', {}, el('td', { colspan: '4', class: 'muted', text: t('lead:rules.empty') })) : data.entries.map((e) => el('tr', { 'data-debtor': e.debtorId, 'data-rule': e.rule },
        el('td', {}, el('a', { href: `/debtor/${encodeURIComponent(e.debtorId)}`, text: e.name || e.debtorId }), el('div', { class: 'muted', text: e.debtorId })),
        el('td', { text: e.officeCode || '–' }),
        el('td', { text: ruleName(e.rule) }),
        el('td', { class: 'muted', text: e.detail }),
      ))));
      exclusionsNote.textContent = data.total > data.entries.length ? t('lead:rules.more', { shown: fmt.number(data.entries.length), total: fmt.number(data.total) }) : '';
      exclusions.dataset.loaded = 'true';
    }

    async function load() {
      main.dataset.ready = 'false';
      search.value = state.q;
      drawCalendar();
      const day = await api(`/api/lead/${state.date}`);
      drawDay(day);
      await loadExclusions();
      main.dataset.ready = 'true';
    }

    function go(change, { replace = false } = {}) {
      state = { ...state, ...change };
      if (replace) history.replaceState(null, '', url());
      else history.pushState(null, '', url());
      load().catch(Relance.showError);
    }
    ruleSelect.addEventListener('change', () => go({ rule: ruleSelect.value }));
    let timer;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        state = { ...state, q: search.value.trim() };
        history.replaceState(null, '', url());
        loadExclusions().catch(Relance.showError);
      }, 250);
    });
    window.addEventListener('popstate', () => {
      state = fromUrl();
      load().catch(Relance.showError);
    });
    history.replaceState(null, '', url());
    await load();
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
