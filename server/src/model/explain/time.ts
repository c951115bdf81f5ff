/**
 * Reading the timestamps met in CloudTrail files and showing them as UTC, local time, age and
 * epoch. The clock and the time zone are arguments, so that the same input always reads the same.
 */

export interface TimeEnvironment {
  /** Milliseconds since the epoch, the moment ages are counted from. */
  now: number;
  /** An IANA time zone name ("Europe/Madrid"); UTC when empty or unknown. */
  timeZone: string;
}

export type TimestampFormat = 'iso-extended' | 'iso-basic' | 'epoch-seconds' | 'epoch-milliseconds' | 'java-date';

export interface ParsedTimestamp {
  /** Milliseconds since the epoch. */
  epochMs: number;
  format: TimestampFormat;
  /** True when the text named no zone and was read as UTC. */
  zoneAssumed: boolean;
}

const ISO_EXTENDED = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{4})?$/;
const JAVA_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})\s?(AM|PM)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Epoch values outside these years are more likely counters or sizes than times. */
const EARLIEST_PLAUSIBLE = Date.UTC(2000, 0, 1);
const LATEST_PLAUSIBLE = Date.UTC(2100, 0, 1);

function utcFromParts(
  year: string,
  month: string,
  day: string,
  hour: string,
  minute: string,
  second: string | undefined,
  fraction: string | undefined,
  zone: string | undefined,
): number | undefined {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const h = Number(hour);
  const mi = Number(minute);
  const s = Number(second ?? '0');
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) {
    return undefined;
  }
  let ms = Date.UTC(y, mo - 1, d, h, mi, s) + (fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0);
  // Date.UTC rolls 31 February over to March: such a date does not exist.
  if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) {
    return undefined;
  }
  if (zone && zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms;
}

/** Reads a timestamp in any of the forms CloudTrail files use; undefined when it is none. */
export function parseTimestamp(value: string | number): ParsedTimestamp | undefined {
  if (typeof value === 'number') {
    return parseEpoch(value);
  }
  const text = value.trim();
  if (/^\d{10}(\.\d+)?$/.test(text) || /^\d{13}$/.test(text)) {
    return parseEpoch(Number(text));
  }
  let match = ISO_EXTENDED.exec(text);
  if (match) {
    const ms = utcFromParts(match[1], match[2], match[3], match[4], match[5], match[6], match[7], match[8]);
    return ms === undefined ? undefined : { epochMs: ms, format: 'iso-extended', zoneAssumed: !match[8] };
  }
  match = ISO_BASIC.exec(text);
  if (match) {
    const ms = utcFromParts(match[1], match[2], match[3], match[4], match[5], match[6], match[7], match[8]);
    return ms === undefined ? undefined : { epochMs: ms, format: 'iso-basic', zoneAssumed: !match[8] };
  }
  match = JAVA_DATE.exec(text);
  if (match) {
    const month = MONTHS.indexOf(match[1]);
    let hour = Number(match[4]);
    if (month < 0 || hour < 1 || hour > 12) {
      return undefined;
    }
    hour = (hour % 12) + (match[7] === 'PM' ? 12 : 0);
    const ms = utcFromParts(match[3], String(month + 1), match[2], String(hour), match[5], match[6], undefined, 'Z');
    return ms === undefined ? undefined : { epochMs: ms, format: 'java-date', zoneAssumed: true };
  }
  return undefined;
}

function parseEpoch(value: number): ParsedTimestamp | undefined {
  if (!Number.isFinite(value) || value <= 0) {
    return undefined;
  }
  const asSeconds = value * 1000;
  if (asSeconds >= EARLIEST_PLAUSIBLE && asSeconds < LATEST_PLAUSIBLE) {
    return { epochMs: Math.round(asSeconds), format: 'epoch-seconds', zoneAssumed: false };
  }
  if (value >= EARLIEST_PLAUSIBLE && value < LATEST_PLAUSIBLE && Number.isInteger(value)) {
    return { epochMs: value, format: 'epoch-milliseconds', zoneAssumed: false };
  }
  return undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `2016-10-04 16:01:30 UTC` */
export function formatUtc(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
}

/** A time as the Events view, the outline and the hovers all write it, whole and in its two halves. */
export interface ShownTime {
  /** `2016-10-04 16:01:30 UTC`, as formatUtc writes it. */
  full: string;
  /** `2016-10-04` */
  date: string;
  /** `16:01:30` */
  time: string;
}

/** An eventTime in the one form every view uses; undefined when it is missing or no timestamp. */
export function showTime(value: string | undefined): ShownTime | undefined {
  const parsed = value === undefined ? undefined : parseTimestamp(value);
  if (!parsed) return undefined;
  const full = formatUtc(parsed.epochMs);
  return { full, date: full.slice(0, 10), time: full.slice(11, 19) };
}

const localFormatters = new Map<string, Intl.DateTimeFormat | null>();

/** One formatter per zone: building one costs far more than using it. */
function localFormatter(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = localFormatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      });
    } catch {
      formatter = null;
    }
    localFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `2016-10-05 03:01:30 GMT+11 (Australia/Sydney)`, or undefined for UTC or an unknown zone. */
export function formatLocal(epochMs: number, timeZone: string): string | undefined {
  if (!timeZone || timeZone === 'UTC' || timeZone === 'Etc/UTC') {
    return undefined;
  }
  const formatter = localFormatter(timeZone);
  if (!formatter) {
    return undefined;
  }
  const parts: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(epochMs))) {
    parts[part.type] = part.value;
  }
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${parts.timeZoneName} (${timeZone})`;
}

const UNITS: [name: string, ms: number][] = [
  ['year', 365.25 * 24 * 3600_000],
  ['month', 30.44 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
  ['second', 1000],
];

/** "3 days ago", "in 2 hours", "just now": the largest whole unit of the distance. */
export function formatAge(epochMs: number, now: number): string {
  const distance = now - epochMs;
  const size = Math.abs(distance);
  if (size < 1000) {
    return 'just now';
  }
  for (const [name, unit] of UNITS) {
    if (size >= unit) {
      const count = Math.floor(size / unit);
      const phrase = `${count} ${name}${count === 1 ? '' : 's'}`;
      return distance > 0 ? `${phrase} ago` : `in ${phrase}`;
    }
  }
  return 'just now';
}

export interface TimeReading {
  utc: string;
  local?: string;
  age: string;
  epochSeconds: number;
  format: TimestampFormat;
  zoneAssumed: boolean;
}

const FORMAT_NAMES: Record<TimestampFormat, string> = {
  'iso-extended': 'ISO 8601',
  'iso-basic': 'ISO 8601, basic form',
  'epoch-seconds': 'seconds since 1970-01-01 UTC',
  'epoch-milliseconds': 'milliseconds since 1970-01-01 UTC',
  'java-date': 'a Java-style date',
};

export function describeTimestampFormat(format: TimestampFormat): string {
  return FORMAT_NAMES[format];
}

/** Everything a hover says about one timestamp. */
export function readTime(value: string | number, env: TimeEnvironment): TimeReading | undefined {
  const parsed = parseTimestamp(value);
  if (!parsed) {
    return undefined;
  }
  return {
    utc: formatUtc(parsed.epochMs),
    local: formatLocal(parsed.epochMs, env.timeZone),
    age: formatAge(parsed.epochMs, env.now),
    epochSeconds: Math.floor(parsed.epochMs / 1000),
    format: parsed.format,
    zoneAssumed: parsed.zoneAssumed,
  };
}

/** Whether a CloudTrail eventTime is written the way CloudTrail writes it (`YYYY-MM-DDTHH:MM:SSZ`). */
export function isCanonicalEventTime(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value) && parseTimestamp(value) !== undefined;
}
