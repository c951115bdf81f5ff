import { countSatisfies } from './condition';
import { EventFields } from './eventFields';
import { fieldSegments } from './fieldMatchers';
import { ParsedRule } from './ruleLoader';
import { CorrelationDefinition, RuleDefinition, RuleProblem } from './types';

/**
 * Correlations over the events of a log or a folder: how many events (event_count), how many
 * distinct values of a field (value_count), or which rules all matched (temporal,
 * temporal_ordered) within a sliding window of `timespan`, separately for each combination of
 * the group-by fields. The records are tested one at a time; each match of a correlated rule
 * leaves an observation, and the observations of every file are correlated at the end.
 */

/** One match of a correlated rule, reduced to what the correlation needs. */
export interface CorrelationObservation {
  /** Index of the correlation in `RuleSet.correlations`. */
  correlation: number;
  /** Which of the correlation's rules matched (its position in `rules`). */
  member: number;
  /** eventTime in milliseconds since 1970; NaN when the record has none. */
  time: number;
  /** The group-by values, as one key. */
  group: string;
  /** For value_count: the counted field's value. */
  value?: string;
  record: number;
  /** Which file the record is in, for correlations over folders. */
  file: number;
}

export interface CorrelationPlan {
  index: number;
  /** Index of the correlation's own rule (for its title and level). */
  rule: number;
  definition: CorrelationDefinition;
  /** Indexes of the correlated rules, in the order of `rules`. */
  members: number[];
  /** The observation a match of member `member` leaves. */
  observe(fields: EventFields, member: number, eventTime: string | undefined, record: number, file: number): CorrelationObservation;
}

export interface CorrelationFinding {
  rule: number;
  file: number;
  record: number;
  /** Every record of the window that made the correlation match. */
  related: { file: number; record: number }[];
}

interface PendingCorrelation<File> {
  rule: ParsedRule;
  file: File;
  index: number;
}

/** Resolves each correlation's rule references (by id, or by name) and prepares its reading of the group-by fields. */
export function planCorrelations<File>(
  definitions: readonly RuleDefinition[],
  pending: readonly PendingCorrelation<File>[],
  report: (problem: RuleProblem, file: File) => void,
): CorrelationPlan[] {
  const byId = new Map<string, number>();
  const byName = new Map<string, number>();
  definitions.forEach((definition, index) => {
    if (!byId.has(definition.metadata.id)) byId.set(definition.metadata.id, index);
    if (definition.metadata.name !== undefined && !byName.has(definition.metadata.name)) byName.set(definition.metadata.name, index);
  });
  const plans: CorrelationPlan[] = [];
  for (const { rule, file, index } of pending) {
    const definition = rule.definition.correlation;
    if (!definition) continue;
    const members: number[] = [];
    let resolved = true;
    for (const reference of definition.rules) {
      const member = byId.get(reference) ?? byName.get(reference);
      const target = member === undefined ? undefined : definitions[member];
      if (member === undefined || !target?.detection) {
        resolved = false;
        report(
          {
            code: 'sigma-unknown-rule',
            severity: 'error',
            message:
              member === undefined
                ? `The correlation names ${JSON.stringify(reference)}, which is neither the id nor the name of a loaded rule.`
                : `The correlation names ${JSON.stringify(reference)}, which is a correlation itself; chains of correlations are not run.`,
            span: rule.referencesSpan ?? rule.correlationSpan ?? rule.definition.metadata.span,
          },
          file,
        );
        continue;
      }
      members.push(member);
    }
    if (!resolved) continue;
    // Each member reads the group-by fields under its own names when aliases say so.
    const groupPaths = members.map((member) => {
      const metadata = definitions[member].metadata;
      return definition.groupBy.map((field) => {
        const byRule = definition.aliases[field] as Record<string, string> | undefined;
        const path = byRule?.[metadata.name ?? ''] ?? byRule?.[metadata.id] ?? field;
        return { path, segments: fieldSegments(path) };
      });
    });
    const valueField = definition.field;
    const valueSegments = valueField === undefined ? [] : fieldSegments(valueField);
    const planIndex = plans.length;
    plans.push({
      index: planIndex,
      rule: index,
      definition,
      members,
      observe: (fields, member, eventTime, record, fileIndex) => {
        const group = groupPaths[member].map(({ path, segments }) => fields.values(path, segments)[0]?.text ?? '');
        const observation: CorrelationObservation = {
          correlation: planIndex,
          member,
          time: eventTime === undefined ? NaN : Date.parse(eventTime),
          group: group.length === 0 ? '' : JSON.stringify(group),
          record,
          file: fileIndex,
        };
        if (valueField !== undefined) {
          const value = fields.values(valueField, valueSegments).at(0);
          if (value) observation.value = value.text;
        }
        return observation;
      },
    });
  }
  return plans;
}

/** Runs every correlation over the observations of all the records analysed together. */
export function correlate(plans: readonly CorrelationPlan[], observations: readonly CorrelationObservation[]): CorrelationFinding[] {
  const groups = new Map<string, CorrelationObservation[]>();
  for (const observation of observations) {
    const plan = plans[observation.correlation];
    // With a window, an event without a readable time cannot be placed in it.
    if (plan.definition.timespanMs !== undefined && Number.isNaN(observation.time)) continue;
    if (plan.definition.type === 'value_count' && observation.value === undefined) continue;
    const key = `${String(observation.correlation)}\u0000${observation.group}`;
    const list = groups.get(key);
    if (list) list.push(observation);
    else groups.set(key, [observation]);
  }
  const findings: CorrelationFinding[] = [];
  for (const list of groups.values()) {
    const plan = plans[list[0].correlation];
    list.sort((a, b) => a.time - b.time || a.file - b.file || a.record - b.record || a.member - b.member);
    slide(plan, list, findings);
  }
  findings.sort((a, b) => a.file - b.file || a.record - b.record || a.rule - b.rule);
  return findings;
}

/**
 * Moves a window of `timespan` over one group's observations in time order. When the window
 * satisfies the condition, the latest event gets the finding (with the window's events as
 * related) and the window starts again after it, so one burst is reported once.
 */
function slide(plan: CorrelationPlan, list: readonly CorrelationObservation[], findings: CorrelationFinding[]): void {
  const { definition } = plan;
  const span = definition.timespanMs ?? Infinity;
  const values = new Map<string, number>();
  const memberCounts = new Array<number>(plan.members.length).fill(0);
  let start = 0;
  const add = (observation: CorrelationObservation, delta: number): void => {
    memberCounts[observation.member] += delta;
    if (observation.value !== undefined) {
      const count = (values.get(observation.value) ?? 0) + delta;
      if (count === 0) values.delete(observation.value);
      else values.set(observation.value, count);
    }
  };
  for (let i = 0; i < list.length; i++) {
    const current = list[i];
    add(current, 1);
    while (start < i && current.time - list[start].time > span) {
      add(list[start], -1);
      start++;
    }
    const windowStart = start;
    const window = (): readonly CorrelationObservation[] => list.slice(windowStart, i + 1);
    if (!satisfied(plan, window, i + 1 - start, memberCounts, values.size)) continue;
    const related = new Map<string, { file: number; record: number }>();
    for (const observation of window())
      related.set(`${String(observation.file)}:${String(observation.record)}`, { file: observation.file, record: observation.record });
    findings.push({ rule: plan.rule, file: current.file, record: current.record, related: [...related.values()] });
    for (let j = start; j <= i; j++) add(list[j], -1);
    start = i + 1;
  }
}

function satisfied(
  plan: CorrelationPlan,
  window: () => readonly CorrelationObservation[],
  size: number,
  memberCounts: readonly number[],
  distinctValues: number,
): boolean {
  const { definition } = plan;
  switch (definition.type) {
    case 'event_count':
      // One rule leaves one observation per record; several rules may each observe the same record.
      return countSatisfies(
        plan.members.length === 1 ? size : new Set(window().map((o) => `${String(o.file)}:${String(o.record)}`)).size,
        definition.condition,
      );
    case 'value_count':
      return countSatisfies(distinctValues, definition.condition);
    case 'temporal':
      return countSatisfies(memberCounts.filter((count) => count > 0).length, definition.condition);
    case 'temporal_ordered': {
      // The members must appear in their order: find them one after another in the window.
      let next = 0;
      for (const observation of window()) {
        if (observation.member === next) next++;
        if (next === plan.members.length) break;
      }
      return next === plan.members.length && countSatisfies(memberCounts.filter((count) => count > 0).length, definition.condition);
    }
  }
}
