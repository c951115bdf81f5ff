/**
 * The least-privilege policy of a group of events: the IAM actions their successful calls needed
 * (failed calls too when asked), one statement per service and set of resources, resources named
 * where every call's record names them, `*` otherwise with the reason in the notes.
 */
import { IamActionInfo, IamCatalogue } from './catalogue';
import { CallUsage, compareText, FOLDER_READ_LIMITS, Usage } from './usage';
import { callResources, namesEveryRequiredResource } from './resourceTypes';
import { literalPattern } from './wildcard';

export interface PolicyStatementJson {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

export interface PolicyJson {
  Version: '2012-10-17';
  Statement: PolicyStatementJson[];
}

export interface GenerateOptions {
  /** Put the actions of failed calls in the policy too (by default they are only listed in the notes). */
  includeFailed?: boolean;
}

/** A kind of call and how often it was made, for the notes. */
export interface CallCount {
  eventSource: string;
  eventName: string;
  count: number;
}

export interface FailedCalls extends CallCount {
  /** The IAM actions the call needs ([] when not known). */
  actions: string[];
  errorCodes: { code: string; count: number }[];
  first?: string;
  last?: string;
}

export interface PolicyNotes {
  /** Events looked at. */
  events: number;
  /** Calls that went into the policy. */
  callsInPolicy: number;
  includeFailed: boolean;
  /** Actions granted on every resource, and why. */
  anyResource: { action: string; reason: string }[];
  /** Actions whose many resources were written with wildcards. */
  generalised: { action: string; resources: number; patterns: string[] }[];
  failed: FailedCalls[];
  /** Calls CloudTrail records that no IAM permission governs. */
  noPermission: (CallCount & { reason: string })[];
  /** Calls whose IAM action is not in the IAM data: left out rather than guessed. */
  unknown: CallCount[];
  /** Actions the IAM data says the granted actions may need besides (not added). */
  dependentActions: { action: string; neededBy: string[] }[];
  /** Events without an eventSource or eventName. */
  unnamed: number;
}

export interface GeneratedPolicy {
  policy: PolicyJson;
  notes: PolicyNotes;
}

/** More distinct resources than this for one action are written with wildcards. */
export const MAX_RESOURCES_PER_ACTION = 10;

interface ActionPlan {
  info: IamActionInfo;
  calls: number;
  /** One entry per distinct ARN list of the calls, or undefined when some call's resources are not known. */
  arnLists: (readonly string[])[];
  unread: number;
}

export function generatePolicy(usage: Usage, catalogue: IamCatalogue, options: GenerateOptions = {}): GeneratedPolicy {
  const includeFailed = options.includeFailed === true;
  const notes: PolicyNotes = {
    events: usage.events,
    callsInPolicy: 0,
    includeFailed,
    anyResource: [],
    generalised: [],
    failed: [],
    noPermission: [],
    unknown: [],
    dependentActions: [],
    unnamed: usage.unnamed,
  };
  const plans = new Map<string, ActionPlan>();
  for (const call of usage.calls) {
    const resolution = catalogue.resolveIamActions(call.eventSource, call.eventName, call.eventType);
    const total = call.succeeded + call.failed;
    if (resolution.kind === 'no-permission') {
      notes.noPermission.push({ eventSource: call.eventSource, eventName: call.eventName, count: total, reason: resolution.reason });
      continue;
    }
    const actions = resolution.kind === 'actions' ? resolution.actions.filter((info) => catalogue.iamActionExists(info.action)) : [];
    if (call.failed > 0) notes.failed.push(failedCalls(call, actions));
    if (actions.length === 0) {
      notes.unknown.push({ eventSource: call.eventSource, eventName: call.eventName, count: total });
      continue;
    }
    const counted = call.succeeded + (includeFailed ? call.failed : 0);
    if (counted === 0) continue;
    notes.callsInPolicy += counted;
    for (const info of actions) {
      let plan = plans.get(info.action);
      if (!plan) {
        plan = { info, calls: 0, arnLists: [], unread: 0 };
        plans.set(info.action, plan);
      }
      plan.calls += counted;
      for (const tally of includeFailed ? [call.succeededArns, call.failedArns] : [call.succeededArns]) {
        plan.unread += tally.unread;
        for (const list of tally.lists.values()) plan.arnLists.push(list.arns);
      }
    }
  }

  // Actions grouped by service, then by the resources they are granted on.
  const byService = new Map<string, Map<string, { resources: string[]; actions: string[] }>>();
  for (const plan of [...plans.values()].sort((a, b) => compareText(a.info.action, b.info.action))) {
    const resources = planResources(plan, usage, notes);
    const prefix = plan.info.action.slice(0, plan.info.action.indexOf(':'));
    let sets = byService.get(prefix);
    if (!sets) {
      sets = new Map();
      byService.set(prefix, sets);
    }
    const key = resources.join('\n');
    let set = sets.get(key);
    if (!set) {
      set = { resources, actions: [] };
      sets.set(key, set);
    }
    set.actions.push(plan.info.action);
  }
  const statements: PolicyStatementJson[] = [];
  const sids = new Set<string>();
  for (const prefix of [...byService.keys()].sort()) {
    const sets = [...(byService.get(prefix)?.values() ?? [])];
    // The statement on every resource first, then those on named resources.
    sets.sort((a, b) => Number(b.resources[0] === '*') - Number(a.resources[0] === '*') || compareText(a.resources.join('\n'), b.resources.join('\n')));
    const base = sidOf(catalogue.iamServiceName(prefix) ?? prefix);
    sets.forEach((set, position) => {
      const wanted = position === 0 && set.resources[0] === '*' ? base : `${base}NamedResources`;
      let sid = wanted;
      for (let n = 2; sids.has(sid); n++) sid = `${wanted}${n}`;
      sids.add(sid);
      statements.push({
        Sid: sid,
        Effect: 'Allow',
        Action: [...new Set(set.actions)].sort(compareText),
        Resource: set.resources.length === 1 ? set.resources[0] : set.resources,
      });
    });
  }
  notes.dependentActions = dependentActions(plans, catalogue);
  notes.failed.sort((a, b) => compareText(a.eventSource, b.eventSource) || compareText(a.eventName, b.eventName));
  return { policy: { Version: '2012-10-17', Statement: statements }, notes };
}

function failedCalls(call: CallUsage, actions: readonly IamActionInfo[]): FailedCalls {
  return {
    eventSource: call.eventSource,
    eventName: call.eventName,
    count: call.failed,
    actions: actions.map((info) => info.action),
    errorCodes: [...call.errorCodes].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || compareText(a.code, b.code)),
    ...(call.failedFirst !== undefined ? { first: call.failedFirst } : {}),
    ...(call.failedLast !== undefined ? { last: call.failedLast } : {}),
  };
}

/** The Resource of an action: the ARNs its calls name, generalised when there are many; `*` with a reason otherwise. */
function planResources(plan: ActionPlan, usage: Usage, notes: PolicyNotes): string[] {
  const { info } = plan;
  const anyResource = (reason: string): string[] => {
    notes.anyResource.push({ action: info.action, reason });
    return ['*'];
  };
  if (info.resourceTypes.length === 0) {
    return anyResource('IAM grants this action on every resource only: it has no resource-level permissions.');
  }
  if (!usage.resourcesRead || plan.unread > 0) {
    return anyResource(
      `the events come from a folder index, which keeps no request parameters, and were too many to read back from their files (more than ${FOLDER_READ_LIMITS.maxEvents.toLocaleString('en-US')} events or ${FOLDER_READ_LIMITS.maxCharacters / (1024 * 1024)} MB of logs); pick a smaller group to have resources named.`,
    );
  }
  const unnamed = plan.arnLists.filter((arns) => !namesEveryRequiredResource(info, arns)).length;
  if (unnamed > 0) {
    const types = info.resourceTypes.map((type) => `${type.name}${type.required ? ' (required)' : ''}`).join(', ');
    return anyResource(
      `${unnamed === plan.arnLists.length ? 'its records do not name' : 'some of its records do not name'} the resources IAM checks it against (${types}).`,
    );
  }
  const resources = new Set<string>();
  for (const arns of plan.arnLists) for (const arn of callResources(info, arns) ?? []) resources.add(arn);
  const exact = [...resources].sort(compareText);
  if (exact.length <= MAX_RESOURCES_PER_ACTION) return exact.map(literalPattern);
  const general = generalise(exact);
  if (general.length <= MAX_RESOURCES_PER_ACTION) {
    notes.generalised.push({ action: info.action, resources: exact.length, patterns: general });
    return general;
  }
  return anyResource(`its calls named ${exact.length} different resources, too many to list or to write as a few patterns.`);
}

/** ARNs that differ only after their last `/` become one `prefix/*`; the rest stay as they are (written literally). */
function generalise(arns: readonly string[]): string[] {
  const byPrefix = new Map<string, string[]>();
  for (const arn of arns) {
    const slash = arn.lastIndexOf('/');
    const prefix = slash >= resourcePartStart(arn) ? arn.slice(0, slash + 1) : arn;
    const members = byPrefix.get(prefix);
    if (members) members.push(arn);
    else byPrefix.set(prefix, [arn]);
  }
  const patterns: string[] = [];
  for (const [prefix, members] of byPrefix) {
    patterns.push(members.length > 1 ? `${literalPattern(prefix)}*` : literalPattern(members[0]));
  }
  return patterns.sort(compareText);
}

/** Where the resource part of an ARN starts: after its fifth colon. */
function resourcePartStart(arn: string): number {
  let at = -1;
  for (let colons = 0; colons < 5; colons++) {
    at = arn.indexOf(':', at + 1);
    if (at < 0) return arn.length;
  }
  return at + 1;
}

function dependentActions(plans: Map<string, ActionPlan>, catalogue: IamCatalogue): PolicyNotes['dependentActions'] {
  const needed = new Map<string, string[]>();
  for (const plan of plans.values()) {
    for (const dependent of plan.info.dependentActions) {
      if (plans.has(dependent) || !catalogue.iamActionExists(dependent)) continue;
      const by = needed.get(dependent);
      if (by) by.push(plan.info.action);
      else needed.set(dependent, [plan.info.action]);
    }
  }
  return [...needed].map(([action, neededBy]) => ({ action, neededBy: neededBy.sort(compareText) })).sort((a, b) => compareText(a.action, b.action));
}

/** A statement id from a service name: its letters and digits, words capitalised ("Amazon S3" → "AmazonS3"). */
function sidOf(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0);
  const sid = words.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
  return sid.length > 0 ? sid.slice(0, 100) : 'Service';
}
