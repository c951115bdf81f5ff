/**
 * The hover of a record field (a key or its value): what the field means, its type, since which
 * eventVersion it exists, and what this value says. `requestParameters`/`responseElements` are
 * explained by parameterHover; `eventName` by the event summary.
 */
import { JsonView, NO_NODE, NodeKind } from '../json/nodeTable';
import { hiddenCharactersLine, quotedValue, valuePrefix, wholeScalar, wholeString } from './boundedRead';
import { eventSummary, RecordContext } from './eventSummary';
import { accessKeyKind, identityChain } from './identityChain';
import { HoverBuilder, join, LONG_TEXT, logText, Markdown, md, plain, quoted } from './markdown';
import { CURRENT_EVENT_VERSION, compareEventVersions, FieldInfo, fieldAtPath, isEventVersion, isNewerThan, recordField } from './recordFields';
import { serviceForHostName } from './services';
import { isCanonicalEventTime } from './time';
import { addressLines, errorLines, genericValueLines, regionLines, serviceLines, timeLines, userAgentLines } from './valueReadings';

export type Path = readonly (string | number)[];

/** `userIdentity.sessionContext.attributes`, `resources[0].ARN`. */
export function pathLabel(path: Path): string {
  let label = '';
  for (const part of path) {
    label += typeof part === 'number' ? `[${part}]` : label === '' ? part : `.${part}`;
  }
  return label;
}

/** The node at `path` below `root` (property names and array indexes). */
export function nodeAtPath(view: JsonView, root: number, path: Path): number {
  let node = root;
  for (const part of path) {
    if (node === NO_NODE) {
      return NO_NODE;
    }
    if (typeof part === 'number') {
      let index = 0;
      let found = NO_NODE;
      for (const child of view.children(node)) {
        if (index++ === part) {
          found = child;
          break;
        }
      }
      node = found;
    } else {
      node = view.property(node, part);
    }
  }
  return node;
}

/** The "since / type / present" line and the meaning of a catalogued field. */
export function describeField(out: HoverBuilder, field: FieldInfo, eventVersion: string | undefined, where: string | undefined): void {
  const facts: Markdown[] = [];
  if (field.since) {
    facts.push(md`since eventVersion ${field.since}`);
  }
  if (where) {
    facts.push(md`${where}`);
  }
  facts.push(md`type: ${field.type}`);
  facts.push(md`present: ${field.presence}`);
  out.paragraph(join(facts, ' \u00b7 '));
  if (isNewerThan(field, eventVersion)) {
    out.paragraph(
      md`\u26a0 This record says eventVersion ${quoted(eventVersion ?? '')}, but ${field.name} only exists since ${field.since}: the record mixes versions or was edited.`,
    );
  }
  out.paragraph(plain(field.meaning));
}

/**
 * The value of a field, when it is a scalar: shown escaped and cut, with a warning when it holds
 * characters that draw nothing or turn the text around.
 */
export function valueLines(view: JsonView, node: number): Markdown[] {
  const kind = view.kind(node);
  if (kind === NodeKind.String) {
    const hidden = hiddenCharactersLine(valuePrefix(view, node)?.text ?? '');
    return hidden ? [md`**Value:** ${quotedValue(view, node)}`, hidden] : [md`**Value:** ${quotedValue(view, node)}`];
  }
  if (kind === NodeKind.Number || kind === NodeKind.Boolean || kind === NodeKind.Null) {
    return [md`**Value:** ${view.source(node)}`];
  }
  if (kind === NodeKind.Invalid) {
    return [md`**Value:** ${quoted(view.source(node))}, not valid JSON (a placeholder in an example?)`];
  }
  return [];
}

function fixedValueLine(field: FieldInfo, value: unknown): Markdown | undefined {
  if (!field.values || typeof value !== 'string') {
    return undefined;
  }
  const meaning = Object.prototype.hasOwnProperty.call(field.values, value) ? field.values[value] : undefined;
  return meaning
    ? md`**${value}:** ${plain(meaning)}`
    : md`**Odd:** not one of the values known for ${field.name}: ${plain(Object.keys(field.values).join(', '))}`;
}

function stringOf(view: JsonView, node: number): string | undefined {
  return wholeString(view, node);
}

/** Readings specific to one top-level field's value. */
function topLevelReadings(context: RecordContext, name: string, node: number): Markdown[] {
  const { view, record, env } = context;
  const text = stringOf(view, node);
  const { eventSource, eventName } = record.summary;
  switch (name) {
    case 'eventVersion': {
      if (text === undefined || !isEventVersion(text)) {
        return [md`**Odd:** not a version of the form major.minor`];
      }
      const comparison = compareEventVersions(text, CURRENT_EVENT_VERSION);
      return [
        comparison < 0
          ? md`**Version:** older than the newest (${CURRENT_EVENT_VERSION}); fields added since then cannot appear`
          : comparison === 0
            ? md`**Version:** the newest this project knows`
            : md`**Version:** newer than ${CURRENT_EVENT_VERSION}, the newest this project knows`,
      ];
    }
    case 'eventTime': {
      const lines = text !== undefined ? timeLines(text, env) : [];
      if (text !== undefined && lines.length === 0) {
        return [md`**Odd:** not a readable time`];
      }
      if (text !== undefined && !isCanonicalEventTime(text)) {
        lines.push(md`**Odd:** CloudTrail writes eventTime as YYYY-MM-DDTHH:MM:SSZ`);
      }
      return lines;
    }
    case 'eventSource':
      return text !== undefined ? serviceLines(text) : [];
    case 'awsRegion':
      return text !== undefined ? regionLines(text) : [];
    case 'sourceIPAddress':
      return text !== undefined ? addressLines(text) : [];
    case 'userAgent': {
      const consoleSession = identityChain(view, NO_NODE, record.node).consoleSession;
      // A user agent is read by its first characters, however long it is.
      const start = valuePrefix(view, node)?.text;
      return start !== undefined ? userAgentLines(start, consoleSession) : [];
    }
    case 'errorCode':
      return text !== undefined ? errorLines(text, { eventSource, eventName }) : [];
    case 'errorMessage': {
      const lines: Markdown[] = [md`The message was written by the service, but it often repeats values from the request, so it is shown as plain text.`];
      if (record.summary.errorCode) {
        lines.push(md`**Error code:** ${quoted(record.summary.errorCode)}`);
        lines.push(...errorLines(record.summary.errorCode, { eventSource, eventName }).slice(0, 1));
      }
      return lines;
    }
    case 'readOnly':
    case 'managementEvent': {
      const value = wholeScalar(view, node);
      if (typeof value !== 'boolean') {
        return [md`**Odd:** CloudTrail writes this field as true or false`];
      }
      if (name === 'readOnly') {
        return [value ? md`**Reading:** the action only reads` : md`**Reading:** the action can change something`];
      }
      return [value ? md`**Reading:** a management event` : md`**Reading:** a data event`];
    }
    case 'recipientAccountId': {
      const caller = record.summary.identity.accountId;
      if (text && caller && caller !== text) {
        return [md`**Cross-account:** the caller belongs to account ${caller}, and this record was delivered to account ${text}`];
      }
      return text && !/^\d{12}$/.test(text) ? [md`**Odd:** an account id has 12 digits`] : [];
    }
    case 'sessionCredentialFromConsole':
      return text === 'true' ? [md`**Reading:** someone made this call from the console`] : [];
    case 'eventID':
    case 'sharedEventID':
      return text !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? [md`**Odd:** not written as a GUID`] : [];
    default:
      return genericValueLines(view, node, name, env);
  }
}

/** Readings of a value inside `userIdentity`. */
function identityReadings(context: RecordContext, path: Path, node: number): Markdown[] {
  const { view, env } = context;
  const name = path[path.length - 1];
  const text = stringOf(view, node);
  switch (name) {
    case 'accessKeyId': {
      const kind = accessKeyKind(text);
      if (text === '') return [md`**Reading:** empty: no access key was used (for example a console or service call)`];
      return kind ? [md`**Reading:** ${kind === 'long-term' ? 'a long-term key of an IAM user or the root user' : 'a temporary key from STS'}`] : [];
    }
    case 'mfaAuthenticated':
      return text === 'true' ? [md`**Reading:** MFA was used`] : text === 'false' ? [md`**Reading:** MFA was not used`] : [];
    case 'invokedBy': {
      const service = text ? serviceForHostName(text) : undefined;
      return service ? [md`**Service:** ${service.name}`] : [];
    }
    case 'userName':
      return text === 'HIDDEN_DUE_TO_SECURITY_REASONS'
        ? [md`**Reading:** hidden by CloudTrail, because the sign-in failed with a name that may be a mistyped password`]
        : [];
    case 'ec2RoleDelivery':
      return text === '1.0' ? [md`**Reading:** IMDSv1 delivered the credentials`] : text === '2.0' ? [md`**Reading:** IMDSv2 delivered the credentials`] : [];
    default:
      return genericValueLines(view, node, name, env);
  }
}

/**
 * The hover of the field at `path` (its key or its value `node`). Returns the event summary for
 * `eventName`.
 */
export function fieldHover(context: RecordContext, path: Path, node: number): HoverBuilder {
  const { view, record } = context;
  const top = String(path[0]);
  if (path.length === 1 && top === 'eventName') {
    return eventSummary(context);
  }
  const out = new HoverBuilder();
  out.heading(md`${pathLabel(path)}`);
  const field = fieldAtPath(path);
  const eventVersion = record.summary.eventVersion;
  if (field) {
    describeField(out, field, eventVersion, path.length > 1 ? `inside ${top}` : undefined);
  } else if (path.length === 1) {
    out.paragraph(
      md`Not a field of the CloudTrail record format (as of eventVersion ${CURRENT_EVENT_VERSION}). A tool may have added it, or the record was edited.`,
    );
  } else {
    const parent = recordField(top);
    if (parent) {
      out.paragraph(md`A value inside ${top}: ${plain(parent.meaning)}`);
    }
  }

  const bullets: (Markdown | undefined)[] = valueLines(view, node);
  if (field) {
    bullets.push(fixedValueLine(field, wholeScalar(view, node)));
  }
  if (top === 'userIdentity') {
    const identity = view.property(record.node, 'userIdentity');
    bullets.push(md`**Who:** ${logText(identityChain(view, identity, record.node).text, LONG_TEXT)}`);
    if (path.length > 1) {
      bullets.push(...identityReadings(context, path, node));
    }
  } else if (path.length === 1) {
    bullets.push(...topLevelReadings(context, top, node));
  } else if (top === 'tlsDetails' && path[1] === 'tlsVersion') {
    const version = stringOf(view, node);
    if (version === 'TLSv1' || version === 'TLSv1.1') {
      bullets.push(md`**Odd:** an outdated TLS version`);
    }
  } else {
    bullets.push(...genericValueLines(view, node, path[path.length - 1], context.env));
  }
  out.bullets(bullets.filter((line): line is Markdown => line !== undefined));
  return out;
}
