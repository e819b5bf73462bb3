// Attachments in the real window: an image and a text file picked with the file input show as a
// thumbnail and a chip, go out with the message (the fake provider records the image part and
// the file's text), are still shown after a restart, and their files leave the data directory
// with their conversation; the model catalog says which models read images. Screenshots in
// light and dark.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addFakeProviders, dataHome, invokeInApp, openScreen, replies, screenshot } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = `sk-attach-${Math.random().toString(36).slice(2, 10)}`;
/** A 4×4 PNG, red. */
const PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGO4oKAARwzEcQDFQxEBb5JfhQAAAABJRU5ErkJggg==';
const NOTES = 'Platform 7 closes at 22:40.\nThe last train to Basel leaves from platform 9.\n';
let fake;
let files;

async function requests() {
  const res = await fetch(`${fake.url}/_control/requests`);
  return res.json();
}

/** Picks `paths` with the composer's file input. */
async function attach(paths) {
  const input = await $('input[data-testid="attach-input"]');
  // The input is hidden behind the Attach button; WebDriver types paths into it like a picker.
  await browser.execute(() => {
    document.querySelector('input[data-testid="attach-input"]').hidden = false;
  });
  // All at once (WebDriver takes several files as lines), as a picker gives them: one change
  // event, not one per file racing the composer's reset of the input after each.
  await input.addValue(paths.join('\n'));
  await browser.execute(() => {
    document.querySelector('input[data-testid="attach-input"]').hidden = true;
  });
}

/** Scrolls the (wide) catalog table to its right end, where the Images and Tools columns are. */
async function showImagesColumn() {
  await browser.execute(() => {
    const box = document.querySelector('table[aria-label="Model catalog"]').parentElement;
    box.scrollLeft = box.scrollWidth;
  });
}

async function sentAttachments() {
  return $$('[data-testid="sent-attachments"] [data-testid="attachment"]');
}

describe('Attachments', () => {
  before(async () => {
    files = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-attach-'));
    fs.writeFileSync(path.join(files, 'signal.png'), Buffer.from(PNG, 'base64'));
    fs.writeFileSync(path.join(files, 'timetable.txt'), NOTES);
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    await openScreen('chat');
  });

  after(() => {
    fake?.stop();
    if (files) fs.rmSync(files, { recursive: true, force: true });
  });

  it('sends an image and a text file picked in the composer', async () => {
    await attach([path.join(files, 'signal.png'), path.join(files, 'timetable.txt')]);
    await browser.waitUntil(async () => (await $$('[data-testid="composer"] [data-testid="attachment"]')).length === 2, {
      timeoutMsg: 'the picked files did not show in the composer',
    });
    await expect($('[data-testid="composer"] [data-testid="attachment-thumbnail"]')).toBeDisplayed();
    const names = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid="composer"] [data-testid="attachment"] .name')].map((n) => n.textContent),
    );
    expect(names).toEqual(['signal.png', 'timetable.txt']);
    await (await $('textarea[aria-label="Message"]')).setValue('Which platform for Basel, and what colour is the signal?');
    // The preview routes with the files, to a model that reads images.
    await $('[data-testid="route-preview"]').waitForDisplayed({ timeout: 10000 });
    await screenshot('attachments-composer');
    await fetch(`${fake.url}/_control/requests`, { method: 'DELETE' });
    const before = (await replies()).length;
    await (await $('button=Send')).click();
    await browser.waitUntil(async () => (await replies()).length > before, { timeoutMsg: 'no reply appeared' });
    const reply = (await replies())[before];
    await browser.waitUntil(async () => (await reply.getAttribute('data-status')) === 'complete', { timeout: 20000 });

    const seen = (await requests()).filter((r) => r.status === 200);
    expect(seen.length).toBe(1);
    expect(seen[0].images.length).toBe(1);
    expect(seen[0].images[0].media_type).toBe('image/png');
    expect(seen[0].images[0].data).toBe(PNG);
    const body = JSON.stringify(seen[0].body);
    expect(body).toContain('timetable.txt');
    expect(body).toContain('The last train to Basel leaves from platform 9.');
    // The composer is empty again; the message shows its thumbnail and chip.
    expect((await $$('[data-testid="composer"] [data-testid="attachment"]')).length).toBe(0);
    expect((await sentAttachments()).length).toBe(2);
    await browser.waitUntil(async () => (await $('[data-testid="sent-attachments"] [data-testid="attachment-thumbnail"]')).isDisplayed(), {
      timeoutMsg: 'the sent image has no thumbnail',
    });
    await screenshot('attachments-sent');
  });

  it('still shows the attachments after a restart, and deletes their files with the conversation', async () => {
    const conversations = (await invokeInApp('list_conversations')).value;
    const id = conversations[0].id;
    const dir = path.join(dataHome(), 'dev.switchyard.desktop', 'attachments', id);
    const stored = fs.readdirSync(dir).sort();
    expect(stored.length).toBe(2);
    expect(stored.some((f) => /^[0-9a-f]{64}\.png$/.test(f))).toBe(true);
    expect(stored.some((f) => /^[0-9a-f]{64}\.txt$/.test(f))).toBe(true);

    await browser.reloadSession();
    await openScreen('chat');
    // The app reopens the last conversation.
    await browser.waitUntil(async () => (await sentAttachments()).length === 2, { timeoutMsg: 'the attachments are not shown after a restart' });
    await browser.waitUntil(async () => (await $('[data-testid="sent-attachments"] [data-testid="attachment-thumbnail"]')).isDisplayed(), {
      timeoutMsg: 'the image thumbnail is not shown after a restart',
    });
    // (WebKit's WebDriver leaves text cut with an ellipsis out of getText, so read the names.)
    const names = await browser.execute(() => [...document.querySelectorAll('[data-testid="sent-attachments"] .name')].map((n) => n.textContent));
    expect(names).toEqual(['signal.png', 'timetable.txt']);

    const deleted = await invokeInApp('delete_conversation', { id });
    expect(deleted.ok).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
    const left = await invokeInApp('conversation_attachments', { id });
    expect(left.value).toEqual([]);
  });

  it('shows in the model catalog which models read images', async () => {
    await openScreen('rules');
    await (await $('button[role="tab"]*=Model catalog')).click();
    const reads = async (id) => (await $(`input[aria-label="${id} reads images"]`)).isSelected();
    expect(await reads('gpt-4o')).toBe(true);
    expect(await reads('claude-haiku')).toBe(false);
    expect(await reads('deepseek-v3')).toBe(false);
    // Beside it, which call tools (the local endpoint routes requests with tools to these).
    const calls = async (id) => (await $(`input[aria-label="${id} calls tools"]`)).isSelected();
    expect(await calls('deepseek-v3')).toBe(true);
    expect(await calls('deepseek-r1')).toBe(false);
    await showImagesColumn();
    await screenshot('attachments-catalog');
  });

  it('looks right in the dark theme', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openScreen('chat');
    await attach([path.join(files, 'signal.png'), path.join(files, 'timetable.txt')]);
    await (await $('textarea[aria-label="Message"]')).setValue('Which platform for Basel?');
    await (await $('button=Send')).click();
    await browser.waitUntil(async () => (await sentAttachments()).length === 2, { timeoutMsg: 'no sent attachments' });
    await browser.waitUntil(async () => (await $('[data-testid="sent-attachments"] [data-testid="attachment-thumbnail"]')).isDisplayed());
    await attach([path.join(files, 'timetable.txt')]);
    await screenshot('attachments-dark');
    await openScreen('rules');
    await (await $('button[role="tab"]*=Model catalog')).click();
    await $('input[aria-label="gpt-4o reads images"]').waitForExist();
    await showImagesColumn();
    await screenshot('attachments-catalog-dark');
  });
});
