// One screenshot of each screen, light and dark, with a little data behind them: the pictures
// in the README (scripts/screenshots copies them from e2e/artifacts to docs/screenshots).
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, screenshot, sendChat } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = `sk-screens-${Math.random().toString(36).slice(2, 10)}`;
const dark = { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: path.join(root, 'e2e/bin/switchyard-dark') } };
let fake;

async function shootEvery(theme) {
  await openScreen('chat');
  await (await $('aside[aria-label="Conversations"]').$('button*=Explain')).click();
  await $('[data-testid="message-assistant"]').waitForDisplayed();
  await screenshot(`screen-chat-${theme}`);
  await openScreen('rules');
  await $('h1=Rules').waitForDisplayed();
  await screenshot(`screen-rules-${theme}`);
  await openScreen('spend');
  await $('[data-testid="total-requests"]').waitForDisplayed();
  await screenshot(`screen-spend-${theme}`);
  await openScreen('settings');
  await $('button*=Test connection').waitForDisplayed();
  await screenshot(`screen-settings-${theme}`);
}

describe('Screens for the README', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
  });

  after(() => fake?.stop());

  it('draws every screen in the light theme', async () => {
    for (const prompt of ['Explain how a railway switchyard sorts freight cars', 'Write a haiku about trains']) {
      const reply = await sendChat(prompt);
      await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', { timeout: 20000 });
    }
    expect((await invokeInApp('list_conversations')).value).toHaveLength(2);
    await shootEvery('light');
  });

  it('draws every screen in the dark theme', async () => {
    await browser.reloadSession(dark);
    await shootEvery('dark');
  });
});
