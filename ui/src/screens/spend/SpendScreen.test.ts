import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { Budget } from '../../lib/bindings/Budget';
import type { Dashboard } from '../../lib/bindings/Dashboard';
import type { SpendFilter } from '../../lib/bindings/SpendFilter';
import type { SpendRow } from '../../lib/bindings/SpendRow';
import { navigation } from '../../lib/navigation.svelte';
import SpendScreen from './SpendScreen.svelte';
import { rangeFor } from './period';

const dashboard: Dashboard = {
  totals: { spend_nusd: 3_000_000, requests: 2, calls: 3, failed_calls: 1, skipped_calls: 4, baseline_nusd: 12_000_000 },
  models: [{ model: 'gpt-small', provider: 'openai', requests: 2, spend_nusd: 3_000_000, baseline_nusd: 12_000_000 }],
  days: [{ day: '2026-11-25', model: 'gpt-small', requests: 2, spend_nusd: 3_000_000, baseline_nusd: 12_000_000 }],
  tasks: [{ key: 'coding', requests: 2, spend_nusd: 3_000_000, baseline_nusd: 12_000_000 }],
  rules: [{ key: 'default', requests: 2, spend_nusd: 3_000_000, baseline_nusd: 12_000_000 }],
  latency: [{ model: 'gpt-small', calls: 2, p50_ms: 120, p95_ms: 900, approximate: false }],
  sources: [
    { key: 'endpoint', requests: 1, spend_nusd: 2_000_000, baseline_nusd: 8_000_000 },
    { key: 'app', requests: 1, spend_nusd: 1_000_000, baseline_nusd: 4_000_000 },
  ],
  clients: [{ key: 'vscode', requests: 1, spend_nusd: 2_000_000, baseline_nusd: 8_000_000 }],
};

const row: SpendRow = {
  id: 1, at: '2026-11-25T10:00:00.000Z', source: 'app', client: null, conversation_id: 'c1', conversation_title: 'Sort a list',
  provider: 'OpenAI', model: 'gpt-small', task: 'coding', rule: 'default', tier: 'simple', hop: 0, outcome: 'answered',
  error_code: null, input_tokens: 100, output_tokens: 50, cost_nusd: 1_500_000, cost_estimated: false,
  baseline_cost_nusd: 6_000_000, first_token_ms: 40, latency_ms: 120, usage_flag: null,
};

let baselineChoice: string | null = null;

let lastFilter: SpendFilter | null = null;
let rows: SpendRow[] = [row];

function fakeBackend(data: Dashboard, requests: SpendRow[] = [row]) {
  baselineChoice = null;
  rows = requests;
  const saved: Budget[] = [];
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    switch (cmd) {
      case 'spend_dashboard':
        return data;
      case 'spend_requests':
        lastFilter = args.filter as SpendFilter;
        return data.totals.calls ? rows : [];
      case 'list_providers':
        return [{ id: 'p1', name: 'Work OpenAI', kind: 'openai', preset: 'openai', base_url: 'https://api.openai.com/v1', headers: [], enabled: true, key: { state: 'set', last4: 'abcd' } }];
      case 'baseline':
        return { chosen: baselineChoice, effective: baselineChoice ?? 'claude-opus-4', models: ['claude-opus-4', 'gpt-4o', 'gpt-4o-mini'] };
      case 'set_baseline':
        baselineChoice = args.model as string | null;
        return null;
      case 'budget_status':
        return saved.map((budget) => ({ budget, spent_nusd: budget.limit_nusd / 4, level: 'ok', message: '' }));
      case 'save_budget':
        saved.push({ ...(args.budget as Budget), id: saved.length + 1 });
        return saved[saved.length - 1];
    }
  });
  return saved;
}

describe('SpendScreen', () => {
  it('shows totals with savings against the baseline', async () => {
    fakeBackend(dashboard);
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('total-spend')).toHaveTextContent('$0.003');
    expect(screen.getByTestId('total-requests')).toHaveTextContent('2');
    // Calls, failed and skipped calls beside the requests, each with a caption on screen (not
    // a tooltip) saying what it counts.
    const requests = screen.getByTestId('total-requests').closest('.card') as HTMLElement;
    expect(requests).toHaveTextContent('replies you got, one per request');
    const calls = screen.getByTestId('total-calls').closest('.card') as HTMLElement;
    expect(screen.getByTestId('total-calls')).toHaveTextContent('3');
    expect(calls).toHaveTextContent('every try sent, retries and fallbacks included');
    expect(screen.getByTestId('total-failed')).toHaveTextContent('1 failed');
    expect(screen.getByTestId('total-failed').nextElementSibling).toHaveTextContent('sent, no reply: an error, a timeout, or the app quit');
    expect(screen.getByTestId('total-skipped')).toHaveTextContent('4 skipped');
    expect(screen.getByTestId('total-skipped').nextElementSibling).toHaveTextContent('not sent: no provider or key, circuit open, or over budget');
    for (const caption of calls.querySelectorAll('small, dd')) expect(caption).toBeVisible();
    expect(screen.getByTestId('total-average')).toHaveTextContent('$0.0015 per request on average');
    // $0.012 baseline − $0.003 spent = $0.009, 75%.
    expect(screen.getByTestId('total-savings')).toHaveTextContent('$0.009 (75.0%)');
  });

  it('filters the requests by model, task, rule and outcome', async () => {
    fakeBackend(dashboard);
    render(SpendScreen, { onopenconversation: () => {} });
    await userEvent.selectOptions(await screen.findByLabelText('Task filter'), 'coding');
    await userEvent.selectOptions(screen.getByLabelText('Rule filter'), 'default');
    await userEvent.selectOptions(screen.getByLabelText('Outcome filter'), 'failed');
    await waitFor(() => expect(lastFilter).toMatchObject({ model: null, task: 'coding', rule: 'default', outcome: 'failed' }));
  });

  it('breaks spend down by source and endpoint client, and filters the requests by them', async () => {
    const fromEndpoint = { ...row, id: 3, source: 'endpoint', client: 'vscode', conversation_id: null, conversation_title: null };
    fakeBackend(dashboard, [fromEndpoint]);
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('spend-by-source')).toHaveTextContent('endpoint1$0.002');
    expect(screen.getByTestId('spend-by-client')).toHaveTextContent('vscode1$0.002');
    expect(screen.getByTestId('spend-requests')).toHaveTextContent('endpoint · vscode');
    await userEvent.selectOptions(screen.getByLabelText('Source filter'), 'endpoint');
    await userEvent.selectOptions(screen.getByLabelText('Client filter'), 'vscode');
    await waitFor(() => expect(lastFilter).toMatchObject({ source: 'endpoint', client: 'vscode' }));
  });

  it('says when nothing came through the endpoint', async () => {
    fakeBackend({ ...dashboard, clients: [] });
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('spend-by-client')).toHaveTextContent('No calls through the local endpoint');
    expect(screen.queryByLabelText('Client filter')).toBeNull();
  });

  it('reads the ledger again when the window regains focus', async () => {
    let asked = 0;
    const data = dashboard;
    mockIPC((cmd) => {
      if (cmd === 'spend_dashboard') {
        asked++;
        return asked === 1 ? data : { ...data, totals: { ...data.totals, requests: 5 } };
      }
      if (cmd === 'spend_requests') return [];
      if (cmd === 'budget_status' || cmd === 'list_providers') return [];
      if (cmd === 'baseline') return { chosen: null, effective: 'gpt-4o', models: ['gpt-4o'] };
    });
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('total-requests')).toHaveTextContent('2');
    window.dispatchEvent(new FocusEvent('focus'));
    await waitFor(() => expect(screen.getByTestId('total-requests')).toHaveTextContent('5'));
  });

  it('flags a request whose reported usage was not believed', async () => {
    const flagged = { ...row, id: 2, input_tokens: 4_000_000_000, usage_flag: 'implausible', cost_estimated: true };
    fakeBackend(dashboard, [row, flagged]);
    render(SpendScreen, { onopenconversation: () => {} });
    const flags = await screen.findAllByTestId('usage-flag');
    expect(flags).toHaveLength(1);
    expect(flags[0]).toHaveTextContent('not believed');
    expect(flags[0].closest('tr')).toHaveTextContent('(est.)');
  });

  it('marks latency read from a histogram as approximate', async () => {
    fakeBackend({ ...dashboard, latency: [{ model: 'gpt-small', calls: 12_000, p50_ms: 1_250, p95_ms: 4_000, approximate: true }] });
    render(SpendScreen, { onopenconversation: () => {} });
    const cell = await screen.findByRole('cell', { name: '12,000' });
    expect(cell.parentElement).toHaveTextContent('≈ 1.25 s');
    expect(screen.getByText(/read from a histogram/)).toBeInTheDocument();
  });

  it('explains what will appear when nothing was spent', async () => {
    fakeBackend({ ...dashboard, totals: { spend_nusd: 0, requests: 0, calls: 0, failed_calls: 0, skipped_calls: 0, baseline_nusd: 0 }, models: [] });
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('spend-empty')).toHaveTextContent('Nothing spent');
  });

  it('shows the totals, not "nothing spent", when models were only skipped', async () => {
    fakeBackend({ ...dashboard, totals: { spend_nusd: 0, requests: 0, calls: 0, failed_calls: 0, skipped_calls: 2, baseline_nusd: 0 }, models: [] });
    render(SpendScreen, { onopenconversation: () => {} });
    expect(await screen.findByTestId('total-skipped')).toHaveTextContent('2 skipped');
    expect(screen.queryByTestId('spend-empty')).toBeNull();
  });

  it('links a request back to its conversation', async () => {
    fakeBackend(dashboard);
    let opened = false;
    render(SpendScreen, { onopenconversation: () => (opened = true) });
    await userEvent.click(await screen.findByRole('button', { name: 'Sort a list' }));
    expect(navigation.conversation).toBe('c1');
    expect(opened).toBe(true);
  });

  it('saves a budget in exact nano-dollars', async () => {
    const saved = fakeBackend(dashboard);
    render(SpendScreen, { onopenconversation: () => {} });
    await userEvent.type(await screen.findByRole('textbox', { name: /Limit/ }), '0.10');
    await userEvent.click(screen.getByRole('button', { name: 'Save budget' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].limit_nusd).toBe(100_000_000);
    expect(saved[0].provider_id).toBeNull();
    // The list shows how much of it is used.
    expect(await screen.findByRole('progressbar')).toHaveAttribute('aria-valuenow', '25');
  });

  it('limits a budget to one provider picked by name', async () => {
    const saved = fakeBackend(dashboard);
    render(SpendScreen, { onopenconversation: () => {} });
    const select = await screen.findByRole('combobox', { name: /Provider/ });
    await waitFor(() => expect(select).toHaveTextContent('Work OpenAI'));
    await userEvent.selectOptions(select, 'p1');
    await userEvent.type(screen.getByRole('textbox', { name: /Limit/ }), '2');
    await userEvent.click(screen.getByRole('button', { name: 'Save budget' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].provider_id).toBe('p1');
    expect(saved[0].limit_nusd).toBe(2_000_000_000);
  });
});

describe('Baseline', () => {
  it('defaults to the priciest enabled model and saves another choice', async () => {
    fakeBackend(dashboard);
    render(SpendScreen, { onopenconversation: () => {} });
    const select = await screen.findByRole('combobox', { name: 'Baseline model' });
    await waitFor(() => expect(select).toHaveTextContent('The priciest enabled model (claude-opus-4)'));
    await userEvent.selectOptions(select, 'gpt-4o');
    await waitFor(() => expect(baselineChoice).toBe('gpt-4o'));
    expect(await screen.findByText('Saved.')).toBeInTheDocument();
    await userEvent.selectOptions(select, '');
    await waitFor(() => expect(baselineChoice).toBeNull());
  });
});

describe('rangeFor', () => {
  it('makes this month start on the 1st and end tomorrow', () => {
    const now = new Date(2026, 10, 25, 15, 0);
    const r = rangeFor('month', now);
    expect(new Date(r.from).getDate()).toBe(1);
    expect(new Date(r.to).getDate()).toBe(26);
    expect(r.utc_offset_minutes).toBe(-new Date(r.from).getTimezoneOffset());
  });
});
