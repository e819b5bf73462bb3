import { fireEvent, render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../lib/bindings/Rule';
import { chain } from './fixtures';
import RuleTable from './RuleTable.svelte';

const rules: Rule[] = [
  chain('code', ['claude-opus-4', 'gpt-4o'], [{ task: ['code'] }]),
  chain('json', ['gpt-4o-mini'], [{ asks_json: true }, { prompt_tokens: { min: 1000 } }]),
  chain('default', ['gpt-4o-mini']),
];

function setup(issues = []) {
  const onchange = vi.fn();
  const onselect = vi.fn();
  render(RuleTable, { rules, issues, selected: null, onchange, onselect });
  return { onchange, onselect };
}

describe('RuleTable', () => {
  it('shows one row per rule with a readable summary, and the default last without Delete', () => {
    setup();
    const rows = screen.getAllByTestId('rule-summary').map((s) => s.textContent);
    expect(rows).toEqual([
      'When task is code → claude-opus-4, then gpt-4o',
      'When asks for JSON and prompt of ≥ 1000 tokens → gpt-4o-mini',
      'Everything else → gpt-4o-mini',
    ]);
    const last = screen.getByText('default').closest('tr')!;
    expect(within(last).getByText('Default')).toBeInTheDocument();
    expect(within(last).queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(within(last).getByRole('switch')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Delete code' })).toBeInTheDocument();
  });

  it('reorders with the arrow keys but never below the default', async () => {
    const { onchange } = setup();
    const handle = screen.getByRole('button', { name: /Move code/ });
    await fireEvent.keyDown(handle, { key: 'ArrowDown' });
    expect(onchange).toHaveBeenCalledTimes(1);
    expect((onchange.mock.calls[0][0] as Rule[]).map((r) => r.name)).toEqual(['json', 'code', 'default']);
    onchange.mockClear();
    await fireEvent.keyDown(screen.getByRole('button', { name: /Move json/ }), { key: 'ArrowDown' });
    expect(onchange).not.toHaveBeenCalled();
    await fireEvent.keyDown(handle, { key: 'ArrowUp' });
    expect(onchange).not.toHaveBeenCalled();
  });

  it('reorders by dragging a row onto another', async () => {
    const { onchange } = setup();
    const json = screen.getByText('json').closest('tr')!;
    const code = screen.getByText('code').closest('tr')!;
    await fireEvent.dragStart(json);
    await fireEvent.dragOver(code);
    await fireEvent.drop(code);
    expect((onchange.mock.calls[0][0] as Rule[]).map((r) => r.name)).toEqual(['json', 'code', 'default']);
  });

  it('toggles, deletes and opens a rule for editing', async () => {
    const user = userEvent.setup();
    const { onchange, onselect } = setup();
    await user.click(screen.getByRole('switch', { name: 'Enable json' }));
    expect((onchange.mock.calls[0][0] as Rule[])[1].enabled).toBe(false);
    await user.click(screen.getByRole('button', { name: 'Delete code' }));
    expect((onchange.mock.calls[1][0] as Rule[]).map((r) => r.name)).toEqual(['json', 'default']);
    await user.click(within(screen.getByText('json').closest('tr')!).getByRole('button', { name: 'Edit' }));
    expect(onselect).toHaveBeenCalledWith(1);
  });

  it('marks a rule with problems', () => {
    setup([{ kind: 'unknown_model', rule: 'json', field: 'then.models[0]', message: 'unknown model `x`' }] as never);
    const row = screen.getByText('json').closest('tr')!;
    expect(within(row).getByText('1 problem')).toBeInTheDocument();
    expect(within(screen.getByText('code').closest('tr')!).queryByText(/problem/)).toBeNull();
  });
});
