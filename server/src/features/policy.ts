/**
 * `cloudtrail/generatePolicy` and `cloudtrail/comparePolicy`: the events of a group of the Events
 * tree (open logs or a folder index), found on the server from the tree's keys and filter, turned
 * into a least-privilege policy or compared with a policy document.
 */
import {
  comparePolicy,
  comparisonJson,
  comparisonText,
  documentUsage,
  EventSelection,
  generatePolicy,
  IamCatalogue,
  notesText,
  parsePolicyDocument,
  policyText,
  selectDocumentEvents,
  Usage,
} from '../model/iam/policy';
import { ComparePolicyParams, ComparePolicyResult, GeneratePolicyParams, GeneratePolicyResult, PolicyEventsParams } from '../protocol';
import { EventTreeInputs, normalizeFilter, normalizeGroupBy, scopeInputs } from './eventTree';

export interface PolicySources {
  /** The open logs. */
  inputsOf: EventTreeInputs;
  /** A folder index's calls. */
  folderUsage(folder: string, selection: EventSelection): Usage | undefined;
}

function selectionOf(params: PolicyEventsParams): EventSelection {
  const group = Array.isArray(params.group) ? params.group.filter((key): key is string => typeof key === 'string') : [];
  return { groupBy: normalizeGroupBy(params.groupBy), filter: normalizeFilter(params.filter), group };
}

/** The calls of the group the request names; undefined when its logs or the group are not there. */
function usageOf(params: PolicyEventsParams, sources: PolicySources): Usage | undefined {
  const selection = selectionOf(params);
  if (params.folder !== undefined) {
    return sources.folderUsage(params.folder, selection);
  }
  if (!params.textDocument) return undefined;
  const inputs = scopeInputs(params.textDocument.uri, params.scope, sources.inputsOf);
  if (inputs.length === 0) return undefined;
  const events = selectDocumentEvents(
    inputs.map((input) => input.model),
    selection,
  );
  return events ? documentUsage(events) : undefined;
}

function subjectOf(params: PolicyEventsParams): string {
  const filtered = Object.keys(normalizeFilter(params.filter)).length > 0 ? ', filtered as in the Events view' : '';
  const what =
    typeof params.subject === 'string' && params.subject
      ? params.subject
      : params.group && params.group.length > 0
        ? params.group[params.group.length - 1]
        : 'every event';
  return `${what}${filtered}`;
}

export function generatePolicyFor(params: GeneratePolicyParams, sources: PolicySources, catalogue: IamCatalogue): GeneratePolicyResult | null {
  const usage = usageOf(params, sources);
  if (!usage) return null;
  const generated = generatePolicy(usage, catalogue, { includeFailed: params.includeFailed === true });
  return {
    policy: policyText(generated.policy),
    notes: notesText(generated, subjectOf(params)),
    statements: generated.policy.Statement.length,
    actions: generated.policy.Statement.reduce((sum, statement) => sum + statement.Action.length, 0),
    events: usage.events,
  };
}

export function comparePolicyFor(params: ComparePolicyParams, sources: PolicySources, catalogue: IamCatalogue): ComparePolicyResult | null {
  const parsed = parsePolicyDocument(typeof params.policy === 'string' ? params.policy : '');
  if (!parsed.ok) return { ok: false, message: parsed.error.message };
  const usage = usageOf(params, sources);
  if (!usage) return null;
  const comparison = comparePolicy(parsed.policy, usage, catalogue);
  const counts = comparisonJson(comparison);
  return {
    ok: true,
    report: comparisonText(comparison, subjectOf(params), typeof params.policyName === 'string' && params.policyName ? params.policyName : 'The policy'),
    used: counts.used.length,
    unused: counts.unused.length,
    notGranted: counts.notGranted.length,
  };
}
