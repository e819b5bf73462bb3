// The routing grid in the real window: set the (code, simple) and (code, complex) cells to two
// models, save, and see a simple and a hard code prompt in Chat answered by each, with a thumb
// on each reply; then the heatmap counts those requests in every cell as the ledger does (its
// task and tier) and colours them by the votes. Screenshots in light and dark after the same
// steps.
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
const TASKS = ['reasoning', 'math', 'code', 'writing', 'analysis', 'translation', 'classification', 'extraction', 'summarization', 'formatting'];
const TIERS = ['trivial', 'simple', 'moderate', 'complex'];

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

/** Sends `prompt`, gives the reply the thumb `thumb` and returns the model that answered. */
async function answeredBy(prompt, thumb) {
  const reply = await sendChat(prompt);
  await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', {
    timeout: 20000,
    timeoutMsg: `no complete reply to “${prompt.slice(0, 30)}…”`,
  });
  const button = await reply.$(`button[aria-label="${thumb}"]`);
  await button.click();
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  return (await reply.$('[data-testid="badge-model"]')).getText();
}

/** The heatmap in the light and dark shots: today's requests, the page scrolled to its top. */
async function showTodaysRequests() {
  await (await $('select[aria-label="Colour cells by"]')).selectByAttribute('value', 'requests');
  await (await $('select[aria-label="Heatmap period"]')).selectByAttribute('value', 'today');
  await browser.waitUntil(async () => (await $('[data-testid="grid-usage-total"]').getText()).startsWith('2 requests'), {
    timeoutMsg: 'the heatmap did not count today’s two requests',
  });
  await browser.execute(() => {
    for (const el of document.querySelectorAll('*')) if (el.scrollTop) el.scrollTop = 0;
    window.scrollTo(0, 0);
  });
}

/** Every cell's figure (`data-requests` or `data-votes`), keyed `task/tier`. */
async function figures(attribute) {
  const out = {};
  for (const task of TASKS)
    for (const tier of TIERS) out[`${task}/${tier}`] = Number(await (await cell(task, tier)).$('[data-testid="grid-cell-usage"]').getAttribute(attribute));
  return out;
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
    expect(await answeredBy(SIMPLE_CODE, 'Good answer')).toBe('claude-haiku');
    // A new conversation, so the second prompt is routed on its own.
    await (await $('button=New chat')).click();
    expect(await answeredBy(HARD_CODE, 'Bad answer')).toBe('gpt-4o');
  });

  it('counts the requests of every cell on the heatmap as the ledger does, and their votes', async () => {
    await openGrid();
    await showTodaysRequests();
    // The ledger's rows of the same period (the heatmap's "Today": local midnight to midnight),
    // each with the task and tier it recorded.
    const [from, to] = await browser.execute(() => {
      const now = new Date();
      const day = (d) => new Date(now.getFullYear(), now.getMonth(), now.getDate() + d).toISOString();
      return [day(0), day(1)];
    });
    const rows = await invokeInApp('spend_requests', {
      filter: { range: { from, to, utc_offset_minutes: 0, offset_changes: [] }, model: null, task: null, rule: null, outcome: null, limit: 1000 },
    });
    expect(rows.ok).toBe(true);
    const ledger = {};
    for (const task of TASKS) for (const tier of TIERS) ledger[`${task}/${tier}`] = 0;
    for (const row of rows.value.filter((r) => ['answered', 'partial', 'stopped'].includes(r.outcome))) {
      expect(TASKS).toContain(row.task);
      expect(TIERS).toContain(row.tier);
      ledger[`${row.task}/${row.tier}`] += 1;
    }
    // The two code prompts are where Chat said: one simple, one complex.
    expect(ledger['code/simple']).toBe(1);
    expect(ledger['code/complex']).toBe(1);
    expect(await figures('data-requests')).toEqual(ledger);
    await screenshot('rules-grid-light');

    // The thumbs: up on the simple code reply, down on the hard one.
    await (await $('select[aria-label="Colour cells by"]')).selectByAttribute('value', 'votes');
    await browser.waitUntil(async () => (await $('[data-testid="grid-usage-total"]').getText()).startsWith('2 votes'), {
      timeoutMsg: 'the heatmap did not count the two thumbs',
    });
    const votes = await figures('data-votes');
    expect(Object.entries(votes).filter(([, n]) => n > 0)).toEqual([
      ['code/simple', 1],
      ['code/complex', 1],
    ]);
    expect(await (await cell('code', 'simple')).$('[data-testid="grid-cell-usage"]').getText()).toBe('100% of 1');
    expect(await (await cell('code', 'complex')).$('[data-testid="grid-cell-usage"]').getText()).toBe('0% of 1');
    expect(await (await cell('code', 'simple')).getAttribute('title')).toContain('Votes: 1 thumbs up, 0 down (100% in favour)');
    await screenshot('rules-grid-votes');
  });

  it('looks right in the dark theme', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openGrid();
    await showTodaysRequests();
    await screenshot('rules-grid-dark');
  });
});
