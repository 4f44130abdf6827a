import { chromium } from 'playwright-core';
(async () => {
  const [base, token] = [process.argv[2]!, process.argv[3]!];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(page.url() + ' ' + m.text()); });
  page.on('pageerror', (e) => errors.push(page.url() + ' ' + e.message));
  await page.goto(`${base}/login#token=${token}`);
  await page.waitForSelector('#call-list[data-loaded="true"]', { timeout: 30000 });
  await page.screenshot({ path: '/tmp/demo/call-list.png' });
  const id = await page.getAttribute('#call-list tbody tr[data-debtor]', 'data-debtor');
  for (const [name, url] of [['debtor', `/debtor/${id}`], ['model', '/model'], ['drift', '/drift'], ['pipeline', '/pipeline']]) {
    await page.goto(base + url);
    await page.waitForSelector('main[data-ready="true"], .error', { timeout: 40000 }).catch(() => errors.push(`${name} not ready`));
    await page.screenshot({ path: `/tmp/demo/${name}.png`, fullPage: true });
  }
  console.log(JSON.stringify(errors, null, 1));
  await browser.close();
})();
