'use strict';
/* The model: champion vs challenger metrics, ROC, calibration, lift and gain by decile, feature
 * importance, business-cost curve with the chosen threshold, versions and promotion history. */
(async () => {
  const { api, el, chart, COLOURS } = Relance;
  const main = document.getElementById('main');
  const MODEL_COLOURS = { champion: COLOURS.positive, challenger: COLOURS.accent };
  const label = (ns, key, fallback) => (i18n.exists(`model:${ns}.${key}`) ? t(`model:${ns}.${key}`) : fallback ?? key);
  try {
    await Relance.start('/model');
    const [cmp, all] = await Promise.all([api('/api/models/compare'), api('/api/models')]);
    main.innerHTML = '';
    main.append(el('h1', { text: t('model:heading') }));
    if (!cmp.champion) {
      main.append(el('p', { class: 'muted', text: t('model:none') }));
      return;
    }
    const models = [['champion', cmp.champion], ['challenger', cmp.challenger]].filter(([, m]) => m && (m === cmp.champion || m.versionId !== cmp.champion.versionId));
    const aliasName = (alias) => label('aliases', alias);
    const metricNames = [...new Set(models.flatMap(([, m]) => Object.keys(m.metrics).filter((k) => typeof m.metrics[k] === 'number')))];
    main.append(
      el('div', { class: 'card', id: 'metrics' },
        el('h2', { text: t('model:compare') }),
        el('table', {},
          el('thead', {}, el('tr', {}, el('th', { text: '' }), models.map(([alias, m]) => el('th', {}, el('span', { style: `color:${MODEL_COLOURS[alias]}`, text: '■ ' }), t('model:model_header', { alias: aliasName(alias), version: m.versionId, kind: label('kinds', m.kind) }))))),
          el('tbody', {},
            metricNames.map((k) => el('tr', {}, el('th', { text: label('metrics', k) }), models.map(([, m]) => el('td', { class: 'num', text: Number.isInteger(m.metrics[k]) ? fmt.number(m.metrics[k]) : fmt.number(m.metrics[k], 4) })))),
            el('tr', {}, el('th', { text: t('model:metrics.threshold') }), models.map(([, m]) => el('td', { class: 'num', text: fmt.number(m.threshold, 3) }))),
            el('tr', {}, el('th', { text: t('model:metrics.trained') }), models.map(([, m]) => el('td', { class: 'num', text: fmt.dateTime(m.createdAt) }))),
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
    const modelField = t('model:model_field');
    const colour = { field: 'model', type: 'nominal', title: null, scale: { domain: models.map(([a]) => aliasName(a)), range: models.map(([a]) => MODEL_COLOURS[a]) }, legend: { orient: 'bottom' } };
    const dash = { field: 'model', legend: null, scale: { domain: models.map(([a]) => aliasName(a)), range: models.map(([a]) => (a === 'champion' ? [1, 0] : [6, 3])) } };
    const rowsOf = (key) => models.flatMap(([alias, m]) => (m.curves[key] || []).map((r) => ({ ...r, model: aliasName(alias) })));

    const roc = rowsOf('roc');
    await chart(card('chart-roc', t('model:roc.title')), {
      height: 260,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: roc }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x: { field: 'fpr', type: 'quantitative', title: t('model:roc.x'), axis: { format: '.0%' } }, y: { field: 'tpr', type: 'quantitative', title: t('model:roc.y'), axis: { format: '.0%' } }, color: colour, strokeDash: dash, order: { field: 'fpr' } } },
      ],
    }, 'roc');

    const calibration = rowsOf('calibration');
    await chart(card('chart-calibration', t('model:calibration.title'), t('model:calibration.note')), {
      height: 260,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: calibration }, mark: { type: 'line', point: true }, encoding: { x: { field: 'meanPredicted', type: 'quantitative', title: t('model:calibration.x'), scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y: { field: 'observedRate', type: 'quantitative', title: t('model:calibration.y'), scale: { domain: [0, 1] }, axis: { format: '.0%' } }, color: colour, tooltip: [{ field: 'model', title: modelField }, { field: 'meanPredicted', format: '.1%', title: t('model:calibration.x') }, { field: 'observedRate', format: '.1%', title: t('model:calibration.y') }, { field: 'count', title: t('model:calibration.count') }] } },
      ],
    }, 'calibration');

    const lift = rowsOf('lift');
    await chart(card('chart-lift', t('model:lift.title'), t('model:lift.note')), {
      height: 240,
      data: { values: lift },
      mark: 'bar',
      encoding: { x: { field: 'group', type: 'ordinal', title: t('model:lift.x'), axis: { labelAngle: 0 } }, xOffset: { field: 'model' }, y: { field: 'lift', type: 'quantitative', title: t('model:lift.y'), axis: { format: ',.1f' } }, color: colour, tooltip: [{ field: 'model', title: modelField }, { field: 'group', title: t('model:lift.x') }, { field: 'lift', format: ',.2f', title: t('model:lift.y') }] },
    }, 'lift');

    await chart(card('chart-gain', t('model:gain.title'), t('model:gain.note')), {
      height: 240,
      layer: [
        { data: { values: [{ x: 0, y: 0 }, { x: 10, y: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: '#999' }, encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } } },
        { data: { values: [...models.map(([alias]) => ({ group: 0, capturedPositives: 0, model: aliasName(alias) })), ...lift] }, mark: { type: 'line', point: true }, encoding: { x: { field: 'group', type: 'quantitative', title: t('model:gain.x'), scale: { domain: [0, 10] } }, y: { field: 'capturedPositives', type: 'quantitative', title: t('model:gain.y'), axis: { format: '.0%' } }, color: colour } },
      ],
    }, 'gain');

    const importance = cmp.champion.importance.slice(0, 15);
    await chart(card('chart-importance', t('model:importance.title'), cmp.champion.kind === 'gbdt' ? t('model:importance.note_gbdt') : t('model:importance.note_logistic')), {
      height: Math.max(200, importance.length * 18),
      data: { values: importance.map((i) => ({ ...i, label: fmt.feature(i.feature) })) },
      mark: { type: 'bar', color: COLOURS.positive },
      encoding: { y: { field: 'label', type: 'nominal', sort: '-x', title: null }, x: { field: 'gain', type: 'quantitative', title: t('model:importance.x'), axis: { format: ',.2f' } }, tooltip: [{ field: 'label', title: t('drift:table.feature') }, { field: 'gain', format: ',.3f', title: t('model:importance.x') }] },
    }, 'importance');

    const cost = rowsOf('cost').filter((r) => r.threshold >= 0 && r.threshold <= 1);
    const rules = models.filter(([, m]) => m.threshold !== null).map(([alias, m]) => ({ model: aliasName(alias), threshold: m.threshold }));
    await chart(card('chart-cost', t('model:cost.title'), t('model:cost.note')), {
      height: 240,
      layer: [
        { data: { values: cost }, mark: { type: 'line' }, encoding: { x: { field: 'threshold', type: 'quantitative', title: t('model:cost.x'), scale: { domain: [0, 1] }, axis: { format: '.0%' } }, y: { field: 'cost', type: 'quantitative', title: t('model:cost.y'), axis: { format: ',.2f' } }, color: colour, strokeDash: dash } },
        { data: { values: rules }, mark: { type: 'rule', strokeWidth: 2, strokeDash: [6, 3] }, encoding: { x: { field: 'threshold', type: 'quantitative' }, color: colour, tooltip: [{ field: 'model', title: modelField }, { field: 'threshold', format: '.1%', title: t('model:metrics.threshold') }] } },
      ],
    }, 'cost');

    main.append(
      el('div', { class: 'card', id: 'versions' },
        el('h2', { text: t('model:versions.heading') }),
        el('table', {}, el('thead', {}, el('tr', {}, ['version', 'kind', 'aliases', 'auc', 'cost', 'threshold', 'created'].map((h) => el('th', { text: t(`model:versions.${h}`) })))),
          el('tbody', {}, all.versions.map((v) => el('tr', {}, el('td', { text: v.versionId }), el('td', { text: label('kinds', v.kind) }), el('td', { text: v.aliases.map(aliasName).join(', ') }), el('td', { class: 'num', text: fmt.number(v.metrics.auc, 4) }), el('td', { class: 'num', text: fmt.number(v.metrics.cost, 4) }), el('td', { class: 'num', text: fmt.number(v.threshold, 3) }), el('td', { text: fmt.dateTime(v.createdAt) }))))),
        el('h2', { text: t('model:history.heading') }),
        el('ul', {}, all.history.map((h) => el('li', {}, `${t(h.accepted ? 'model:history.accepted' : 'model:history.refused', { date: fmt.dateTime(h.movedAt), alias: aliasName(h.alias), version: h.versionId })} `, el('span', { class: 'muted', text: h.reason })))),
      ),
    );
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
