/**
 * The hover of `requestParameters`, `responseElements` and everything inside them. For ACM the
 * member is looked up in the API model (meaning, type, constraints, and whether this value
 * satisfies them); for the ACME protocol and other services the hover names the service and what
 * the verb says.
 */
import { ACM_ACME_EVENT_SOURCE, acmShape, Member, Shape } from '../acm/acmApiModel';
import { NodeKind } from '../json/nodeTable';
import { BYTE_BUFFER_FIELDS, checkValue, describeShape, isByteBufferDump, resolveAcmParameter, Section } from './acmParameters';
import { acmFactsOf, parameterLines, RecordContext } from './eventSummary';
import { describeField, nodeAtPath, Path, pathLabel, valueLines } from './fieldHover';
import { code, HoverBuilder, join, LONG_TEXT, logText, Markdown, md, plain, quoted } from './markdown';
import { recordField } from './recordFields';
import { readVerb, serviceForEventSource } from './services';
import { genericValueLines } from './valueReadings';

/** Patterns of the model can be long (PEM); a hover shows their start. */
const MAX_PATTERN_SHOWN = 120;
const MAX_ENUM_SHOWN = 24;

function typeLines(shapeName: string, modelShape: Shape, member: Member | undefined, listItem: boolean): Markdown[] {
  const shape = describeShape(shapeName, modelShape);
  const lines: Markdown[] = [md`**Type:** ${shape.type}${listItem ? ' (one item of the list)' : ''}`];
  if (member && !listItem) {
    lines.push(member.required ? md`**Required:** yes` : md`**Required:** no`);
  }
  if (shape.constraints.length > 0) {
    lines.push(md`**Constraints:** ${plain(shape.constraints.join(', '))}`);
  }
  if (shape.pattern) {
    const pattern = shape.pattern.length > MAX_PATTERN_SHOWN ? `${shape.pattern.slice(0, MAX_PATTERN_SHOWN)}\u2026` : shape.pattern;
    lines.push(md`**Pattern:** ${code(pattern)}`);
  }
  if (shape.enumValues) {
    const shown = shape.enumValues.slice(0, MAX_ENUM_SHOWN).join(', ');
    const more = shape.enumValues.length > MAX_ENUM_SHOWN ? ` and ${shape.enumValues.length - MAX_ENUM_SHOWN} more` : '';
    lines.push(md`**Allowed values:** ${plain(shown + more)}`);
  }
  if (shape.sensitive) {
    lines.push(md`**Secret:** the model marks it sensitive; CloudTrail should not show it`);
  }
  if (shape.deprecated) {
    lines.push(md`**Deprecated** in the API model`);
  }
  return lines;
}

/** The hover of the section key itself: the operation's parameters (or response members) and a check of the whole value. */
function sectionOverview(context: RecordContext, section: Section, node: number, out: HoverBuilder): void {
  const { view, record } = context;
  const facts = acmFactsOf(record);
  if (!facts) {
    return;
  }
  const value = view.kind(node);
  if (section === 'requestParameters') {
    if (facts.parameters.length === 0) {
      out.paragraph(md`${facts.guide.name} takes no parameters.`);
    } else {
      out.paragraph(md`**Parameters of ${facts.guide.name}**`);
      out.bullets(parameterLines(facts, view, node));
    }
  } else if (facts.outputs.length === 0) {
    out.paragraph(md`${facts.guide.name} returns nothing, so responseElements is null.`);
  } else {
    out.paragraph(md`**What ${facts.guide.name} returns**`);
    out.bullets(facts.outputs.map((member) => md`${code(member.logName)}: ${describeShape(member.shapeName, member.shape).type}`));
  }
  if (value === NodeKind.Null) {
    out.paragraph(md`**This record:** null.`);
    return;
  }
  const operation = facts.operation;
  const shapeName = section === 'requestParameters' ? operation.input?.shape : operation.output?.shape;
  const shape = shapeName ? acmShape(shapeName) : undefined;
  if (shapeName && shape) {
    const check = checkValue(view, node, shapeName, shape, section);
    out.paragraph(
      check.ok === false
        ? md`**This record:** \u2717 ${logText(check.notes.join('; '), LONG_TEXT)}`
        : check.notes.length > 0
          ? md`**This record:** ${logText(check.notes.join('; '), LONG_TEXT)}`
          : md`**This record:** \u2713 has every required member`,
    );
  }
}

/** The hover of a value (or key) inside requestParameters or responseElements of an ACM event. */
function acmParameterHover(context: RecordContext, path: Path, node: number, out: HoverBuilder): boolean {
  const { view, record } = context;
  const facts = acmFactsOf(record);
  if (!facts) {
    return false;
  }
  const section = path[0] as Section;
  const rest = path.slice(1);
  const resolved = resolveAcmParameter(facts.guide.name, section, rest);
  if (!resolved) {
    out.paragraph(
      section === 'responseElements'
        ? md`${facts.guide.name} returns nothing in the API model, so the model does not describe this value.`
        : md`${facts.guide.name} takes no parameters in the API model, so the model does not describe this value.`,
    );
    return true;
  }
  if (resolved.unknown) {
    out.paragraph(
      md`${quoted(resolved.unknown.name)} is not a member of ${resolved.unknown.parentShape} in the ACM API model: a newer parameter, a typo, or something the record was edited to hold.`,
    );
    return true;
  }
  const member = resolved.member;
  const role = section === 'requestParameters' ? 'parameter' : 'response member';
  if (member) {
    out.paragraph(
      resolved.listItem
        ? md`An item of the ${role} ${code(member.logName)} of ${facts.guide.name}`
        : md`The ${role} ${code(member.logName)} of ${facts.guide.name}`,
    );
  }
  if (resolved.meaning) {
    out.paragraph(plain(resolved.meaning));
  }
  const bullets: (Markdown | undefined)[] = [];
  if (resolved.byteBufferField !== undefined) {
    // Inside the dump: explain the dump's field, then read the whole dump.
    const field = resolved.byteBufferField;
    const meaning = Object.prototype.hasOwnProperty.call(BYTE_BUFFER_FIELDS, field) ? BYTE_BUFFER_FIELDS[field] : undefined;
    bullets.push(
      meaning
        ? md`**${field}:** ${plain(meaning)} (a field of the Java ByteBuffer that CloudTrail dumped)`
        : md`${quoted(field)} is not a field of a Java ByteBuffer dump`,
    );
    bullets.push(...valueLines(context.view, node));
    const dump = nodeAtPath(view, record.node, [section, ...(resolved.byteBufferPath ?? [])]);
    if (member && dump >= 0) {
      const check = checkValue(view, dump, resolved.shapeName, resolved.shape, member.logName);
      bullets.push(check.reading ? md`**The whole value:** ${check.reading}` : undefined);
    }
    out.bullets(bullets.filter((line): line is Markdown => line !== undefined));
    return true;
  }
  bullets.push(...typeLines(resolved.shapeName, resolved.shape, member, resolved.listItem));
  bullets.push(...valueLines(context.view, node));
  const name = member ? `${member.logName}${resolved.listItem ? ' item' : ''}` : 'value';
  const check = checkValue(view, node, resolved.shapeName, resolved.shape, name);
  if (isByteBufferDump(view, node)) {
    bullets.push(md`**Logged as:** a Java ByteBuffer dump (CloudTrail does not log the bytes as text)`);
  }
  if (check.reading) {
    bullets.push(md`**Reading:** ${check.reading}`);
  }
  if (check.ok === true) {
    bullets.push(
      md`**This value:** \u2713 satisfies the model\u2019s constraints${check.notes.length > 0 ? md` (${logText(check.notes.join('; '), LONG_TEXT)})` : ''}`,
    );
  } else if (check.ok === false) {
    bullets.push(md`**This value:** \u2717 ${logText(check.notes.join('; '), LONG_TEXT)}`);
  } else if (check.notes.length > 0) {
    bullets.push(md`**This value:** ${logText(check.notes.join('; '), LONG_TEXT)}`);
  }
  bullets.push(...genericValueLines(view, node, path[path.length - 1], context.env));
  out.bullets(bullets.filter((line): line is Markdown => line !== undefined));
  return true;
}

/** The hover of requestParameters, responseElements or anything inside them. */
export function parameterHover(context: RecordContext, path: Path, node: number): HoverBuilder {
  const { view, record, env } = context;
  const section = path[0] as Section;
  const out = new HoverBuilder();
  out.heading(md`${pathLabel(path)}`);
  const { eventSource, eventName } = record.summary;
  const facts = acmFactsOf(record);
  if (path.length === 1) {
    const field = recordField(section);
    if (field) {
      describeField(out, field, record.summary.eventVersion, undefined);
    }
    if (facts) {
      sectionOverview(context, section, node, out);
    } else if (view.kind(node) === NodeKind.Null) {
      out.paragraph(md`**This record:** null.`);
    }
    if (!facts) {
      out.paragraph(serviceSentence(eventSource, eventName));
    }
    return out;
  }
  if (facts && acmParameterHover(context, path, node, out)) {
    return out;
  }
  out.paragraph(serviceSentence(eventSource, eventName));
  if (eventSource === ACM_ACME_EVENT_SOURCE) {
    out.paragraph(md`ACME protocol requests are not part of the ACM API model, so their values are not checked.`);
  }
  const bullets = [...valueLines(context.view, node), ...genericValueLines(view, node, path[path.length - 1], env)];
  out.bullets(bullets);
  return out;
}

/** "A value sent to Amazon EC2 for RunInstances, a call that changes something." */
function serviceSentence(eventSource: string | undefined, eventName: string | undefined): Markdown {
  const service = serviceForEventSource(eventSource ?? '');
  const verb = eventName ? readVerb(eventName) : undefined;
  const access =
    verb?.access === 'read' ? 'a call that only reads (from its verb)' : verb?.access === 'write' ? 'a call that changes something (from its verb)' : undefined;
  return join(
    [md`Part of a call to ${service.name}`, eventName !== undefined ? md`for ${eventName}` : undefined, access ? md`\u2014 ${access}` : undefined],
    ' ',
  );
}
