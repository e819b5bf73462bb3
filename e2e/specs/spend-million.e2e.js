// The Spend screen over a million ledger rows in the real window: it opens on the last 30 days
// and redraws for a whole year with the ledger's own figures. How long each took goes to
// e2e/artifacts/spend-million.json (recorded, not asserted; the README's table has the figures).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { screenshot } from '../helpers/app.js';
import { artifacts, root } from '../wdio.conf.js';

/** One year of calls before now, as `cargo bench --bench spend` makes them: 1 in 20 failed. */
const GENERATE = `PRAGMA busy_timeout = 10000;
${fs.readFileSync(path.join(root, 'crates/engine/benches/ledger-year.sql'), 'utf8')}`;

const db = () => path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');

/** Replies in the ledger from local midnight `daysBack` days ago until now, as the screen
 * shows a count: 950,000. */
function repliesSince(daysBack) {
  const now = new Date();
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack).toISOString();
  const out = execFileSync('sqlite3', [
    db(),
    `SELECT SUM(outcome IN ('answered','partial','stopped')) FROM usage WHERE at >= '${from}'`,
  ]);
  return Number(String(out).trim()).toLocaleString('en-US');
}

/** Runs `act` in the page and resolves with the milliseconds until the totals read `requests`
 * and every chart has drawn. */
async function timeUntilDrawn(act, requests) {
  return browser.executeAsync(
    (action, want, done) => {
      const start = performance.now();
      if (action === 'open') {
        document.querySelector('button[data-nav="spend"]').click();
      } else {
        const [from, to] = action.split('..');
        for (const [label, value] of [['From', from], ['To', to]]) {
          const input = document.querySelector(`input[aria-label="${label}"]`);
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }
      }
      const check = () => {
        const total = document.querySelector('[data-testid="total-requests"]');
        const charts = document.querySelectorAll('canvas');
        if (total && total.textContent.trim() === want && charts.length >= 2) done(performance.now() - start);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    },
    act,
    requests,
  );
}

describe('Spend with a million ledger rows', () => {
  before(async () => {
    // The app has opened the database (and migrated it) once the sidebar is there.
    await $('button[data-nav="chat"]').waitForDisplayed();
    execFileSync('sqlite3', [db(), GENERATE], { timeout: 600000 });
  });

  it('opens on the last 30 days and redraws for a year with the ledger’s figures', async () => {
    await browser.setTimeout({ script: 60000 });
    const month = repliesSince(29);
    const openMs = await timeUntilDrawn('open', month);
    await expect($('[data-testid="total-requests"]')).toHaveText(month);
    await expect($('p*=read from a histogram')).toBeDisplayed();
    await screenshot('spend-million-30-days');

    await (await $('button=Custom')).click();
    const now = new Date();
    const day = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const yearAgo = new Date(now.getFullYear() - 1, now.getMonth(), now.getDate() - 1);
    const year = repliesSince(Math.round((now - yearAgo) / 86400000));
    expect(year).toBe('950,000');
    const yearMs = await timeUntilDrawn(`${day(yearAgo)}..${day(now)}`, year);
    await screenshot('spend-million-year');

    fs.mkdirSync(artifacts, { recursive: true });
    const figures = { rows: 1000000, open_30_days_ms: Math.round(openMs), redraw_year_ms: Math.round(yearMs) };
    fs.writeFileSync(path.join(artifacts, 'spend-million.json'), JSON.stringify(figures) + '\n');
    console.log(`Spend over a million rows: opened on 30 days in ${figures.open_30_days_ms} ms, a year in ${figures.redraw_year_ms} ms`);
  });
});
