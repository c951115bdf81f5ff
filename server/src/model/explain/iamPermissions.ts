/**
 * The IAM side of an event, for the event summary: the actions its call needed with their access
 * level, the resource types they act on and the ARNs of this record that fill them, the condition
 * keys and dependent actions, and links to the API and the service authorization reference. Or,
 * in plain words, that the call needs no IAM permission, or that the data does not know it.
 */
import { CloudTrailRecord } from '../cloudTrailDocument';
import {
  iamActionDescription,
  IamActionInfo,
  iamDataSource,
  iamDataVersion,
  iamPrefixForEventSource,
  IamResolution,
  iamServiceName,
  resolveIamActions,
  serviceAuthorizationUrl,
} from '../iam';
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { code, docLink, HoverBuilder, join, logText, Markdown, md, plain } from './markdown';

/** How many condition keys a hover lists before it says how many more there are. */
const MAX_CONDITION_KEYS = 12;
/** How many resource types are listed (ec2:CreateTags applies to a hundred). */
const MAX_RESOURCE_TYPES = 8;
/** The most ARNs read from one record, and the most nodes visited to find them. */
const MAX_RECORD_ARNS = 32;
const MAX_NODES_VISITED = 4000;
/** ARNs longer than this are not compared with patterns. */
const MAX_ARN_LENGTH = 1024;

/** The resolution of a record's event; undefined when the record names no event. */
export function resolveRecord(record: CloudTrailRecord): IamResolution | undefined {
  const { eventSource, eventName, eventType } = record.summary;
  if (eventSource === undefined || eventName === undefined) {
    return undefined;
  }
  return resolveIamActions(eventSource, eventName, eventType);
}

/**
 * The ARNs a record names as the resources it touched: `resources[].ARN` and every ARN-shaped
 * string of requestParameters and responseElements, in document order, without repeats. Bounded
 * in nodes visited and ARNs kept.
 */
export function recordArns(view: JsonView, recordNode: number): string[] {
  const arns: string[] = [];
  const add = (value: string | undefined): void => {
    if (value !== undefined && value.startsWith('arn:') && value.length <= MAX_ARN_LENGTH && !arns.includes(value)) {
      arns.push(value);
    }
  };
  const resources = view.property(recordNode, 'resources');
  if (view.kind(resources) === NodeKind.Array) {
    for (const resource of view.children(resources)) {
      add(view.stringProperty(resource, 'ARN') ?? view.stringProperty(resource, 'arn'));
    }
  }
  let budget = MAX_NODES_VISITED;
  const { start, end } = view.table;
  const walk = (node: number): void => {
    if (--budget < 0 || arns.length >= MAX_RECORD_ARNS) {
      return;
    }
    const kind = view.kind(node);
    if (kind === NodeKind.String) {
      // Only values that start as an ARN and are not too long are decoded (certificates are not).
      if (end[node] - start[node] <= MAX_ARN_LENGTH + 2 && view.text.startsWith('"arn:', start[node])) {
        add(view.string(node));
      }
    } else if (kind === NodeKind.Object || kind === NodeKind.Array) {
      for (const child of view.children(node)) {
        walk(child);
      }
    }
  };
  for (const name of ['requestParameters', 'responseElements']) {
    const node = view.property(recordNode, name);
    if (node !== NO_NODE) {
      walk(node);
    }
  }
  return arns.slice(0, MAX_RECORD_ARNS);
}

const compiledPatterns = new Map<string, RegExp>();

/**
 * A matcher for an ARN pattern of the reference (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 * A placeholder never spans a `:`; one followed by `/` (and a bucket name, which S3 forbids
 * slashes in) never spans a `/` either, while the others may (paths, object keys, log group
 * names). Each placeholder therefore ends at a character it cannot hold, so the expression never
 * backtracks over a value.
 */
function patternMatcher(pattern: string): RegExp {
  const cached = compiledPatterns.get(pattern);
  if (cached) {
    return cached;
  }
  const placeholder = /\$\{([A-Za-z0-9]+)\}/g;
  let source = '^';
  let last = 0;
  for (const match of pattern.matchAll(placeholder)) {
    source += escapeRegExp(pattern.slice(last, match.index));
    last = match.index + match[0].length;
    const next = pattern.charAt(last);
    source += next === '/' || match[1].endsWith('BucketName') ? '[^:/]+' : '[^:]+';
  }
  source += escapeRegExp(pattern.slice(last));
  const matcher = new RegExp(`${source}$`);
  compiledPatterns.set(pattern, matcher);
  return matcher;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The ARNs of `arns` that fit one of the patterns. */
export function arnsMatching(patterns: readonly string[], arns: readonly string[]): string[] {
  return arns.filter((arn) => patterns.some((pattern) => patternMatcher(pattern).test(arn)));
}

/** What a hover says of one action, apart from the ARNs of the record; the same for every record. */
interface ActionText {
  lines: Markdown[];
  /** Index in `lines` of the resources line. */
  resourcesLine: number;
  /** One part per shown resource type: its name, whether required, its pattern. */
  resourceParts: Markdown[];
  moreResourceTypes: number;
}

const actionTexts = new Map<string, ActionText>();

function resourcesLine(parts: readonly Markdown[], more: number): Markdown {
  return md`**Resources:** ${join(parts, '; ')}${more > 0 ? md`; and ${String(more)} more types` : ''}`;
}

function actionText(action: IamActionInfo): ActionText {
  const cached = actionTexts.get(action.action);
  if (cached) {
    return cached;
  }
  const reference = serviceAuthorizationUrl(action.action);
  const lines: Markdown[] = [
    md`${code(action.action)} \u2014 **${action.accessLevel}**${reference ? md` \u00b7 ${docLink('service authorization reference', reference)}` : ''}`,
  ];
  const description = iamActionDescription(action.action);
  if (description) {
    lines.push(md`The reference: ${plain(description)}`);
  }
  const resourceParts = action.resourceTypes
    .slice(0, MAX_RESOURCE_TYPES)
    .map((type) => md`${type.name}${type.required ? ' (required)' : ''}${type.arnPatterns.length > 0 ? md` ${code(type.arnPatterns[0])}` : ''}`);
  const moreResourceTypes = action.resourceTypes.length - resourceParts.length;
  const resourcesAt = lines.length;
  lines.push(resourceParts.length === 0 ? md`**Resources:** none named; a policy grants it on ${code('*')}` : resourcesLine(resourceParts, moreResourceTypes));
  if (action.conditionKeys.length > 0) {
    const keys = action.conditionKeys.slice(0, MAX_CONDITION_KEYS).map((key) => code(key));
    const more = action.conditionKeys.length - keys.length;
    lines.push(md`**Condition keys:** ${join(keys, ', ')}${more > 0 ? md` and ${String(more)} more` : ''}`);
  }
  if (action.dependentActions.length > 0) {
    lines.push(
      md`**Also needs:** ${join(
        action.dependentActions.map((name) => code(name)),
        ', ',
      )}`,
    );
  }
  const text: ActionText = { lines, resourcesLine: resourcesAt, resourceParts, moreResourceTypes };
  actionTexts.set(action.action, text);
  return text;
}

/** The lines of one action: its cached text, with the ARNs of this record beside the resource types they fill. */
function actionLines(action: IamActionInfo, arns: readonly string[]): Markdown[] {
  const text = actionText(action);
  if (arns.length === 0 || text.resourceParts.length === 0) {
    return text.lines;
  }
  const parts: Markdown[] = [];
  let filledAny = false;
  for (const [index, part] of text.resourceParts.entries()) {
    const filled = arnsMatching(action.resourceTypes[index].arnPatterns, arns);
    filledAny ||= filled.length > 0;
    parts.push(
      filled.length === 0
        ? part
        : md`${part} \u2014 in this record: ${join(
            filled.slice(0, 3).map((arn) => logText(arn)),
            ', ',
          )}`,
    );
  }
  if (!filledAny) {
    return text.lines;
  }
  const lines = text.lines.slice();
  lines[text.resourcesLine] = resourcesLine(parts, text.moreResourceTypes);
  return lines;
}

/** The footer naming the data and its version. */
export function iamDataFooter(): Markdown {
  footer ??= md`IAM data: the service authorization reference, from ${iamDataSource()} ${iamDataVersion()}`;
  return footer;
}

let footer: Markdown | undefined;

const intros = new WeakMap<readonly IamActionInfo[], Markdown>();

/** "The caller needed the IAM action of <service>:", worked out once per resolution. */
function introOf(actions: readonly IamActionInfo[], serviceName: string | undefined): Markdown {
  let intro = intros.get(actions);
  if (!intro) {
    const needed = actions.length === 1 ? 'the IAM action' : 'these IAM actions';
    intro = md`**IAM permission** \u2014 the caller needed ${needed}${serviceName ? md` of ${plain(serviceName)}` : ''}:`;
    intros.set(actions, intro);
  }
  return intro;
}

/** Adds the IAM section of the event summary to `out`; the caller ends the hover with `iamDataFooter`. */
export function iamSection(out: HoverBuilder, view: JsonView, record: CloudTrailRecord): void {
  const resolution = resolveRecord(record);
  if (!resolution) {
    return;
  }
  const prefix = iamPrefixForEventSource(record.summary.eventSource ?? '');
  const serviceName = prefix === undefined ? undefined : iamServiceName(prefix);
  out.rule();
  if (resolution.kind === 'no-permission') {
    out.paragraph(md`**IAM:** this call needs no IAM permission. ${plain(resolution.reason)}`);
  } else if (resolution.kind === 'unknown') {
    out.paragraph(
      serviceName === undefined
        ? md`**IAM:** not known. The IAM data has no service for this eventSource, so no action is named.`
        : md`**IAM:** not known. ${plain(serviceName)} has no IAM action by this name in the data, so none is named.`,
    );
  } else {
    out.paragraph(introOf(resolution.actions, serviceName));
    const arns = recordArns(view, record.node);
    for (const action of resolution.actions) {
      const [first, ...details] = actionLines(action, arns);
      out.bullet(first);
      details.forEach((line) => out.subBullet(line));
    }
  }
}
