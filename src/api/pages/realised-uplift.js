'use strict';
/* The realised uplift card of the monitoring page: per list, horizonDays later, the called debtors
 * against the control debtors that would have been listed, pay rate and € recovered per debtor
 * with their 95 % intervals, over time; and how many weeks of lists detect a given uplift. */
const RealisedUplift = (() => {
  /** An estimate with its interval per list date, as a point and an error bar around a zero line. */
  function intervalSpec(rows, { title, yTitle, format, tooltipFormat }) {
    const { dateAxis, dateTooltip, COLOURS } = Relance;
    // Padding keeps the first and last error bars off the plot's edges.
    const x = { ...dateAxis('listDate', t('uplift:list_date'), rows), scale: { padding: 14 } };
    const tooltip = [dateTooltip('listDate', t('uplift:list_date')), { field: 'estimate', format: tooltipFormat, title: t('uplift:estimate') }, { field: 'low', format: tooltipFormat, title: t('uplift:low') }, { field: 'high', format: tooltipFormat, title: t('uplift:high') }, { field: 'nControl', title: t('uplift:n_control') }];
    return {
      height: 220,
      title: { text: title, fontSize: 12, anchor: 'start' },
      data: { values: rows },
      layer: [
        { mark: { type: 'rule', color: COLOURS.neutral, strokeDash: [4, 3] }, encoding: { y: { datum: 0 } } },
        { transform: [{ filter: 'datum.low !== null && datum.high !== null' }], mark: { type: 'rule', color: COLOURS.positive, strokeWidth: 2 }, encoding: { x, y: { field: 'low', type: 'quantitative', title: yTitle, axis: { format } }, y2: { field: 'high' }, tooltip } },
        { mark: { type: 'point', filled: true, size: 60, color: COLOURS.positive }, encoding: { x, y: { field: 'estimate', type: 'quantitative', title: yTitle, axis: { format } }, tooltip } },
      ],
    };
  }

  function detectionNote(d) {
    const { el } = Relance;
    const box = el('div', { id: 'uplift-detection' }, el('h2', { text: t('uplift:detection.heading') }));
    if (!d || !d.rows) {
      box.append(el('p', { class: 'muted', text: t('uplift:detection.none') }));
      return box;
    }
    box.append(
      el('p', { text: t('uplift:detection.note', { eligible: fmt.number(d.weeklyEligible), control: fmt.number(d.weeklyControl, 1), share: fmt.percent(d.holdoutShare, 1), base: fmt.percent(d.basePayRate, 1), weeks: d.volumeWeeks, alpha: fmt.number(d.alpha, 2), power: fmt.percent(d.power) }) }),
      el('table', { id: 'uplift-weeks' },
        el('thead', {}, el('tr', {}, ['uplift', 'control', 'called', 'weeks'].map((h, i) => el('th', { class: i > 0 ? 'num' : undefined, text: t(`uplift:detection.${h}`) })))),
        el('tbody', {}, d.rows.map((r) => el('tr', {}, el('td', { text: t('uplift:detection.points', { points: fmt.number(r.uplift * 100, 0) }) }), el('td', { class: 'num', text: fmt.number(Math.ceil(r.nControl)) }), el('td', { class: 'num', text: fmt.number(Math.ceil(r.nCalled)) }), el('td', { class: 'num', text: r.weeks === null ? '–' : fmt.number(r.weeks) })))),
      ),
      el('p', { class: 'muted', text: t('uplift:detection.caveat') }),
    );
    return box;
  }

  /** Appends the card to `main`, from /api/uplift. */
  async function render(main) {
    const { api, el, chart } = Relance;
    const data = await api('/api/uplift');
    const card = el('div', { class: 'card', id: 'realised-uplift' }, el('h2', { text: t('uplift:heading') }), el('p', { class: 'muted', text: t('uplift:note', { days: data.horizonDays, min: fmt.money(data.minPaidAmount) }) }));
    main.append(card);
    if (data.lists.length === 0) card.append(el('p', { class: 'muted', text: t('uplift:none', { days: data.horizonDays }) }));
    else {
      const latest = data.lists[data.lists.length - 1];
      const diff = (i, format) => (i ? t('uplift:kpi.interval', { estimate: format(i.estimate), low: i.low === null ? '–' : format(i.low), high: i.high === null ? '–' : format(i.high) }) : '–');
      const points = (x) => t('uplift:detection.points', { points: fmt.number(x * 100, 1) });
      card.append(
        el('div', { class: 'kpis', id: 'uplift-latest' },
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: `${fmt.number(latest.called.n)} / ${fmt.number(latest.control.n)}` }), el('div', { class: 'label', text: t('uplift:kpi.groups', { date: fmt.date(latest.listDate) }) })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: `${fmt.percent(latest.called.payRate, 1)} / ${fmt.percent(latest.control.payRate, 1)}` }), el('div', { class: 'label', text: t('uplift:kpi.pay_rates') })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'uplift-pay-rate', text: diff(latest.payRateDiff, points) }), el('div', { class: 'label', text: t('uplift:kpi.pay_rate_diff') })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'uplift-amount', text: diff(latest.amountDiff, (x) => fmt.money(x)) }), el('div', { class: 'label', text: t('uplift:kpi.amount_diff') })),
        ),
      );
      const rate = el('div', { id: 'chart-uplift-pay-rate' });
      const amount = el('div', { id: 'chart-uplift-amount' });
      card.append(el('div', { class: 'grid2' }, rate, amount));
      const rows = (key) => data.lists.filter((l) => l[key]).map((l) => ({ listDate: l.listDate, estimate: l[key].estimate, low: l[key].low, high: l[key].high, nControl: l.control.n }));
      await chart(rate, intervalSpec(rows('payRateDiff'), { title: t('uplift:pay_rate_title'), yTitle: t('uplift:pay_rate_y'), format: '+.0%', tooltipFormat: '+.1%' }), 'uplift-pay-rate');
      await chart(amount, intervalSpec(rows('amountDiff'), { title: t('uplift:amount_title'), yTitle: t('uplift:amount_y'), format: '+,.0f', tooltipFormat: '+,.2f' }), 'uplift-amount');
    }
    card.append(detectionNote(data.detection));
  }

  return { render };
})();
