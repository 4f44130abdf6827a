/*
 * The debtor brief (GET /api/debtors/:id/brief) drawn for the call team: what to say first
 * (balance, open cases, last payment, promise, rank and window in the debtor's local time,
 * reasons), the last contacts, the model's explanation in points of probability and what similar
 * debtors paid. Shared by the "my calls" page and the debtor page. Every text comes from the
 * `debtor` and `outcomes` catalogues.
 */
'use strict';

const CallRoomBrief = (() => {
  const { el } = Relance;
  const STAGES = ['amicable', 'injunction', 'enforceable_title', 'seizure'];

  /** A feature's value in words, with its unit. */
  function featureValue(effect) {
    const v = effect.value;
    if (v === null || v === undefined) return t('debtor:unit.unknown');
    switch (effect.unit) {
      case 'euro': return fmt.money(v, 0);
      case 'day': return t('debtor:unit.days', { count: Math.round(v) });
      case 'count': return fmt.number(v);
      case 'share': return fmt.percent(v);
      case 'year': return t('debtor:unit.years', { value: fmt.number(v) });
      case 'flag': return t(v ? 'debtor:unit.yes' : 'debtor:unit.no');
      case 'rank': return t(`debtor:stage.${STAGES[Math.round(v)] || 'unknown'}`);
      default: return fmt.number(v, 2);
    }
  }

  /** The feature's name from the registry, in the page's language. */
  const featureName = (effect) => effect.label[i18n.lang] || effect.label.fr;
  const outcomeName = (o) => t(`outcomes:label.${i18n.exists(`outcomes:label.${o}`) ? o : 'unknown'}`);
  const row = (labelKey, ...value) => [el('dt', { text: t(labelKey) }), el('dd', {}, ...value)];

  function promiseText(p) {
    if (!p) return t('debtor:brief.no_promise');
    return t(`debtor:brief.promise_${p.state}`, { amount: fmt.money(p.amount, 0), date: fmt.date(p.dueOn || p.promisedOn) });
  }

  /** The "what to say" block. */
  function essentials(brief) {
    const listing = brief.listing;
    const cases = el('ul', { class: 'plain' }, brief.openCases.map((c) => el('li', { text: t('debtor:brief.case_line', { creditor: c.creditor || '–', amount: fmt.money(c.amount, 0), stage: t(`debtor:stage.${c.legalStage || 'unknown'}`) }) + (c.disputed ? ` · ${t('debtor:brief.disputed')}` : '') })));
    const reasons = listing && listing.reasons.length
      ? el('ul', { class: 'reasons', id: 'brief-reasons' }, listing.reasons.map((r) => el('li', { class: 'up', text: r[i18n.lang] || r.fr || r.text || '' })))
      : null;
    const callReasons = listing && listing.callReasons && listing.callReasons.length
      ? el('ul', { class: 'reasons', id: 'brief-call-reasons' }, listing.callReasons.map((r) => el('li', { class: 'up', text: r[i18n.lang] || r.fr || r.text || '' })))
      : null;
    const dl = el('dl', { class: 'profile', id: 'brief-facts' },
      row('debtor:brief.balance', el('strong', { id: 'brief-balance', text: fmt.money(brief.balance, 0) })),
      row('debtor:brief.open_cases', t('debtor:brief.open_cases_count', { count: brief.openCases.length }), cases),
      row('debtor:brief.last_payment', el('span', { id: 'brief-last-payment', text: brief.lastPayment ? t('debtor:brief.last_payment_value', { amount: fmt.money(brief.lastPayment.amount, 0), date: fmt.date(brief.lastPayment.on) }) : t('debtor:brief.no_payment') })),
      row('debtor:brief.promise', el('span', { id: 'brief-promise', class: brief.promise && brief.promise.state === 'broken' ? 'badge warn' : undefined, text: promiseText(brief.promise) })),
      row('debtor:brief.rank', el('span', { id: 'brief-rank', text: listing ? t('debtor:brief.rank_value', { rank: listing.rank, team: listing.teamId }) : t('debtor:brief.not_listed') })),
      listing && listing.windowStart ? row('debtor:brief.window', el('span', { id: 'brief-window', text: t('debtor:brief.window_value', { start: fmt.time(listing.windowStart, brief.timeZone), end: fmt.time(listing.windowEnd, brief.timeZone), zone: brief.timeZone }) })) : null,
      listing ? row('debtor:brief.p_pay', fmt.percent(listing.pPay)) : null,
      listing && listing.incrementalRecovery !== null && listing.incrementalRecovery !== undefined ? row('debtor:brief.call_adds', el('span', { id: 'brief-call-adds', text: fmt.money(listing.incrementalRecovery, 0) })) : null,
    );
    const excluded = brief.exclusions.length
      ? el('p', { class: 'error', id: 'brief-exclusions' }, `${t('debtor:brief.excluded')} : `, brief.exclusions.map((e) => t(`debtor:rule.${e.rule}`)).join(', '))
      : null;
    return el('div', { class: 'card', id: 'brief-essentials' }, el('h2', { text: t('debtor:brief.what_to_say') }), excluded, dl, callReasons ? el('h3', { text: t('debtor:brief.call_reasons') }) : null, callReasons, reasons ? el('h3', { text: t('debtor:brief.reasons') }) : null, reasons);
  }

  function contacts(brief) {
    const items = brief.lastContacts.map((c) => el('li', { text: t('debtor:brief.contact_line', { date: fmt.dateTime(c.at, brief.timeZone), outcome: outcomeName(c.outcome), who: c.agent || t(`outcomes:source.${c.source}`) }) + (c.callbackAt ? ` — ${t('debtor:brief.callback_due', { date: fmt.dateTime(c.callbackAt, brief.timeZone) })}` : '') + (c.note ? ` — ${c.note}` : '') }));
    return el('div', { class: 'card', id: 'brief-contacts' }, el('h2', { text: t('debtor:brief.last_contacts') }), items.length ? el('ul', { class: 'plain' }, items) : el('p', { class: 'muted', text: t('debtor:brief.no_contact') }));
  }

  function explanation(brief) {
    if (!brief.explanation) return null;
    const lines = brief.explanation.effects.map((e) =>
      el('li', { class: e.points >= 0 ? 'up' : 'down', 'data-feature': e.feature, text: t('debtor:brief.effect_line', { feature: featureName(e), value: featureValue(e), effect: t(`debtor:brief.${e.direction}`, { points: fmt.number(Math.abs(e.points), 1) }) }) }),
    );
    return el('div', { class: 'card', id: 'brief-explanation' }, el('h2', { text: t('debtor:brief.explanation') }), el('p', { class: 'muted', text: t('debtor:brief.explanation_intro', { p: fmt.percent(brief.explanation.pPay) }) }), el('ul', { class: 'reasons' }, lines));
  }

  function similar(brief) {
    const s = brief.similar;
    const text = s.n > 0
      ? t('debtor:brief.similar_value', { count: s.n, paid: s.nPaid, share: fmt.percent(s.paidShare), total: fmt.money(s.paidTotal, 0), median: fmt.money(s.paidMedian, 0) })
      : t('debtor:brief.similar_none');
    const c = s.criteria;
    const criteria = c.balance !== null && c.paymentHistory
      ? t('debtor:brief.similar_criteria', { low: fmt.money(c.balance * 0.8, 0), high: fmt.money(c.balance * 1.25, 0), payments: t(`debtor:brief.history.${c.paymentHistory}`), promises: t(`debtor:brief.promise_history.${c.promiseHistory}`) })
      : '';
    return el('div', { class: 'card', id: 'brief-similar' }, el('h2', { text: t('debtor:brief.similar') }), el('p', { id: 'brief-similar-text', text }), criteria ? el('p', { class: 'muted', text: criteria }) : null);
  }

  /** The brief as a section, essentials first. */
  function render(brief) {
    return el('section', { id: 'brief', 'data-debtor': brief.debtorId }, essentials(brief), el('div', { class: 'grid2' }, contacts(brief), similar(brief)), explanation(brief));
  }

  return { render, featureValue, outcomeName };
})();
