// Spend in the real window: after chats through the fake provider the totals match the ledger
// (read straight from the SQLite file), and a budget set on the Spend screen blocks the next chat.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { addFakeProviders, openScreen, screenshot, screenshotBothThemes, sendChat } from '../helpers/app.js';
import { setFaults, startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = 'sk-spend-e2e-4242';
let fake;

function ledger() {
  const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
  const out = execFileSync(
    'sqlite3',
    [
      db,
      "SELECT COALESCE(SUM(cost_nusd),0), COALESCE(SUM(outcome IN ('answered','partial','stopped')),0), " +
        "COUNT(*), COALESCE(SUM(outcome IN ('failed','interrupted')),0), (SELECT COUNT(*) FROM skipped_calls) " +
        "FROM usage WHERE outcome != 'correction'",
    ],
    { encoding: 'utf8' },
  );
  const [nusd, requests, calls, failed, skipped] = out.trim().split('|').map(Number);
  return { dollars: nusd / 1e9, requests, calls, failed, skipped };
}

/** The money format of ui/src/lib/format.ts (and the engine's money.rs), from its rule: cents
 * from $1 up, two significant digits below, in whole nano-dollars. */
function usd(amount) {
  const nano = Math.round(amount * 1e9);
  const decimals = nano >= 1e9 || nano === 0 ? 2 : Math.min(9, Math.max(2, 11 - String(nano).length));
  const unit = 10 ** (9 - decimals);
  const rounded = Math.floor((nano + Math.floor(unit / 2)) / unit);
  const whole = Math.floor(rounded / 10 ** decimals).toLocaleString('en-US');
  const fraction = String(rounded % 10 ** decimals).padStart(decimals, '0').replace(/(\d\d\d*?)0+$/, '$1');
  return `$${whole}.${fraction}`;
}

/** Sends `text` and waits for its reply to finish. */
async function chat(text) {
  const reply = await sendChat(text);
  await browser.waitUntil(async () => (await reply.getAttribute('data-status')) !== 'streaming', {
    timeout: 20000,
    timeoutMsg: 'the reply did not finish',
  });
  return reply;
}

describe('Spend', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    await setFaults(fake.url, []);
  });

  after(() => fake?.stop());

  it('starts empty and explains what will appear', async () => {
    await openScreen('spend');
    await expect($('[data-testid="spend-empty"]')).toBeDisplayed();
  });

  it('shows totals that match the ledger after some chats', async () => {
    await openScreen('chat');
    expect(await (await chat('Write a haiku about budgets')).getAttribute('data-status')).toBe('complete');
    expect(await (await chat('Translate "good morning" into Spanish')).getAttribute('data-status')).toBe('complete');
    const expected = ledger();
    expect(expected.requests).toBe(2);
    expect(expected.dollars).toBeGreaterThan(0);

    await openScreen('spend');
    await expect($('[data-testid="total-requests"]')).toHaveText('2');
    await expect($('[data-testid="total-calls"]')).toHaveText(String(expected.calls));
    await expect($('[data-testid="total-failed"]')).toHaveText('0 failed');
    await expect($('[data-testid="total-skipped"]')).toHaveText('0 skipped');
    await expect($('[data-testid="total-spend"]')).toHaveText(usd(expected.dollars));
    const table = await $('[data-testid="spend-requests"]');
    await expect(table).toHaveText(expect.stringContaining('Write a haiku about budgets'));
    await screenshot('spend');
  });

  it('measures savings against the baseline model chosen here', async () => {
    const select = await $('section[aria-label="Baseline"] select');
    await select.waitForDisplayed();
    await select.selectByAttribute('value', 'gpt-4o');
    await expect($('section[aria-label="Baseline"]')).toHaveText(expect.stringContaining('Saved.'));
    await openScreen('chat');
    await chat('Classify this review as positive or negative: great value');
    const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
    const last = execFileSync('sqlite3', [db, 'SELECT baseline_model FROM usage ORDER BY id DESC LIMIT 1'], { encoding: 'utf8' });
    expect(last.trim()).toBe('gpt-4o');
    await openScreen('spend');
  });

  it('blocks the next chat once a budget set here is used up, and says so in Chat', async () => {
    const before = ledger();
    const form = await $('form[aria-label="Add a budget"]');
    const budgetsCard = () =>
      browser.execute(() =>
        [...document.querySelectorAll('section.card')].map((c) => c.innerText).find((t) => t.startsWith('Budgets')),
      );
    // A second try, said aloud, if the first save does not show up: the report then tells what
    // the card showed instead (a flake seen twice in full runs, never alone).
    for (let attempt = 1; ; attempt++) {
      const input = await form.$('input[name="limit"]');
      await input.setValue('0.000001');
      await browser.waitUntil(async () => (await input.getValue()) === '0.000001', { timeout: 5000 });
      await (await form.$('button=Save budget')).click();
      try {
        await (await $('ul.budgets')).waitForExist({ timeout: 20000 });
        break;
      } catch (e) {
        const card = await budgetsCard();
        await screenshot(`spend-budget-missing-${attempt}`);
        if (attempt === 2) throw new Error(`${e.message}; the Budgets card shows: ${card}`);
        console.warn(`the saved budget did not appear; the Budgets card showed: ${card}`);
      }
    }
    await expect($('ul.budgets')).toHaveText(expect.stringContaining('All providers, daily'));

    await openScreen('chat');
    await (await $('button=New chat')).click();
    const reply = await chat('Summarize the plot of Hamlet');
    expect(await reply.getAttribute('data-status')).toBe('failed');
    const notice = await reply.$('[data-testid="message-notice"]');
    await expect(notice).toHaveText(expect.stringContaining('Not sent: a budget is used up.'));
    // The details are said once, in the banner: which budget, and when it resets.
    const banner = await $('[data-testid="budget-warning"]');
    await expect(banner).toBeDisplayed();
    await expect(banner).toHaveText(expect.stringContaining('resets at midnight'));
    expect(await notice.getText()).not.toContain('resets');
    // Nothing was sent or billed; every model of the request was skipped, and counted so.
    const after = ledger();
    expect({ ...after, skipped: 0 }).toEqual({ ...before, skipped: 0 });
    expect(after.skipped).toBeGreaterThan(before.skipped);
    // The app's banner links to Spend; the CLI's command is for CLI messages only.
    expect(await banner.getText()).not.toContain('switchyard budgets');
    await screenshotBothThemes('spend-budget-blocked-chat');
    await (await notice.$('button=Open Spend → Budgets')).click();
    await expect($('form[aria-label="Add a budget"]')).toBeDisplayed();
  });

  it('draws the dashboard in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('spend');
    // After the blocked chat: its models were skipped, not called, and are counted as such.
    const now = ledger();
    expect(now.skipped).toBeGreaterThan(0);
    await expect($('[data-testid="total-requests"]')).toHaveText(String(now.requests));
    await expect($('[data-testid="total-calls"]')).toHaveText(String(now.calls));
    await expect($('[data-testid="total-failed"]')).toHaveText(`${now.failed} failed`);
    await expect($('[data-testid="total-skipped"]')).toHaveText(`${now.skipped} skipped`);
    await screenshot('spend-dark');
  });
});
