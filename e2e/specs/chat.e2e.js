// Chat in the real window, with the fake provider behind every configured provider.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, replies, screenshot, screenshotBothThemes, sendChat } from '../helpers/app.js';
import { setFaults, startFakeProvider } from '../helpers/fake-provider.js';
import { artifacts, root, targetDebug } from '../wdio.conf.js';

const key = `sk-chat-${Math.random().toString(36).slice(2, 10)}`;
let fake;

/** What Auto decides for `prompt`, from the CLI over the same database. */
function routeOf(prompt) {
  const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
  const out = execFileSync(path.join(targetDebug, 'switchyard'), ['--db', db, 'route', prompt], { encoding: 'utf8' });
  return JSON.parse(out);
}

const lastReply = () => replies().then((all) => all[all.length - 1]);

async function openConversation(title) {
  const list = await $('aside[aria-label="Conversations"]');
  await (await list.$(`button*=${title}`)).click();
}

async function waitForStatus(status) {
  await browser.waitUntil(async () => (await (await lastReply())?.getAttribute('data-status')) === status, {
    timeout: 20000,
    timeoutMsg: `the last reply never became ${status}`,
  });
}

describe('Chat', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
  });

  after(() => fake?.stop());

  it('streams a reply with Auto, with a badge that says who answered and what it cost', async () => {
    const prompt = 'Write a short poem about freight trains at night';
    const route = routeOf(prompt);
    await setFaults(fake.url, [{ model: '*', chunk_delay_ms: 60 }]);
    await sendChat(prompt);
    await waitForStatus('streaming');
    // Text arrives while the reply is still streaming.
    await browser.waitUntil(async () => (await (await lastReply()).getText()).includes('Echo'), { timeout: 15000 });
    expect(await (await lastReply()).getAttribute('data-status')).toBe('streaming');
    await waitForStatus('complete');
    const reply = await lastReply();
    await expect(reply).toHaveText(expect.stringContaining(`Echo: ${prompt}`));
    await expect(reply.$('[data-testid="badge-model"]')).toHaveText(route.model);
    await expect(reply.$('[data-testid="badge-cost"]')).toHaveText(expect.stringMatching(/^\$/));
    await (await reply.$('button=Why this model?')).click();
    await expect(reply.$('[data-testid="trace"]')).toHaveText(expect.stringContaining(`Task: ${route.task}`));
    await screenshot('chat-light');
  });

  it('Stop keeps the partial reply, also after a restart', async () => {
    const words = Array.from({ length: 120 }, (_, i) => `w${i}`).join(' ');
    await setFaults(fake.url, [{ model: '*', reply: words, chunk_delay_ms: 80 }]);
    await (await $('button=New chat')).click();
    await sendChat('Summarize the history of rail freight in Europe');
    await browser.waitUntil(async () => (await (await lastReply()).getText()).includes('w3'), { timeout: 15000 });
    await (await $('button=Stop')).click();
    await waitForStatus('stopped');
    const kept = await (await lastReply()).$('.markdown').getText();
    expect(kept.startsWith('w0 w1 w2 w3')).toBe(true);
    expect(kept.includes('w119')).toBe(false);
    await expect((await lastReply()).$('[data-testid="message-notice"]')).toHaveText(expect.stringContaining('Stopped'));

    await browser.reloadSession();
    await openConversation('Summarize the history');
    await waitForStatus('stopped');
    expect(await (await lastReply()).$('.markdown').getText()).toBe(kept);
  });

  it('falls back when the primary model fails, and the badge says so', async () => {
    const prompt = 'Debug this: TypeError: undefined is not a function in my checkout code';
    const route = routeOf(prompt);
    expect(route.fallbacks.length).toBeGreaterThan(0);
    await setFaults(fake.url, [{ model: route.api_model, status: 500 }]);
    await (await $('button=New chat')).click();
    await sendChat(prompt);
    await waitForStatus('complete');
    const reply = await lastReply();
    await expect(reply.$('[data-testid="badge-fallback"]')).toHaveText(`fallback from ${route.model}`);
    const answered = await reply.$('[data-testid="badge-model"]').getText();
    expect(route.fallbacks).toContain(answered);
    // Why this model? lists the failed try and the one that answered.
    await (await reply.$('button=Why this model?')).click();
    const hops = await reply.$('[data-testid="hops"]');
    await expect(hops).toHaveText(expect.stringContaining(`${route.model}`));
    await expect(hops).toHaveText(expect.stringContaining('failed'));
    await expect(hops.$('li.answered')).toHaveText(expect.stringContaining(answered));
    await expect(reply.$('[data-testid="trace"]')).toHaveText(expect.stringContaining('chosen, did not answer'));
    // Each failed try (the primary is retried) says its HTTP status once.
    const failedTries = await hops.$$('li.failed');
    expect(failedTries.length).toBeGreaterThan(0);
    for (const li of failedTries) expect((await li.getText()).match(/HTTP 500/g)).toHaveLength(1);
    await screenshotBothThemes('chat-fallback-tries');
    await (await reply.$('button=Why this model?')).click();
  });

  it('lists each model with its own outcome when none can answer', async () => {
    const prompt = 'Debug this: TypeError: undefined is not a function in my cart code';
    const route = routeOf(prompt);
    await setFaults(fake.url, [{ model: '*', status: 500 }]);
    await (await $('button=New chat')).click();
    await sendChat(prompt);
    await waitForStatus('failed');
    const notice = await (await lastReply()).$('[data-testid="message-notice"]');
    await expect(notice).toHaveText(expect.stringContaining('No model could answer; each try is listed below.'));
    const items = await notice.$$('[data-testid="hops"] li');
    expect(items.length).toBeGreaterThanOrEqual(1 + route.fallbacks.length);
    const text = await notice.getText();
    expect(text.match(/Last error/g)).toBeNull();
    for (const model of [route.model, ...route.fallbacks]) expect(text).toContain(model);
    await screenshotBothThemes('chat-all-failed');
    await setFaults(fake.url, []);
  });

  it('never runs HTML or script that a reply contains', async () => {
    await browser.execute(() => {
      window.__xss = 'unset';
    });
    await setFaults(fake.url, [
      {
        model: '*',
        reply:
          'Here you go <img src=x onerror="window.__xss=\'img\'"> <script>window.__xss=\'script\'</script> ' +
          '[link](javascript:window.__xss=\'link\')',
      },
    ]);
    await sendChat('Format this list as a table');
    await waitForStatus('complete');
    const reply = await lastReply();
    await expect(reply).toHaveText(expect.stringContaining('Here you go'));
    expect(await reply.$$('img').length).toBe(0);
    expect(await reply.$$('script').length).toBe(0);
    expect(await browser.execute(() => window.__xss)).toBe('unset');
  });

  it('finds a word from an earlier conversation', async () => {
    await setFaults(fake.url, []);
    await browser.keys(['Control', 'k']);
    const search = await $('input[aria-label="Search messages"]');
    await expect(search).toBeFocused();
    await search.setValue('trains');
    const hit = await $('[data-testid="search-hit"]');
    await hit.waitForDisplayed();
    await expect(hit).toHaveText(expect.stringContaining('trains'));
    await hit.click();
    await expect($('[data-testid="message-user"]')).toHaveText(expect.stringContaining('freight trains'));
  });

  it('says what to do when no provider can answer', async () => {
    const list = await invokeInApp('list_providers');
    for (const p of list.value) await invokeInApp('set_provider_enabled', { id: p.id, enabled: false });
    await (await $('button=New chat')).click();
    await sendChat('Hello there');
    await waitForStatus('failed');
    const notice = await (await lastReply()).$('[data-testid="message-notice"]');
    await expect(notice).toHaveText(expect.stringContaining('Providers'));
    await (await notice.$('button=Open Settings → Providers')).click();
    await expect($('h2=Providers')).toBeDisplayed();
    await openScreen('chat');
  });

  it('opens a 1,000-message conversation (the time is recorded, not asserted)', async () => {
    const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
    const rows = [];
    for (let i = 0; i < 1000; i++) {
      const role = i % 2 === 0 ? 'user' : 'assistant';
      const text = role === 'user'
        ? `Question ${i}: how would you write step ${i}?`
        : `Here is step ${i}.\n\n\`\`\`rust\nfn step_${i}(x: u32) -> u32 { x * ${i} + 1 }\n\`\`\`\n\nIt multiplies and adds one.`;
      rows.push(`('long-one', '${role}', '${text.replace(/'/g, "''")}', 'complete')`);
    }
    execFileSync('sqlite3', [
      db,
      `PRAGMA busy_timeout = 5000; INSERT INTO conversations (id, title) VALUES ('long-one', 'A thousand messages');
       INSERT INTO messages (conversation_id, role, content, status) VALUES ${rows.join(',')};`,
    ]);
    await browser.reloadSession();
    const list = await $('aside[aria-label="Conversations"]');
    await (await list.$('button*=A thousand messages')).waitForDisplayed();
    const ms = await browser.executeAsync((done) => {
      const button = [...document.querySelectorAll('aside button')].find((b) => b.textContent.includes('A thousand messages'));
      const start = performance.now();
      button.click();
      const check = () => {
        const users = document.querySelectorAll('[data-testid="message-user"]');
        const last = users[users.length - 1];
        if (last && last.textContent.includes('Question 998')) done(performance.now() - start);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
    expect(await $('[data-testid="message-user"]*=Question 998').isDisplayed()).toBe(true);
    fs.mkdirSync(artifacts, { recursive: true });
    fs.writeFileSync(path.join(artifacts, 'open-1000-messages.json'), JSON.stringify({ ms: Math.round(ms) }) + '\n');
    console.log(`opened a 1,000-message conversation in ${Math.round(ms)} ms`);
  });

  it('follows a dark system theme', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await openConversation('Write a short poem');
    await waitForStatus('complete');
    const background = await browser.execute(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(background).toBe('rgb(20, 23, 29)');
    await screenshot('chat-dark');
  });

  it('draws a disabled primary button unlike an enabled one in the dark theme', async () => {
    const send = await $('button=Send');
    const look = () =>
      browser.execute((el) => {
        const s = getComputedStyle(el);
        return { disabled: el.disabled, background: s.backgroundColor, color: s.color };
      }, send);
    // An empty composer cannot send.
    const off = await look();
    expect(off.disabled).toBe(true);
    await (await $('textarea[aria-label="Message"]')).setValue('Hello');
    await browser.waitUntil(async () => !(await look()).disabled, { timeoutMsg: 'Send never became enabled' });
    const on = await look();
    expect(on.background).not.toBe(off.background);
    expect(on.color).not.toBe(off.color);
    await screenshot('chat-send-enabled-dark');
  });
});
