// Puts the router's validation issues next to what they are about: a rule (by name) and a field
// (`when[0].regex`, `then.models[1]`), or a catalog row (`catalog.models[3].quality`).
import type { Issue } from '../../lib/bindings/Issue';

export function issuesOfRule(issues: Issue[], rule: string): Issue[] {
  return issues.filter((i) => i.rule === rule);
}

/** Issues whose field is `prefix` or lies under it (`then` covers `then.models[0]`). */
export function issuesAt(issues: Issue[], prefix: string): Issue[] {
  return issues.filter((i) => i.field === prefix || i.field.startsWith(`${prefix}.`) || i.field.startsWith(`${prefix}[`));
}

/** Issues of catalog model `index`. */
export function issuesOfModel(issues: Issue[], index: number): Issue[] {
  return issues.filter((i) => i.rule === null && issuesAt([i], `catalog.models[${index}]`).length > 0);
}

/** One line naming the rule and field, as the CLI prints it. */
export function describeIssue(i: Issue): string {
  return i.rule === null ? `${i.field}: ${i.message}` : `Rule “${i.rule}”, ${i.field}: ${i.message}`;
}
