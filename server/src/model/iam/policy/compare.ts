/**
 * A policy document against what the events did: for each action the successful calls needed,
 * whether the document allows it (used, with counts and times) or not (not granted, or denied by
 * a Deny statement); and for each Action entry of an Allow statement, whether any successful call
 * went through it (unused entries are the over-privilege to remove).
 */
import { IamCatalogue } from './catalogue';
import { compilePolicy, evaluate } from './evaluate';
import { PolicyDocument, PolicyPlace } from './policyDocument';
import { callResources } from './resourceTypes';
import { compareText, Usage } from './usage';

export interface ActionOutcome {
  action: string;
  /** Successful calls that needed the action (with this outcome). */
  count: number;
  first?: string;
  last?: string;
  /** For not granted actions: a Deny statement applies (else no statement grants it). */
  denied?: boolean;
  /** The statements that allow it (indexes), or deny it. */
  statements: number[];
  /** Calls whose resources the records do not name: evaluated on actions alone. */
  resourceUnknown: number;
}

export interface EntryOutcome {
  /** The Action (or NotAction) entry as written. */
  pattern: string;
  place: PolicyPlace;
  /** The concrete actions of successful calls that went through this entry, with counts. */
  matched: { action: string; count: number }[];
}

export interface StatementOutcome {
  index: number;
  sid?: string;
  effect: 'Allow' | 'Deny';
  notAction: boolean;
  entries: EntryOutcome[];
  resources: string[];
  notResources: string[];
  /** Conditions the comparison did not evaluate. */
  conditions: string[];
  /** For a NotAction statement: the actions of successful calls it allowed, with counts. */
  allowedByNotAction: { action: string; count: number }[];
}

export interface PolicyComparison {
  used: ActionOutcome[];
  notGranted: ActionOutcome[];
  /** Action entries of Allow statements, as written, that no successful call matched. */
  unused: { pattern: string; statement: number; place: PolicyPlace }[];
  statements: StatementOutcome[];
  /** Successful calls whose IAM action is not known, and calls that need no permission. */
  unknownCalls: { eventSource: string; eventName: string; count: number }[];
  noPermissionCalls: { eventSource: string; eventName: string; count: number }[];
  /** Failed calls, not compared (they were not granted, or failed for another reason). */
  failedCalls: number;
  successfulCalls: number;
}

/** The JSON the command line prints with `--format json`. */
export interface ComparisonJson {
  used: { action: string; count: number }[];
  unused: string[];
  notGranted: { action: string; count: number }[];
}

export function comparePolicy(document: PolicyDocument, usage: Usage, catalogue: IamCatalogue): PolicyComparison {
  const policy = compilePolicy(document);
  const used = new Map<string, ActionOutcome>();
  const notGranted = new Map<string, ActionOutcome>();
  const entryHits = document.statements.map((statement) => (statement.actions ?? []).map(() => new Map<string, number>()));
  const notActionHits = document.statements.map(() => new Map<string, number>());
  const comparison: PolicyComparison = {
    used: [],
    notGranted: [],
    unused: [],
    statements: [],
    unknownCalls: [],
    noPermissionCalls: [],
    failedCalls: 0,
    successfulCalls: 0,
  };
  for (const call of usage.calls) {
    comparison.failedCalls += call.failed;
    if (call.succeeded === 0) continue;
    comparison.successfulCalls += call.succeeded;
    const resolution = catalogue.resolveIamActions(call.eventSource, call.eventName, call.eventType);
    if (resolution.kind === 'no-permission') {
      comparison.noPermissionCalls.push({ eventSource: call.eventSource, eventName: call.eventName, count: call.succeeded });
      continue;
    }
    if (resolution.kind === 'unknown' || resolution.actions.length === 0) {
      comparison.unknownCalls.push({ eventSource: call.eventSource, eventName: call.eventName, count: call.succeeded });
      continue;
    }
    const groups: { arns: readonly string[] | undefined; count: number }[] = [...call.succeededArns.lists.values()].map((list) => ({
      arns: list.arns,
      count: list.count,
    }));
    if (call.succeededArns.unread > 0) groups.push({ arns: undefined, count: call.succeededArns.unread });
    for (const info of resolution.actions) {
      for (const group of groups) {
        const resources = group.arns === undefined ? undefined : callResources(info, group.arns);
        const result = evaluate(policy, info.action, resources);
        const target = result.decision === 'allowed' ? used : notGranted;
        let outcome = target.get(info.action);
        if (!outcome) {
          outcome = { action: info.action, count: 0, statements: [], resourceUnknown: 0 };
          target.set(info.action, outcome);
        }
        outcome.count += group.count;
        if (call.first !== undefined && (outcome.first === undefined || call.first < outcome.first)) outcome.first = call.first;
        if (call.last !== undefined && (outcome.last === undefined || call.last > outcome.last)) outcome.last = call.last;
        if (result.resourceUnknown && info.resourceTypes.length > 0) outcome.resourceUnknown += group.count;
        if (result.decision === 'denied') outcome.denied = true;
        const statements = result.decision === 'denied' ? result.deniedBy : result.allowedBy.map((allow) => allow.statement);
        for (const statement of statements) if (!outcome.statements.includes(statement)) outcome.statements.push(statement);
        // Only calls the document lets through count for the Allow entries that matched them.
        for (const allow of result.decision === 'allowed' ? result.allowedBy : []) {
          for (const entry of allow.entries) {
            const hits = entry < 0 ? notActionHits[allow.statement] : entryHits[allow.statement][entry];
            hits.set(info.action, (hits.get(info.action) ?? 0) + group.count);
          }
        }
      }
    }
  }
  const byAction = (a: ActionOutcome, b: ActionOutcome): number => compareText(a.action, b.action);
  comparison.used = [...used.values()].sort(byAction);
  comparison.notGranted = [...notGranted.values()].sort(byAction);
  for (const outcome of [...comparison.used, ...comparison.notGranted]) outcome.statements.sort((a, b) => a - b);
  document.statements.forEach((statement, index) => {
    const counts = (hits: Map<string, number> | undefined): { action: string; count: number }[] =>
      [...(hits ?? [])].map(([action, count]) => ({ action, count })).sort((a, b) => compareText(a.action, b.action));
    const entries: EntryOutcome[] = (statement.actions ?? statement.notActions ?? []).map((value, position) => ({
      pattern: value.text,
      place: value.place,
      matched: statement.actions ? counts(entryHits[index][position]) : [],
    }));
    comparison.statements.push({
      index,
      ...(statement.sid !== undefined ? { sid: statement.sid } : {}),
      effect: statement.effect,
      notAction: statement.notActions !== undefined,
      entries,
      resources: (statement.resources ?? []).map((value) => value.text),
      notResources: (statement.notResources ?? []).map((value) => value.text),
      conditions: statement.conditions,
      allowedByNotAction: statement.notActions ? counts(notActionHits[index]) : [],
    });
    if (statement.effect === 'Allow' && statement.actions) {
      entries.forEach((entry) => {
        if (entry.matched.length === 0) comparison.unused.push({ pattern: entry.pattern, statement: index, place: entry.place });
      });
    }
  });
  return comparison;
}

/** The comparison as the command line's JSON contract. */
export function comparisonJson(comparison: PolicyComparison): ComparisonJson {
  return {
    used: comparison.used.map(({ action, count }) => ({ action, count })),
    unused: comparison.unused.map((entry) => entry.pattern),
    notGranted: comparison.notGranted.map(({ action, count }) => ({ action, count })),
  };
}
