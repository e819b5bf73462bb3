// The composer's route preview in the real window: it follows the text (code → one model,
// translation → another), a model picked for one message answers it, and the conversation stays
// on Auto. Screenshots in light and dark.
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, screenshot, screenshotBothThemes, sendChat } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = `sk-composer-${Math.random().toString(36).slice(2, 10)}`;
const CODE =
  'Write a C++ program that implements a persistent red-black tree with insert, delete and range queries, proves its O(log n) bounds, handles concurrency with fine-grained locking, and includes exhaustive tests, step by step.';
const TRANSLATION = 'Translate into French: the train leaves at noon.';
let fake;

/** Puts `text` in the composer as one edit, as a paste does (WebDriver's clear does not fire
 * the input event the composer listens to). */
async function type(text) {
  const box = await $('textarea[aria-label="Message"]');
  await box.waitForDisplayed();
  await browser.execute((value) => {
    const el = document.querySelector('textarea[aria-label="Message"]');
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, text);
}

async function previewTask() {
  const line = await $('[data-testid="route-preview"]');
  await line.waitForDisplayed({ timeout: 10000 });
  return line.getAttribute('data-task');
}

async function previewModel() {
  const line = await $('[data-testid="route-preview"]');
  await line.waitForDisplayed({ timeout: 10000 });
  return line.getAttribute('data-model');
}

/** What the app's own router decides for `text` (the same call the send makes). */
async function routeOf(text) {
  const res = await invokeInApp('preview_send', { request: { conversation_id: null, text, model: 'auto', mode: 'new', model_once: false } });
  if (!res.ok) throw new Error(res.error);
  return res.value;
}

describe('Composer route preview', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    await openScreen('chat');
  });

  after(() => fake?.stop());

  it('shows where a code prompt and a translation prompt would go, before sending', async () => {
    const code = await routeOf(CODE);
    const translation = await routeOf(TRANSLATION);
    expect(code.task).toBe('code');
    expect(translation.task).toBe('translation');
    // A hard code prompt and a translation go to different models under the default rules.
    expect(code.model).not.toBe(translation.model);
    await type(CODE);
    await browser.waitUntil(async () => (await previewModel()) === code.model && (await previewTask()) === 'code', { timeoutMsg: 'the preview did not show the code route' });
    await expect($('[data-testid="route-preview"]')).toHaveText(expect.stringContaining(`rule ${code.rule}`));
    await type(TRANSLATION);
    await browser.waitUntil(async () => (await previewModel()) === translation.model && (await previewTask()) === 'translation', {
      timeoutMsg: 'the preview did not follow the text to the translation route',
    });
    await expect($('[data-testid="route-preview"]')).toHaveText(expect.stringContaining(`rule ${translation.rule}`));
    await (await $('[data-testid="route-preview"] button')).click();
    await expect($('[data-testid="route-preview-trace"]')).toHaveText(expect.stringContaining('Task: translation'));
    await screenshot('composer-preview');
  });

  it('answers with a model picked for this message only', async () => {
    const translation = await routeOf(TRANSLATION);
    const other = translation.model === 'claude-haiku' ? 'gpt-4o' : 'claude-haiku';
    await (await $('select[aria-label="Model for this message"]')).selectByAttribute('value', other);
    await browser.waitUntil(async () => (await previewModel()) === other, { timeoutMsg: 'the preview did not show the picked model' });
    // One verb, and the pick holds for this message only: the line and the trace opened from it.
    await expect($('[data-testid="route-preview"] button')).toHaveText(expect.stringContaining(`You picked ${other} for this message`));
    const line = await $('[data-testid="route-preview"] button');
    if ((await line.getAttribute('aria-expanded')) !== 'true') await line.click();
    const trace = await $('[data-testid="route-preview-trace"]');
    await expect(trace).toHaveText(expect.stringContaining(`You picked ${other} for this message.`));
    expect(await trace.getText()).not.toMatch(/You chose|for this conversation/);
    await screenshotBothThemes('composer-picked');
    await line.click();
    await (await $('button=Send')).click();
    await browser.waitUntil(async () => (await $$('[data-testid="message-assistant"]')).length > 0, { timeoutMsg: 'no reply appeared' });
    const replies = await $$('[data-testid="message-assistant"]');
    const reply = replies[replies.length - 1];
    await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', { timeout: 20000 });
    await expect(reply.$('[data-testid="badge-model"]')).toHaveText(other);
    // The conversation is still on Auto, and the next message goes where Auto sends it.
    await expect($('select[aria-label="Model"]')).toHaveValue('auto');
    await type(TRANSLATION);
    await browser.waitUntil(async () => (await previewModel()) === translation.model, { timeoutMsg: 'the next message did not go back to Auto' });
    const next = await sendChat(TRANSLATION);
    await browser.waitUntil(async () => (await next.getAttribute('data-status')) === 'complete', { timeout: 20000 });
    await expect(next.$('[data-testid="badge-model"]')).toHaveText(translation.model);
  });

  it('starts a chat with a saved assistant whose system prompt the trace shows', async () => {
    const system = 'You are a professional translator. Translate everything the user writes into German.';
    await (await $('button=New chat')).click();
    await (await $('button*=System prompt')).click();
    await (await $('textarea[aria-label="System prompt text"]')).setValue(system);
    await (await $('input[aria-label="Assistant name"]')).setValue('Translator');
    await (await $('button=Save assistant')).click();
    await expect($('p[role="status"]')).toHaveText(expect.stringContaining('Saved as “Translator”'));
    await screenshot('system-prompt');
    await (await $('button=Use for the new chat')).click();
    await $('[data-testid="system-prompt-set"]').waitForDisplayed();
    const reply = await sendChat('The weather is lovely today and every train is on time.');
    await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', { timeout: 20000 });
    await (await reply.$('button=Why this model?')).click();
    await expect(reply.$('[data-testid="trace-system-prompt"]')).toHaveText(expect.stringContaining(system));
    await expect(reply.$('[data-testid="trace"]')).toHaveText(expect.stringContaining('Task: translation'));
    const assistants = await invokeInApp('list_assistants');
    expect(assistants.value.map((a) => a.name)).toEqual(['Translator']);
  });

  it('looks right in the dark theme', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('chat');
    await type(CODE);
    await previewModel();
    await screenshot('composer-preview-dark');
  });
});
