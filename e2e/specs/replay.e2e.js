// Replay history in the real window: chats through the fake provider under saved rules, then a
// rule changed in the editor (not saved) and replayed: the moves table shows the change, a row
// lists its requests with both decisions, and one opens its conversation in Chat. Screenshots in
// the light and the dark theme go to e2e/artifacts/.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { addFakeProviders, invokeInApp, openScreen, screenshot, sendChat } from '../helpers/app.js';
import { startFakeProvider } from '../helpers/fake-provider.js';
import { root } from '../wdio.conf.js';

const key = 'sk-replay-e2e-7777';
const CODE_PROMPT = 'Fix this Python function, it crashes on an empty list:\n```python\ndef mean(xs):\n    return sum(xs) / len(xs)\n```';
let fake;

function ledger(sql) {
  const db = path.join(process.env.XDG_DATA_HOME, 'dev.switchyard.desktop/switchyard.db');
  return execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();
}

/** Pastes text as a whole (typed key by key, WebDriver would send Enter on each newline). */
async function paste(selector, text) {
  await browser.execute(
    (sel, value) => {
      const el = document.querySelector(sel);
      el.value = value;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    selector,
    text,
  );
}

async function chat(send) {
  const reply = await send();
  await browser.waitUntil(async () => (await reply.getAttribute('data-status')) !== 'streaming', {
    timeout: 20000,
    timeoutMsg: 'the reply did not finish',
  });
  expect(await reply.getAttribute('data-status')).toBe('complete');
}

/** Changes the code rule's first model in the editor, without saving. */
async function sendCodeTo(model) {
  await openScreen('rules');
  await (await $('button[role="tab"]=Rules')).click();
  await (await (await $('tr[data-rule="code"]')).$('button=Edit')).click();
  await (await $('select[aria-label="Primary model"]')).selectByAttribute('value', model);
  await expect($('[data-testid="rules-status"]')).toHaveText(expect.stringContaining('Unsaved changes'));
}

async function replay() {
  await (await $('button[role="tab"]=Replay history')).click();
  await (await $('[data-testid="replay-run"]')).click();
  const moves = await $('[data-testid="replay-moves"]');
  await moves.waitForDisplayed({ timeout: 20000, timeoutMsg: 'no moves table after replaying' });
  return moves;
}

describe('Replay history', () => {
  before(async () => {
    fake = await startFakeProvider([key]);
    await addFakeProviders(fake.url, key);
    await browser.reloadSession();
    // Rules with a code rule: saved, so the chats below are made under them.
    await openScreen('rules');
    const select = await $('#preset');
    // The presets arrive after the screen opens.
    let value;
    await browser.waitUntil(
      async () => {
        value = await browser.execute(
          (el) => [...el.options].find((o) => o.textContent.trim().startsWith('SmartRouter'))?.value ?? null,
          select,
        );
        return value !== null;
      },
      { timeoutMsg: 'the presets did not load' },
    );
    await select.selectByAttribute('value', value);
    await (await $('button=Load')).click();
    await (await $('button.primary=Save')).click();
    await browser.waitUntil(async () => (await $('[data-testid="rules-status"]').getText()).includes('Version 1'));
  });

  after(() => fake?.stop());

  it('shows what a rule changed in the editor would have moved, and opens a moved conversation', async () => {
    await openScreen('chat');
    await chat(async () => {
      await paste('textarea[aria-label="Message"]', CODE_PROMPT);
      await (await $('button=Send')).click();
      await browser.waitUntil(async () => (await $$('[data-testid="message-assistant"]')).length > 0);
      const all = await $$('[data-testid="message-assistant"]');
      return all[all.length - 1];
    });
    const codeConversation = ledger("SELECT conversation_id FROM usage WHERE rule = 'code' ORDER BY id LIMIT 1");
    expect(codeConversation).not.toBe('');
    expect(ledger("SELECT model FROM usage WHERE rule = 'code' ORDER BY id LIMIT 1")).toBe('claude-opus-4');
    await (await $('button=New chat')).click();
    await chat(() => sendChat('Write a haiku about the sea'));
    await (await $('button=New chat')).click();
    await chat(() => sendChat('Translate "good night" into Italian'));

    await sendCodeTo('gpt-4o-mini');
    const moves = await replay();
    const rows = await moves.$$('tbody tr');
    expect(rows.length).toBe(1);
    const row = rows[0];
    await expect(row).toHaveText(expect.stringContaining('claude-opus-4 → gpt-4o-mini'));
    await expect(row).toHaveText(expect.stringContaining('code'));
    await expect($('[data-testid="replay-summary"]')).toHaveText(expect.stringContaining('Replayed 3 of 3 requests'));
    await expect($('[data-testid="replay-summary"]')).toHaveText(expect.stringContaining('1 would go to another model'));
    // Nothing was saved by replaying.
    expect((await invokeInApp('rule_versions')).value.length).toBe(1);
    const code = (await invokeInApp('saved_routing')).value.config.rules.rules.find((r) => r.name === 'code');
    expect(code.then.models[0]).toBe('claude-opus-4');

    await (await row.$('button.link')).click();
    const requests = await $('[data-testid="replay-requests"]');
    await expect(requests).toHaveText(expect.stringContaining('claude-opus-4 · code'));
    await expect(requests).toHaveText(expect.stringContaining('gpt-4o-mini · code'));
    await screenshot('replay');
    await (await $('[data-testid="replay-basis"]')).scrollIntoView();
    await expect($('[data-testid="replay-rules"]')).toHaveText(expect.stringContaining('code'));
    await screenshot('replay-per-task-and-rule');
    await (await $('[data-testid="replay-requests"]')).scrollIntoView();
    await (await requests.$('button=Open in Chat')).click();
    const user = await $('[data-testid="message-user"]');
    await user.waitForDisplayed();
    await expect(user).toHaveText(expect.stringContaining('Fix this Python function'));
  });

  it('draws the replay in the dark theme too', async () => {
    const dark = path.join(root, 'e2e/bin/switchyard-dark');
    await browser.reloadSession({ 'wdio:enforceWebDriverClassic': true, 'tauri:options': { application: dark } });
    await sendCodeTo('gpt-4o');
    const moves = await replay();
    await expect(moves).toHaveText(expect.stringContaining('claude-opus-4 → gpt-4o'));
    await (await (await moves.$('tbody tr')).$('button.link')).click();
    await $('[data-testid="replay-requests"]').waitForDisplayed();
    await screenshot('replay-dark');
  });
});
