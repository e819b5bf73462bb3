import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Channel } from '@tauri-apps/api/core';
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../lib/bindings/ChatEvent';
import type { Decision } from '../../lib/bindings/Decision';
import type { SendRequest } from '../../lib/bindings/SendRequest';
import { usd } from '../../lib/format';
import ChatScreen from './ChatScreen.svelte';
import RoutePreview from './RoutePreview.svelte';

const MODELS = [
  { model: 'claude-opus-4', catalog_provider: 'anthropic', available: true, provider_id: 'a', provider: 'Work Anthropic', reason: '' },
  { model: 'gpt-4o-mini', catalog_provider: 'openai', available: true, provider_id: 'o', provider: 'Work OpenAI', reason: '' },
  { model: 'o1', catalog_provider: 'openai', available: false, provider_id: null, provider: null, reason: 'no key' },
];

function decision(model: string, rule: string, task: string): Decision {
  return {
    model,
    provider: model.startsWith('claude') ? 'anthropic' : 'openai',
    api_model: model,
    fallbacks: [],
    task,
    complexity: { score: 1.5, tier: 'simple' },
    rule,
    prompt_tokens: 12,
    estimated_cost_usd: 0.0012,
    trace: {
      tasks: { task, forced_by_tag: null, scores: [{ task, score: 3, evidence: [] }] },
      features: {},
      complexity: { score: 1.5, tier: 'simple', factors: [] },
      tokens: { approx: 12, openai_exact: null },
      rules: [{ rule, outcome: 'matched', detail: 'all conditions hold' }],
      candidates: [],
      reason: `${model} is the primary model of rule \`${rule}\`'s chain`,
    },
  } as unknown as Decision;
}

/** Routes like a two-rule table: code to claude-opus-4, translation to gpt-4o-mini; a named model as named. */
function backend(extra: (cmd: string, a: Record<string, unknown>) => unknown = () => null) {
  const asked: SendRequest[] = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === 'preview_send') {
      const r = a.request as SendRequest;
      asked.push(r);
      if (r.model !== 'auto') {
        // The engine's wording for a picked model (send::route, `Pick`).
        const d = decision(r.model, 'writing', 'writing');
        d.rule = 'chosen by you';
        d.trace.candidates = [
          { model: 'claude-opus-4', provider: 'anthropic', quality: 0.95, context_window: 200000, prompt_tokens: 12, estimated_cost_usd: 0.01, status: 'considered', note: '' },
          { model: r.model, provider: 'openai', quality: 0.7, context_window: 128000, prompt_tokens: 12, estimated_cost_usd: 0.0012, status: 'chosen', note: '' },
        ];
        d.trace.reason = `You picked ${r.model} ${r.model_once ? 'for this message' : 'for this conversation'}. Auto would have picked claude-opus-4 (rule code).`;
        return d;
      }
      return /translate/i.test(r.text) ? decision('gpt-4o-mini', 'translation', 'translation') : decision('claude-opus-4', 'code', 'code');
    }
    return extra(cmd, a);
  });
  return asked;
}

describe('Route preview', () => {
  it('follows the text between a code and a translation prompt, with provider, estimate and rule', async () => {
    const asked = backend();
    const view = render(RoutePreview, { text: 'Fix my Python function', conversationId: null, model: 'auto', models: MODELS, override: null, delay: 0 });
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveAttribute('data-model', 'claude-opus-4'));
    expect(screen.getByTestId('route-preview')).toHaveTextContent(`Auto picks claude-opus-4 for a simple code request · via Work Anthropic · ~${usd(0.0012)} estimated · rule code`);
    await view.rerender({ text: 'Translate this into French' });
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveAttribute('data-model', 'gpt-4o-mini'));
    expect(screen.getByTestId('route-preview')).toHaveTextContent('rule translation');
    expect(asked[asked.length - 1]).toMatchObject({ text: 'Translate this into French', model: 'auto', mode: 'new', model_once: false });
    await view.rerender({ text: '   ' });
    await waitFor(() => expect(screen.queryByTestId('route-preview')).toBeNull());
  });

  it('shows a pinned model, opens the trace, and offers only models that can answer', async () => {
    const user = userEvent.setup();
    backend();
    render(RoutePreview, { text: 'Hello', conversationId: 'c1', model: 'gpt-4o-mini', models: MODELS, override: null, delay: 0 });
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveTextContent('You picked gpt-4o-mini for this conversation · a simple writing request'));
    expect(screen.getByRole('button', { name: /gpt-4o-mini/ })).not.toHaveTextContent(/chose|message/);
    const options = within(screen.getByLabelText('Model for this message')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Use gpt-4o-mini', 'Use claude-opus-4 for this message', 'Use gpt-4o-mini for this message']);
    await user.click(screen.getByRole('button', { name: /gpt-4o-mini/ }));
    expect(screen.getByTestId('route-preview-trace')).toHaveTextContent('Task: writing');
  });

  it('sends with a model picked for this message only, and the next message goes back to Auto', async () => {
    const user = userEvent.setup();
    const sent: SendRequest[] = [];
    backend((cmd, a) => {
      if (cmd === 'list_conversations') return [];
      if (cmd === 'chat_models') return MODELS;
      if (cmd === 'send_message') {
        sent.push(a.request as SendRequest);
        (a.onEvent as Channel<ChatEvent>).onmessage({ type: 'failed', error: { code: 'stopped', message: 'stopped' } } as unknown as ChatEvent);
        return Promise.reject({ code: 'stopped', message: 'stopped' });
      }
      return null;
    });
    render(ChatScreen, { onopensettings: () => {} });
    await user.type(screen.getByLabelText('Message'), 'Fix my Python function');
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveAttribute('data-model', 'claude-opus-4'), { timeout: 3000 });
    await user.selectOptions(screen.getByLabelText('Model for this message'), 'gpt-4o-mini');
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveTextContent('You picked gpt-4o-mini for this message · a simple writing request'));
    // The trace opened from the same line says the same: one verb, this message only.
    await user.click(screen.getByRole('button', { name: /gpt-4o-mini/ }));
    const trace = screen.getByTestId('route-preview-trace');
    expect(trace).toHaveTextContent('You picked gpt-4o-mini for this message.');
    expect(within(trace).getAllByRole('row')[2]).toHaveTextContent('picked by you');
    expect(`${screen.getByRole('button', { name: /gpt-4o-mini/ }).textContent} ${trace.textContent}`).not.toMatch(/chose|for this conversation|Pinned/);
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ text: 'Fix my Python function', model: 'gpt-4o-mini', model_once: true });
    // The conversation's own model is still Auto.
    expect(screen.getByLabelText('Model')).toHaveValue('auto');
    await user.type(screen.getByLabelText('Message'), 'Fix another function');
    await waitFor(() => expect(screen.getByTestId('route-preview')).toHaveTextContent('Auto picks claude-opus-4'), { timeout: 3000 });
  });
});
