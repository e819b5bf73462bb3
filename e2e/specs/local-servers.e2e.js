// A first start with no provider: the app offers the local server that answers (the fake
// provider standing in for Ollama on SWITCHYARD_OLLAMA_PORT), and one click adds it.
import path from 'node:path';
import { invokeInApp, screenshot } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

let ollama;
const base = () => `http://127.0.0.1:${process.env.SWITCHYARD_OLLAMA_PORT}/v1`;
const dark = { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: path.join(root, 'e2e/bin/switchyard-dark') } };

async function offer() {
  const button = await $(`button=Add Ollama at ${base()}`);
  await button.waitForDisplayed({ timeoutMsg: 'the app did not offer the local server' });
  return button;
}

async function addAndCheck(theme) {
  await (await offer()).click();
  await expect($('p[role="status"]')).toHaveText(expect.stringContaining('Ollama added.'));
  await screenshot(`chat-local-server-added-${theme}`);
  const providers = await invokeInApp('list_providers');
  expect(providers.ok).toBe(true);
  expect(providers.value).toHaveLength(1);
  expect(providers.value[0]).toMatchObject({
    name: 'Ollama',
    kind: 'openai-compatible',
    preset: 'ollama',
    base_url: base(),
    enabled: true,
    key: { state: 'missing' },
  });
  // The provider works without a key: Test connection reaches the server's model list.
  const test = await invokeInApp('test_provider_connection', { id: providers.value[0].id });
  expect(test.ok).toBe(true);
  expect(test.value.model_count).toBeGreaterThan(0);
  return providers.value[0].id;
}

describe('Local servers on a first start', () => {
  before(async () => {
    ollama = await startFakeProvider([], Number(process.env.SWITCHYARD_OLLAMA_PORT));
    // The window looks when the chat screen opens: start it again now that the server is up.
    await browser.reloadSession();
  });

  after(() => ollama?.stop());

  it('offers the Ollama that answers, and nothing for the LM Studio port where none does', async () => {
    await offer();
    expect(await $('button*=Add LM Studio').isExisting()).toBe(false);
    await expect($('.welcome')).toHaveText(expect.stringContaining('Ollama is running on this computer'));
    await screenshot('chat-local-server-light');
  });

  it('adds it with one click as a provider with no key', async () => {
    const id = await addAndCheck('light');
    // Removed again for the dark run below.
    expect((await invokeInApp('remove_provider', { id })).ok).toBe(true);
  });

  it('offers and adds it in the dark theme too', async () => {
    await browser.reloadSession(dark);
    await offer();
    await screenshot('chat-local-server-dark');
    await addAndCheck('dark');
  });

  it('no longer looks once a provider is set up', async () => {
    await browser.reloadSession();
    await $('textarea[aria-label="Message"]').waitForDisplayed();
    await browser.pause(2500);
    expect(await $('button*=Add Ollama').isExisting()).toBe(false);
  });
});
