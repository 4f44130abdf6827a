'use strict';
/* Sign-in: a token from the form or from the address's fragment (#token=…, never sent to the server). */
(async () => {
  await i18n.ready();
  const params = new URLSearchParams(location.search);
  const next = params.get('next') && params.get('next').startsWith('/') ? params.get('next') : '/call-list';
  const message = document.getElementById('message');
  async function signIn(token) {
    Relance.setToken(token.trim());
    const res = await fetch('/api/me', { credentials: 'same-origin' });
    if (res.ok) {
      history.replaceState(null, '', '/login');
      location.href = next;
    } else {
      Relance.clearToken();
      message.textContent = res.status === 401 ? t('login:unknown_token') : t('login:failed', { status: res.status });
      message.className = 'error';
    }
  }
  const fragment = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fragment) signIn(fragment);
  else Relance.clearToken();
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(document.getElementById('token').value);
  });
})();
