import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { LocalServer } from '../../lib/bindings/LocalServer';
import type { Provider } from '../../lib/bindings/Provider';
import type { ProviderInput } from '../../lib/bindings/ProviderInput';
import LocalServers from './LocalServers.svelte';

const ollama: LocalServer = { preset: 'ollama', label: 'Ollama', base_url: 'http://127.0.0.1:11434/v1', model_count: 3 };
const lmstudio: LocalServer = { preset: 'lmstudio', label: 'LM Studio', base_url: 'http://127.0.0.1:1234/v1', model_count: 1 };

/** Stands in for the commands: the providers so far, the servers found; records what is asked. */
function fakeBackend(opts: { providers?: Provider[]; servers?: LocalServer[]; addFails?: string }) {
  const providers: Provider[] = [...(opts.providers ?? [])];
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case 'list_providers':
        return providers;
      case 'local_servers':
        return opts.servers ?? [];
      case 'add_provider': {
        if (opts.addFails) throw { code: 'invalid_config', message: opts.addFails };
        const input = args.input as ProviderInput;
        const p: Provider = { id: `id-${providers.length + 1}`, ...input, headers: [], key: { state: 'missing' } };
        providers.push(p);
        return p;
      }
    }
    throw new Error(`unexpected command ${cmd}`);
  });
  return { calls, providers };
}

describe('LocalServers', () => {
  it('offers each answering server and adds the one clicked as a provider with no key', async () => {
    const user = userEvent.setup();
    const backend = fakeBackend({ servers: [ollama, lmstudio] });
    let added = 0;
    render(LocalServers, { onadded: () => added++ });
    expect(await screen.findByText(/Ollama is running on this computer with 3 models\./)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Add Ollama at http://127.0.0.1:11434/v1' }));
    await screen.findByText(/Ollama added/);
    const add = backend.calls.find((c) => c.cmd === 'add_provider')!;
    expect(add.args).toEqual({
      input: { name: 'Ollama', kind: 'openai-compatible', preset: 'ollama', base_url: 'http://127.0.0.1:11434/v1', headers: [], enabled: true },
      key: null,
    });
    expect(added).toBe(1);
    expect(screen.queryByRole('button', { name: /Add LM Studio/ })).toBeNull();
  });

  it('shows the LM Studio offer with its one model', async () => {
    fakeBackend({ servers: [lmstudio] });
    render(LocalServers);
    expect(await screen.findByText(/LM Studio is running on this computer with 1 model\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add LM Studio at http://127.0.0.1:1234/v1' })).toBeEnabled();
  });

  it('does not look for servers once a provider is set up', async () => {
    const existing: Provider = {
      id: 'p1', name: 'OpenAI', kind: 'openai', preset: 'openai', base_url: 'https://api.openai.com/v1',
      headers: [], enabled: true, key: { state: 'set', last4: 'abcd' },
    };
    const backend = fakeBackend({ providers: [existing], servers: [ollama] });
    render(LocalServers);
    await waitFor(() => expect(backend.calls.map((c) => c.cmd)).toContain('list_providers'));
    await new Promise((r) => setTimeout(r, 20));
    expect(backend.calls.map((c) => c.cmd)).not.toContain('local_servers');
    expect(screen.queryByRole('button', { name: /Add Ollama/ })).toBeNull();
  });

  it('says why an add failed and keeps the offer', async () => {
    const user = userEvent.setup();
    fakeBackend({ servers: [ollama], addFails: 'The database is read-only.' });
    let added = 0;
    render(LocalServers, { onadded: () => added++ });
    await user.click(await screen.findByRole('button', { name: /Add Ollama/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Ollama was not added: The database is read-only.');
    expect(screen.getByRole('button', { name: /Add Ollama/ })).toBeEnabled();
    expect(added).toBe(0);
  });
});
