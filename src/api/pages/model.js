'use strict';
/* The model: champion vs challenger metrics, ROC, calibration, lift and gain by decile, feature
 * importance, business-cost curve with the chosen threshold, versions and promotion history. */
(async () => {
  const { api, el, fmt, chart, COLOURS } = Relance;
  const main = document.getElementById('main');
  const MODEL_COLOURS = { champion: COLOURS.positive, challenger: COLOURS.accent };
  try {
    await Relance.start('/model');
    const [cmp, all] = await Promise.all([api('/api/models/compare'), api('/api/models')]);
    main.innerHTML = '';
    main.append(el('h1', { text: 'Model' }));
    if (!cmp.champion) {
      main.append(el('p', { class: 'muted', text: 'No model has been trained yet (relance train).' }));
      return;
    }
    const models = [['champion', cmp.champion], ['challenger', cmp.challenger]].filter(([, m]) => m && (m === cmp.champion || m.versionId !== cmp.champion.versionId));
    const metricNames = [...new Set(models.flatMap(([, m]) => Object.keys(m.metrics).filter((k) => typeof m.metrics[k] === 'number')))];
    main.append(
      el('div', { class: 'card', id: 'metrics' },
        el('h2', { text: 'Champion and challenger (time holdout)' }),
        el('table', {},
          el('thead', {}, el('tr', {}, el('th', { text: '' }), models.map(([alias, m]) => el('th', {}, el('span', { style: `color:${MODEL_COLOURS[alias]}`, text: '■ ' }), `${alias}: ${m.versionId} (${m.kind})`)))),
          el('tbody', {},
            metricNames.map((k) => el('tr', {}, el('th', { text: k }), models.map(([, m]) => el('td', { class: 'num', text: Number.isInteger(m.metrics[k]) ? String(m.metrics[k]) : fmt.num(m.metrics[k], 4) })))),
            el('tr', {}, el('th', { text: 'threshold' }), models.map(([, m]) => el('td', { class: 'num', text: fmt.num(m.threshold, 3) }))),
            el('tr', {}, el('th', { text: 'trained' }), models.map(([, m]) => el('td', { class: 'num', text: fmt.dateTime(m.createdAt) }))),
          ),
        ),
      ),
    );

    const grid = el('div', { class: 'grid2' });
    main.append(grid);
    const card = (id, title, note) => {
      const c = el('div', { class: 'card' }, el('h2', { text: title }), note ? el('p', { class: 'muted', text: note }) : null, el('div', { id }));
      grid.append(c);
      return id;
    };
    const colour = { field: 'model', type: 'nominal', title: null, scale: { domain: models.map(([a]) => a), range: models.map(([a]) => MODEL_COLOURS[a]) }, legend: { orient: 'bottom' } };
    const dash = { field: 'model', legend: null, scale: { domain: models.map(([a]) => a), range: models.map(([a]) => (a === 'champion' ? [1, 0] : [6, 3])) } };
    const rowsOf = (key) => models.flatMap(([alias, m]) => (m.curves[key] || []).map((r) => ({ ...r, model: alias })));

    const roc = rowsOf('roc');
    await chart(card('chart-roc', 'ROC curve'), {
      height: 260,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: roc }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x: { field: 'fpr', type: 'quantitative', title: 'false positive rate' }, y: { field: 'tpr', type: 'quantitative', title: 'true positive rate' }, color: colour, strokeDash: dash, order: { field: 'fpr' } } },
      ],
    }, 'roc');

    const calibration = rowsOf('calibration');
    await chart(card('chart-calibration', 'Calibration', 'Observed pay rate against predicted P(pay), per bin; the diagonal is perfect calibration.'), {
      height: 260,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: calibration }, mark: { type: 'line', point: true }, encoding: { x: { field: 'meanPredicted', type: 'quantitative', title: 'predicted P(pay)', scale: { domain: [0, 1] } }, y: { field: 'observedRate', type: 'quantitative', title: 'observed pay rate', scale: { domain: [0, 1] } }, color: colour, tooltip: [{ field: 'model' }, { field: 'meanPredicted', format: '.3f' }, { field: 'observedRate', format: '.3f' }, { field: 'count' }] } },
      ],
    }, 'calibration');

    const lift = rowsOf('lift');
    await chart(card('chart-lift', 'Lift by decile', 'Pay rate of each score decile divided by the overall pay rate (decile 1 = highest scores).'), {
      height: 240,
      data: { values: lift },
      mark: 'bar',
      encoding: { x: { field: 'group', type: 'ordinal', title: 'decile' }, xOffset: { field: 'model' }, y: { field: 'lift', type: 'quantitative', title: 'lift' }, color: colour, tooltip: [{ field: 'model' }, { field: 'group' }, { field: 'lift', format: '.2f' }] },
    }, 'lift');

    await chart(card('chart-gain', 'Cumulative gain', 'Share of all payers found by calling the top deciles.'), {
      height: 240,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 10, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: [...models.map(([alias]) => ({ group: 0, capturedPositives: 0, model: alias })), ...lift] }, mark: { type: 'line', point: true }, encoding: { x: { field: 'group', type: 'quantitative', title: 'deciles called', scale: { domain: [0, 10] } }, y: { field: 'capturedPositives', type: 'quantitative', title: 'payers found', axis: { format: '%' } }, color: colour } },
      ],
    }, 'gain');

    const importance = cmp.champion.importance.slice(0, 15);
    await chart(card('chart-importance', 'Feature importance (champion)', cmp.champion.kind === 'gbdt' ? 'Total split gain per feature.' : 'Sum of |standardised coefficients| per feature.'), {
      height: Math.max(200, importance.length * 18),
      data: { values: importance.map((i) => ({ ...i, label: fmt.feature(i.feature) })) },
      mark: { type: 'bar', color: COLOURS.positive },
      encoding: { y: { field: 'label', type: 'nominal', sort: '-x', title: null }, x: { field: 'gain', type: 'quantitative', title: 'importance' }, tooltip: [{ field: 'feature' }, { field: 'gain', format: '.3f' }] },
    }, 'importance');

    const cost = rowsOf('cost').filter((r) => r.threshold >= 0 && r.threshold <= 1);
    const rules = models.filter(([, m]) => m.threshold !== null).map(([alias, m]) => ({ model: alias, threshold: m.threshold }));
    await chart(card('chart-cost', 'Business cost by threshold', 'Cost per debtor of calling everyone above the threshold (missed payers and wasted calls); the vertical lines are the chosen thresholds.'), {
      height: 240,
      layer: [
        { data: { values: cost }, mark: { type: 'line' }, encoding: { x: { field: 'threshold', type: 'quantitative', title: 'threshold on P(pay)', scale: { domain: [0, 1] } }, y: { field: 'cost', type: 'quantitative', title: 'cost per debtor' }, color: colour, strokeDash: dash } },
        { data: { values: rules }, mark: { type: 'rule', strokeWidth: 2, strokeDash: [6, 3] }, encoding: { x: { field: 'threshold', type: 'quantitative' }, color: colour, tooltip: [{ field: 'model' }, { field: 'threshold', format: '.3f' }] } },
      ],
    }, 'cost');

    main.append(
      el('div', { class: 'card', id: 'versions' },
        el('h2', { text: 'Versions' }),
        el('table', {}, el('thead', {}, el('tr', {}, ['Version', 'Kind', 'Aliases', 'AUC', 'Cost', 'Threshold', 'Created'].map((h) => el('th', { text: h })))),
          el('tbody', {}, all.versions.map((v) => el('tr', {}, el('td', { text: v.versionId }), el('td', { text: v.kind }), el('td', { text: v.aliases.join(', ') }), el('td', { class: 'num', text: fmt.num(v.metrics.auc, 4) }), el('td', { class: 'num', text: fmt.num(v.metrics.cost, 4) }), el('td', { class: 'num', text: fmt.num(v.threshold, 3) }), el('td', { text: fmt.dateTime(v.createdAt) }))))),
        el('h2', { text: 'Promotions and refusals' }),
        el('ul', {}, all.history.map((h) => el('li', {}, `${fmt.dateTime(h.movedAt)} — ${h.alias} ${h.accepted ? '→' : 'kept, refused'} ${h.versionId}: `, el('span', { class: 'muted', text: h.reason })))),
      ),
    );
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
