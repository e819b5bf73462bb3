import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { mockIPC } from '@tauri-apps/api/mocks';
import { describe, expect, it } from 'vitest';
import type { CellRef } from '../../lib/bindings/CellRef';
import type { Grid } from '../../lib/bindings/Grid';
import type { ModelAvailability } from '../../lib/bindings/ModelAvailability';
import type { PreviewOutcome } from '../../lib/bindings/PreviewOutcome';
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';
import type { Rule } from '../../lib/bindings/Rule';
import type { Task } from '../../lib/bindings/Task';
import type { Tier } from '../../lib/bindings/Tier';
import { chain, config, decision } from './fixtures';
import RuleGrid from './RuleGrid.svelte';

const TASKS: Task[] = ['reasoning', 'math', 'code', 'writing', 'analysis', 'translation', 'classification', 'extraction', 'summarization', 'formatting'];
const TIERS: Tier[] = ['trivial', 'simple', 'moderate', 'complex'];

/** A stand-in for the router's grid: first rule whose task/tier conditions admit the cell; an
 * `unavailable` model is skipped, with its reason, as the router does. */
function fakeGrid(c: RoutingConfig, unavailable: Map<string, string>): Grid {
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
        const chained = r.then.type === 'chain' ? r.then.models : [];
        const models = chained.filter((m) => !unavailable.has(m));
        const skipped = chained.filter((m) => unavailable.has(m)).map((model) => ({ model, why: unavailable.get(model)! }));
        return { task, tier, rule: i, rule_name: r.name, models, skipped, exceptions };
      }),
    ),
    exceptions: rules.flatMap((r, i) => (axis(r) ? [] : [{ rule: i, name: r.name, conditions: ['keywords'], tasks: [], tiers: [] }])),
  };
}

const noVotes = { up: 0, down: 0, wins: 0, ties: 0, losses: 0, regenerations: 0, favourable_percent: null };

function backend(unavailable: Map<string, string>) {
  const assigned: { cells: CellRef[]; models: string[] }[] = [];
  mockIPC((cmd, raw) => {
    const args = raw as Record<string, unknown>;
    if (cmd === 'routing_grid') return fakeGrid(args.draft as RoutingConfig, unavailable);
    if (cmd === 'grid_usage')
      return {
        cells: [
          {
            task: 'code',
            tier: 'simple',
            requests: 3,
            spend_nusd: 2_000_000,
            recovered: 1,
            votes: { up: 2, down: 1, wins: 1, ties: 0, losses: 1, regenerations: 1, favourable_percent: 50 },
          },
          { task: 'writing', tier: 'trivial', requests: 1, spend_nusd: 6_000_000, recovered: 0, votes: noVotes },
          // Votes in the period on replies from before it.
          { task: 'math', tier: 'complex', requests: 0, spend_nusd: 0, recovered: 0, votes: { ...noVotes, down: 3, favourable_percent: 0 } },
        ],
        unknown_requests: 2,
        unknown_spend_nusd: 1_000_000,
        unknown_votes: 4,
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

function setup(opts: { outcome?: PreviewOutcome; unavailable?: Map<string, string> } = {}) {
  const unavailable = opts.unavailable ?? new Map<string, string>();
  const assigned = backend(unavailable);
  const changes: RoutingConfig[] = [];
  const draft = config();
  draft.rules.rules.splice(0, 0, { ...chain('urgent', ['gpt-4o'], [{ keywords: ['urgent'] }]) });
  const availability: ModelAvailability[] = draft.catalog.models.map((m) => ({
    model: m.id,
    catalog_provider: m.provider,
    available: !unavailable.has(m.id),
    provider_id: unavailable.has(m.id) ? null : 'p1',
    provider: unavailable.has(m.id) ? null : m.provider,
    reason: unavailable.get(m.id) ?? '',
  }));
  render(RuleGrid, { draft, availability, outcome: opts.outcome ?? null, onchange: (c: RoutingConfig) => changes.push(c) });
  return { assigned, changes };
}

/** The live test's outcome for a request of `task` and `tier` that rule `rule` took. */
function decided(task: Task, tier: Tier, rule: string): PreviewOutcome {
  return { kind: 'decided', decision: { ...decision('gpt-4o', rule), task, complexity: { score: 1.5, tier } } };
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

  it('selects a row, and several cells with Ctrl', async () => {
    const user = userEvent.setup();
    const { assigned } = setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));

    await user.click(screen.getByRole('button', { name: 'math' }));
    expect(screen.getByRole('form', { name: 'Set the selected cells' })).toHaveTextContent('4 cells');
    await user.selectOptions(screen.getByLabelText('Grid primary model'), 'claude-opus-4');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(assigned).toHaveLength(1));
    expect(assigned[0].cells).toEqual(TIERS.map((tier) => ({ task: 'math', tier })));

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

  it('sets a whole column from its heading', async () => {
    const user = userEvent.setup();
    const { assigned, changes } = setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    await user.click(screen.getByRole('button', { name: 'complex' }));
    expect(screen.getByRole('form', { name: 'Set the selected cells' })).toHaveTextContent('10 cells');
    const pressed = screen.getAllByTestId('grid-cell').filter((c) => c.getAttribute('aria-pressed') === 'true');
    expect(pressed.map((c) => c.dataset.tier)).toEqual(Array(10).fill('complex'));
    await user.selectOptions(screen.getByLabelText('Grid primary model'), 'gpt-4o-mini');
    await user.selectOptions(screen.getByLabelText('Grid fallback 1'), 'claude-opus-4');
    await user.selectOptions(screen.getByLabelText('Grid fallback 2'), '');
    await user.click(screen.getByRole('button', { name: 'Set' }));
    await waitFor(() => expect(changes).toHaveLength(1));
    expect(assigned[0]).toEqual({ cells: TASKS.map((task) => ({ task, tier: 'complex' })), models: ['gpt-4o-mini', 'claude-opus-4'] });
    // The selection is done with.
    expect(screen.queryByRole('form', { name: 'Set the selected cells' })).toBeNull();
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

  it('colours cells by their quality votes, red to green, with the counts on hover', async () => {
    const user = userEvent.setup();
    setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    await user.selectOptions(screen.getByLabelText('Colour cells by'), 'votes');
    await waitFor(() => expect(screen.getByTestId('grid-usage-total')).toHaveTextContent('13 votes (4 on replies with no recorded tier'));
    const usage = (task: Task, tier: Tier) => within(cell(task, tier)).getByTestId('grid-cell-usage');
    expect(usage('code', 'simple')).toHaveTextContent('50% of 6');
    expect(usage('code', 'simple')).toHaveAttribute('data-votes', '6');
    expect(cell('code', 'simple').parentElement).toHaveClass('voted');
    expect(cell('code', 'simple').parentElement!.getAttribute('style')).toContain('--good: 50%');
    expect(cell('code', 'simple').title).toContain(
      'Votes: 2 thumbs up, 1 down; compared: 1 won, 0 tied, 1 lost; 1 regenerated with another model (50% in favour)',
    );
    // The requests and spend stay in the hover.
    expect(cell('code', 'simple').title).toContain('3 requests');
    // Votes with no requests in the period still colour their cell.
    expect(usage('math', 'complex')).toHaveTextContent('0% of 3');
    expect(cell('math', 'complex').parentElement!.getAttribute('style')).toContain('--good: 0%');
    // A cell with requests but no votes is not coloured.
    expect(usage('writing', 'trivial')).toHaveTextContent('');
    expect(cell('writing', 'trivial').parentElement).not.toHaveClass('voted');
    expect(cell('writing', 'trivial').parentElement!.getAttribute('style')).toBeNull();
    expect(cell('writing', 'trivial').title).toContain('No votes in this period');
  });

  it('outlines the cell the live test lands in', async () => {
    setup({ outcome: decided('code', 'simple', 'code') });
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    const live = screen.getAllByTestId('grid-cell').filter((c) => c.parentElement!.classList.contains('live'));
    expect(live.map((c) => `${c.dataset.task}/${c.dataset.tier}`)).toEqual(['code/simple']);
    expect(screen.getByTestId('grid-exception')).not.toHaveClass('live');
  });

  it('marks the exception instead when one takes the live test', async () => {
    setup({ outcome: decided('code', 'simple', 'urgent') });
    await waitFor(() => expect(screen.getByTestId('grid-exception')).toHaveClass('live'));
    expect(screen.getAllByTestId('grid-cell').filter((c) => c.parentElement!.classList.contains('live'))).toHaveLength(0);
  });

  it('shows the whole chain on hover, and marks cells whose models cannot answer', async () => {
    setup({ unavailable: new Map([['claude-opus-4', 'no key for Anthropic']]) });
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    // code cells: claude-opus-4 is skipped, gpt-4o answers.
    expect(cell('code', 'complex')).toHaveAttribute('data-model', 'gpt-4o');
    const warn = within(cell('code', 'complex')).getByText('⚠');
    expect(warn).toHaveAttribute('title', 'Some models here cannot answer now');
    expect(cell('code', 'complex').title).toContain('Skipped claude-opus-4: no key for Anthropic');
    expect(within(cell('writing', 'complex')).queryByText('⚠')).toBeNull();
    expect(screen.getAllByText('⚠')).toHaveLength(4);
    // The palette and the editor say so too.
    const chip = screen.getAllByTestId('grid-model').find((c) => c.textContent === 'claude-opus-4')!;
    expect(chip).toHaveClass('off');
    expect(chip).toHaveAttribute('title', 'Unavailable: no key for Anthropic');
    await userEvent.setup().click(cell('code', 'complex'));
    expect(within(screen.getByLabelText('Grid primary model')).getByRole('option', { name: 'claude-opus-4 (unavailable: no key for Anthropic)' })).toBeInTheDocument();
  });

  it('lists the whole chain of a cell in its hover', async () => {
    setup();
    await waitFor(() => expect(screen.getAllByTestId('grid-cell')).toHaveLength(40));
    expect(cell('code', 'moderate').title).toContain('Answers: claude-opus-4, then gpt-4o');
    expect(within(cell('code', 'moderate')).getByTestId('grid-fallbacks')).toHaveAttribute('title', 'Then gpt-4o');
  });
});
