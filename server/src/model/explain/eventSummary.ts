/**
 * The summary of a whole event, shown on its `eventName` and on the record's opening brace:
 * service and operation, what the operation does, whether it reads or writes, who, when, from
 * where, whether it failed and why, and for ACM the parameters, what CloudTrail logs and the errors.
 */
import { ACM_ACME_EVENT_SOURCE, ACM_EVENT_SOURCE } from '../acm/acmApiModel';
import { CloudTrailRecord } from '../cloudTrailDocument';
import { recordFieldValue } from '../forwarded';
import { JsonView, NO_NODE } from '../json/nodeTable';
import { acmOperationFacts, AcmOperationFacts } from './acmOperations';
import { describeShape } from './acmParameters';
import { addAttackKnowledge } from './attackHover';
import { addRuleMatches } from './findingsHover';
import { acmeProtocolEvent } from './acmeProtocolEvents';
import { iamPrefixForEventSource, iamServiceName, undatedOperationName } from '../iam';
import { iamDataFooter, iamSection } from './iamPermissions';
import { quotedValue, valuePrefix, wholeString } from './boundedRead';
import { identityChain } from './identityChain';
import { readSourceAddress } from './ipAddress';
import { code, docLink, HoverBuilder, join, LONG_TEXT, logText, Markdown, md, plain, quoted } from './markdown';
import { CURRENT_EVENT_VERSION, isNewerThan, recordField } from './recordFields';
import { apiReferenceUrl, readVerb, regionName, serviceForEventSource } from './services';
import { formatAge, formatLocal, formatUtc, parseTimestamp } from './time';
import { errorLines, HoverEnvironment, userAgentPhrase } from './valueReadings';

/** A record being explained, with the view its nodes live in. */
export interface RecordContext {
  readonly record: CloudTrailRecord;
  readonly view: JsonView;
  readonly env: HoverEnvironment;
}

const MAX_ENUM_SHOWN = 8;

/** "acm.amazonaws.com" -> its operation facts, for ACM events only. */
export function acmFactsOf(record: CloudTrailRecord): AcmOperationFacts | undefined {
  const { eventSource, eventName } = record.summary;
  return eventSource === ACM_EVENT_SOURCE && eventName ? acmOperationFacts(eventName) : undefined;
}

/** A string field of a record, read where a log forwarder moved it if the record lacks it. */
function stringField(view: JsonView, node: number, name: string): string | undefined {
  return wholeString(view, recordFieldValue(view, node, name));
}

/** Whether the event only reads, and who says so. */
function accessLine(context: RecordContext, facts: AcmOperationFacts | undefined): Markdown {
  const { record } = context;
  const { readOnly, eventName, eventSource } = record.summary;
  if (readOnly !== undefined) {
    return readOnly ? md`**Only reads** (readOnly: true)` : md`**Changes something** (readOnly: false)`;
  }
  if (facts) {
    return facts.guide.access === 'read' ? md`**Only reads**` : md`**Changes something**`;
  }
  const acme = eventSource === ACM_ACME_EVENT_SOURCE && eventName ? acmeProtocolEvent(eventName) : undefined;
  if (acme) {
    return acme.access === 'read' ? md`**Only reads**` : md`**Changes something**`;
  }
  const verb = eventName ? readVerb(eventName) : undefined;
  if (verb?.access) {
    return verb.access === 'read' ? md`**Probably only reads** (from the verb ${verb.verb})` : md`**Probably changes something** (from the verb ${verb.verb})`;
  }
  return md`**Reads or writes:** not known (no readOnly field, and the verb does not tell)`;
}

function categoryPart(context: RecordContext): Markdown | undefined {
  const { view, record } = context;
  const category = stringField(view, record.node, 'eventCategory');
  const { eventSource, eventName } = record.summary;
  const acme = eventSource === ACM_ACME_EVENT_SOURCE && eventName ? acmeProtocolEvent(eventName) : undefined;
  const named = category ?? acme?.category;
  if (!named) {
    return undefined;
  }
  const meaning = recordField('eventCategory')?.values?.[named];
  return meaning ? md`${named} event` : md`category ${quoted(named)}`;
}

/** The paragraph that says what the operation does. */
function description(context: RecordContext, facts: AcmOperationFacts | undefined): Markdown {
  const { record } = context;
  const { eventSource, eventName, eventType } = record.summary;
  if (facts) {
    return plain(facts.guide.summary);
  }
  if (eventSource === ACM_ACME_EVENT_SOURCE && eventName) {
    const acme = acmeProtocolEvent(eventName);
    if (acme) {
      return plain(`${acme.summary} A request of the ACME protocol to an ACM ACME endpoint, not an ACM API call.`);
    }
    return md`A request to an ACM ACME endpoint that this project does not describe.`;
  }
  if (eventSource === ACM_EVENT_SOURCE) {
    return md`An ACM event that is not an operation of the ACM API model.`;
  }
  const typeMeaning = eventType ? recordField('eventType')?.values?.[eventType] : undefined;
  const service = serviceFullName(eventSource ?? '');
  if (typeMeaning && eventType !== 'AwsApiCall') {
    return md`${plain(capitalize(typeMeaning))}, recorded by ${service}.`;
  }
  return md`An operation of ${service}.`;
}

/** The service's name: this project's own for the services it names, else the IAM reference's, else the host prefix. */
function serviceFullName(eventSource: string): string {
  const service = serviceForEventSource(eventSource);
  if (service.known) {
    return service.name;
  }
  const prefix = iamPrefixForEventSource(eventSource);
  return (prefix === undefined ? undefined : iamServiceName(prefix)) ?? service.name;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function whenLine(context: RecordContext): Markdown | undefined {
  const eventTime = context.record.summary.eventTime;
  if (eventTime === undefined) {
    return undefined;
  }
  const parsed = parseTimestamp(eventTime);
  if (!parsed) {
    return md`**When:** ${quoted(eventTime)} (not a readable time)`;
  }
  const local = formatLocal(parsed.epochMs, context.env.timeZone);
  return md`**When:** ${join([formatUtc(parsed.epochMs), local, formatAge(parsed.epochMs, context.env.now)], ' \u00b7 ')}`;
}

function fromLine(context: RecordContext, consoleSession: boolean): Markdown | undefined {
  const { view, record } = context;
  const addressNode = recordFieldValue(view, record.node, 'sourceIPAddress');
  const address = valuePrefix(view, addressNode);
  // A user agent is read by its first characters, however long it is.
  const userAgent = valuePrefix(view, recordFieldValue(view, record.node, 'userAgent'))?.text;
  if (address === undefined && userAgent === undefined) {
    return undefined;
  }
  const parts: Markdown[] = [];
  if (address !== undefined) {
    parts.push(address.cut ? quotedValue(view, addressNode) : md`${quoted(address.text)} (${readSourceAddress(address.text).description})`);
  }
  if (userAgent !== undefined) {
    parts.push(md`using ${logText(userAgentPhrase(userAgent, consoleSession), LONG_TEXT)}`);
  }
  return md`**From:** ${join(parts, ', ')}`;
}

function resultLines(context: RecordContext): Markdown[] {
  const { view, record } = context;
  const { errorCode, eventSource, eventName } = record.summary;
  const messageNode = view.property(record.node, 'errorMessage');
  const message = valuePrefix(view, messageNode);
  if (errorCode === undefined && message === undefined) {
    return [md`**Result:** succeeded (no errorCode)`];
  }
  const lines: Markdown[] = [];
  if (errorCode !== undefined) {
    const meaning = errorLines(errorCode, { eventSource, eventName }).at(0);
    lines.push(md`**Result:** failed with ${quoted(errorCode)}`);
    if (meaning) {
      lines.push(meaning);
    }
  } else {
    lines.push(md`**Result:** failed (an errorMessage without an errorCode)`);
  }
  if (message !== undefined) {
    lines.push(md`**Message:** ${quotedValue(view, messageNode, 300)}`);
  }
  return lines;
}

/** One line per parameter of an ACM operation: name, type, required, constraints, enum, and whether the record has it. */
export function parameterLines(facts: AcmOperationFacts, view: JsonView | undefined, requestParameters: number): Markdown[] {
  return facts.parameters.map((member) => {
    const shape = describeShape(member.shapeName, member.shape);
    const parts: Markdown[] = [md`${shape.type}`, member.required ? md`**required**` : md`optional`];
    for (const constraint of shape.constraints) {
      parts.push(md`${constraint}`);
    }
    if (shape.enumValues) {
      const shown = shape.enumValues.slice(0, MAX_ENUM_SHOWN).join(', ');
      const more = shape.enumValues.length > MAX_ENUM_SHOWN ? ` and ${shape.enumValues.length - MAX_ENUM_SHOWN} more` : '';
      parts.push(md`one of ${plain(shown + more)}`);
    }
    if (shape.pattern) {
      parts.push(md`pattern-checked`);
    }
    if (shape.sensitive) {
      parts.push(md`secret`);
    }
    if (shape.deprecated) {
      parts.push(md`deprecated`);
    }
    let presence: Markdown | undefined;
    if (view && requestParameters !== NO_NODE) {
      const present = view.property(requestParameters, member.logName) !== NO_NODE || view.property(requestParameters, member.name) !== NO_NODE;
      presence = present ? md` \u2014 in this record` : member.required ? md` \u2014 **missing from this record**` : undefined;
    }
    return md`${code(member.logName)}: ${join(parts, ', ')}${presence}`;
  });
}

/** Fields of the record that its eventVersion should not have yet. */
function newerFields(context: RecordContext): string[] {
  const { view, record } = context;
  const version = record.summary.eventVersion;
  const newer: string[] = [];
  for (const child of view.children(record.node)) {
    const key = view.key(child);
    const field = key === undefined ? undefined : recordField(key);
    if (field && isNewerThan(field, version)) {
      newer.push(`${field.name} (${field.since})`);
    }
  }
  return newer;
}

/** The whole-event hover. */
export function eventSummary(context: RecordContext): HoverBuilder {
  const { view, record } = context;
  const { eventSource, eventName, eventType, eventVersion, awsRegion } = record.summary;
  const out = new HoverBuilder();
  const isInsight = eventType === 'AwsCloudTrailInsight' || view.property(record.node, 'insightDetails') !== NO_NODE;
  const facts = acmFactsOf(record);

  if (eventName === undefined) {
    out.heading(isInsight ? md`CloudTrail Insights record` : md`A record without an eventName`);
    out.paragraph(
      isInsight
        ? md`CloudTrail noticed unusual API activity; insightDetails says which call and how it differed from the usual rate. Insights records name no caller.`
        : md`Without eventName (and eventSource) the record does not say what was done.`,
    );
  } else {
    out.heading(md`${eventName} \u00b7 ${eventSource === undefined ? 'no eventSource' : serviceFullName(eventSource) || 'no eventSource'}`);
    // Lambda logs the API version in the name (CreateFunction20150331); its page is the operation's.
    const url = apiReferenceUrl(eventSource ?? '', undatedOperationName(eventName), { eventType, knownOperation: facts !== undefined });
    out.paragraph(join([accessLine(context, facts), categoryPart(context), url ? docLink('API reference', url) : undefined], ' \u00b7 '));
    out.paragraph(description(context, facts));
  }

  const identityNode = view.property(record.node, 'userIdentity');
  const chain = identityChain(view, identityNode, record.node);
  const bullets: (Markdown | undefined)[] = [];
  if (!isInsight || identityNode !== NO_NODE) {
    bullets.push(md`**Who:** ${logText(chain.text, LONG_TEXT)}`);
  }
  bullets.push(whenLine(context));
  bullets.push(fromLine(context, chain.consoleSession));
  if (awsRegion !== undefined) {
    const name = regionName(awsRegion);
    bullets.push(md`**Region:** ${awsRegion}${name ? md`, ${name}` : md`, not a known region`}`);
  }
  if (!isInsight) {
    bullets.push(...resultLines(context));
  }
  out.bullets(bullets.filter((line): line is Markdown => line !== undefined));

  const newer = newerFields(context);
  if (newer.length > 0) {
    out.paragraph(
      md`\u26a0 This record says eventVersion ${quoted(eventVersion ?? '')}, but has fields that only exist in later versions: ${plain(newer.join(', '))}.`,
    );
  } else if (eventVersion !== undefined && !/^\d+\.\d+$/.test(eventVersion)) {
    out.paragraph(md`\u26a0 eventVersion ${quoted(eventVersion)} is not a version number (the newest is ${CURRENT_EVENT_VERSION}).`);
  }

  addRuleMatches(out, context.env.rulesMatching?.(record.index) ?? []);
  addAttackKnowledge(out, record);
  iamSection(out, view, record);

  if (facts) {
    out.rule();
    const requestParameters = view.property(record.node, 'requestParameters');
    if (facts.parameters.length > 0) {
      out.paragraph(md`**Parameters of ${facts.guide.name}**`);
      out.bullets(parameterLines(facts, view, requestParameters));
    } else {
      out.paragraph(md`**Parameters:** none.`);
    }
    out.paragraph(md`**What CloudTrail records**`);
    out.bullets(facts.logNotes.map((note) => plain(note)));
    if (facts.errors.length > 0) {
      out.paragraph(md`**Errors it can return:** ${plain(facts.errors.join(', '))}`);
    }
  }
  if (eventName !== undefined && eventSource !== undefined) {
    out.rule();
    out.paragraph(md`_${iamDataFooter()}_`);
  }
  return out;
}
