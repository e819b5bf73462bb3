import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { Provider } from '../../lib/bindings/Provider';
import type { ProviderInput } from '../../lib/bindings/ProviderInput';
import type { ProviderPreset } from '../../lib/bindings/ProviderPreset';
import Providers from './Providers.svelte';

const presets: ProviderPreset[] = [
  { id: 'openai', label: 'OpenAI', kind: 'openai', base_url: 'https://api.openai.com/v1', needs_key: true },
  { id: 'anthropic', label: 'Anthropic', kind: 'anthropic', base_url: 'https://api.anthropic.com', needs_key: true },
  { id: 'ollama', label: 'Ollama', kind: 'openai-compatible', base_url: 'http://localhost:11434/v1', needs_key: false },
];

type Call = { cmd: string; args: Record<string, unknown> };

/**
 * What the engine does with submitted headers: a secret header's value goes to the keychain
 * and comes back only as its last four; an empty value keeps the stored one.
 */
function headerInfos(input: ProviderInput, before: Provider | undefined): Provider['headers'] {
  return input.headers.map((h) => {
    if (!h.secret) return { name: h.name, value: h.value, secret: false, stored: null };
    const old = before?.headers.find((o) => o.secret && o.name.toLowerCase() === h.name.toLowerCase());
    const stored = h.value ? { state: 'set' as const, last4: h.value.slice(-4) } : (old?.stored ?? { state: 'missing' as const });
    return { name: h.name, value: '', secret: true, stored };
  });
}

/** A stand-in for the Rust commands, enough to drive the screen; records every call. */
function fakeBackend(opts: { providers?: Provider[]; keychain?: 'available' | 'unavailable' } = {}) {
  const providers: Provider[] = [...(opts.providers ?? [])];
  const calls: Call[] = [];
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case 'list_providers':
        return providers;
      case 'provider_presets':
        return presets;
      case 'keychain_status':
        return opts.keychain === 'unavailable'
          ? { state: 'unavailable', reason: 'no Secret Service is running on the session bus' }
          : { state: 'available' };
      case 'add_provider': {
        const input = args.input as ProviderInput;
        if (providers.some((p) => p.name.toLowerCase() === input.name.toLowerCase()))
          throw { code: 'conflict', message: `A provider named '${input.name}' already exists.`, field: 'name' };
        const key = args.key as string | null;
        const p: Provider = {
          id: `id-${providers.length + 1}`,
          ...input,
          headers: headerInfos(input, undefined),
          key: key ? { state: 'set', last4: key.slice(-4) } : { state: 'missing' },
        };
        providers.push(p);
        return p;
      }
      case 'set_provider_enabled': {
        const p = providers.find((x) => x.id === args.id)!;
        p.enabled = args.enabled as boolean;
        return { ...p };
      }
      case 'update_provider': {
        const p = providers.find((x) => x.id === args.id)!;
        const input = args.input as ProviderInput;
        Object.assign(p, { ...input, headers: headerInfos(input, p) });
        return { ...p };
      }
      case 'set_provider_key': {
        const p = providers.find((x) => x.id === args.id)!;
        p.key = { state: 'set', last4: (args.key as string).slice(-4) };
        return { ...p };
      }
      case 'delete_provider_key': {
        const p = providers.find((x) => x.id === args.id)!;
        p.key = { state: 'missing' };
        return { ...p };
      }
      case 'test_provider_connection':
        throw { code: 'auth_failed', message: 'The provider rejected the key (HTTP 401).' };
      case 'remove_provider':
        providers.splice(providers.findIndex((x) => x.id === args.id), 1);
        return null;
      default:
        throw { code: 'unknown', message: `unexpected command ${cmd}` };
    }
  });
  return { calls, providers };
}

const saved: Provider = {
  id: 'p1',
  name: 'Work OpenAI',
  kind: 'openai',
  preset: 'openai',
  base_url: 'https://api.openai.com/v1',
  headers: [],
  enabled: true,
  key: { state: 'set', last4: 'a1b2' },
};

describe('Providers screen', () => {
  it('shows an empty state, then adds a provider and shows only the key’s last four characters', async () => {
    const user = userEvent.setup();
    const { calls } = fakeBackend();
    render(Providers);
    expect(await screen.findByText('No providers yet.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    expect(within(form).getByLabelText('Base URL')).toHaveValue('https://api.openai.com/v1');
    await user.selectOptions(within(form).getByLabelText('Service'), 'anthropic');
    expect(within(form).getByLabelText('Base URL')).toHaveValue('https://api.anthropic.com');
    expect(within(form).getByLabelText('Name')).toHaveValue('Anthropic');
    await user.type(within(form).getByLabelText(/API key/), 'sk-ant-secret-WXYZ');
    await user.click(within(form).getByRole('button', { name: 'Add provider' }));

    const card = await screen.findByRole('article', { name: 'Anthropic' });
    expect(within(card).getByTestId('key-status')).toHaveTextContent('Key set ••••WXYZ');
    expect(card).not.toHaveTextContent('sk-ant-secret');
    const add = calls.find((c) => c.cmd === 'add_provider')!;
    expect(add.args.key).toBe('sk-ant-secret-WXYZ');
    expect((add.args.input as ProviderInput).kind).toBe('anthropic');
  });

  it('refuses a whitespace key and a non-http URL inline without calling the backend', async () => {
    const user = userEvent.setup();
    const { calls } = fakeBackend();
    render(Providers);
    await user.click(await screen.findByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    const url = within(form).getByLabelText('Base URL');
    await user.clear(url);
    await user.type(url, 'ftp://example.com');
    await user.type(within(form).getByLabelText(/API key/), '   ');
    await user.click(within(form).getByRole('button', { name: 'Add provider' }));
    expect(screen.getByText(/not an http\(s\) URL/)).toBeInTheDocument();
    expect(screen.getByText(/The API key is empty/)).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(calls.some((c) => c.cmd === 'add_provider')).toBe(false);
  });

  it('puts a duplicate-name error from the backend next to the name field', async () => {
    const user = userEvent.setup();
    fakeBackend({ providers: [saved] });
    render(Providers);
    await screen.findByRole('article', { name: 'Work OpenAI' });
    await user.click(screen.getByRole('button', { name: 'Add provider' }));
    const form = screen.getByRole('form', { name: 'Add provider' });
    const name = within(form).getByLabelText('Name');
    await user.clear(name);
    await user.type(name, 'WORK openai');
    await user.click(within(form).getByRole('button', { name: 'Add provider' }));
    expect(await within(form).findByText(/already exists/)).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
  });

  it('explains why keys cannot be stored when the keychain is unavailable', async () => {
    const user = userEvent.setup();
    fakeBackend({ keychain: 'unavailable' });
    render(Providers);
    const alert = await screen.findByTestId('keychain-warning');
    expect(alert).toHaveTextContent('no Secret Service is running');
    await user.click(screen.getByRole('button', { name: 'Add provider' }));
    expect(screen.getByLabelText(/API key/)).toBeDisabled();
  });

  it('toggles, removes a key, shows a failed connection test, and removes after confirming', async () => {
    const user = userEvent.setup();
    const { calls, providers } = fakeBackend({ providers: [{ ...saved }] });
    render(Providers);
    const card = await screen.findByRole('article', { name: 'Work OpenAI' });

    await user.click(within(card).getByRole('switch', { name: 'Enable Work OpenAI' }));
    await waitFor(() => expect(within(card).getByText('Disabled')).toBeInTheDocument());
    expect(providers[0].enabled).toBe(false);

    await user.click(within(card).getByRole('button', { name: 'Test connection' }));
    expect(await within(card).findByTestId('connection-result')).toHaveTextContent('rejected the key');

    await user.click(within(card).getByRole('button', { name: 'Remove key' }));
    await waitFor(() => expect(within(card).getByTestId('key-status')).toHaveTextContent('No key'));

    await user.click(within(card).getByRole('button', { name: 'Remove' }));
    expect(calls.some((c) => c.cmd === 'remove_provider')).toBe(false);
    expect(within(card).getByText('Remove Work OpenAI and its key?')).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Work OpenAI' })).toBeNull());
    expect(calls.filter((c) => c.cmd === 'remove_provider')).toHaveLength(1);
  });

  it('edits a provider’s URL and extra headers, and replaces its key', async () => {
    const user = userEvent.setup();
    const { calls } = fakeBackend({ providers: [{ ...saved }] });
    render(Providers);
    const card = await screen.findByRole('article', { name: 'Work OpenAI' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider' });
    const url = within(form).getByLabelText('Base URL');
    await user.clear(url);
    await user.type(url, 'https://proxy.example.com/v1');
    await user.click(within(form).getByRole('button', { name: '+ Add header' }));
    await user.type(within(form).getByLabelText('Header name 1'), 'OpenAI-Organization');
    await user.type(within(form).getByLabelText('Header value 1'), 'org-42');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    const updated = await screen.findByRole('article', { name: 'Work OpenAI' });
    expect(updated).toHaveTextContent('https://proxy.example.com/v1');
    expect(updated).toHaveTextContent('1 extra header');
    const input = calls.find((c) => c.cmd === 'update_provider')!.args.input as ProviderInput;
    expect(input.headers).toEqual([{ name: 'OpenAI-Organization', value: 'org-42', secret: false }]);

    await user.click(within(updated).getByRole('button', { name: 'Replace' }));
    await user.type(within(updated).getByLabelText('API key for Work OpenAI'), 'sk-new-key-9z9z');
    await user.click(within(updated).getByRole('button', { name: 'Save key' }));
    await waitFor(() => expect(within(updated).getByTestId('key-status')).toHaveTextContent('••••9z9z'));
    expect(updated).not.toHaveTextContent('sk-new-key');
  });

  it('keeps a credential header secret by default and shows it like a key, never its value', async () => {
    const user = userEvent.setup();
    const { calls } = fakeBackend({ providers: [{ ...saved }] });
    render(Providers);
    const card = await screen.findByRole('article', { name: 'Work OpenAI' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    let form = screen.getByRole('form', { name: 'Edit provider' });
    await user.click(within(form).getByRole('button', { name: '+ Add header' }));
    await user.type(within(form).getByLabelText('Header name 1'), 'X-Team-Token');
    expect(within(form).getByLabelText('Header 1 is secret')).toBeChecked();
    expect(within(form).getByLabelText('Header value 1')).toHaveAttribute('type', 'password');
    await user.type(within(form).getByLabelText('Header value 1'), 'tok-very-secret-7h7h');
    await user.click(within(form).getByRole('button', { name: '+ Add header' }));
    await user.type(within(form).getByLabelText('Header name 2'), 'X-Title');
    expect(within(form).getByLabelText('Header 2 is secret')).not.toBeChecked();
    await user.type(within(form).getByLabelText('Header value 2'), 'my-app');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    const first = calls.filter((c) => c.cmd === 'update_provider')[0].args.input as ProviderInput;
    expect(first.headers).toEqual([
      { name: 'X-Team-Token', value: 'tok-very-secret-7h7h', secret: true },
      { name: 'X-Title', value: 'my-app', secret: false },
    ]);
    const updated = await screen.findByRole('article', { name: 'Work OpenAI' });
    expect(within(updated).getByRole('list', { name: 'Secret headers' })).toHaveTextContent('X-Team-Token set ••••7h7h');
    expect(updated).not.toHaveTextContent('tok-very-secret');

    // Editing again shows the stored value as set ••••last4 with Replace; saving without
    // replacing sends an empty value, which keeps what the keychain holds.
    await user.click(within(updated).getByRole('button', { name: 'Edit' }));
    form = screen.getByRole('form', { name: 'Edit provider' });
    expect(within(form).getByTestId('header-stored-1')).toHaveTextContent('set ••••7h7h');
    expect(within(form).queryByLabelText('Header value 1')).toBeNull();
    expect(form.innerHTML).not.toContain('tok-very-secret');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.filter((c) => c.cmd === 'update_provider')).toHaveLength(2));
    const second = calls.filter((c) => c.cmd === 'update_provider')[1].args.input as ProviderInput;
    expect(second.headers[0]).toEqual({ name: 'X-Team-Token', value: '', secret: true });

    // Replace asks for a new value.
    const again = await screen.findByRole('article', { name: 'Work OpenAI' });
    await user.click(within(again).getByRole('button', { name: 'Edit' }));
    form = screen.getByRole('form', { name: 'Edit provider' });
    await user.click(within(form).getByRole('button', { name: 'Replace value of header 1' }));
    await user.type(within(form).getByLabelText('Header value 1'), 'tok-new-1q1q');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    const last = await screen.findByRole('article', { name: 'Work OpenAI' });
    expect(within(last).getByRole('list', { name: 'Secret headers' })).toHaveTextContent('set ••••1q1q');
  });

  it('lets the user turn secret off for a header whose name would make it secret', async () => {
    const user = userEvent.setup();
    const { calls } = fakeBackend({ providers: [{ ...saved }] });
    render(Providers);
    const card = await screen.findByRole('article', { name: 'Work OpenAI' });
    await user.click(within(card).getByRole('button', { name: 'Edit' }));
    const form = screen.getByRole('form', { name: 'Edit provider' });
    await user.click(within(form).getByRole('button', { name: '+ Add header' }));
    await user.type(within(form).getByLabelText('Header name 1'), 'Authorization');
    const toggle = within(form).getByLabelText('Header 1 is secret');
    expect(toggle).toBeChecked();
    await user.click(toggle);
    expect(within(form).getByLabelText('Header value 1')).toHaveAttribute('type', 'text');
    await user.type(within(form).getByLabelText('Header value 1'), 'Basic public');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.some((c) => c.cmd === 'update_provider')).toBe(true));
    const input = calls.find((c) => c.cmd === 'update_provider')!.args.input as ProviderInput;
    expect(input.headers).toEqual([{ name: 'Authorization', value: 'Basic public', secret: false }]);
  });
});
