// Settings → Providers in the real window: add a provider with a key, restart, and check that the
// key lives in the keychain and nowhere else.
import fs from 'node:fs';
import path from 'node:path';
import {
  dataHome,
  filesContaining,
  invokeInApp,
  openAddProviderForm,
  openScreen,
  screenshot,
  screenshotBothThemes,
  secretToolLabel,
  secretToolLookup,
} from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const suffix = Math.random().toString(36).slice(2, 10);
const goodKey = `sk-e2e-good-${suffix}-Zq7w`;
const badKey = `sk-e2e-wrong-${suffix}-Xx9p`;
let fake;

async function fill(selector, value) {
  const el = await $(selector);
  await el.waitForDisplayed();
  await el.clearValue();
  if (value) await el.setValue(value);
}

async function chooseService(label) {
  const select = await $('#pf-preset');
  await select.selectByVisibleText(label);
}

async function card(name) {
  const el = await $(`article[data-provider="${name}"]`);
  await el.waitForDisplayed();
  return el;
}

describe('Settings → Providers', () => {
  before(async () => {
    fake = await startFakeProvider([goodKey]);
  });

  after(() => fake?.stop());

  it('opens a window titled Switchyard with the four screens', async () => {
    expect(await browser.getTitle()).toBe('Switchyard');
    for (const name of ['chat', 'rules', 'spend', 'settings']) {
      await expect($(`button[data-nav="${name}"]`)).toBeDisplayed();
    }
  });

  it('grants the capabilities it declares and denies the rest', async () => {
    const granted = await invokeInApp('plugin:app|version');
    expect(granted.ok).toBe(true);
    const denied = await invokeInApp('plugin:window|set_title', { label: 'main', value: 'pwned' });
    expect(denied.ok).toBe(false);
    expect(denied.error).toMatch(/not allowed/i);
    expect(await browser.getTitle()).toBe('Switchyard');
  });

  it('refuses bad input inline and saves nothing', async () => {
    await openScreen('settings');
    await openAddProviderForm();
    await chooseService('OpenAI');
    await fill('#pf-name', 'Broken');
    await fill('#pf-url', 'ftp://example.com');
    await fill('#pf-key', '    ');
    await (await $('form[aria-label="Add provider"] button[type="submit"]')).click();
    await expect($('#pf-url-err')).toHaveText(expect.stringContaining('not an http(s) URL'));
    await expect($('#pf-key-err')).toHaveText(expect.stringContaining('empty'));
    const listed = await invokeInApp('list_providers');
    expect(listed.value).toEqual([]);
    // The backend refuses the same input even if the UI's own check is bypassed.
    const direct = await invokeInApp('add_provider', {
      input: { name: 'Direct', kind: 'openai', preset: 'openai', base_url: 'https://a.example', headers: [], enabled: true },
      key: '   ',
    });
    expect(direct.ok).toBe(false);
    await (await $('button=Cancel')).click();
  });

  it('adds a provider whose key goes to the keychain and tests its connection', async () => {
    await openAddProviderForm();
    await chooseService('OpenAI');
    await fill('#pf-name', 'Fake OpenAI');
    await fill('#pf-url', `${fake.url}/openai/v1`);
    await fill('#pf-key', goodKey);
    await (await $('form[aria-label="Add provider"] button[type="submit"]')).click();
    const c = await card('Fake OpenAI');
    await expect(c.$('[data-testid="key-status"]')).toHaveText(expect.stringContaining('Key set'));
    await expect(c.$('[data-testid="key-status"]')).toHaveText(expect.stringContaining('Zq7w'));
    await (await c.$('button=Test connection')).click();
    await expect(c.$('[data-testid="connection-result"]')).toHaveText(expect.stringMatching(/Connected · \d+ models?/));
    // The models it found, with those the catalog has no entry for marked.
    const models = await c.$('[data-testid="connection-models"]');
    await expect(models.$('summary')).toHaveText(expect.stringMatching(/^Models Fake OpenAI serves \(\d+\), \d+ not in the catalog$/));
    await (await models.$('summary')).click();
    await expect(models.$('li*=o3-mini')).toHaveText('o3-mini not in the catalog');
    await expect(models.$('li*=gpt-4o-mini')).toHaveText('gpt-4o-mini');
    await screenshot('provider-models');
    // Its keychain entry reads as the provider's name in a keyring manager, still keyed by id.
    const listed = await invokeInApp('list_providers');
    const id = listed.value.find((p) => p.name === 'Fake OpenAI').id;
    expect(secretToolLabel(id)).toBe('Switchyard: Fake OpenAI');
  });

  it('says clearly when a key is wrong, a host unreachable, or a name taken', async () => {
    await openAddProviderForm();
    await chooseService('Anthropic');
    await fill('#pf-name', 'Wrong key');
    await fill('#pf-url', `${fake.url}/anthropic`);
    await fill('#pf-key', badKey);
    await (await $('form[aria-label="Add provider"] button[type="submit"]')).click();
    const wrong = await card('Wrong key');
    await (await wrong.$('button=Test connection')).click();
    await expect(wrong.$('[data-testid="connection-result"]')).toHaveText(expect.stringContaining('rejected the key'));

    await openAddProviderForm();
    await chooseService('Ollama');
    await fill('#pf-name', 'Nowhere');
    await fill('#pf-url', 'http://127.0.0.1:9/v1');
    await (await $('form[aria-label="Add provider"] button[type="submit"]')).click();
    const nowhere = await card('Nowhere');
    await (await nowhere.$('button=Test connection')).click();
    await expect(nowhere.$('[data-testid="connection-result"]')).toHaveText(expect.stringContaining('Could not connect to 127.0.0.1:9 — is the server running?'));
    expect(await (await nowhere.$('[data-testid="connection-result"]')).getText()).not.toContain('?.');
    await nowhere.scrollIntoView({ block: 'center' });
    await screenshotBothThemes('provider-connect-error');

    await openAddProviderForm();
    await fill('#pf-name', 'fake openai');
    await (await $('form[aria-label="Add provider"] button[type="submit"]')).click();
    await expect($('#pf-name-err')).toHaveText(expect.stringContaining('already exists'));
    await screenshotBothThemes('provider-form-errors');
    await (await (await $('form[aria-label="Add provider"]')).$('button=Cancel')).click();
    await expect($('form[aria-label="Add provider"]')).not.toBeExisting();
  });

  it('still shows the key as set after a restart, and the key is only in the keychain', async () => {
    await browser.reloadSession();
    await openScreen('settings');
    const c = await card('Fake OpenAI');
    await expect(c.$('[data-testid="key-status"]')).toHaveText(expect.stringContaining('Zq7w'));
    await (await c.$('button=Test connection')).click();
    await expect(c.$('[data-testid="connection-result"]')).toHaveText(expect.stringContaining('Connected'));
    await screenshot('providers');

    const listed = await invokeInApp('list_providers');
    const provider = listed.value.find((p) => p.name === 'Fake OpenAI');
    expect(provider.key).toEqual({ state: 'set', last4: 'Zq7w' });
    expect(JSON.stringify(listed.value)).not.toContain(goodKey);
    expect(secretToolLookup(provider.id)).toBe(goodKey);

    const storage = await browser.execute(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(storage).not.toContain(goodKey);

    const appDir = path.join(dataHome(), 'dev.switchyard.desktop');
    expect(fs.existsSync(path.join(appDir, 'switchyard.db'))).toBe(true);
    expect(fs.statSync(path.join(appDir, 'logs/switchyard.log')).size).toBeGreaterThan(0);
    for (const key of [goodKey, badKey]) {
      // The whole data home: the database and its WAL, the logs, and the webview's storage.
      expect(filesContaining(dataHome(), key)).toEqual([]);
    }
  });

  it('removes a provider together with its key', async () => {
    const listed = await invokeInApp('list_providers');
    const wrong = listed.value.find((p) => p.name === 'Wrong key');
    const c = await card('Wrong key');
    await (await c.$('button=Remove')).click();
    await (await c.$('button.danger=Remove')).click();
    await browser.waitUntil(async () => !(await $('article[data-provider="Wrong key"]').isExisting()));
    expect(secretToolLookup(wrong.id)).toBe(null);
  });

  it('shows the models a connection test found in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('settings');
    const c = await card('Fake OpenAI');
    await (await c.$('button=Test connection')).click();
    const models = await c.$('[data-testid="connection-models"]');
    await (await models.$('summary')).click();
    await expect(models.$('li*=o3-mini')).toBeDisplayed();
    await screenshot('provider-models-dark');
  });
});
