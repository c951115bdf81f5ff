/**
 * Hover lines for values: times, ARNs, addresses, user agents and error codes. Each function
 * returns Markdown built with `md`, so every piece of the log in it is escaped.
 */
import type { RuleMetadata } from '../detections/types';
import { JsonView, NodeKind } from '../json/nodeTable';
import { wholeString } from './boundedRead';
import { checkArn, describeArnResource, parseArn, partitionName } from './arn';
import { readErrorCode } from './errorCodes';
import { readSourceAddress } from './ipAddress';
import { LONG_TEXT, logText, Markdown, md, plain, quoted } from './markdown';
import { regionName, serviceForEventSource } from './services';
import { describeTimestampFormat, readTime, TimeEnvironment } from './time';
import { readUserAgent } from './userAgent';

/**
 * What a hover reads besides the log: the clock and zone times are read against, and the rules
 * that matched each record (by its position in the file), when detections ran.
 */
export interface HoverEnvironment extends TimeEnvironment {
  readonly rulesMatching?: (record: number) => readonly RuleMetadata[];
}

/** UTC, local time, age and epoch of a timestamp; empty when the value is not a time. */
export function timeLines(value: string | number, env: HoverEnvironment): Markdown[] {
  const time = readTime(value, env);
  if (!time) {
    return [];
  }
  const lines = [md`**UTC:** ${time.utc}`];
  if (time.local) {
    lines.push(md`**Local:** ${time.local}`);
  }
  lines.push(md`**Age:** ${time.age}`);
  lines.push(md`**Epoch:** ${String(time.epochSeconds)} seconds`);
  if (time.format !== 'iso-extended' || time.zoneAssumed) {
    const zone = time.zoneAssumed ? ', no time zone given: read as UTC' : '';
    lines.push(md`**Written as:** ${describeTimestampFormat(time.format)}${zone}`);
  }
  return lines;
}

/** The parts of an ARN, or an empty list when the text is not one. */
export function arnLines(text: string): Markdown[] {
  const arn = parseArn(text);
  if (!arn) {
    return [];
  }
  const lines = [md`**ARN of:** ${describeArnResource(arn)}`];
  const partition = partitionName(arn.partition);
  lines.push(md`**Partition:** ${arn.partition}${partition ? md` (${partition})` : md` (not a known partition)`}`);
  lines.push(md`**Service:** ${arn.service}`);
  if (arn.region) {
    const name = regionName(arn.region);
    lines.push(md`**Region:** ${arn.region}${name ? md`, ${name}` : ''}`);
  } else {
    lines.push(md`**Region:** none (a global resource)`);
  }
  lines.push(arn.account ? md`**Account:** ${arn.account}` : md`**Account:** none`);
  if (arn.resourceType) {
    lines.push(md`**Resource:** ${arn.resourceType} ${quoted(arn.resourceId)}`);
  } else {
    lines.push(md`**Resource:** ${quoted(arn.resource)}`);
  }
  const check = checkArn(arn);
  if (!check.ok) {
    lines.push(md`**Odd:** ${logText(check.problems.join('; '), LONG_TEXT)}`);
  }
  return lines;
}

/** What a sourceIPAddress holds. */
export function addressLines(text: string): Markdown[] {
  const reading = readSourceAddress(text);
  const lines = [md`**Address:** ${quoted(text)}, ${reading.description}`];
  for (const warning of reading.warnings) {
    lines.push(md`**Odd:** ${warning}`);
  }
  return lines;
}

/** Which program a userAgent names. */
export function userAgentLines(text: string, consoleSession: boolean): Markdown[] {
  const reading = readUserAgent(text, { consoleSession });
  const lines = [md`**Client:** ${reading.client}`];
  if (reading.details.length > 0) {
    lines.push(md`**Details:** ${logText(reading.details.join('; '), LONG_TEXT)}`);
  }
  return lines;
}

/** A one-line reading of the client, for the event summary. */
export function userAgentPhrase(text: string, consoleSession: boolean): string {
  const reading = readUserAgent(text, { consoleSession });
  return reading.details.length > 0 ? `${reading.client} (${reading.details.join('; ')})` : reading.client;
}

/** What an errorCode means. */
export function errorLines(code: string, context: { eventSource?: string; eventName?: string }): Markdown[] {
  const reading = readErrorCode(code, context);
  const lines: Markdown[] = [];
  if (reading.explanation) {
    lines.push(md`**Meaning:** ${plain(reading.explanation)}`);
  } else {
    lines.push(md`**Meaning:** not an error code this project knows; the errorMessage may say more.`);
  }
  if (reading.fault) {
    lines.push(reading.fault === 'client' ? md`**Fault:** the caller\u2019s (the request or its permissions)` : md`**Fault:** the service\u2019s`);
  }
  if (reading.source === 'acm-model' && context.eventName) {
    lines.push(
      reading.listedForOperation
        ? md`**Listed:** the ACM API model lists this error for ${context.eventName}`
        : md`**Listed:** the ACM API model does not list this error for ${context.eventName}`,
    );
  }
  return lines;
}

/** The name of the service an eventSource names. */
export function serviceLines(eventSource: string): Markdown[] {
  const service = serviceForEventSource(eventSource);
  const lines = [md`**Service:** ${service.name}`];
  if (!service.wellFormed) {
    lines.push(md`**Odd:** an eventSource is normally written as ${'<service>.amazonaws.com'}`);
  }
  return lines;
}

export function regionLines(code: string): Markdown[] {
  const name = regionName(code);
  return [name ? md`**Region:** ${name}` : md`**Region:** ${quoted(code)} is not a region this project knows`];
}

/** Keys whose numbers are times: `creationDate`, `EventTime`, `expiresAt`, ... */
const TIME_KEY = /time|date|At$|expir|created|updated|start|end/i;

/**
 * Readings that apply to a value wherever it appears: ARNs, times and IP addresses in strings;
 * epoch times in numbers under a time-like key.
 */
export function genericValueLines(view: JsonView, node: number, key: string | number | undefined, env: HoverEnvironment): Markdown[] {
  const kind = view.kind(node);
  if (kind === NodeKind.String) {
    const value = wholeString(view, node);
    if (value === undefined) {
      return [];
    }
    if (value.startsWith('arn:')) {
      return arnLines(value);
    }
    const time = timeLines(value, env);
    if (time.length > 0 && (typeof key !== 'string' || TIME_KEY.test(key) || /^\d{4}-\d{2}-\d{2}T/.test(value) || /^[A-Z][a-z]{2} \d/.test(value))) {
      return time;
    }
    if (/^[\d.]+$/.test(value) && value.split('.').length === 4) {
      return addressLines(value);
    }
    if (/^[0-9a-fA-F:]+$/.test(value) && value.includes('::')) {
      return addressLines(value);
    }
    return [];
  }
  if (kind === NodeKind.Number && typeof key === 'string' && TIME_KEY.test(key)) {
    const value = view.scalar(node);
    return typeof value === 'number' ? timeLines(value, env) : [];
  }
  return [];
}
