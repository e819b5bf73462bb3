// One screenshot of each screen, light and dark, with a little data behind them: the pictures
// in the README (scripts/screenshots copies them from e2e/artifacts to docs/screenshots).
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, screenshot, sendChat } from '../helpers/app.js';
import { setFaults, startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = `sk-screens-${Math.random().toString(36).slice(2, 10)}`;
const dark = { 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: path.join(root, 'e2e/bin/switchyard-dark') } };
let fake;

async function shootEvery(theme) {
  await openScreen('chat');
  await (await $('aside[aria-label="Conversations"]').$('button*=Explain')).click();
  await (await $('button=Why this model?')).click();
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
    // Replies as a model would write them, and token counts of a real conversation, so the
    // pictures show what a user sees (the fake server otherwise echoes the prompt).
    const chats = [
      ['Write a haiku about trains', 'Steel wheels hum at dusk\nfreight cars sorted into lines\nthe yard falls asleep', 900],
      [
        'Explain how a railway switchyard sorts freight cars',
        'A switchyard (a **classification yard**) sorts cars by destination:\n\n' +
          '1. An arriving train is uncoupled on the *receiving tracks*.\n' +
          '2. A locomotive pushes the cars over a small hill, the **hump**; each rolls down alone.\n' +
          '3. Switches send every car to the *bowl* track of its destination, and retarders brake it.\n\n' +
          'When a track holds a full train, it is coupled, inspected and leaves from the *departure tracks*.',
        4000,
      ],
    ];
    for (const [prompt, text, tokens] of chats) {
      await setFaults(fake.url, [{ model: '*', reply: text, usage_tokens: tokens }]);
      await (await $('button=New chat')).click();
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
