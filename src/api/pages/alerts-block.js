'use strict';
/* The open alerts block of the main page: the alerts nobody acknowledged yet (missed deadline,
 * drift, realised AUC, freshness), for the roles that read them; nothing for the other roles, nor
 * when there is none. Messages in src/api/i18n/locales/<lang>/alerts.json. */
(() => {
  const STAFF = ['lead', 'it', 'analyst'];
  async function show() {
    let alerts;
    try {
      const get = (path) => fetch(path, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      // Agents do not read alerts (asking would only earn a 403); a missing sign-in is the page's business.
      const me = await get('/api/me');
      if (!me.ok || !STAFF.includes((await me.json()).role)) return;
      const res = await get('/api/alerts?open=true&limit=20');
      if (!res.ok) return;
      alerts = await res.json();
      await i18n.ready();
    } catch {
      return;
    }
    if (!Array.isArray(alerts) || alerts.length === 0) return;
    const label = (group, key) => (i18n.exists(`alerts:${group}.${key}`) ? t(`alerts:${group}.${key}`) : key);
    const section = document.createElement('section');
    section.id = 'open-alerts';
    section.className = 'card alerts-block';
    section.setAttribute('aria-label', t('alerts:aria'));
    const title = document.createElement('h2');
    title.textContent = t('alerts:heading', { count: alerts.length });
    const list = document.createElement('ul');
    const at = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: i18n.timeZone });
    for (const a of alerts) {
      const item = document.createElement('li');
      item.className = `alert-${a.severity}`;
      item.dataset.alert = `${a.source}:${a.id}`;
      const head = document.createElement('strong');
      head.textContent = `${label('kinds', a.kind)} · ${label('severity', a.severity)}`;
      const when = document.createElement('span');
      when.className = 'muted';
      when.textContent = ` — ${at.format(new Date(a.raisedAt))} — `;
      const text = document.createElement('span');
      text.textContent = a.message;
      item.append(head, when, text);
      list.append(item);
    }
    const hint = document.createElement('p');
    hint.className = 'muted';
    hint.textContent = t('alerts:hint');
    section.append(title, list, hint);
    const main = document.getElementById('main');
    main.parentNode.insertBefore(section, main);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
})();
