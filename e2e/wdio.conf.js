// Drives the real Switchyard binary through tauri-driver + WebKitWebDriver.
// scripts/test runs this under Xvfb inside a private D-Bus session with GNOME Keyring,
// and with XDG_DATA_HOME pointing at a scratch directory.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '..');
// Where cargo put the binaries: CARGO_TARGET_DIR when set (a second checkout), else ./target.
export const targetDebug = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, 'target'), 'debug');
export const appBinary = process.env.SWITCHYARD_APP ?? path.join(targetDebug, 'switchyard-desktop');
// tauri-driver's port; two checkouts running their e2e suites at once each need their own.
const driverPort = Number(process.env.SWITCHYARD_E2E_DRIVER_PORT ?? 4444);
export const artifacts = path.join(here, 'artifacts');

let driver;
let ownDataRoot = null;

/** A loopback port that nothing listens on right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const config = {
  runner: 'local',
  hostname: '127.0.0.1',
  port: driverPort,
  specs: ['./specs/**/*.e2e.js'],
  maxInstances: 1,
  capabilities: [
    {
      maxInstances: 1,
      // Names the runner in WebdriverIO's summary lines ("PASSED in linux"), which otherwise
      // read "in undefined"; WebKitWebDriver matches it against the platform it runs on.
      platformName: 'linux',
      // tauri-driver speaks classic WebDriver; WebdriverIO 9 would otherwise ask for BiDi.
      'wdio:enforceWebDriverClassic': true,
      'tauri:options': { application: appBinary },
    },
  ],
  logLevel: 'warn',
  reporters: ['spec'],
  framework: 'mocha',
  mochaOpts: { ui: 'bdd', timeout: 120000 },
  waitforTimeout: 15000,
  connectionRetryTimeout: 60000,
  connectionRetryCount: 2,

  onPrepare() {
    fs.mkdirSync(artifacts, { recursive: true });
    if (!fs.existsSync(appBinary)) throw new Error(`${appBinary} is missing: build it first (scripts/test does)`);
    // Run on its own (not from scripts/test, whose scratch folder is removed afterwards), the
    // suite writes to a temporary folder of its own and removes it when done.
    if (!process.env.SWITCHYARD_E2E_DATA_ROOT && !process.env.XDG_DATA_HOME) {
      ownDataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-e2e-'));
      process.env.SWITCHYARD_E2E_DATA_ROOT = ownDataRoot;
      // The webview's cache and settings too, not the user's own folders.
      process.env.XDG_CACHE_HOME ??= path.join(ownDataRoot, 'cache');
      process.env.XDG_CONFIG_HOME ??= path.join(ownDataRoot, 'config');
    }
  },

  async onComplete() {
    if (!ownDataRoot) return;
    // The last app's web process may still be writing its shader cache as it exits.
    for (let attempt = 1; ; attempt++) {
      try {
        fs.rmSync(ownDataRoot, { recursive: true, force: true });
        return;
      } catch (error) {
        if (attempt === 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  },

  async beforeSession(_config, _capabilities, specs) {
    // Each spec file gets its own data directory (database, logs, webview storage), so specs
    // neither see nor depend on each other's providers and conversations. The keychain is shared.
    const spec = path.basename(fileURLToPath(specs[0])).replace(/\.e2e\.js$/, '');
    const base = process.env.SWITCHYARD_E2E_DATA_ROOT ?? process.env.XDG_DATA_HOME ?? os.tmpdir();
    process.env.SWITCHYARD_E2E_DATA_ROOT = base;
    process.env.XDG_DATA_HOME = path.join(base, `spec-${spec}`);
    fs.mkdirSync(process.env.XDG_DATA_HOME, { recursive: true });
    // A native save dialog cannot be clicked through WebDriver: debug builds of the app answer
    // their save dialog with this folder (plus the suggested file name) instead of showing it.
    process.env.SWITCHYARD_E2E_SAVE_DIR = path.join(process.env.XDG_DATA_HOME, 'saved');
    fs.mkdirSync(process.env.SWITCHYARD_E2E_SAVE_DIR, { recursive: true });
    // The system browser: a stand-in `xdg-open` first on PATH writes each URL the app opens to
    // a file, so a spec can check what a click on a link really asked the desktop to open.
    const browserBin = path.join(process.env.XDG_DATA_HOME, 'bin');
    fs.mkdirSync(browserBin, { recursive: true });
    process.env.SWITCHYARD_E2E_OPENED = path.join(process.env.XDG_DATA_HOME, 'opened.txt');
    fs.writeFileSync(
      path.join(browserBin, 'xdg-open'),
      '#!/bin/sh\nprintf \'%s\\n\' "$1" >> "$SWITCHYARD_E2E_OPENED"\n',
      { mode: 0o755 },
    );
    process.env.PATH = `${browserBin}:${process.env.PATH}`;
    // The app looks for a local Ollama or LM Studio on these ports, not on the real ones: a
    // server running on this machine must not change what a spec sees. A spec that wants one
    // starts the fake provider on SWITCHYARD_OLLAMA_PORT.
    process.env.SWITCHYARD_OLLAMA_PORT = String(await freePort());
    process.env.SWITCHYARD_LMSTUDIO_PORT = String(await freePort());
    const bin = process.env.TAURI_DRIVER ?? path.join(os.homedir(), '.cargo/bin/tauri-driver');
    // The app's own log lines (and the driver's) go to a file per spec, not into the test report.
    const log = fs.openSync(path.join(artifacts, `app-${spec}.log`), 'w');
    driver = spawn(fs.existsSync(bin) ? bin : 'tauri-driver', ['--port', String(driverPort), '--native-port', String(driverPort + 1)], {
      stdio: ['ignore', log, log],
      env: { ...process.env, NO_COLOR: '1' },
    });
    return new Promise((resolve) => setTimeout(resolve, 800));
  },

  afterSession() {
    driver?.kill();
  },
};
