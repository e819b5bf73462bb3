// Settings → Local endpoint in the real window: turn it on, make a token, call it from outside
// the app (this test process, over HTTP, as any tool would), and find the call in Spend under the
// token's name. Then revoke the token and see the endpoint refuse it.
import net from 'node:net';
import path from 'node:path';
import { addFakeProviders, openScreen, screenshot } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = 'sk-endpoint-e2e-4242';
let fake;
let port;
let token;

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address();
      server.close(() => resolve(p));
    });
  });
}

async function openEndpointTab() {
  await openScreen('settings');
  const tab = await $('button[role="tab"]=Local endpoint');
  await tab.waitForClickable();
  await tab.click();
  await $('[data-testid="endpoint-card"]').waitForDisplayed();
}

function ask(bearer, text) {
  return fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: text }] }),
  });
}

describe('Local endpoint', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    port = await freePort();
  });

  after(() => fake?.stop());

  it('starts on the chosen port and shows the base URLs to paste', async () => {
    await openEndpointTab();
    await expect($('[data-testid="endpoint-state"]')).toHaveText('Off');
    const portInput = await $('[data-testid="endpoint-port"]');
    await portInput.setValue(String(port));
    await (await $('[data-testid="endpoint-toggle"]')).click();
    await expect($('[data-testid="endpoint-state"]')).toHaveText('Running');
    await expect($('[data-testid="endpoint-openai-base"]')).toHaveText(`http://127.0.0.1:${port}/v1`);
    // Without a token nothing gets in.
    const refused = await ask('sy-nothing', 'hello');
    expect(refused.status).toBe(401);
  });

  it('makes a token, shown once, that a client outside the app can use', async () => {
    await (await $('[data-testid="endpoint-token-name"]')).setValue('e2e-client');
    await (await $('button=Create token')).click();
    const value = await $('[data-testid="endpoint-token-value"]');
    await value.waitForDisplayed();
    token = await value.getText();
    expect(token).toMatch(/^sy-[0-9a-f]{64}$/);
    await expect($('ul[aria-label="Tokens"]')).toHaveText(expect.stringContaining('e2e-client'));
    await screenshot('endpoint-settings');

    const res = await ask(token, 'Name three railway stations');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-switchyard-rule')).toBeTruthy();
    const body = await res.json();
    expect(body.choices[0].message.content).toBe('Echo: Name three railway stations');
    expect(res.headers.get('x-switchyard-model')).toBe(body.model);

    // Done hides the value for good: it is not kept by the page.
    await (await $('button=Done')).click();
    await expect($('[data-testid="endpoint-token-value"]')).not.toBeExisting();
  });

  it('shows the call in Spend under the client name', async () => {
    await openScreen('spend');
    const clients = await $('[data-testid="spend-by-client"]');
    await clients.waitForDisplayed();
    await expect(clients).toHaveText(expect.stringContaining('e2e-client'));
    await expect($('[data-testid="spend-by-source"]')).toHaveText(expect.stringContaining('endpoint'));
    await expect($('[data-testid="spend-requests"]')).toHaveText(expect.stringContaining('endpoint · e2e-client'));
    const select = await $('select[aria-label="Client filter"]');
    await select.selectByAttribute('value', 'e2e-client');
    await expect($('[data-testid="spend-requests"]')).toHaveText(expect.stringContaining('e2e-client'));
    await screenshot('spend-endpoint-client');
  });

  it('comes back on by itself, and is drawn in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openEndpointTab();
    await expect($('[data-testid="endpoint-state"]')).toHaveText('Running');
    await expect($('ul[aria-label="Tokens"]')).toHaveText(expect.stringContaining('e2e-client'));
    // The value was shown once; after a restart only the name is there.
    await expect($('[data-testid="endpoint-token-value"]')).not.toBeExisting();
    await screenshot('endpoint-settings-dark');
    await openScreen('spend');
    const clients = await $('[data-testid="spend-by-client"]');
    await clients.waitForDisplayed();
    await clients.scrollIntoView();
    await screenshot('spend-endpoint-client-dark');
  });

  it('refuses a revoked token at once', async () => {
    await openEndpointTab();
    const row = await $('li[data-token="e2e-client"]');
    await (await row.$('button=Revoke')).click();
    await (await (await row.$('.confirm')).$('button=Revoke')).click();
    await expect($('ul[aria-label="Tokens"]')).not.toBeExisting();
    const res = await ask(token, 'still there?');
    expect(res.status).toBe(401);
    // Off again: the port is free.
    await (await $('[data-testid="endpoint-toggle"]')).click();
    await expect($('[data-testid="endpoint-state"]')).toHaveText('Off');
  });
});
