// An upgrade from the first releases, whose data directory was named after the old identifier
// (dev.switchyard.app): the app's first start moves it to dev.switchyard.desktop, data and all.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dataHome, invokeInApp } from '../helpers/app.js';
import { targetDebug } from '../wdio.conf.js';

// Removes `dir` and waits until nothing has made it again for a second (the closed app's web
// process may still be flushing its storage to it).
async function removeForGood(dir) {
  for (let quiet = 0, tries = 0; quiet < 4; tries++) {
    if (tries === 40) throw new Error(`${dir} keeps coming back after removal`);
    quiet = fs.existsSync(dir) ? 0 : quiet + 1;
    fs.rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Data directory of an earlier version', () => {
  it('is moved to the new place on the first start, with its providers', async () => {
    const oldDir = path.join(dataHome(), 'dev.switchyard.app');
    const newDir = path.join(dataHome(), 'dev.switchyard.desktop');
    // The earlier version's database, with a provider in it, written by the CLI.
    fs.mkdirSync(oldDir, { recursive: true });
    execFileSync(path.join(targetDebug, 'switchyard'), [
      '--db', path.join(oldDir, 'switchyard.db'),
      'providers', 'add', '--kind', 'openai-compatible', '--name', 'Kept from before',
      '--base-url', 'http://127.0.0.1:9/v1',
    ]);
    // This session's app made the new folder already; as on a machine that never had it, it
    // goes, and the next start is the first with the new identifier. The app is closed first:
    // a closing webview writes its storage folder, which would make the new folder hold data.
    await browser.deleteSession();
    await removeForGood(newDir);
    await browser.reloadSession();
    await $('button[data-nav="chat"]').waitForDisplayed();

    const providers = await invokeInApp('list_providers');
    expect(providers.ok).toBe(true);
    expect(providers.value.map((p) => p.name)).toEqual(['Kept from before']);
    expect(fs.existsSync(oldDir)).toBe(false);
    expect(fs.existsSync(path.join(newDir, 'switchyard.db'))).toBe(true);
    const log = fs.readdirSync(path.join(newDir, 'logs')).map((f) => fs.readFileSync(path.join(newDir, 'logs', f), 'utf8')).join('');
    expect(log).toContain(`data directory moved from ${oldDir} to ${newDir}`);
  });

  it('keeps the new one when both exist, leaves the old one alone and says so', async () => {
    const oldDir = path.join(dataHome(), 'dev.switchyard.app');
    fs.mkdirSync(oldDir, { recursive: true });
    fs.writeFileSync(path.join(oldDir, 'note.txt'), 'left by an earlier version');
    await browser.reloadSession();
    await $('button[data-nav="chat"]').waitForDisplayed();
    const providers = await invokeInApp('list_providers');
    expect(providers.value.map((p) => p.name)).toEqual(['Kept from before']);
    expect(fs.readFileSync(path.join(oldDir, 'note.txt'), 'utf8')).toBe('left by an earlier version');
    const logs = path.join(dataHome(), 'dev.switchyard.desktop', 'logs');
    const log = fs.readdirSync(logs).map((f) => fs.readFileSync(path.join(logs, f), 'utf8')).join('');
    expect(log).toContain(`data from an earlier version is still in ${oldDir}`);
  });
});
