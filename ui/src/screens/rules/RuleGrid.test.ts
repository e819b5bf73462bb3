import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { CellRef } from '../../lib/bindings/CellRef';
import type { Grid } from '../../lib/bindings/Grid';
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';
import type { Rule } from '../../lib/bindings/Rule';
import type { Task } from '../../lib/bindings/Task';
import type { Tier } from '../../lib/bindings/Tier';
import { chain, config } from './fixtures';
import RuleGrid from './RuleGrid.svelte';

const TASKS: Task[] = ['reasoning', 'math', 'code', 'writing', 'analysis', 'translation', 'classification', 'extraction', 'summarization', 'formatting'];
const TIERS: Tier[] = ['trivial', 'simple', 'moderate', 'complex'];

/** A stand-in for the router's grid: first rule whose task/tier conditions admit the cell. */
function fakeGrid(c: RoutingConfig): Grid {
  const rules = c.rules.rules;
  const axis = (r: Rule) => r.when.every((w) => 'task' in w || 'tier' in w);
  const admits = (r: Rule, task: Task, tier: Tier) =>
    r.when.every((w) => ('task' in w ? w.task.includes(task) : 'tier' in w ? w.tier.includes(tier) : true));
  return {
    cells: TASKS.flatMap((task) =>
      TIERS.map((tier) => {
        const exceptions = rules.flatMap((r, i) => (!axis(r) && admits(r, task, tier) ? [i] : []));
        const i = rules.findIndex((r) => axis(r) && admits(r, task, tier));
        const r = rules[i];
        return { task, tier, rule: i, rule_name: r.name, models: r.then.type === 'chain' ? r.then.models : [], skipped: [], exceptions };
      }),
    ),
    exceptions: rules.flatMap((r, i) => (axis(r) ? [] : [{ rule: i, name: r.name, conditions: ['keywords'], tasks: [], tiers: [] }])),
  };
}

function backend() {
  const assigned: { cells: CellRef[]; models: string[] }[] = [];
  mockIPC((cmd, raw) => {
    const args = raw as Record<string, unknown>;
    if (cmd === 'routing_grid') return fakeGrid(args.draft as RoutingConfig);
    if (cmd === 'grid_usage')
      return {
        cells: [
          { task: 'code', tier: 'simple', requests: 3, spend_nusd: 2_000_000, recovered: 1 },
          { task: 'writing', tier: 'trivial', requests: 1, spend_nusd: 6_000_000, recovered: 0 },
        ],
        unknown_requests: 2,
        unknown_spend_nusd: 1_000_000,
      };
    if (cmd === 'assign_grid_cells') {
      const draft = structuredClone(args.draft as RoutingConfig);
      const cells = args.cells as CellRef[];
      const models = args.models as string[];
      assigned.push({ cells, models });
      draft.rules.rules.unshift(chain(`Grid ${assigned.length}`, models, [{ task: [...new Set(cells.map((c) => c.task))] }, { tier: [...new Set(cells.map((c) => c.tier))] }]));
      return draft;
    }
    throw { code: 'unknown', message: `unexpected command ${cmd}` };
  });
  return assigned;
}

function setup() {
  const assigned = backend();
  const changes: RoutingConfig[] = [];
  const draft = config();
  draft.rules.rules.splice(0, 0, { ...chain('urgent', ['gpt-4o'], [{ keywords: ['urgent'] }]) });
  render(RuleGrid, { draft, availability: [], outcome: null, onchange: (c: RoutingConfig) => changes.push(c) });
  return { assigned, changes };
}

const cell = (task: Task, tier: Tier) =>
  screen.getAllByTestId('grid-cell').find((c) => c.dataset.task === task && c.dataset.tier === tier)!;

describe('Routing grid', () => {
  it('shows the chain of every task and tier, and the exceptions that can override cells', async () => {
    setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    expect(cell('code', 'simple')).toHaveAttribute('data-model', 'claude-opus-4');
    expect(cell('writing', 'complex')).toHaveAttribute('data-model', 'gpt-4o-mini');
    expect(within(cell('code', 'simple')).getByText('+1')).toBeInTheDocument();
    expect(screen.getByTestId('grid-exceptions')).toHaveTextContent('urgent');
    expect(within(cell('math', 'trivial')).getByTitle(/exception can take/)).toBeInTheDocument();
  });

  it('sets one cell to a chain', async () => {
    const user = userEvent.setup();
    const { assigned, changes } = setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    await user.click(cell('code', 'simple'));
    const form = screen.getByRole('form', { name: 'Set the selected cells' });
    expect(form).toHaveTextContent('code · simple');
    // The form starts from the cell's current chain.
    expect(screen.getByLabelText('Grid primary model')).toHaveValue('claude-opus-4');
    await user.selectOptions(screen.getByLabelText('Grid primary model'), 'gpt-4o-mini');
    await user.selectOptions(screen.getByLabelText('Grid fallback 1'), 'gpt-4o');
    await user.selectOptions(screen.getByLabelText('Grid fallback 2'), '');
    await user.click(within(form).getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(assigned[0]).toEqual({ cells: [{ task: 'code', tier: 'simple' }], models: ['gpt-4o-mini', 'gpt-4o'] });
    expect(changes[0].rules.rules[0]).toMatchObject({ name: 'Grid 1', when: [{ task: ['code'] }, { tier: ['simple'] }] });
  });

  it('selects a row, a column, and several cells with Ctrl', async () => {
    const user = userEvent.setup();
    const { assigned } = setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));

    await user.click(screen.getByRole('button', { name: 'math' }));
    expect(screen.getByRole('form', { name: 'Set the selected cells' })).toHaveTextContent('4 cells');
    await user.selectOptions(screen.getByLabelText('Grid primary model'), 'claude-opus-4');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(assigned).toHaveLength(1));
    expect(assigned[0].cells).toEqual(TIERS.map((tier) => ({ task: 'math', tier })));

    await user.click(screen.getByRole('button', { name: 'complex' }));
    expect(screen.getByRole('form', { name: 'Set the selected cells' })).toHaveTextContent('10 cells');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));

    await user.click(cell('code', 'simple'));
    await user.keyboard('{Control>}');
    await user.click(cell('code', 'moderate'));
    await user.click(cell('analysis', 'complex'));
    await user.keyboard('{/Control}');
    expect(screen.getByRole('form', { name: 'Set the selected cells' })).toHaveTextContent('3 cells');
    await user.selectOptions(screen.getByLabelText('Grid primary model'), 'gpt-4o');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(assigned).toHaveLength(2));
    expect(assigned[1].cells).toEqual([
      { task: 'code', tier: 'simple' },
      { task: 'code', tier: 'moderate' },
      { task: 'analysis', tier: 'complex' },
    ]);
    // Prefilled from the first cell (claude-opus-4, gpt-4o); a model twice in a chain counts once.
    expect(assigned[1].models).toEqual(['gpt-4o']);
  });

  it('takes a model dragged from the palette onto a cell', async () => {
    const { assigned, changes } = setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-model').length).toBeGreaterThan(0));
    const data = new Map<string, string>();
    const dataTransfer = { setData: (k: string, v: string) => data.set(k, v), getData: (k: string) => data.get(k) ?? '' };
    const chip = screen.getAllByTestId('grid-model').find((c) => c.textContent === 'gpt-4o')!;
    await fireEvent.dragStart(chip, { dataTransfer });
    await fireEvent.dragOver(cell('translation', 'moderate').parentElement!, { dataTransfer });
    await fireEvent.drop(cell('translation', 'moderate').parentElement!, { dataTransfer });
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(assigned[0]).toEqual({ cells: [{ task: 'translation', tier: 'moderate' }], models: ['gpt-4o'] });
  });

  it('colours cells by where past requests fell, with counts and spend', async () => {
    const user = userEvent.setup();
    setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    expect(screen.queryAllByTestId('grid-cell-usage')).toHaveLength(0);
    await user.selectOptions(screen.getByLabelText('Colour cells by'), 'requests');
    await waitFor(() => expect(screen.getByTestId('grid-usage-total')).toHaveTextContent('6 requests'));
    expect(screen.getByTestId('grid-usage-total')).toHaveTextContent('2 with no recorded tier');
    expect(within(cell('code', 'simple')).getByTestId('grid-cell-usage')).toHaveTextContent('3 req');
    expect(within(cell('math', 'complex')).getByTestId('grid-cell-usage')).toHaveAttribute('data-requests', '0');
    expect(within(cell('math', 'complex')).getByTestId('grid-cell-usage')).toHaveTextContent('');
    expect(cell('code', 'simple').title).toContain('3 requests (1 placed by the decision stored with the reply)');
    // 3 of 6 requests: half the full shade.
    expect(cell('code', 'simple').parentElement!.getAttribute('style')).toContain('--heat: 25%');
    await user.selectOptions(screen.getByLabelText('Colour cells by'), 'spend');
    // $0.006 of $0.009: two thirds.
    await waitFor(() => expect(cell('writing', 'trivial').parentElement!.getAttribute('style')).toContain('--heat: 33%'));
  });
});
