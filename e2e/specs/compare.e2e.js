// Compare, thumbs, the Quality view and suggestions in the real window, with the fake provider
// behind every configured provider.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, replies, screenshot, sendChat } from '../helpers/app.js';
import { setFaults, startFakeProvider } from '../helpers/fake-provider.js';
import { root, targetDebug } from '../wdio.conf.js';

const key = `sk-compare-${Math.random().toString(36).slice(2, 10)}`;
const prompt = 'Write a short poem about freight trains at night';
const otherAnswer = 'The baseline model says: freight rolls on under the stars.';
let fake;
let routed;
let baseline;

function routeOf(text) {
  const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
  const out = execFileSync(path.join(targetDebug, 'switchyard'), ['--db', db, 'route', text], { encoding: 'utf8' });
  return JSON.parse(out);
}

async function chatRequests() {
  const res = await fetch(`${fake.url}/_control/requests`);
  return (await res.json()).filter((r) => /chat|messages|generate/.test(r.path));
}

const columns = () => $$('[data-testid="compare-column"]');

describe('Compare, thumbs and the Quality view', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    // Fetch each provider's model list now, so what can be called is settled before choosing.
    for (const p of (await invokeInApp('list_providers')).value) {
      expect((await invokeInApp('test_provider_connection', { id: p.id })).ok).toBe(true);
    }
    routed = routeOf(prompt).model;
    // The baseline: the priciest model the fake serves (Spend's setting, which Compare starts with).
    const catalog = (await invokeInApp('saved_routing')).value.config.catalog.models;
    const served = (await invokeInApp('chat_models')).value.filter((m) => m.available).map((m) => m.model);
    const price = (id) => {
      const m = catalog.find((x) => x.id === id);
      return m.input + m.output;
    };
    baseline = served.filter((m) => m !== routed).sort((a, b) => price(b) - price(a))[0];
    expect(price(baseline)).toBeGreaterThan(price(routed));
    expect((await invokeInApp('set_baseline', { model: baseline })).ok).toBe(true);
    await browser.reloadSession();
    const api = catalog.find((m) => m.id === baseline);
    await setFaults(fake.url, [
      { model: api.api_id ?? api.id, reply: otherAnswer, chunk_delay_ms: 30 },
      { model: '*', chunk_delay_ms: 30 },
    ]);
  });

  after(() => fake?.stop());

  it('sends to the routed model and the baseline side by side, and continues with the pick', async () => {
    await browser.setWindowSize(1400, 900);
    // The baseline is the model Compare starts with.
    await expect($('[data-testid="compare-model"]')).toHaveText(expect.stringContaining(baseline));
    const compareButton = await $('button=Compare');
    expect(await compareButton.getAttribute('title')).toContain('Ctrl+Shift+Enter');
    const box = await $('textarea[aria-label="Message"]');
    await box.setValue(prompt);
    await browser.keys(['Control', 'Shift', 'Enter']);
    await browser.waitUntil(async () => (await columns()).length === 2, { timeout: 15000, timeoutMsg: 'no columns' });
    await browser.waitUntil(
      async () => {
        const states = [];
        for (const c of await columns()) states.push(await c.getAttribute('data-status'));
        return states.length === 2 && states.every((s) => s === 'complete');
      },
      { timeout: 20000, timeoutMsg: 'the compared answers never completed' },
    );
    const [first, second] = await columns();
    await expect(first.$('[data-testid="badge-model"]')).toHaveText(routed);
    await expect(second.$('[data-testid="badge-model"]')).toHaveText(baseline);
    await expect(first).toHaveText(expect.stringContaining(`Echo: ${prompt}`));
    await expect(second).toHaveText(expect.stringContaining(otherAnswer));
    await expect(first.$('[data-testid="badge-cost"]')).toHaveText(expect.stringMatching(/^\$/));
    await expect(second.$('[data-testid="badge-cost"]')).toHaveText(expect.stringMatching(/^\$/));
    // One ledger row per model.
    const rows = (await invokeInApp('spend_requests', {
      filter: { range: { from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z', utc_offset_minutes: 0, offset_changes: [] }, model: null, task: null, rule: null, outcome: null, source: null, client: null, limit: 50 },
    })).value;
    expect(rows.map((r) => r.model).sort()).toEqual([routed, baseline].sort());
    await screenshot('compare-light');

    await (await second.$('button=Pick this answer')).click();
    await browser.waitUntil(async () => (await (await columns())[1].getAttribute('data-chosen')) === 'true', {
      timeout: 10000,
      timeoutMsg: 'the pick did not stick',
    });
    await expect((await columns())[0]).toHaveText(expect.stringContaining('Not sent on'));
    await screenshot('compare-picked-light');

    // The next turn sends only the chosen answer upstream.
    await fetch(`${fake.url}/_control/requests`, { method: 'DELETE' });
    await setFaults(fake.url, []);
    await sendChat('And now one about ships');
    await browser.waitUntil(async () => (await (await replies()).at(-1).getAttribute('data-status')) === 'complete', {
      timeout: 20000,
    });
    const sent = await chatRequests();
    expect(sent.length).toBe(1);
    const body = JSON.stringify(sent[0].body);
    expect(body).toContain(otherAnswer);
    expect(body).not.toContain(`Echo: ${prompt}`);
  });

  it('takes a thumb on a reply, one per reply, and takes it back', async () => {
    const reply = (await replies()).at(-1);
    const up = await reply.$('button[aria-label="Good answer"]');
    const down = await reply.$('button[aria-label="Bad answer"]');
    await up.click();
    await expect(up).toHaveAttribute('aria-pressed', 'true');
    await down.click();
    await expect(down).toHaveAttribute('aria-pressed', 'true');
    await expect(up).toHaveAttribute('aria-pressed', 'false');
    await down.click();
    await expect(down).toHaveAttribute('aria-pressed', 'false');
    await up.click();
    await expect(up).toHaveAttribute('aria-pressed', 'true');
  });

  it('shows the votes on the Quality tab, and an accepted suggestion becomes a new rules version', async () => {
    await openScreen('spend');
    await (await $('button[role="tab"]=Quality')).click();
    const row = await $('[data-testid="quality-row"]');
    await expect(row).toHaveText(expect.stringContaining(routed));
    await expect(row).toHaveText(expect.stringContaining(`${baseline} (baseline)`));
    // Wins, ties, losses: the baseline's answer was picked.
    const cells = [];
    for (const c of await row.$$('td')) cells.push(await c.getText());
    expect(cells.slice(3, 6)).toEqual(['0', '0', '1']);
    const thumbs = await $('[data-testid="quality-thumbs"]');
    await expect(thumbs).toHaveText(expect.stringContaining('100%'));

    // With the default thresholds one comparison is not enough.
    await (await $('button=Suggest changes')).click();
    await expect($('[data-testid="no-suggestions"]')).toBeDisplayed();
    // One comparison is enough once the minimum is 1: the routed model lost 1 of 1.
    await (await $('input[aria-label="Minimum comparisons"]')).setValue('1');
    await (await $('button=Suggest changes')).click();
    const suggestion = await $('[data-testid="suggestion"]');
    await expect(suggestion).toBeDisplayed();
    await expect(suggestion).toHaveText(expect.stringContaining(`start with ${baseline}`));
    await expect(suggestion.$('[data-testid="suggestion-cost"]')).toHaveText(expect.stringMatching(/Estimate over \d+ past request/));
    // Only as far as needed: the README's screenshot keeps the screen's title in view.
    await suggestion.scrollIntoView({ block: 'nearest' });
    await screenshot('quality-light');
    const before = (await invokeInApp('rule_versions')).value.length;
    await (await suggestion.$('button*=Accept')).click();
    await expect($('p[role="status"]')).toHaveText(expect.stringContaining('Saved as rules version'));
    const versions = (await invokeInApp('rule_versions')).value;
    expect(versions.length).toBe(before + 1);
    expect(versions[0].note).toContain('Suggested from your votes');
    // Nothing is offered twice.
    await (await $('button=Suggest changes')).click();
    await expect($('[data-testid="no-suggestions"]')).toBeDisplayed();

    await openScreen('rules');
    await (await $('button[role="tab"]=History')).click();
    await expect($(`div*=Suggested from your votes`)).toBeDisplayed();
    // The route the next message would take starts with the baseline now.
    expect(routeOf(prompt).model).toBe(baseline);
  });

  it('lays the columns out in the dark theme and in a narrower window', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await browser.setWindowSize(1400, 900);
    await openScreen('chat');
    const list = await $('aside[aria-label="Conversations"]');
    await (await list.$('button*=Write a short poem')).click();
    await browser.waitUntil(async () => (await columns()).length === 2, { timeout: 15000 });
    await screenshot('compare-dark');
    await browser.setWindowSize(860, 800);
    await browser.pause(300);
    // At the narrowest window two columns no longer fit beside the conversation list: they stack.
    const [a, b] = await columns();
    const [ra, rb] = [await a.getLocation(), await b.getLocation()];
    expect(rb.y).toBeGreaterThan(ra.y);
    await screenshot('compare-narrow-dark');
    await browser.setWindowSize(1400, 900);
    await openScreen('spend');
    await (await $('button[role="tab"]=Quality')).click();
    await expect($('[data-testid="quality-row"]')).toBeDisplayed();
    await screenshot('quality-dark');
  });
});
