'use strict';
/* Bloc « Alertes ouvertes » de la page principale : les alertes que personne n'a encore acquittées
 * (échéance manquée, dérive, AUC réalisée, fraîcheur), pour les rôles qui les lisent. Rien pour
 * les autres rôles, ni quand il n'y en a aucune. Acquitter : `relance alerts ack <alerte>`. */
(() => {
  const KINDS = { deadline_missed: 'Échéance manquée', dataset_drift: 'Dérive des données', realised_auc: 'AUC réalisée', freshness: 'Fraîcheur des exports' };
  const STAFF = ['lead', 'it', 'analyst'];
  const SEVERITY = { critical: 'critique', warning: 'attention', info: 'info' };
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
    } catch {
      return;
    }
    if (!Array.isArray(alerts) || alerts.length === 0) return;
    const section = document.createElement('section');
    section.id = 'open-alerts';
    section.className = 'card alerts-block';
    section.setAttribute('lang', 'fr');
    section.setAttribute('aria-label', 'Alertes ouvertes');
    const title = document.createElement('h2');
    title.textContent = `Alertes ouvertes (${alerts.length})`;
    const list = document.createElement('ul');
    const at = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' });
    for (const a of alerts) {
      const item = document.createElement('li');
      item.className = `alert-${a.severity}`;
      item.dataset.alert = `${a.source}:${a.id}`;
      const head = document.createElement('strong');
      head.textContent = `${KINDS[a.kind] || a.kind} · ${SEVERITY[a.severity] || a.severity}`;
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
    hint.textContent = 'Pour acquitter une alerte : relance alerts ack <source:id> (liste complète : relance alerts).';
    section.append(title, list, hint);
    const main = document.getElementById('main');
    main.parentNode.insertBefore(section, main);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', show);
  else show();
})();
