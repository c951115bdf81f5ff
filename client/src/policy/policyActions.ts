/**
 * "Generate IAM Policy" and "Compare with Policy...": which events (a group of the Events view,
 * the whole tree, or the active log), asked of the server, and the answer opened as documents.
 * No VS Code here: everything the commands touch comes in through `PolicyEnvironment`.
 */
import {
  ComparePolicyResult,
  EventFilter,
  GeneratePolicyParams,
  GeneratePolicyResult,
  GroupDimension,
  PolicyEventsParams,
  ComparePolicyParams,
} from '../../../server/src/protocol';

export interface PolicyServer {
  generatePolicy(params: GeneratePolicyParams): Promise<GeneratePolicyResult | null>;
  comparePolicy(params: ComparePolicyParams): Promise<ComparePolicyResult | null>;
}

/** What the Events view shows: its grouping, filter and logs (or folder index). */
export interface EventsViewState {
  groupBy: readonly GroupDimension[];
  filter?: EventFilter;
  /** The logs the view lists (the active one, or all open ones); empty with a folder index. */
  documents: readonly string[];
  /** The folder index the view lists, if any. */
  folder?: string;
}

/** A group of the Events view, as its tree items carry it. */
export interface GroupOfView {
  type: 'group';
  path: readonly string[];
  group: { label: string };
}

export interface PolicySource {
  text: string;
  name: string;
}

export interface PolicyEnvironment {
  server: PolicyServer;
  /** The Events view's state; undefined when the view has not been set up. */
  view(): EventsViewState | undefined;
  /** The CloudTrail log in the active editor. */
  activeLog(): string | undefined;
  /** The `cloudtrail.policy.includeFailedCalls` setting. */
  includeFailed(): boolean;
  /** Asks for a policy document (a file, the clipboard, typed); undefined when the user gave up. */
  pickPolicy(): Promise<PolicySource | undefined>;
  /** Opens an untitled document; `beside` puts it next to the previous one. */
  openDocument(content: string, language: 'json' | 'markdown', beside: boolean): Promise<void>;
  showInformation(message: string): void;
  showError(message: string): void;
}

/** The request's events: a group of the view (or the whole view) with its filter, or the whole active log. */
export function eventsParams(target: GroupOfView | 'view' | 'activeLog', env: PolicyEnvironment): PolicyEventsParams | undefined {
  if (target === 'activeLog') {
    const log = env.activeLog();
    return log === undefined ? undefined : { textDocument: { uri: log }, groupBy: [], subject: `every event of ${fileName(log)}` };
  }
  const view = env.view();
  if (!view || (view.folder === undefined && view.documents.length === 0)) return undefined;
  const params: PolicyEventsParams = { groupBy: [...view.groupBy] };
  if (view.folder !== undefined) {
    params.folder = view.folder;
  } else {
    params.textDocument = { uri: view.documents[0] };
    if (view.documents.length > 1) params.scope = view.documents.map((uri) => ({ uri }));
  }
  if (view.filter && Object.keys(view.filter).length > 0) params.filter = { ...view.filter };
  if (target !== 'view') {
    params.group = [...target.path];
    params.subject = target.group.label;
  } else {
    params.subject = view.folder !== undefined ? `every event of the folder ${fileName(view.folder)}` : 'every event of the Events view';
  }
  return params;
}

const NOTHING_TO_READ = 'Open a CloudTrail log (or a folder of logs) first: the policy is made from its events.';
const GONE = 'Those events are no longer there (the log was closed or changed); look at the Events view again.';

export async function generatePolicyCommand(target: GroupOfView | 'view' | 'activeLog', env: PolicyEnvironment): Promise<void> {
  const params = eventsParams(target, env);
  if (!params) {
    env.showError(NOTHING_TO_READ);
    return;
  }
  const result = await env.server.generatePolicy({ ...params, includeFailed: env.includeFailed() });
  if (!result) {
    env.showError(GONE);
    return;
  }
  await env.openDocument(result.policy, 'json', false);
  await env.openDocument(result.notes, 'markdown', true);
  if (result.statements === 0) {
    env.showInformation(`No IAM permission to grant in these ${result.events} events: the policy is empty (the notes say why).`);
  }
}

export async function comparePolicyCommand(target: GroupOfView | 'view' | 'activeLog', env: PolicyEnvironment): Promise<void> {
  const params = eventsParams(target, env);
  if (!params) {
    env.showError(NOTHING_TO_READ);
    return;
  }
  const source = await env.pickPolicy();
  if (!source) return;
  const result = await env.server.comparePolicy({ ...params, policy: source.text, policyName: source.name });
  if (!result) {
    env.showError(GONE);
    return;
  }
  if (!result.ok) {
    env.showError(`${source.name} is not a policy document this can read: ${result.message}`);
    return;
  }
  await env.openDocument(result.report, 'markdown', false);
}

/** The last part of a URI's path, for messages. */
function fileName(uri: string): string {
  const path = uri.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}
