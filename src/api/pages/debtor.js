'use strict';
/* A debtor: profile and cases, the score against the threshold, the explanation as a waterfall of
 * contributions (log-odds), comparison with all debtors and with similar debtors on the top
 * features, payment and call timeline, rank history. */
(async () => {
  const { api, el, fmt, chart, COLOURS } = Relance;
  const main = document.getElementById('main');
  const id = decodeURIComponent(location.pathname.split('/').pop() || '');
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  try {
    await Relance.start('/call-list');
    const d = await api(`/api/debtors/${encodeURIComponent(id)}`);
    const p = d.profile;
    main.innerHTML = '';
    main.append(
      el('p', {}, el('a', { href: '/call-list', text: '← Call list' })),
      el('h1', { id: 'debtor-name' }, `${p.title || ''} ${p.firstName || ''} ${p.lastName || ''}`.trim(), ' ', el('span', { class: 'muted', text: `· ${p.debtorId} · ${p.officeCode || ''}` }), p.doNotCall ? el('span', { class: 'badge warn', text: 'do not call' }) : null),
    );

    const scoreCard = el('div', { class: 'card', id: 'score-card' });
    const profileCard = el('div', { class: 'card' });
    main.append(el('div', { class: 'grid2' }, scoreCard, profileCard));

    profileCard.append(
      el('h2', { text: 'Profile' }),
      el('dl', { class: 'profile' }, [['Born', fmt.date(p.birthDate)], ['Address', `${p.postalCode || ''} ${p.city || ''} ${p.country || ''}`], ['Time zone', p.timeZone || '–'], ['Phones', d.phones.map((x) => `${x.phone || 'invalid'} (${x.type || '?'})`).join(', ') || '–']].map(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]).flat()),
      el('h2', { text: 'Cases' }),
      el('table', {}, el('thead', {}, el('tr', {}, ['Case', 'Creditor', 'Stage', 'Status', 'Principal', 'Opened'].map((h) => el('th', { text: h })))), el('tbody', {}, d.cases.map((c) => el('tr', {}, el('td', { text: c.caseId }), el('td', { text: c.creditor }), el('td', { text: c.legalStage }), el('td', {}, c.status, c.disputed ? el('span', { class: 'badge warn', text: 'disputed' }) : null), el('td', { class: 'num', text: fmt.eur(c.principal) }), el('td', { text: fmt.date(c.openedOn) }))))),
    );

    const s = d.score;
    if (!s) {
      scoreCard.append(el('h2', { text: 'Score' }), el('p', { class: 'muted', text: 'This debtor has not been scored yet.' }));
    } else {
      const above = s.threshold !== null && s.pPay >= s.threshold;
      scoreCard.append(
        el('h2', { text: `Score of ${fmt.date(s.asOf)}` }),
        el('div', { class: 'kpis' },
          el('div', { class: 'kpi' }, el('div', { class: 'value', id: 'p-pay', text: fmt.pct(s.pPay, 1) }), el('div', { class: 'label', text: `P(pay within the horizon)` })),
          el('div', { class: 'kpi' }, el('div', { class: 'value', text: s.threshold === null ? '–' : fmt.pct(s.threshold, 1) }), el('div', { class: 'label', text: 'call threshold' })),
          el('div', { class: 'kpi' }, el('div', { class: 'value' }, el('span', { class: `badge ${above ? 'ok' : 'warn'}`, text: above ? 'above threshold' : 'below threshold' })), el('div', { class: 'label', text: `model ${s.modelVersionId}` })),
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
          title: { text: 'P(pay) over time', fontSize: 12, anchor: 'start' },
          data: { values: d.scoreHistory },
          layer: [
            { mark: { type: 'line', point: true, color: COLOURS.positive }, encoding: { x: { field: 'asOf', type: 'temporal', title: null }, y: { field: 'pPay', type: 'quantitative', axis: { format: '%' }, title: null, scale: { domain: [0, 1] } }, tooltip: [{ field: 'asOf', type: 'temporal' }, { field: 'pPay', format: '.1%' }] } },
            ...(s.threshold === null ? [] : [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#1d2430' }, encoding: { y: { datum: s.threshold } } }]),
          ],
        }, 'score-history');
      }

      // Waterfall: from the average debtor (expected log-odds) to this debtor's score.
      const contributions = (s.explanation || []).slice(0, 8);
      const rest = s.rawScore - s.expectedValue - contributions.reduce((a, c) => a + c.contribution, 0);
      const steps = [...contributions.map((c) => ({ label: `${fmt.feature(c.feature)} = ${c.value === null ? 'missing' : fmt.num(c.value, Number.isInteger(c.value) ? 0 : 2)}`, delta: c.contribution }))];
      if (Math.abs(rest) > 1e-6) steps.push({ label: 'all other features', delta: rest });
      let run = s.expectedValue;
      const rows = [{ label: `average debtor (${fmt.pct(sigmoid(s.expectedValue))})`, start: 0, end: s.expectedValue, kind: 'base', text: fmt.num(s.expectedValue) }];
      for (const st of steps) {
        rows.push({ label: st.label, start: run, end: run + st.delta, kind: st.delta >= 0 ? 'raises P(pay)' : 'lowers P(pay)', text: `${st.delta >= 0 ? '+' : ''}${fmt.num(st.delta)}` });
        run += st.delta;
      }
      rows.push({ label: `this debtor (${fmt.pct(s.pPay, 1)})`, start: 0, end: s.rawScore, kind: 'score', text: fmt.num(s.rawScore) });
      const explanationCard = el('div', { class: 'card', id: 'explanation' }, el('h2', { text: 'Why this score' }), el('p', { class: 'muted', text: 'Contributions in log-odds, from the average debtor to this one: blue raises the chance of paying, vermillion lowers it.' }), el('div', { id: 'chart-waterfall' }));
      main.append(explanationCard);
      const order = rows.map((r) => r.label);
      await chart('chart-waterfall', {
        height: Math.max(160, rows.length * 28),
        data: { values: rows },
        encoding: { y: { field: 'label', type: 'nominal', sort: order, title: null, axis: { labelLimit: 260 } } },
        layer: [
          { mark: { type: 'bar', height: 18 }, encoding: { x: { field: 'start', type: 'quantitative', title: 'log-odds of paying' }, x2: { field: 'end' }, color: { field: 'kind', type: 'nominal', title: null, scale: { domain: ['base', 'raises P(pay)', 'lowers P(pay)', 'score'], range: ['#8e99a8', COLOURS.positive, COLOURS.negative, '#1d2430'] }, legend: { orient: 'bottom' } }, tooltip: [{ field: 'label' }, { field: 'text', title: 'contribution' }] } },
          { transform: [{ calculate: 'max(datum.start, datum.end)', as: 'right' }], mark: { type: 'text', align: 'left', dx: 4, fontSize: 11 }, encoding: { x: { field: 'right', type: 'quantitative' }, text: { field: 'text' } } },
        ],
      }, 'waterfall');
    }

    const comparisonCard = el('div', { class: 'card', id: 'comparison' }, el('h2', { text: 'Compared with all debtors and with similar debtors' }), el('p', { class: 'muted', id: 'comparison-note', text: 'Loading…' }), el('div', { id: 'chart-comparison' }));
    const timelineCard = el('div', { class: 'card', id: 'timeline' }, el('h2', { text: 'Payments, calls and promises' }), el('div', { id: 'chart-timeline' }));
    const rankCard = el('div', { class: 'card', id: 'ranks' }, el('h2', { text: 'Place on the call lists' }), el('div', { id: 'chart-ranks' }));
    main.append(comparisonCard, timelineCard, rankCard);

    if (d.timeline.length) {
      await chart('chart-timeline', {
        height: 150,
        data: { values: d.timeline.map((t) => ({ ...t, amount: t.amount === null ? null : Number(t.amount), size: t.amount === null ? 90 : Math.min(400, 60 + Number(t.amount) / 2), label: t.kind === 'call' ? `call: ${t.detail}` : t.kind === 'payment' ? `payment ${fmt.eur(t.amount)}` : `promise ${fmt.eur(t.amount)} (${t.detail})` })) },
        mark: { type: 'point', filled: true, opacity: 0.85 },
        encoding: {
          x: { field: 'at', type: 'temporal', title: null },
          y: { field: 'kind', type: 'nominal', title: null, sort: ['payment', 'promise', 'call'] },
          color: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['payment', 'promise', 'call'], range: [COLOURS.good, COLOURS.accent, COLOURS.positive] } },
          shape: { field: 'kind', type: 'nominal', legend: null, scale: { domain: ['payment', 'promise', 'call'], range: ['circle', 'diamond', 'triangle-up'] } },
          size: { field: 'size', type: 'quantitative', legend: null, scale: null },
          tooltip: [{ field: 'at', type: 'temporal', format: '%d/%m/%Y %H:%M' }, { field: 'label' }, { field: 'caseId' }],
        },
      }, 'timeline');
    } else timelineCard.append(el('p', { class: 'muted', text: 'No payment, call or promise recorded.' }));

    if (d.rankHistory.length) {
      await chart('chart-ranks', {
        height: 120,
        data: { values: d.rankHistory },
        mark: { type: 'line', point: true, color: COLOURS.positive },
        encoding: { x: { field: 'listDate', timeUnit: 'yearmonthdate', type: 'ordinal', title: 'list date', axis: { labelAngle: 0, format: '%d/%m' } }, y: { field: 'rank', type: 'quantitative', scale: { reverse: true, zero: false, nice: true }, axis: { format: 'd', tickMinStep: 1 }, title: 'rank (1 = first call)' }, tooltip: [{ field: 'listDate', type: 'temporal' }, { field: 'teamId' }, { field: 'rank' }, { field: 'pPay', format: '.1%' }] },
      }, 'rank-history');
    } else rankCard.append(el('p', { class: 'muted', text: 'Never on a published list.' }));

    try {
      const cmp = await api(`/api/debtors/${encodeURIComponent(id)}/comparison`);
      document.getElementById('comparison-note').textContent = `Snapshot of ${cmp.asOf}: grey bars are all ${cmp.population} debtors, blue bars the ${cmp.k} most similar debtors on the model's features (shares of each group); the vermillion line is this debtor.`;
      const values = [];
      for (const f of cmp.features) {
        const popTotal = f.bins.reduce((a, b) => a + b.population, 0) || 1;
        const nTotal = f.bins.reduce((a, b) => a + b.neighbours, 0) || 1;
        for (const b of f.bins) {
          values.push({ feature: fmt.feature(f.feature), x0: b.x0, x1: b.x1, group: 'all debtors', share: b.population / popTotal });
          values.push({ feature: fmt.feature(f.feature), x0: b.x0, x1: b.x1, group: 'similar debtors', share: b.neighbours / nTotal });
        }
      }
      const host = document.getElementById('chart-comparison');
      host.classList.add('chart');
      host.dataset.chart = 'comparison';
      for (const f of cmp.features) {
        const div = el('div', { class: 'comparison-feature' });
        host.append(div);
        const below = f.populationPercentile === null ? '' : ` — ${fmt.pct(f.populationPercentile)} of debtors are below`;
        await chart(div, {
          height: 70,
          title: { text: `${fmt.feature(f.feature)}: ${f.value === null ? 'missing' : fmt.num(f.value)}${below}`, fontSize: 12, anchor: 'start' },
          data: { values: values.filter((v) => v.feature === fmt.feature(f.feature)) },
          layer: [
            { mark: { type: 'bar', opacity: 0.75 }, encoding: { x: { field: 'x0', type: 'quantitative', bin: { binned: true }, title: null }, x2: { field: 'x1' }, y: { field: 'share', type: 'quantitative', stack: null, axis: { format: '%' }, title: null }, color: { field: 'group', type: 'nominal', title: null, scale: { domain: ['all debtors', 'similar debtors'], range: ['#b9c2cf', COLOURS.positive] } }, tooltip: [{ field: 'group' }, { field: 'x0', format: '.2f', title: 'from' }, { field: 'x1', format: '.2f', title: 'to' }, { field: 'share', format: '.1%' }] } },
            ...(f.value === null ? [] : [{ mark: { type: 'rule', color: COLOURS.negative, strokeWidth: 2.5 }, encoding: { x: { datum: f.value } } }]),
          ],
        });
      }
    } catch (error) {
      document.getElementById('comparison-note').textContent = `No comparison: ${error.message}`;
    }
    main.dataset.ready = 'true';
  } catch (error) {
    document.getElementById('loading')?.remove();
    Relance.showError(error);
  }
})();
