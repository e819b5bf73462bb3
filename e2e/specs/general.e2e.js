// Settings → General and picking up where you left off, in the real window: a restart lands in
// the last conversation with its unsent draft; the theme choice applies and survives a restart;
// the data folder opens; everything exports to one file; the version is shown.
import fs from 'node:fs';
import path from 'node:path';
import { addFakeProviders, openScreen, screenshot, sendChat } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';

const key = `sk-general-${Math.random().toString(36).slice(2, 10)}`;
let fake;

const background = () => browser.execute(() => getComputedStyle(document.documentElement).backgroundColor);

async function openGeneral() {
  await openScreen('settings');
  await (await $('button[role="tab"]=General')).click();
  await $('[data-testid="settings-general"] select[aria-label="Theme"]').waitForDisplayed();
}

describe('Settings → General and resuming', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
  });

  after(() => fake?.stop());

  it('reopens the last conversation with its unsent draft after a restart', async () => {
    await openScreen('chat');
    const reply = await sendChat('Tell me about night trains');
    await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', { timeout: 20000 });
    const box = await $('textarea[aria-label="Message"]');
    await box.setValue('and what about sleeper cars');
    await browser.pause(1200); // the draft is kept after a pause in typing
    await browser.reloadSession();
    await expect($('h1=Tell me about night trains')).toBeDisplayed();
    await expect($('textarea[aria-label="Message"]')).toHaveValue('and what about sleeper cars');
    await expect($('[data-testid="message-user"]*=Tell me about night trains')).toBeDisplayed();
  });

  it('shows the version and the data folder, opens it, and exports everything to one file', async () => {
    await openGeneral();
    await expect($('[data-testid="app-version"]')).toHaveText(expect.stringMatching(/^Switchyard \d+\.\d+\.\d+/));
    const dir = await $('[data-testid="data-dir"]').getText();
    expect(dir.startsWith(process.env.XDG_DATA_HOME)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'switchyard.db'))).toBe(true);

    await (await $('button=Open folder')).click();
    await browser.waitUntil(() => fs.existsSync(process.env.SWITCHYARD_E2E_OPENED) && fs.readFileSync(process.env.SWITCHYARD_E2E_OPENED, 'utf8').includes(dir), {
      timeoutMsg: 'the data folder was not handed to the file manager',
    });

    await (await $('button=Export everything…')).click();
    const file = path.join(process.env.SWITCHYARD_E2E_SAVE_DIR, 'switchyard-export.json');
    await expect($('[role="status"]')).toHaveText(expect.stringContaining(file));
    const out = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(out.format).toBe('switchyard-export');
    expect(out.conversations.map((c) => c.conversation.title)).toContain('Tell me about night trains');
    expect(out.tables.usage.length).toBeGreaterThan(0);
    expect(JSON.stringify(out)).not.toContain(key);
    await screenshot('settings-general');
  });

  it('applies the dark theme at once and keeps it after a restart', async () => {
    const light = await background();
    await (await $('select[aria-label="Theme"]')).selectByAttribute('value', 'dark');
    await browser.waitUntil(async () => (await background()) === 'rgb(20, 23, 29)', { timeoutMsg: 'the dark theme did not apply' });
    await browser.reloadSession();
    await browser.waitUntil(async () => (await background()) === 'rgb(20, 23, 29)', { timeoutMsg: 'the dark theme was not kept' });
    await openGeneral();
    await screenshot('settings-general-dark');
    await (await $('select[aria-label="Theme"]')).selectByAttribute('value', 'light');
    await browser.waitUntil(async () => (await background()) === light, { timeoutMsg: 'the light theme did not come back' });
  });
});
