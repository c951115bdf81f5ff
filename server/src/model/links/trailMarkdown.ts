/**
 * The trail in a hover: where else a value appears, where it was issued or made, who is behind
 * an identity, and what happened to a resource. Every value from a log goes through the
 * escaping of `explain/markdown.ts`.
 */
import { HoverBuilder, join, Markdown, md, plain, trusted } from '../explain/markdown';
import { resourceLifecycle } from './lifecycle';
import { LINK_KIND_NAMES, LinkKind, LinkRole } from './linkFacts';
import { LinkHit, LinkScope, withRole } from './linkStore';
import { RecordDetails } from './recordDetails';
import { Trail, TrailStep, walkTrail } from './trail';
import { definitionsOf } from './trailQueries';

/** Lines of a list shown before "and N more". */
const MAX_LINES = 12;

/** Hits whose callers are counted for "Used by": a value held by more is described by its first ones. */
const MAX_COUNTED = 2000;

function fileName(uri: string): string {
  const name = uri.slice(uri.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function where(record: { uri: string; range: { start: { line: number } } }, here: string): string {
  return `${record.uri === here ? 'this file' : fileName(record.uri)}, line ${record.range.start.line + 1}`;
}

function hitWhere(hit: LinkHit, here: string): string {
  return where({ uri: hit.uri, range: hit.anchor }, here);
}

/** One step of a trail as a line: the identity, and how its credentials were issued. */
function stepLine(step: TrailStep, here: string): Markdown {
  const issued = step.issuedBy;
  if (!issued) {
    return md`${step.label} \u2014 ${plain('seen in')} ${step.seenIn.eventName ?? 'an event'} (${where(step.seenIn, here)})`;
  }
  const caller = issued.identity;
  const facts = [
    issued.sourceIPAddress !== undefined ? md`from ${issued.sourceIPAddress}` : undefined,
    caller.mfa !== undefined ? plain(caller.mfa ? 'MFA yes' : 'MFA no') : issued.request.serialNumber !== undefined ? plain('MFA device given') : undefined,
    issued.request.sourceIdentity !== undefined
      ? md`source identity ${issued.request.sourceIdentity}`
      : caller.sourceIdentity !== undefined
        ? md`source identity ${caller.sourceIdentity}`
        : undefined,
    caller.invokedBy !== undefined ? md`through ${caller.invokedBy}` : undefined,
    issued.userAgent !== undefined ? md`user agent ${issued.userAgent}` : undefined,
  ];
  return md`${step.label} \u2014 ${plain('issued by')} **${issued.eventName ?? '?'}** ${plain('at')} ${issued.eventTime ?? '?'} (${where(issued, here)}; ${join(facts, ', ')})`;
}

/** "Who is behind this?" for the identity acting in `record`. */
export function trailSection(builder: HoverBuilder, trail: Trail, here: string): void {
  const origin = trail.origin;
  builder.paragraph(
    trail.complete
      ? md`**${plain('Who is behind this?')}** ${origin.label} ${plain(`\u2014 the origin, ${trail.steps.length - 1} hop${trail.steps.length === 2 ? '' : 's'} back`)}`
      : md`**${plain('Who is behind this?')}** ${plain('as far as these logs go:')} ${origin.label}`,
  );
  builder.bullets(trail.steps.map((step, i) => md`${plain(`${i + 1}.`)} ${stepLine(step, here)}`));
  builder.paragraph(md`${trusted('*')}${plain(trail.complete ? 'Origin:' : 'Where the trail leaves these logs:')}${trusted('*')} ${trail.end}`);
}

/** What the hover adds on a linked value. */
export function linkHoverMarkdown(scope: LinkScope, value: { kind: LinkKind; role: LinkRole; value: string }, record: RecordDetails, here: string): string {
  const builder = new HoverBuilder();
  const hits = scope.hits(value.kind, value.value);
  const kindName = LINK_KIND_NAMES[value.kind];
  const first = hits.at(0);
  const last = hits.at(-1);
  builder.heading(md`${plain('Trail of this')} ${plain(kindName)}`);
  builder.paragraph(
    first !== undefined && last !== undefined
      ? md`${plain(`${hits.length} event${hits.length === 1 ? '' : 's'}`)} ${plain('hold it, from')} ${first.eventTime ?? '?'} ${plain('to')} ${last.eventTime ?? '?'} ${plain('(Find All References lists them).')}`
      : undefined,
  );
  const definitions = definitionsOf(scope, value.kind, value.value, record);
  if (definitions.length > 0 && !(definitions.length === 1 && definitions[0].uri === record.uri && definitions[0].index === record.index)) {
    const made = definitions[0].details;
    const verb =
      value.kind === LinkKind.sharedEventId
        ? 'The same event in the other account:'
        : value.kind === LinkKind.arn && value.role !== LinkRole.issued && !value.value.includes(':assumed-role/')
          ? 'Made by'
          : 'Issued by';
    builder.paragraph(
      md`${plain(verb)} **${made?.eventName ?? '?'}** ${plain('at')} ${made?.eventTime ?? '?'} (${where(definitions[0], here)})${made?.recipientAccountId !== undefined ? md`, ${plain('account')} ${made.recipientAccountId}` : ''}`,
    );
  }
  const identityValue =
    (value.role === LinkRole.caller && (value.kind === LinkKind.arn || value.kind === LinkKind.principalId || value.kind === LinkKind.accessKey)) ||
    value.role === LinkRole.callerRole ||
    value.role === LinkRole.issued;
  if (identityValue) {
    trailSection(builder, walkTrail(scope, record), here);
  } else if (value.kind === LinkKind.arn) {
    const life = resourceLifecycle(scope, value.value);
    if (life.length > 0) {
      builder.paragraph(md`**${plain('Lifecycle')}**`);
      builder.bullets(
        life
          .slice(0, MAX_LINES)
          .map(
            (entry) =>
              md`${entry.hit.eventTime ?? '?'} ${entry.stage}${entry.failed ? md` (${plain('failed:')} ${entry.hit.errorCode})` : ''} \u2014 ${entry.hit.identity?.label ?? '?'} (${hitWhere(entry.hit, here)})`,
          ),
      );
      if (life.length > MAX_LINES) builder.paragraph(plain(`and ${life.length - MAX_LINES} more`));
    }
  } else {
    const callers = new Map<string, number>();
    const counted = withRole(hits, LinkRole.caller, LinkRole.request).slice(0, MAX_COUNTED);
    for (const hit of counted) {
      const label = hit.identity?.label ?? '?';
      callers.set(label, (callers.get(label) ?? 0) + 1);
    }
    const top = [...callers.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (top.length > 0) {
      const among = counted.length === MAX_COUNTED ? plain(` (among its first ${MAX_COUNTED} events)`) : '';
      builder.paragraph(
        md`${plain('Used by')} ${join(
          top.map(([label, count]) => md`${label} (${count})`),
          ', ',
        )}${callers.size > top.length ? plain(` and ${callers.size - top.length} more`) : ''}${among}`,
      );
    }
  }
  return builder.toString();
}
