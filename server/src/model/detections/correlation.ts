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
  // By correlation, then by group: a folder leaves hundreds of thousands of observations, and a
  // key made of both for each one cost more than the correlations themselves.
  const groupsOf = plans.map(() => new Map<string, CorrelationObservation[]>());
  for (const observation of observations) {
    const plan = plans[observation.correlation];
    // With a window, an event without a readable time cannot be placed in it.
    if (plan.definition.timespanMs !== undefined && Number.isNaN(observation.time)) continue;
    if (plan.definition.type === 'value_count' && observation.value === undefined) continue;
    const groups = groupsOf[observation.correlation];
    const list = groups.get(observation.group);
    if (list) list.push(observation);
    else groups.set(observation.group, [observation]);
  }
  const findings: CorrelationFinding[] = [];
  plans.forEach((plan, index) => {
    for (const list of groupsOf[index].values()) slide(plan, inTimeOrder(list), findings);
  });
  findings.sort((a, b) => a.file - b.file || a.record - b.record || a.rule - b.rule);
  return findings;
}

/**
 * The observations ordered by time, then file, record and member. The keys are copied into
 * typed arrays first: comparing them there is several times faster than reading the objects, and
 * a group can hold most of a folder's observations.
 */
function inTimeOrder(list: readonly CorrelationObservation[]): CorrelationObservation[] {
  const count = list.length;
  const time = new Float64Array(count);
  const file = new Int32Array(count);
  const record = new Int32Array(count);
  const member = new Int32Array(count);
  const order: number[] = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const observation = list[i];
    time[i] = observation.time;
    file[i] = observation.file;
    record[i] = observation.record;
    member[i] = observation.member;
    order[i] = i;
  }
  order.sort((a, b) => time[a] - time[b] || file[a] - file[b] || record[a] - record[b] || member[a] - member[b]);
  return order.map((i) => list[i]);
}

/**
 * Moves a window of `timespan` over one group's observations in time order. When the window
 * satisfies the condition, the latest event gets the finding (with the window's events as
 * related) and the window starts again after it, so one burst is reported once. What the
 * condition needs (counts per rule, distinct values and events, where each rule matched) is kept
 * up to date as observations enter and leave, so that each step costs the same however many
 * events the window holds: a window can hold most of a folder.
 */
function slide(plan: CorrelationPlan, list: readonly CorrelationObservation[], findings: CorrelationFinding[]): void {
  const span = plan.definition.timespanMs ?? Infinity;
  const window = new WindowState(plan, list);
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const current = list[i];
    window.add(i);
    while (start < i && current.time - list[start].time > span) {
      window.remove(start);
      start++;
    }
    if (!window.satisfies()) continue;
    const related = new Map<number, { file: number; record: number }>();
    for (let j = start; j <= i; j++) {
      const { file, record } = list[j];
      related.set(eventKey(file, record), { file, record });
    }
    findings.push({ rule: plan.rule, file: current.file, record: current.record, related: [...related.values()] });
    for (let j = start; j <= i; j++) window.remove(j);
    start = i + 1;
  }
}

/** One number per event of a folder: files are far fewer than 2^21 and records than 2^32. */
function eventKey(file: number, record: number): number {
  return file * 2 ** 32 + record;
}

/** What the condition of a correlation needs to know of the observations in its window. */
class WindowState {
  private readonly memberCounts: number[];
  /** Distinct values of the counted field (value_count), with how often each is in the window. */
  private readonly values = new Map<string, number>();
  /** Distinct events, when several rules may observe one event (event_count over several rules). */
  private readonly events: Map<number, number> | undefined;
  /** Where each rule's observations are in the list, ascending; those from `firsts[member]` on are in the window (temporal_ordered). */
  private readonly positions: number[][] | undefined;
  private readonly firsts: number[];
  private size = 0;

  constructor(
    private readonly plan: CorrelationPlan,
    private readonly list: readonly CorrelationObservation[],
  ) {
    const members = plan.members.length;
    this.memberCounts = new Array<number>(members).fill(0);
    this.firsts = new Array<number>(members).fill(0);
    const type = plan.definition.type;
    if (type === 'event_count' && members > 1) this.events = new Map();
    if (type === 'temporal_ordered') this.positions = Array.from({ length: members }, () => []);
  }

  add(position: number): void {
    const observation = this.list[position];
    this.size++;
    this.memberCounts[observation.member]++;
    this.positions?.[observation.member].push(position);
    if (observation.value !== undefined) this.values.set(observation.value, (this.values.get(observation.value) ?? 0) + 1);
    if (this.events) {
      const key = eventKey(observation.file, observation.record);
      this.events.set(key, (this.events.get(key) ?? 0) + 1);
    }
  }

  /** Takes out an observation; they leave in the order they came. */
  remove(position: number): void {
    const observation = this.list[position];
    this.size--;
    this.memberCounts[observation.member]--;
    this.firsts[observation.member]++;
    if (observation.value !== undefined) decrement(this.values, observation.value);
    if (this.events) decrement(this.events, eventKey(observation.file, observation.record));
  }

  satisfies(): boolean {
    const { definition } = this.plan;
    switch (definition.type) {
      case 'event_count':
        // One rule leaves one observation per record; several rules may each observe the same record.
        return countSatisfies(this.events ? this.events.size : this.size, definition.condition);
      case 'value_count':
        return countSatisfies(this.values.size, definition.condition);
      case 'temporal':
        return countSatisfies(this.rulesSeen(), definition.condition);
      case 'temporal_ordered':
        // The members must appear in their order, as well as the count of rules seen.
        return this.inRuleOrder() && countSatisfies(this.rulesSeen(), definition.condition);
    }
  }

  private rulesSeen(): number {
    return this.memberCounts.filter((count) => count > 0).length;
  }

  /** Whether the window holds an observation of each rule, each later than one of the rule before. */
  private inRuleOrder(): boolean {
    const positions = this.positions;
    if (!positions) return false;
    let after = -1;
    for (let member = 0; member < positions.length; member++) {
      // The earliest of this rule's positions in the window after `after` (binary search).
      const found = positions[member];
      let low = this.firsts[member];
      let high = found.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (found[middle] <= after) low = middle + 1;
        else high = middle;
      }
      if (low === found.length) return false;
      after = found[low];
    }
    return true;
  }
}

function decrement<K>(counts: Map<K, number>, key: K): void {
  const count = (counts.get(key) ?? 0) - 1;
  if (count <= 0) counts.delete(key);
  else counts.set(key, count);
}
