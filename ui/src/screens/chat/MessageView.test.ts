import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../lib/bindings/ChatMessage';
import type { Decision } from '../../lib/bindings/Decision';
import MessageView from './MessageView.svelte';

const decision = {
  model: 'claude-opus-4',
  provider: 'anthropic',
  api_model: 'claude-opus-4',
  fallbacks: ['gpt-4o'],
  task: 'code',
  complexity: { score: 3.2, tier: 'complex' },
  rule: 'code',
  prompt_tokens: 40,
  estimated_cost_usd: 0.0123,
  trace: {
    tasks: {
      task: 'code',
      forced_by_tag: null,
      scores: [
        { task: 'code', score: 2.5, evidence: [{ signal: 'keyword', detail: 'debug', weight: 1 }] },
        { task: 'analysis', score: 0.5, evidence: [] },
      ],
    },
    features: {},
    complexity: {
      score: 3.2,
      tier: 'complex',
      factors: [{ name: 'code', detail: 'a code fence', weight: 1.5, value: 1, contribution: 1.5 }],
    },
    tokens: { approx: 40, openai_exact: null },
    rules: [
      { rule: 'reasoning', outcome: 'not_matched', detail: 'task is code, not reasoning' },
      { rule: 'code', outcome: 'matched', detail: 'task is code' },
    ],
    candidates: [
      { model: 'claude-opus-4', provider: 'anthropic', quality: 0.98, context_window: 200000, prompt_tokens: 40, estimated_cost_usd: 0.0123, status: 'chosen', note: '' },
      { model: 'gpt-4o', provider: 'openai', quality: 0.95, context_window: 128000, prompt_tokens: 40, estimated_cost_usd: 0.004, status: 'fallback', note: '' },
    ],
    reason: 'The code rule matched; claude-opus-4 is its primary model.',
  },
} as unknown as Decision;

function assistant(over: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 2,
    conversation_id: 'c1',
    role: 'assistant',
    content: 'Hello **world**',
    status: 'complete',
    requested_model: 'auto',
    model: 'gpt-4o',
    provider: 'openai',
    decision,
    details: {
      status: 'complete',
      model: 'gpt-4o',
      provider: 'openai',
      text: '',
      finish: 'stop',
      usage: { input_tokens: 120, output_tokens: 48, cached_input_tokens: 0, reasoning_tokens: 0, estimated: false },
      cost: { input: 0.0003, cached_input: 0, output: 0.00048, reasoning: 0, total: 0.00078 },
      hops: [
        { model: 'claude-opus-4', provider: 'p-anthropic', provider_name: 'Anthropic', attempt: 1, outcome: 'failed', error: { code: 'server_error', message: 'HTTP 503', status: 503 }, latency_ms: 30, retry_in_ms: null },
        { model: 'gpt-4o', provider: 'p-openai', provider_name: 'Work OpenAI', attempt: 1, outcome: 'answered', error: null, latency_ms: 400, retry_in_ms: null },
      ],
      latency_ms: 812,
      first_token_ms: 215,
      error: null,
      failing_keys: [],
    },
    created_at: '2026-11-25T10:00:00Z',
    compare_of: null,
    compare_column: null,
    alternative: false,
    verdict: null,
    thumb: null,
    ...over,
  } as ChatMessage;
}

const noop = { editable: false, regenerable: false, onedit: vi.fn(), onregenerate: vi.fn(), onopensettings: vi.fn() };

describe('MessageView', () => {
  it('renders Markdown but never runs what a reply contains', () => {
    (window as unknown as { __pwned?: boolean }).__pwned = false;
    const payload =
      'Look: <img src=x onerror="window.__pwned=true"> <script>window.__pwned=true</script> ' +
      '[click](javascript:window.__pwned=true) <a href="https://example.com" onclick="window.__pwned=true">ok</a>\n\n```js\nconst a = 1;\n```';
    const { container } = render(MessageView, { message: assistant({ content: payload }), ...noop });
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[onerror], [onclick]')).toBeNull();
    expect(container.querySelector('a[href^="javascript"]')).toBeNull();
    // Raw HTML is shown as the text it is, never as markup.
    expect(container.querySelector('a[href="https://example.com"]')).toBeNull();
    expect(container).toHaveTextContent('Look: <img src=x onerror="window.__pwned=true">');
    expect(container).toHaveTextContent('<script>window.__pwned=true</script>');
    expect(container.querySelector('pre code.hljs')).not.toBeNull();
    expect(within(container as HTMLElement).getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect((window as unknown as { __pwned?: boolean }).__pwned).toBe(false);
  });

  it('shows HTML written in prose as text, and Markdown links as links', () => {
    const { container } = render(MessageView, {
      message: assistant({ content: 'Use an image: <img src="a.png"> and a [guide](https://example.com/g).' }),
      ...noop,
    });
    expect(container).toHaveTextContent('Use an image: <img src="a.png"> and a guide.');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a[href="https://example.com/g"]')).not.toBeNull();
  });

  it('shows the badge with model, provider, tokens, cost, timings and the fallback mark', () => {
    render(MessageView, { message: assistant(), ...noop });
    const badge = screen.getByTestId('reply-badge');
    expect(badge).toHaveTextContent('gpt-4o');
    expect(badge).toHaveTextContent('openai');
    expect(badge).toHaveTextContent('120 → 48 tok');
    expect(badge).toHaveTextContent('$0.00078');
    expect(badge).toHaveTextContent('first token 215 ms');
    expect(badge).toHaveTextContent('812 ms');
    expect(screen.getByTestId('badge-fallback')).toHaveTextContent('fallback from claude-opus-4');
  });

  it('opens the router trace on “Why this model?”', async () => {
    const user = userEvent.setup();
    render(MessageView, { message: assistant(), ...noop });
    expect(screen.queryByTestId('trace')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Why this model?' }));
    const trace = screen.getByTestId('trace');
    expect(trace).toHaveTextContent('The code rule matched');
    expect(trace).toHaveTextContent('Task: code');
    expect(trace).toHaveTextContent('Complexity: complex (3.20)');
    expect(trace).toHaveTextContent('task is code, not reasoning');
    expect(within(trace).getAllByRole('row')).toHaveLength(3);
  });

  it('shows every try after a fallback and does not call the failed pick the winner', async () => {
    const user = userEvent.setup();
    render(MessageView, { message: assistant(), ...noop });
    await user.click(screen.getByRole('button', { name: 'Why this model?' }));
    const hops = screen.getByTestId('hops');
    const items = within(hops).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('claude-opus-4');
    expect(items[0]).toHaveTextContent('failed');
    expect(items[0]).toHaveTextContent('HTTP 503');
    expect(items[1]).toHaveTextContent('gpt-4o');
    expect(items[1]).toHaveClass('answered');
    expect(items[1]).toHaveTextContent('Work OpenAI');
    expect(items[1]).not.toHaveTextContent('p-openai');
    expect(screen.getByTestId('actual-cost')).toHaveTextContent('Actual cost: $0.00078');
    const rows = within(screen.getByTestId('trace')).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('chosen, did not answer');
    expect(rows[2]).toHaveTextContent('answered (fallback)');
    expect(screen.getByTestId('trace')).toHaveTextContent('Estimated before sending');
  });

  it('lists each model with its own outcome when none could answer', () => {
    const base = assistant().details!;
    const failed = assistant({
      content: '',
      status: 'failed',
      model: null,
      provider: null,
      details: {
        ...base,
        status: 'failed',
        model: null,
        provider: null,
        usage: null,
        cost: null,
        error: { code: 'server_error', message: 'No model could answer. The last error, from gpt-4o: HTTP 500' },
        hops: [
          { model: 'claude-opus-4', provider: 'anthropic', provider_name: 'Anthropic', attempt: 3, outcome: 'skipped', error: { code: 'circuit_open', message: 'claude-opus-4 failed repeatedly; skipped for another 20 s' }, status: null, latency_ms: 0, retry_in_ms: null },
          { model: 'deepseek-v3', provider: 'deepseek', provider_name: 'deepseek', attempt: 1, outcome: 'skipped', error: { code: 'unavailable', message: 'no deepseek provider is configured' }, status: null, latency_ms: 0, retry_in_ms: null },
          { model: 'gpt-4o', provider: 'openai', provider_name: 'Work OpenAI', attempt: 1, outcome: 'failed', error: { code: 'server_error', message: 'HTTP 500: upstream down' }, status: 500, latency_ms: 20, retry_in_ms: 500 },
        ],
      },
    });
    render(MessageView, { message: failed, ...noop });
    const notice = screen.getByTestId('message-notice');
    expect(notice).toHaveTextContent('No model could answer; each try is listed below.');
    expect(notice.textContent?.match(/Last error/g) ?? []).toHaveLength(0);
    const items = within(notice).getAllByRole('listitem');
    expect(items.map((i) => i.textContent)).toEqual([
      expect.stringMatching(/claude-opus-4.*skipped.*failed repeatedly/),
      expect.stringMatching(/deepseek-v3.*skipped.*no deepseek provider is configured/),
      expect.stringMatching(/gpt-4o.*failed.*HTTP 500: upstream down.*retried after 500 ms/),
    ]);
    // A skip sent nothing: no try number, even when the circuit opened on the third try.
    expect(items[0]).not.toHaveTextContent('try');
    // The status is said once when the provider's error already starts with it.
    expect(items[2].textContent?.match(/HTTP 500/g) ?? []).toHaveLength(1);
  });

  it('says in plain words when no provider is configured, with a way to Settings', async () => {
    const user = userEvent.setup();
    const onopensettings = vi.fn();
    const failed = assistant({
      content: '',
      status: 'failed',
      model: null,
      provider: null,
      details: { ...assistant().details!, status: 'failed', usage: null, cost: null, hops: [], error: { code: 'no_usable_provider', message: 'No model in the chain can be called. Add the provider and its API key under Providers.' } },
    });
    render(MessageView, { message: failed, ...noop, onopensettings });
    expect(screen.getByTestId('message-notice')).toHaveTextContent('Add the provider and its API key');
    await user.click(screen.getByRole('button', { name: 'Open Settings → Providers' }));
    expect(onopensettings).toHaveBeenCalledOnce();
  });

  it('keeps a stopped reply and says it was stopped', () => {
    render(MessageView, { message: assistant({ status: 'stopped', content: 'Half an ans' }), ...noop });
    expect(screen.getByText('Half an ans')).toBeInTheDocument();
    expect(screen.getByTestId('message-notice')).toHaveTextContent('Stopped. The reply so far is kept.');
  });
});
