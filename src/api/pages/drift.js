'use strict';
/* Monitoring: dataset drift per snapshot with a per-feature table and reference vs current
 * distributions, realised performance (AUC against its floor, pay rate by score decile), alerts. */
(async () => {
  const { api, el, fmt, chart, COLOURS } = Relance;
  const main = document.getElementById('main');
  try {
    await Relance.start('/drift');
    const [drift, perf, alerts] = await Promise.all([api('/api/drift'), api('/api/performance'), api('/api/alerts?limit=20')]);
    main.innerHTML = '';
    main.append(el('h1', { text: 'Monitoring' }));

    const alertCard = el('div', { class: 'card', id: 'alerts' }, el('h2', { text: 'Recent alerts' }));
    alertCard.append(alerts.length ? el('ul', {}, alerts.map((a) => el('li', {}, el('span', { class: `badge ${a.severity === 'info' ? 'ok' : 'warn'}`, text: a.kind }), ` ${fmt.dateTime(a.raisedAt)} — ${a.message}`))) : el('p', { class: 'muted', text: 'No alert.' }));
    main.append(alertCard);

    const driftCard = el('div', { class: 'card', id: 'drift' }, el('h2', { text: 'Feature drift against the training reference' }));
    main.append(driftCard);
    if (drift.reports.length === 0) driftCard.append(el('p', { class: 'muted', text: 'No drift report yet.' }));
    else {
      const select = el('select', { id: 'drift-report' }, drift.reports.map((r) => el('option', { value: r.reportId, text: `${r.asOf} — ${r.nDrifted}/${r.nFeatures} drifted${r.datasetDrift ? ' (dataset drift)' : ''}` })));
      const summary = el('div', { class: 'kpis', id: 'drift-summary' });
      const history = el('div', { id: 'chart-drift-history' });
      const table = el('table', { id: 'drift-table' });
      const dist = el('div', { id: 'chart-distribution' });
      driftCard.append(el('div', { class: 'filters' }, el('label', {}, 'Snapshot', select)), summary, history, el('div', { class: 'grid2' }, el('div', {}, table), el('div', {}, el('h2', { id: 'dist-title', text: 'Distribution' }), dist)));

      await chart(history, {
        height: 120,
        title: { text: 'Share of drifted features per snapshot', fontSize: 12, anchor: 'start' },
        data: { values: drift.reports.map((r) => ({ asOf: r.asOf, share: r.driftShare, drift: r.datasetDrift ? 'dataset drift' : 'no dataset drift' })) },
        layer: [
          { mark: { type: 'line', point: { size: 60, filled: true }, color: COLOURS.positive }, encoding: { x: { field: 'asOf', type: 'temporal', title: null }, y: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: null, scale: { domain: [0, 1] } }, shape: { field: 'drift', type: 'nominal', title: null, scale: { domain: ['no dataset drift', 'dataset drift'], range: ['circle', 'cross'] } }, tooltip: [{ field: 'asOf', type: 'temporal' }, { field: 'share', format: '.0%' }] } },
          { mark: { type: 'rule', strokeDash: [4, 3], color: COLOURS.negative }, encoding: { y: { datum: drift.shareThreshold } } },
        ],
      }, 'drift-history');

      async function showFeature(report, column, row) {
        for (const tr of table.querySelectorAll('tr.selected')) tr.classList.remove('selected');
        row?.classList.add('selected');
        document.getElementById('dist-title').textContent = `${fmt.feature(column.feature)}: reference vs ${report.asOf}`;
        // Bin labels may carry full-precision bounds: three significant digits are enough to read.
        const short = (label) => String(label).replace(/-?\d+\.\d{3,}(e[-+]?\d+)?/g, (n) => String(Number(Number(n).toPrecision(3))));
        const values = (column.distribution || []).flatMap((b, i) => [{ bin: short(b.bin), order: i, sample: 'reference', share: b.reference }, { bin: short(b.bin), order: i, sample: 'current', share: b.current }]);
        await chart(dist, {
          height: 220,
          data: { values },
          mark: 'bar',
          encoding: {
            x: { field: 'bin', type: 'ordinal', sort: { field: 'order' }, title: null, axis: { labelAngle: -35 } },
            xOffset: { field: 'sample', sort: ['reference', 'current'] },
            y: { field: 'share', type: 'quantitative', axis: { format: '%' }, title: 'share of rows' },
            color: { field: 'sample', type: 'nominal', title: null, scale: { domain: ['reference', 'current'], range: ['#8e99a8', COLOURS.accent] }, legend: { orient: 'bottom' } },
            tooltip: [{ field: 'sample' }, { field: 'bin' }, { field: 'share', format: '.1%' }],
          },
        }, 'distribution');
      }

      async function showReport(reportId) {
        const r = await api(`/api/drift/${encodeURIComponent(reportId)}`);
        summary.innerHTML = '';
        summary.append(
          el('div', { class: 'kpi' }, el('div', { class: 'value' }, el('span', { class: `badge ${r.datasetDrift ? 'warn' : 'ok'}`, id: 'dataset-drift', text: r.datasetDrift ? 'dataset drift' : 'no dataset drift' })), el('div', { class: 'label', text: `threshold: ${fmt.pct(r.shareThreshold)} of features` })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: `${r.nDrifted} / ${r.nFeatures}` }), el('div', { class: 'label', text: 'features drifted' })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: `${r.nCurrent ?? '–'} vs ${r.nReference ?? '–'}` }), el('div', { class: 'label', text: 'rows: current vs reference' })),
        );
        table.innerHTML = '';
        table.append(el('thead', {}, el('tr', {}, ['Feature', 'Test', 'Statistic', 'Threshold', 'p-value', 'Drift'].map((h, i) => el('th', { class: i >= 2 && i <= 4 ? 'num' : undefined, text: h })))));
        const body = el('tbody');
        let first = null;
        for (const c of r.columns) {
          const row = el('tr', { class: 'clickable', 'data-feature': c.feature }, el('td', { text: fmt.feature(c.feature) }), el('td', { text: c.method }), el('td', { class: 'num', text: fmt.num(c.statistic, 3) }), el('td', { class: 'num', text: fmt.num(c.threshold, 3) }), el('td', { class: 'num', text: fmt.num(c.pValue, 3) }), el('td', {}, el('span', { class: `badge ${c.drifted ? 'warn' : 'ok'}`, text: c.drifted ? 'drifted' : 'stable' })));
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

    const perfCard = el('div', { class: 'card', id: 'performance' }, el('h2', { text: 'Realised performance' }), el('p', { class: 'muted', text: `Measured ${perf.lists[0]?.horizonDays ?? 30} days after each list, on who actually paid. The dashed line is the AUC floor (${perf.aucFloor}) under which an alert is raised.` }));
    main.append(perfCard);
    if (perf.lists.length === 0) perfCard.append(el('p', { class: 'muted', text: 'No list is old enough to be measured yet.' }));
    else {
      const auc = el('div', { id: 'chart-realised-auc' });
      const deciles = el('div', { id: 'chart-realised-deciles' });
      perfCard.append(el('div', { class: 'grid2' }, auc, deciles));
      await chart(auc, {
        height: 220,
        title: { text: 'Realised AUC and pay rate per list', fontSize: 12, anchor: 'start' },
        data: { values: perf.lists.flatMap((l) => [{ listDate: l.listDate, measure: 'AUC', value: l.auc }, { listDate: l.listDate, measure: 'pay rate', value: l.payRate }]) },
        layer: [
          { mark: { type: 'line', point: true }, encoding: { x: { field: 'listDate', type: 'temporal', title: 'list date' }, y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] } }, color: { field: 'measure', type: 'nominal', title: null, scale: { domain: ['AUC', 'pay rate'], range: [COLOURS.positive, COLOURS.good] } }, tooltip: [{ field: 'listDate', type: 'temporal' }, { field: 'measure' }, { field: 'value', format: '.3f' }] } },
          { mark: { type: 'rule', strokeDash: [5, 3], color: COLOURS.negative }, encoding: { y: { datum: perf.aucFloor } } },
        ],
      }, 'realised-auc');
      const latest = perf.lists[perf.lists.length - 1];
      await chart(deciles, {
        height: 220,
        title: { text: `Pay rate by score decile, list of ${latest.listDate}`, fontSize: 12, anchor: 'start' },
        data: { values: latest.deciles.flatMap((d) => [{ decile: d.decile, what: 'observed pay rate', value: d.payRate }, { decile: d.decile, what: 'mean predicted P(pay)', value: d.meanPPay }]) },
        mark: 'bar',
        encoding: { x: { field: 'decile', type: 'ordinal', title: 'score decile (1 = highest)' }, xOffset: { field: 'what', sort: ['observed pay rate', 'mean predicted P(pay)'] }, y: { field: 'value', type: 'quantitative', axis: { format: '%' }, title: null }, color: { field: 'what', type: 'nominal', title: null, scale: { domain: ['observed pay rate', 'mean predicted P(pay)'], range: [COLOURS.positive, '#b9c2cf'] }, legend: { orient: 'bottom' } }, tooltip: [{ field: 'decile' }, { field: 'what' }, { field: 'value', format: '.1%' }] },
      }, 'realised-deciles');
    }
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
