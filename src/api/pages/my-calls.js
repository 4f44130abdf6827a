'use strict';
/*
 * My calls: the agent takes the next debtor of the day's list (a claim nobody else gets), reads
 * the brief, dials through the tel: link and logs the outcome without the mouse: keys 1–9 pick
 * the outcome, Enter saves (Shift+Enter for a new line in the note), N takes the next debtor. Each call carries an idempotency key, so a
 * double submit stores one row.
 */
(async () => {
  const { api, el, showError } = Relance;
  const OUTCOMES = ['no_answer', 'busy', 'wrong_number', 'third_party', 'promise', 'refusal', 'dispute', 'do_not_call', 'callback'];
  const form = document.getElementById('outcome-form');
  const status = document.getElementById('status');
  let current = null; // { claim, brief, key, saved }

  const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`);
  const selected = () => form.querySelector('input[name="outcome"]:checked')?.value;

  function drawOutcomes() {
    const box = document.getElementById('outcomes');
    OUTCOMES.forEach((o, i) => {
      box.append(el('label', { 'data-outcome': o }, el('input', { type: 'radio', name: 'outcome', value: o, id: `o-${o}` }), el('kbd', { text: String(i + 1) }), el('span', { text: t(`outcomes:label.${o}`) })));
    });
    box.addEventListener('change', () => showFields(selected()));
  }

  function showFields(outcome) {
    document.getElementById('promise-fields').hidden = outcome !== 'promise';
    document.getElementById('callback-fields').hidden = outcome !== 'callback';
  }

  function choose(outcome) {
    const input = document.getElementById(`o-${outcome}`);
    input.checked = true;
    showFields(outcome);
    if (outcome === 'promise') document.getElementById('promise-amount').focus();
    else if (outcome === 'callback') document.getElementById('callback-at').focus();
    else input.focus();
  }

  async function refreshCounters() {
    const day = await api('/api/call-room');
    document.getElementById('list-date').textContent = t('callroom:list_of', { date: fmt.longDate(day.listDate) });
    document.getElementById('calls-today').textContent = fmt.number(day.calls);
    document.getElementById('pool-left').textContent = fmt.number(day.pool);
    return day;
  }

  function show(result) {
    const box = document.getElementById('debtor');
    box.replaceChildren();
    form.reset();
    showFields(null);
    if (!result.claim) {
      current = null;
      form.hidden = true;
      status.textContent = t('callroom:done');
      box.dataset.state = 'done';
      return;
    }
    current = { claim: result.claim, brief: result.brief, key: newKey(), saved: false };
    const b = result.brief;
    const name = [b.name.lastName, b.name.firstName].filter(Boolean).join(' ');
    box.append(el('h2', { id: 'debtor-name' }, el('a', { href: `/debtor/${encodeURIComponent(b.debtorId)}`, text: name || b.debtorId })));
    box.append(CallRoomBrief.render(b));
    box.dataset.state = 'claimed';
    box.dataset.debtor = b.debtorId;
    const phone = b.listing && b.listing.phone;
    document.getElementById('dial').replaceChildren(phone ? el('a', { class: 'tel', id: 'tel', href: `tel:${phone}`, text: t('callroom:call', { phone }) }) : el('span', { class: 'badge warn', text: t('callroom:no_phone') }));
    document.getElementById('held').textContent = t('callroom:held_until', { time: fmt.time(result.claim.expiresAt) });
    form.hidden = false;
    status.textContent = '';
    document.getElementById('tel')?.focus();
  }

  async function next() {
    const result = await api('/api/call-room/next', { method: 'POST', body: {} });
    show(result);
    await refreshCounters();
  }

  async function save() {
    if (!current || current.saved) return;
    const outcome = selected();
    if (!outcome) {
      status.textContent = t('common:errors.validation', { field: t('callroom:outcome') });
      return;
    }
    const body = { idempotencyKey: current.key, debtorId: current.claim.debtorId, listDate: current.claim.listDate, outcome };
    const note = document.getElementById('note').value.trim();
    if (note) body.note = note;
    if (outcome === 'promise') {
      const amount = document.getElementById('promise-amount').value;
      if (amount !== '') body.promiseAmount = Number(amount);
      const due = document.getElementById('promise-due').value;
      if (due) body.promiseDueOn = due;
    }
    if (outcome === 'callback') {
      const at = document.getElementById('callback-at').value;
      if (at) body.callbackAt = new Date(at).toISOString();
    }
    try {
      const logged = await api('/api/outcomes', { method: 'POST', body });
      current.saved = true;
      form.hidden = true;
      status.textContent = `${t(logged.created ? 'outcomes:saved' : 'outcomes:already_saved', { outcome: t(`outcomes:label.${outcome}`) })} ${t('callroom:logged_next')}`;
      status.dataset.saved = logged.outcomeId;
      document.getElementById('debtor').dataset.state = 'logged';
      document.getElementById('next').focus();
      await refreshCounters();
    } catch (error) {
      status.textContent = '';
      showError(error);
    }
  }

  async function skip() {
    if (!current || current.saved) return;
    await api('/api/call-room/release', { method: 'POST', body: { debtorId: current.claim.debtorId, date: current.claim.listDate } });
    await next();
  }

  const typing = (target) => target instanceof HTMLElement && (target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || (target.tagName === 'INPUT' && target.type !== 'radio'));

  document.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Enter saves, from the note too (Shift+Enter starts a new line there).
    if (event.key === 'Enter' && !event.shiftKey && !form.hidden && event.target.tagName !== 'BUTTON' && event.target.tagName !== 'A') {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    if (typing(event.target)) return;
    const digit = Number(event.key);
    if (Number.isInteger(digit) && digit >= 1 && digit <= OUTCOMES.length && !form.hidden) {
      event.preventDefault();
      choose(OUTCOMES[digit - 1]);
    } else if ((event.key === 'n' || event.key === 'N') && (!current || current.saved)) {
      event.preventDefault();
      next().catch(showError);
    }
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    save().catch(showError);
  });
  document.getElementById('next').addEventListener('click', () => next().catch(showError));
  document.getElementById('skip').addEventListener('click', () => skip().catch(showError));

  try {
    await Relance.start('/my-calls');
    drawOutcomes();
    const day = await refreshCounters();
    // A debtor held from before (page reloaded) comes back first.
    if (day.held) await next();
    else status.textContent = t('callroom:start');
    document.getElementById('main').dataset.ready = 'true';
  } catch (error) {
    showError(error);
  }
})();
