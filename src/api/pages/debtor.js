'use strict';
/* A debtor: profile and cases, the score against the threshold, the explanation as a waterfall of
 * contributions in points of probability (from the average debtor's chance of paying to this
 * debtor's, each step the change its feature makes), comparison with all debtors and with similar
 * debtors on the top features, payment and call timeline, rank history. Words in
 * src/api/i18n/locales/<lang>/debtor.json (namespace `debtor:page`). */
(async () => {
  const { api, el, fmt, chart, COLOURS } = Relance;
  const { t, i18n } = Relance;
  const main = document.getElementById('main');
  const id = decodeURIComponent(location.pathname.split('/').pop() || '');
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  try {
    await Relance.start('/call-list');
    const d = await api(`/api/debtors/${encodeURIComponent(id)}`);
    const p = d.profile;
    main.innerHTML = '';
    main.append(
      el('p', {}, el('a', { href: '/call-list', text: `← ${t('debtor:page.back')}` })),
      el('h1', { id: 'debtor-name' }, `${p.title || ''} ${p.firstName || ''} ${p.lastName || ''}`.trim(), ' ', el('span', { class: 'muted', text: `· ${p.debtorId} · ${p.officeCode || ''}` }), p.doNotCall ? el('span', { class: 'badge warn', text: t('debtor:page.do_not_call') }) : null),
    );

    const scoreCard = el('div', { class: 'card', id: 'score-card' });
    const profileCard = el('div', { class: 'card' });
    main.append(el('div', { class: 'grid2' }, scoreCard, profileCard));

    profileCard.append(
      el('h2', { text: t('debtor:page.profile') }),
      el('dl', { class: 'profile' }, [[t('debtor:page.born'), fmt.date(p.birthDate)], [t('debtor:page.address'), `${p.postalCode || ''} ${p.city || ''} ${p.country || ''}`], [t('debtor:page.time_zone'), p.timeZone || '–'], [t('debtor:page.phones'), d.phones.map((x) => `${x.phone || t('debtor:page.invalid_phone')} (${x.type || '?'})`).join(', ') || '–']].map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]).flat()),
      el('h2', { text: t('debtor:page.cases') }),
      el('table', {}, el('thead', {}, el('tr', {}, ['case', 'creditor', 'stage', 'status', 'principal', 'opened'].map((h) => el('th', { text: t(`debtor:page.columns.${h}`) })))), el('tbody', {}, d.cases.map((c) => el('tr', {}, el('td', { text: c.caseId }), el('td', { text: c.creditor }), el('td', { text: i18n.exists(`debtor:stage.${c.legalStage}`) ? t(`debtor:stage.${c.legalStage}`) : c.legalStage }), el('td', {}, i18n.exists(`debtor:page.status.${c.status}`) ? t(`debtor:page.status.${c.status}`) : c.status, c.disputed ? el('span', { class: 'badge warn', text: t('debtor:page.disputed') }) : null), el('td', { class: 'num', text: fmt.eur(c.principal) }), el('td', { text: fmt.date(c.openedOn) }))))),
    );

    const s = d.score;
    if (!s) {
      scoreCard.append(el('h2', { text: t('debtor:page.score') }), el('p', { class: 'muted', text: t('debtor:page.not_scored') }));
    } else {
      const above = s.threshold !== null && s.pPay >= s.threshold;
      scoreCard.append(
        el('h2', { text: t('debtor:page.score_of', { date: fmt.date(s.asOf) }) }),
        el('div', { class: 'kpis' },
          el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'p-pay', text: fmt.pct(s.pPay, 1) }), el('div', { class: 'label', text: t('debtor:page.p_pay') })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: s.threshold === null ? '–' : fmt.pct(s.threshold, 1) }), el('div', { class: 'label', text: t('debtor:page.threshold') })),
          el('div', { class: 'kpi' }, el('div', { class: 'value' }, el('span', { class: `badge ${above ? 'ok' : 'warn'}`, text: above ? t('debtor:page.above') : t('debtor:page.below') })), el('div', { class: 'label', text: t('debtor:page.model', { model: s.modelVersionId }) })),
        ),
        el('div', { id: 'chart-score' }),
        el('div', { id: 'chart-score-history' }),
      );
      const gauge = [{ what: 'P(pay)', p: s.pPay }];
      await chart('chart-score', {
        height: 46,
        data: { values: gauge },
        layer: [
          { mark: { type: 'bar', color: '#e8ecf1', height: 22 }, encoding: { x: { datum: 1, type: 'quantitative' }, x2: { datum: 0 } } },
          { mark: { type: 'bar', height: 22, color: above ? COLOURS.positive : COLOURS.accent }, encoding: { x: { field: 'p', type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: '%', title: null } } } },
          ...(s.threshold === null ? [] : [{ mark: { type: 'rule', color: '#1d2430', strokeWidth: 3 }, encoding: { x: { datum: s.threshold } } }]),
        ],
      }, 'score');
      if (d.scoreHistory.length > 1) {
        await chart('chart-score-history', {
          height: 110,
          title: { text: t('debtor:page.p_pay_over_time'), fontSize: 12, anchor: 'start' },
          data: { values: d.scoreHistory },
          layer: [
            { mark: { type: 'line', point: true, color: COLOURS.positive }, encoding: { x: { field: 'asOf', type: 'temporal', title: null }, y: { field: 'pPay', type: 'quantitative', axis: { format: '%' }, title: null, scale: { domain: [0, 1] } }, tooltip: [{ field: 'asOf', type: 'temporal', title: t('debtor:page.date') }, { field: 'pPay', format: '.1%', title: t('debtor:page.chance') }] } },
            ...(s.threshold === null ? [] : [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#1d2430' }, encoding: { y: { datum: s.threshold } } }]),
          ],
        }, 'score-history');
      }

      // Waterfall in points of probability: from the average debtor's chance of paying to this
      // debtor's, each step the change its feature makes (the contributions add up in log-odds; each
      // step is shown as the probability it moves, in the order of the explanation).
      const contributions = (s.explanation || []).slice(0, 8);
      const rest = s.rawScore - s.expectedValue - contributions.reduce((a, c) => a + c.contribution, 0);
      const steps = [...contributions.map((c) => ({ label: `${fmt.feature(c.feature)} = ${c.value === null ? t('debtor:page.missing') : fmt.num(c.value, Number.isInteger(c.value) ? 0 : 2)}`, delta: c.contribution }))];
      if (Math.abs(rest) > 1e-6) steps.push({ label: t('debtor:page.other_features'), delta: rest });
      const points = (p) => 100 * p;
      const pts = (x) => `${x >= 0 ? '+' : ''}${fmt.number(x, 1)}`;
      let run = s.expectedValue;
      const base = points(sigmoid(s.expectedValue));
      const kinds = { base: t('debtor:page.kind_base'), up: t('debtor:page.kind_up'), down: t('debtor:page.kind_down'), score: t('debtor:page.kind_score') };
      const rows = [{ label: t('debtor:page.average_debtor', { chance: fmt.pct(sigmoid(s.expectedValue)) }), start: 0, end: base, kind: kinds.base, text: fmt.number(base, 1) }];
      for (const st of steps) {
        const from = points(sigmoid(run));
        const to = points(sigmoid(run + st.delta));
        rows.push({ label: st.label, start: from, end: to, kind: to >= from ? kinds.up : kinds.down, text: pts(to - from) });
        run += st.delta;
      }
      // The model's own chance (before calibration) ends the steps; the calibrated chance is the one shown above.
      rows.push({ label: t('debtor:page.this_debtor', { chance: fmt.pct(s.pPay, 1) }), start: 0, end: points(sigmoid(s.rawScore)), kind: kinds.score, text: fmt.number(points(sigmoid(s.rawScore)), 1) });
      const explanationCard = el('div', { class: 'card', id: 'explanation' }, el('h2', { text: t('debtor:page.why') }), el('p', { class: 'muted', text: t('debtor:page.why_note') }), el('div', { id: 'chart-waterfall' }));
      main.append(explanationCard);
      const order = rows.map((r) => r.label);
      await chart('chart-waterfall', {
        height: Math.max(160, rows.length * 28),
        data: { values: rows },
        encoding: { y: { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 260 } } },
        layer: [
          { mark: { type: 'bar', height: 18 }, encoding: { x: { field: 'start', type: 'quantitative', title: t('debtor:page.points_axis') }, x2: { field: 'end' }, color: { field: 'kind', type: 'nominal', title: null, scale: { domain: [kinds.base, kinds.up, kinds.down, kinds.score], range: ['#8e99a8', COLOURS.positive, COLOURS.negative, '#1d2430'] }, legend: { orient: 'bottom' } }, tooltip: [{ field: 'label', title: t('debtor:page.feature') }, { field: 'text', title: t('debtor:page.points') }] } },
          { transform: [{ calculate: 'max(datum.start, datum.end)', as: 'right' }], mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { x: { field: 'right', type: 'quantitative' }, text: { field: 'text' } } },
        ],
      }, 'waterfall');
    }

    const comparisonCard = el('div', { class: 'card', id: 'comparison' }, el('h2', { text: t('debtor:page.comparison') }), el('p', { class: 'muted', id: 'comparison-note', text: t('debtor:page.loading') }), el('div', { id: 'chart-comparison' }));
    const timelineCard = el('div', { class: 'card', id: 'timeline' }, el('h2', { text: t('debtor:page.timeline') }), el('div', { id: 'chart-timeline' }));
    const rankCard = el('div', { class: 'card', id: 'ranks' }, el('h2', { text: t('debtor:page.ranks') }), el('div', { id: 'chart-ranks' }));
    main.append(comparisonCard, timelineCard, rankCard);

    if (d.timeline.length) {
      await chart('chart-timeline', {
        height: 150,
        data: { values: d.timeline.map((e) => ({ ...e, amount: e.amount === null ? null : Number(e.amount), size: e.amount === null ? 90 : Math.min(400, 60 + Number(e.amount) / 2), kindLabel: t(`debtor:page.kinds.${e.kind}`), label: e.kind === 'call' ? t('debtor:page.call_label', { detail: e.detail }) : e.kind === 'payment' ? t('debtor:page.payment_label', { amount: fmt.eur(e.amount) }) : t('debtor:page.promise_label', { amount: fmt.eur(e.amount), detail: e.detail }) })) },
        mark: { type: 'point', filled: true, opacity: 0.85 },
        encoding: {
          x: { field: 'at', type: 'temporal', title: null },
          y: { field: 'kindLabel', type: 'nominal', title: null, sort: ['payment', 'promise', 'call'].map((k) => t(`debtor:page.kinds.${k}`)) },
          color: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['payment', 'promise', 'call'], range: [COLOURS.good, COLOURS.accent, COLOURS.positive] } },
          shape: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['payment', 'promise', 'call'], range: ['circle', 'diamond', 'triangle-up'] } },
          size: { field: 'size', type: 'quantitative', legend: null, scale: null },
          tooltip: [{ field: 'at', type: 'temporal', format: '%d/%m/%Y %H:%M', title: t('debtor:page.date') }, { field: 'label', title: t('debtor:page.event') }, { field: 'caseId', title: t('debtor:page.columns.case') }],
        },
      }, 'timeline');
    } else timelineCard.append(el('p', { class: 'muted', text: t('debtor:page.no_events') }));

    if (d.rankHistory.length) {
      await chart('chart-ranks', {
        height: 120,
        data: { values: d.rankHistory },
        mark: { type: 'line', point: true, color: COLOURS.positive },
        encoding: { x: { field: 'listDate', timeUnit: 'yearmonthdate', type: 'ordinal', title: t('debtor:page.list_date'), axis: { labelAngle: 0, format: '%d/%m' } }, y: { field: 'rank', type: 'quantitative', scale: { reverse: true, zero: false, nice: true }, axis: { format: 'd', tickMinStep: 1 }, title: t('debtor:page.rank_axis') }, tooltip: [{ field: 'listDate', type: 'temporal', title: t('debtor:page.list_date') }, { field: 'teamId', title: t('debtor:page.team') }, { field: 'rank', title: t('debtor:page.rank') }, { field: 'pPay', format: '.1%', title: t('debtor:page.chance') }] },
      }, 'rank-history');
    } else rankCard.append(el('p', { class: 'muted', text: t('debtor:page.never_listed') }));

    try {
      const cmp = await api(`/api/debtors/${encodeURIComponent(id)}/comparison`);
      document.getElementById('comparison-note').textContent = t('debtor:page.comparison_note', { date: fmt.date(cmp.asOf), population: fmt.number(cmp.population), k: fmt.number(cmp.k) });
      const values = [];
      for (const f of cmp.features) {
        const popTotal = f.bins.reduce((a, b) => a + b.population, 0) || 1;
        const nTotal = f.bins.reduce((a, b) => a + b.neighbours, 0) || 1;
        for (const b of f.bins) {
          values.push({ feature: fmt.feature(f.feature), x0: b.x0, x1: b.x1, group: t('debtor:page.all_debtors'), share: b.population / popTotal });
          values.push({ feature: fmt.feature(f.feature), x0: b.x0, x1: b.x1, group: t('debtor:page.similar_debtors'), share: b.neighbours / nTotal });
        }
      }
      const host = document.getElementById('chart-comparison');
      host.classList.add('chart');
      host.dataset.chart = 'comparison';
      for (const f of cmp.features) {
        const div = el('div', { class: 'comparison-feature' });
        host.append(div);
        const below = f.populationPercentile === null ? '' : ` — ${t('debtor:page.below_share', { share: fmt.pct(f.populationPercentile) })}`;
        await chart(div, {
          height: 70,
          title: { text: `${fmt.feature(f.feature)}: ${f.value === null ? t('debtor:page.missing') : fmt.num(f.value)}${below}`, fontSize: 12, anchor: 'start' },
          data: { values: values.filter((v) => v.feature === fmt.feature(f.feature)) },
          layer: [
            { mark: { type: 'bar', opacity: 0.75 }, encoding: { x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: null }, x2: { field: 'x1' }, y: { field: 'share', type: 'quantitative', stack: null, axis: { format: '%' }, title: null }, color: { field: 'group', type: 'nominal', title: null, scale: { domain: [t('debtor:page.all_debtors'), t('debtor:page.similar_debtors')], range: ['#b9c2cf', COLOURS.positive] } }, tooltip: [{ field: 'group', title: t('debtor:page.group') }, { field: 'x0', format: '.2f', title: t('debtor:page.from') }, { field: 'x1', format: '.2f', title: t('debtor:page.to') }, { field: 'share', format: '.1%', title: t('debtor:page.share') }] } },
            ...(f.value === null ? [] : [{ mark: { type: 'rule', color: COLOURS.negative, strokeWidth: 2.5 }, encoding: { x: { datum: f.value } } }]),
          ],
        });
      }
    } catch (error) {
      document.getElementById('comparison-note').textContent = t('debtor:page.no_comparison', { reason: error.message });
    }
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
