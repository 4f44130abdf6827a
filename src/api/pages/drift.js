'use strict';
/* Monitoring: dataset drift per snapshot with a per-feature table and reference vs current
 * distributions, realised performance (AUC against its floor, pay rate by score decile), alerts. */
(async () => {
  const { api, el, chart, dateAxis, dateTooltip, COLOURS } = Relance;
  const kindName = (k) => (i18n.exists(`drift:alerts.kinds.${k}`) ? t(`drift:alerts.kinds.${k}`) : k);
  const main = document.getElementById('main');
  try {
    await Relance.start('/drift');
    const [drift, perf, alerts] = await Promise.all([api('/api/drift'), api('/api/performance'), api('/api/alerts?limit=20')]);
    main.innerHTML = '';
    main.append(el('h1', { text: t('drift:heading') }));

    const alertCard = el('div', { class: 'card', id: 'alerts' }, el('h2', { text: t('drift:alerts.heading') }));
    alertCard.append(alerts.length ? el('ul', {}, alerts.map((a) => el('li', {}, el('span', { class: `badge ${a.severity === 'info' ? 'ok' : 'warn'}`, text: kindName(a.kind) }), ` ${fmt.dateTime(a.raisedAt)} — ${a.message}`))) : el('p', { class: 'muted', text: t('drift:alerts.none') }));
    main.append(alertCard);

    const driftCard = el('div', { class: 'card', id: 'drift' }, el('h2', { text: t('drift:drift.heading') }));
    main.append(driftCard);
    if (drift.reports.length === 0) driftCard.append(el('p', { class: 'muted', text: t('drift:drift.none') }));
    else {
      const select = el('select', { id: 'drift-report' }, drift.reports.map((r) => el('option', { value: r.reportId, text: t(r.datasetDrift ? 'drift:drift.option_dataset' : 'drift:drift.option', { date: fmt.date(r.asOf), drifted: r.nDrifted, total: r.nFeatures }) })));
      const summary = el('div', { class: 'kpis', id: 'drift-summary' });
      const history = el('div', { id: 'chart-drift-history' });
      const table = el('table', { id: 'drift-table' });
      const dist = el('div', { id: 'chart-distribution' });
      driftCard.append(el('div', { class: 'filters' }, el('label', {}, t('drift:drift.snapshot'), select)), summary, history, el('div', { class: 'grid2' }, el('div', {}, table), el('div', {}, el('h2', { id: 'dist-title', text: t('drift:distribution.title') }), dist)));

      const historyRows = drift.reports.map((r) => ({ asOf: r.asOf, share: r.driftShare, drift: r.datasetDrift ? t('drift:drift.dataset_drift') : t('drift:drift.no_dataset_drift') }));
      await chart(history, {
        height: 120,
        title: { text: t('drift:drift.history_title'), fontSize: 12, anchor: 'start' },
        data: { values: historyRows },
        layer: [
          { mark: { type: 'line', point: { size: 60, filled: true }, color: COLOURS.positive }, encoding: { x: dateAxis('asOf', null, historyRows), y: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: null, scale: { domain: [0, 1] } }, shape: { field: 'drift', type: 'nominal', title: null, scale: { domain: [t('drift:drift.no_dataset_drift'), t('drift:drift.dataset_drift')], range: ['circle', 'cross'] } }, tooltip: [dateTooltip('asOf', t('drift:drift.snapshot')), { field: 'share', format: '.0%', title: t('drift:drift.share') }] } },
          { mark: { type: 'rule', strokeDash: [4, 3], color: COLOURS.negative }, encoding: { y: { datum: drift.shareThreshold } } },
        ],
      }, 'drift-history');

      async function showFeature(report, column, row) {
        for (const tr of table.querySelectorAll('tr.selected')) tr.classList.remove('selected');
        row?.classList.add('selected');
        document.getElementById('dist-title').textContent = t('drift:distribution.feature_title', { feature: fmt.feature(column.feature), date: fmt.date(report.asOf) });
        // Bin labels may carry full-precision bounds: three significant digits are enough to read.
        const short = (label) => String(label).replace(/-?\d+\.\d{3,}(e[-+]?\d+)?/g, (n) => String(Number(Number(n).toPrecision(3))));
        const REF = t('drift:distribution.reference');
        const CUR = t('drift:distribution.current');
        const values = (column.distribution || []).flatMap((b, i) => [{ bin: short(b.bin), order: i, sample: REF, share: b.reference }, { bin: short(b.bin), order: i, sample: CUR, share: b.current }]);
        await chart(dist, {
          height: 220,
          data: { values },
          mark: 'bar',
          encoding: {
            x: { field: 'bin', type: 'ordinal', sort: { field: 'order' }, title: null, axis: { labelAngle: -35 } },
            xOffset: { field: 'sample', sort: [REF, CUR] },
            y: { field: 'share', type: 'quantitative', axis: { format: '.0%' }, title: t('drift:distribution.y') },
            color: { field: 'sample', type: 'nominal', title: null, scale: { domain: [REF, CUR], range: ['#8e99a8', COLOURS.accent] }, legend: { orient: 'bottom' } },
            tooltip: [{ field: 'sample', title: t('drift:distribution.title') }, { field: 'bin', title: t('drift:distribution.bin') }, { field: 'share', format: '.1%', title: t('drift:distribution.y') }],
          },
        }, 'distribution');
      }

      async function showReport(reportId) {
        const r = await api(`/api/drift/${encodeURIComponent(reportId)}`);
        summary.innerHTML = '';
        summary.append(
          el('div', { class: 'kpi' }, el('div', { class: 'value' }, el('span', { class: `badge ${r.datasetDrift ? 'warn' : 'ok'}`, id: 'dataset-drift', text: r.datasetDrift ? t('drift:drift.dataset_drift') : t('drift:drift.no_dataset_drift') })), el('div', { class: 'label', text: t('drift:drift.threshold', { share: fmt.percent(r.shareThreshold) }) })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: `${r.nDrifted} / ${r.nFeatures}` }), el('div', { class: 'label', text: t('drift:drift.drifted_count') })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: t('drift:drift.rows', { current: fmt.number(r.nCurrent), reference: fmt.number(r.nReference) }) }), el('div', { class: 'label', text: t('drift:drift.rows_label') })),
        );
        table.innerHTML = '';
        table.append(el('thead', {}, el('tr', {}, ['feature', 'test', 'statistic', 'threshold', 'p_value', 'drift'].map((h, i) => el('th', { class: i >= 2 && i <= 4 ? 'num' : undefined, text: t(`drift:table.${h}`) })))));
        const body = el('tbody');
        let first = null;
        for (const c of r.columns) {
          const row = el('tr', { class: 'clickable', 'data-feature': c.feature }, el('td', { text: fmt.feature(c.feature) }), el('td', { text: c.method }), el('td', { class: 'num', text: fmt.number(c.statistic, 3) }), el('td', { class: 'num', text: fmt.number(c.threshold, 3) }), el('td', { class: 'num', text: fmt.number(c.pValue, 3) }), el('td', {}, el('span', { class: `badge ${c.drifted ? 'warn' : 'ok'}`, text: c.drifted ? t('drift:table.drifted') : t('drift:table.stable') })));
          row.addEventListener('click', () => showFeature(r, c, row).catch(Relance.showError));
          body.append(row);
          first ??= [c, row];
        }
        table.append(body);
        if (first) await showFeature(r, first[0], first[1]);
      }
      select.addEventListener('change', () => showReport(select.value).catch(Relance.showError));
      await showReport(drift.reports[0].reportId);
    }

    const perfCard = el('div', { class: 'card', id: 'performance' }, el('h2', { text: t('drift:performance.heading') }), el('p', { class: 'muted', text: t('drift:performance.note', { days: perf.lists[0]?.horizonDays ?? 30, floor: fmt.number(perf.aucFloor, 2) }) }));
    main.append(perfCard);
    if (perf.lists.length === 0) perfCard.append(el('p', { class: 'muted', text: t('drift:performance.none') }));
    else {
      const auc = el('div', { id: 'chart-realised-auc' });
      const deciles = el('div', { id: 'chart-realised-deciles' });
      perfCard.append(el('div', { class: 'grid2' }, auc, deciles));
      const AUC = t('drift:performance.auc');
      const PAY = t('drift:performance.pay_rate');
      const aucRows = perf.lists.flatMap((l) => [{ listDate: l.listDate, measure: AUC, value: l.auc }, { listDate: l.listDate, measure: PAY, value: l.payRate }]);
      await chart(auc, {
        height: 220,
        title: { text: t('drift:performance.auc_title'), fontSize: 12, anchor: 'start' },
        data: { values: aucRows },
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x: dateAxis('listDate', t('drift:performance.list_date'), aucRows), y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.1f' } }, color: { field: 'measure', type: 'nominal', title: null, scale: { domain: [AUC, PAY], range: [COLOURS.positive, COLOURS.good] } }, tooltip: [dateTooltip('listDate', t('drift:performance.list_date')), { field: 'measure', title: t('drift:performance.measure') }, { field: 'value', format: '.3f', title: t('drift:performance.value') }] } },
          { mark: { type: 'rule', strokeDash: [5, 3], color: COLOURS.negative }, encoding: { y: { datum: perf.aucFloor } } },
        ],
      }, 'realised-auc');
      const latest = perf.lists[perf.lists.length - 1];
      const OBS = t('drift:performance.observed');
      const PRED = t('drift:performance.predicted');
      await chart(deciles, {
        height: 220,
        title: { text: t('drift:performance.deciles_title', { date: fmt.date(latest.listDate) }), fontSize: 12, anchor: 'start' },
        data: { values: latest.deciles.flatMap((d) => [{ decile: d.decile, what: OBS, value: d.payRate }, { decile: d.decile, what: PRED, value: d.meanPPay }]) },
        mark: 'bar',
        encoding: { x: { field: 'decile', type: 'ordinal', title: t('drift:performance.decile'), axis: { labelAngle: 0 } }, xOffset: { field: 'what', sort: [OBS, PRED] }, y: { field: 'value', type: 'quantitative', axis: { format: '.0%' }, title: null }, color: { field: 'what', type: 'nominal', title: null, scale: { domain: [OBS, PRED], range: [COLOURS.positive, '#b9c2cf'] }, legend: { orient: 'bottom' } }, tooltip: [{ field: 'decile', title: t('drift:performance.decile') }, { field: 'what', title: t('drift:performance.measure') }, { field: 'value', format: '.1%', title: t('drift:performance.value') }] },
      }, 'realised-deciles');
    }
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
