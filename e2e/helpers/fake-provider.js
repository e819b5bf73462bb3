// Starts the repo's fake provider server (crates/fake-provider) on a free loopback port, or on
// `port` when given.
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { targetDebug } from '../wdio.conf.js';

export async function startFakeProvider(keys, port = 0) {
  const bin = path.join(targetDebug, 'switchyard-fake-provider');
  const args = ['--port', String(port), ...keys.flatMap((k) => ['--key', k])];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('fake provider did not start in 20 s')), 20000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fake provider exited with ${code}`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      m ? resolve(m[1]) : reject(new Error(`unexpected first line: ${line}`));
    });
  });
  return { url, stop: () => child.kill() };
}

/** Replaces the fake server's faults (see crates/fake-provider/src/fault.rs for the fields). */
export async function setFaults(url, faults) {
  await fetch(`${url}/_control/faults`, { method: 'DELETE' });
  if (faults.length === 0) return;
  const res = await fetch(`${url}/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
  if (!res.ok) throw new Error(`setting faults failed: ${res.status} ${await res.text()}`);
}
