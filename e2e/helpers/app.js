// Small helpers shared by the specs: navigation, screenshots, and reading what the app left on disk.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { artifacts } from '../wdio.conf.js';

export async function openScreen(name) {
  const button = await $(`button[data-nav="${name}"]`);
  await button.waitForClickable();
  await button.click();
}

/**
 * Opens Settings → Providers' add form. The button stays disabled until the screen has loaded
 * its providers and presets, and a click on a disabled button does nothing, so wait for it.
 */
export async function openAddProviderForm() {
  const add = await $('button=Add provider');
  await add.waitForEnabled();
  await add.click();
  await $('form[aria-label="Add provider"]').waitForDisplayed();
}

export async function screenshot(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  // WebKit under Xvfb can hand back the previous frame if asked before it repaints: wait for
  // two frames to be drawn, then a little more.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await browser.pause(400);
  await browser.saveScreenshot(path.join(artifacts, `${name}.png`));
}

/**
 * Takes `name` in the light theme and `name-dark` in the dark one, on the same screen in the same
 * state (an open popover stays open): the dark pass sets the theme the way Settings → Theme does
 * (`<html data-theme>`), checks it took, and puts the user's theme back.
 */
export async function screenshotBothThemes(name) {
  await screenshot(name);
  const before = await browser.execute(() => {
    const was = document.documentElement.dataset.theme ?? '';
    document.documentElement.dataset.theme = 'dark';
    return was;
  });
  await browser.waitUntil(
    async () => (await browser.execute(() => getComputedStyle(document.documentElement).backgroundColor)) === 'rgb(20, 23, 29)',
    { timeoutMsg: `the dark theme did not apply for ${name}` },
  );
  await screenshot(`${name}-dark`);
  await browser.execute((was) => {
    document.documentElement.dataset.theme = was;
  }, before);
}

/** Calls a Tauri command from inside the webview, resolving to {ok, value} or {ok: false, error, code}. */
export async function invokeInApp(command, args = {}) {
  const json = await browser.execute(
    async (cmd, a) => {
      try {
        return JSON.stringify({ ok: true, value: await window.__TAURI_INTERNALS__.invoke(cmd, a) });
      } catch (error) {
        return JSON.stringify({ ok: false, error: String(error?.message ?? error), code: error?.code });
      }
    },
    command,
    args,
  );
  return JSON.parse(json);
}

/** The label a keyring manager shows for the entry of `account` (`secret-tool search` prints it). */
export function secretToolLabel(account) {
  try {
    const out = execFileSync('secret-tool', ['search', '--all', 'service', 'switchyard', 'username', account], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n').find((l) => l.startsWith('label = '))?.slice('label = '.length) ?? null;
  } catch {
    return null;
  }
}

export function secretToolLookup(account) {
  try {
    return execFileSync('secret-tool', ['lookup', 'service', 'switchyard', 'username', account], {
      encoding: 'utf8',
    });
  } catch {
    return null;
  }
}

/** Every file under `dir` whose bytes contain `needle`. */
export function filesContaining(dir, needle) {
  const hits = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && fs.readFileSync(p).includes(needle)) hits.push(p);
    }
  };
  walk(dir);
  return hits;
}

export const dataHome = () => {
  const dir = process.env.XDG_DATA_HOME;
  if (!dir) throw new Error('XDG_DATA_HOME must point at the scratch directory (scripts/test sets it)');
  return dir;
};

/** Adds an OpenAI, an Anthropic and a Gemini provider, all pointing at the fake server. */
export async function addFakeProviders(fakeUrl, key) {
  for (const [preset, base] of [
    ['openai', `${fakeUrl}/openai/v1`],
    ['anthropic', `${fakeUrl}/anthropic`],
    ['gemini', `${fakeUrl}/gemini`],
  ]) {
    const res = await invokeInApp('add_provider', {
      input: { name: `Fake ${preset}`, kind: preset, preset, base_url: base, headers: [], enabled: true },
      key,
    });
    if (!res.ok) throw new Error(res.error);
  }
}

export const replies = () => $$('[data-testid="message-assistant"]');

/** Sends `text` from the composer; resolves once the reply to it is on screen. */
export async function sendChat(text) {
  const before = (await replies()).length;
  const box = await $('textarea[aria-label="Message"]');
  await box.waitForDisplayed();
  await box.setValue(text);
  await browser.keys('Enter');
  await browser.waitUntil(async () => (await replies()).length > before, {
    timeout: 15000,
    timeoutMsg: 'no reply appeared',
  });
  const all = await replies();
  return all[all.length - 1];
}
