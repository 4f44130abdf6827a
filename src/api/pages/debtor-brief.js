'use strict';
/*
 * The debtor page leads with what to say: once the page is drawn, the brief (balance, cases,
 * last payment, promise, rank and window, reasons, last contacts, explanation in points,
 * similar debtors) goes right under the debtor's name.
 */
(async () => {
  const main = document.getElementById('main');
  const id = decodeURIComponent(location.pathname.split('/').pop() || '');
  const drawn = () => new Promise((resolve) => {
    if (main.dataset.ready === 'true') return resolve();
    new MutationObserver((_, observer) => {
      if (main.dataset.ready === 'true') {
        observer.disconnect();
        resolve();
      }
    }).observe(main, { attributes: true, attributeFilter: ['data-ready'] });
  });
  try {
    await i18n.ready();
    const [brief] = await Promise.all([Relance.api(`/api/debtors/${encodeURIComponent(id)}/brief`), drawn()]);
    const section = CallRoomBrief.render(brief);
    const name = document.getElementById('debtor-name');
    if (name) name.after(section);
    else main.prepend(section);
    section.dataset.ready = 'true';
  } catch (error) {
    Relance.showError(error);
  }
})();
