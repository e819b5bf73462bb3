import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { EndpointStatus } from '../../lib/bindings/EndpointStatus';
import type { TokenName } from '../../lib/bindings/TokenName';
import LocalEndpoint from './LocalEndpoint.svelte';

type Call = { cmd: string; args: Record<string, unknown> };

/** A stand-in for the endpoint's commands, keeping state as the Rust side does. */
function fakeBackend() {
  const calls: Call[] = [];
  let status: EndpointStatus = {
    enabled: false, port: 4141, running: false, openai_base: null, anthropic_base: null, error: null,
  };
  let tokens: TokenName[] = [];
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case 'endpoint_status':
        return status;
      case 'set_endpoint': {
        const port = args.port as number;
        if (port === 4999) throw { code: 'invalid_input', message: 'cannot listen on 127.0.0.1:4999: address in use', field: 'port' };
        const running = args.enabled as boolean;
        status = {
          enabled: running, port, running, error: null,
          openai_base: running ? `http://127.0.0.1:${port}/v1` : null,
          anthropic_base: running ? `http://127.0.0.1:${port}` : null,
        };
        return status;
      }
      case 'endpoint_tokens':
        return tokens;
      case 'create_endpoint_token':
        tokens = [...tokens, { name: args.name as string, created_at: '2026-11-26T10:00:00Z' }];
        return 'sy-0123456789abcdef';
      case 'revoke_endpoint_token':
        tokens = tokens.filter((t) => t.name !== args.name);
        return null;
    }
  });
  return calls;
}

describe('LocalEndpoint', () => {
  it('turns on at the chosen port and shows the base URLs and an example', async () => {
    const calls = fakeBackend();
    render(LocalEndpoint);
    await waitFor(() => expect(screen.getByTestId('endpoint-state')).toHaveTextContent('Off'));
    const port = screen.getByTestId('endpoint-port');
    await userEvent.clear(port);
    await userEvent.type(port, '4242');
    await userEvent.click(screen.getByTestId('endpoint-toggle'));
    await waitFor(() => expect(screen.getByTestId('endpoint-state')).toHaveTextContent('Running'));
    expect(calls.find((c) => c.cmd === 'set_endpoint')?.args).toEqual({ enabled: true, port: 4242 });
    expect(screen.getByTestId('endpoint-openai-base')).toHaveTextContent('http://127.0.0.1:4242/v1');
    expect(screen.getByText(/chat\/completions/)).toBeInTheDocument();
  });

  it('refuses a port out of range before asking, and says why a port cannot be used', async () => {
    fakeBackend();
    render(LocalEndpoint);
    const port = await screen.findByTestId('endpoint-port');
    await userEvent.clear(port);
    await userEvent.type(port, '80');
    expect(screen.getByText(/from 1024 to 65535/)).toBeInTheDocument();
    expect(screen.getByTestId('endpoint-toggle')).toBeDisabled();
    await userEvent.clear(port);
    await userEvent.type(port, '4999');
    await userEvent.click(screen.getByTestId('endpoint-toggle'));
    expect(await screen.findByTestId('endpoint-error')).toHaveTextContent('address in use');
    expect(screen.getByTestId('endpoint-state')).toHaveTextContent('Off');
  });

  it('shows a new token once, lists it by name, and revokes it after a confirmation', async () => {
    const calls = fakeBackend();
    render(LocalEndpoint);
    await userEvent.type(await screen.findByTestId('endpoint-token-name'), 'vscode');
    await userEvent.click(screen.getByRole('button', { name: 'Create token' }));
    expect(await screen.findByTestId('endpoint-token-value')).toHaveTextContent('sy-0123456789abcdef');
    expect(screen.getByRole('list', { name: 'Tokens' })).toHaveTextContent('vscode');
    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(screen.queryByTestId('endpoint-token-value')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(calls.some((c) => c.cmd === 'revoke_endpoint_token')).toBe(false);
    const confirm = screen.getAllByRole('button', { name: 'Revoke' });
    await userEvent.click(confirm[0]);
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Tokens' })).toBeNull());
    expect(calls.find((c) => c.cmd === 'revoke_endpoint_token')?.args).toEqual({ name: 'vscode' });
  });
});
