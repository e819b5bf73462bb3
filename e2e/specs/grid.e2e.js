// The routing grid in the real window: set the (code, simple) and (code, complex) cells to two
// models, save, and see a simple and a hard code prompt in Chat answered by each; then the
// heatmap counts those requests in their cells. Screenshots in light and dark.
import { addFakeProviders, invokeInApp, openScreen, screenshot, sendChat } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';
import path from 'node:path';

const key = `sk-grid-${Math.random().toString(36).slice(2, 10)}`;
const SIMPLE_CODE = 'Write a Python function that reverses a string.';
const HARD_CODE =
  'Write a C++ program that implements a persistent red-black tree with insert, delete and range queries, proves its O(log n) bounds, handles concurrency with fine-grained locking, and includes exhaustive tests, step by step.';
let fake;

const cell = (task, tier) => $(`[data-testid="grid-cell"][data-task="${task}"][data-tier="${tier}"]`);

async function openGrid() {
  await openScreen('rules');
  await (await $('button[role="tab"]=Grid')).click();
  await browser.waitUntil(async () => (await $$('[data-testid="grid-cell"]')).length === 40, {
    timeoutMsg: 'the grid did not show 40 cells',
  });
}

async function setCell(task, tier, model) {
  await (await cell(task, tier)).click();
  const form = await $('form[aria-label="Set the selected cells"]');
  await form.waitForDisplayed();
  await (await $('select[aria-label="Grid primary model"]')).selectByAttribute('value', model);
  await (await $('select[aria-label="Grid fallback 1"]')).selectByAttribute('value', '');
  await (await $('select[aria-label="Grid fallback 2"]')).selectByAttribute('value', '');
  await (await form.$('button=Set')).click();
  await browser.waitUntil(async () => (await (await cell(task, tier)).getAttribute('data-model')) === model, {
    timeoutMsg: `${task} · ${tier} did not become ${model}`,
  });
}

async function answeredBy(prompt) {
  const reply = await sendChat(prompt);
  await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', {
    timeout: 20000,
    timeoutMsg: `no complete reply to “${prompt.slice(0, 30)}…”`,
  });
  return (await reply.$('[data-testid="badge-model"]')).getText();
}

describe('Routing grid', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
  });

  after(() => fake?.stop());

  it('sets two code cells and saves them as rules the list shows', async () => {
    await openGrid();
    // Before the edit both cells answer with the balanced default's models.
    expect(await (await cell('code', 'simple')).getAttribute('data-model')).not.toBe('claude-haiku');
    await setCell('code', 'simple', 'claude-haiku');
    await setCell('code', 'complex', 'gpt-4o');
    // Only the edited cells changed.
    expect(await (await cell('writing', 'simple')).getAttribute('data-model')).toBe('gpt-4o-mini');
    await screenshot('rules-grid');
    const save = await $('button.primary=Save');
    await save.waitForEnabled();
    await save.click();
    await browser.waitUntil(async () => (await $('[data-testid="rules-status"]').getText()).includes('Version 1'));
    await (await $('button[role="tab"]=Rules')).click();
    const rows = [];
    for (const s of await $$('[data-testid="rule-summary"]')) rows.push(await s.getText());
    expect(rows.some((r) => r.includes('claude-haiku') && r.includes('code'))).toBe(true);
    expect(rows.some((r) => r.includes('gpt-4o') && r.includes('complex'))).toBe(true);
  });

  it('answers a simple and a hard code prompt with each cell’s model', async () => {
    await openScreen('chat');
    expect(await answeredBy(SIMPLE_CODE)).toBe('claude-haiku');
    // A new conversation, so the second prompt is routed on its own.
    await (await $('button=New chat')).click();
    expect(await answeredBy(HARD_CODE)).toBe('gpt-4o');
  });

  it('counts those requests in their cells on the heatmap, as the ledger does', async () => {
    await openGrid();
    await (await $('select[aria-label="Colour cells by"]')).selectByAttribute('value', 'requests');
    await (await $('select[aria-label="Heatmap period"]')).selectByAttribute('value', 'today');
    await $('[data-testid="grid-usage-total"]').waitForDisplayed();
    const count = async (task, tier) =>
      Number(await (await cell(task, tier)).$('[data-testid="grid-cell-usage"]').getAttribute('data-requests'));
    await browser.waitUntil(async () => (await count('code', 'simple')) === 1 && (await count('code', 'complex')) === 1, {
      timeoutMsg: 'the heatmap did not count one request in each code cell',
    });
    // The ledger has exactly the two answered requests, and the grid places nothing else.
    const now = new Date();
    const from = new Date(now.getFullYear(), now.getMonth(), now.getDate()).toISOString();
    const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1).toISOString();
    const rows = await invokeInApp('spend_requests', {
      filter: { range: { from, to, utc_offset_minutes: 0, offset_changes: [] }, model: null, task: 'code', rule: null, outcome: 'answered', limit: 100 },
    });
    expect(rows.ok).toBe(true);
    expect(rows.value.length).toBe(2);
    let total = 0;
    for (const c of await $$('[data-testid="grid-cell-usage"]')) total += Number(await c.getAttribute('data-requests'));
    expect(total).toBe(2);
    await screenshot('rules-grid-heatmap');
  });

  it('looks right in the dark theme', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openGrid();
    await (await $('select[aria-label="Colour cells by"]')).selectByAttribute('value', 'requests');
    await $('[data-testid="grid-usage-total"]').waitForDisplayed();
    await screenshot('rules-grid-dark');
  });
});
