/**
 * Which CloudTrail events attackers have used, from the TrailDiscover catalogue by Adan Alvarez
 * (https://github.com/adanalvarez/TrailDiscover, CC BY 4.0). The extension ships a compact copy
 * made by scripts/attack-catalogue.mjs (traildiscover-catalogue.json, which lists its changes);
 * every text of an entry is that catalogue's, shown as its data with the attribution below.
 */
import catalogue from './traildiscover-catalogue.json';

export interface AttackId {
  /** "TA0003", "T1098", "T1098.001". */
  readonly id: string;
  /** The name the catalogue gives it: "Persistence", "Account Manipulation: Additional Cloud Credentials". */
  readonly name: string;
}

export interface AttackLink {
  readonly title: string;
  /** An https URL. */
  readonly url: string;
}

export interface AttackEntry {
  readonly eventSource: string;
  readonly eventName: string;
  /** The catalogue's name of the service, e.g. "SSO". */
  readonly awsService: string;
  /** In ATT&CK's order (Initial Access first). */
  readonly tactics: readonly AttackId[];
  /** Techniques and sub-techniques, by id. */
  readonly techniques: readonly AttackId[];
  /** True when the catalogue names incidents where attackers used the event; false for events known from research only. */
  readonly usedInWild: boolean;
  readonly incidents: readonly AttackLink[];
  readonly researchLinks: readonly AttackLink[];
  readonly securityImplications: string;
}

export interface AttackCatalogueAttribution {
  readonly title: string;
  readonly author: string;
  readonly license: string;
  readonly licenseUrl: string;
  readonly url: string;
  /** What the shipped copy changed from the source, as the licence asks. */
  readonly changes: readonly string[];
}

export const ATTACK_CATALOGUE_ATTRIBUTION: AttackCatalogueAttribution = catalogue.attribution;

/**
 * "TrailDiscover by Adan Alvarez (CC BY 4.0), github.com/adanalvarez/TrailDiscover": the credit
 * shown with every piece of the catalogue.
 */
export const ATTACK_CATALOGUE_CREDIT = `${catalogue.attribution.title} by ${catalogue.attribution.author} (${catalogue.attribution.license}), ${catalogue.attribution.url.replace(/^https:\/\//, '')}`;

/** The enterprise tactics in the order ATT&CK lists them, from reconnaissance to impact. */
const TACTIC_ORDER = [
  'TA0043',
  'TA0042',
  'TA0001',
  'TA0002',
  'TA0003',
  'TA0004',
  'TA0005',
  'TA0006',
  'TA0007',
  'TA0008',
  'TA0009',
  'TA0011',
  'TA0010',
  'TA0040',
];

const tacticNames: Readonly<Record<string, string>> = catalogue.tactics;

/** The position of a tactic in ATT&CK's order; tactics it does not list come last. */
export function tacticRank(id: string): number {
  const rank = TACTIC_ORDER.indexOf(id);
  return rank < 0 ? TACTIC_ORDER.length : rank;
}

/** The tactics the catalogue uses, in ATT&CK's order. */
export function attackTactics(): AttackId[] {
  return Object.keys(tacticNames)
    .sort((a, b) => tacticRank(a) - tacticRank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => ({ id, name: tacticNames[id] }));
}

/** The name of a tactic of the catalogue ("Persistence" for TA0003), or undefined. */
export function tacticName(id: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(tacticNames, id) ? tacticNames[id] : undefined;
}

let entries: Map<string, AttackEntry> | undefined;

function entryKey(eventSource: string, eventName: string): string {
  return `${eventSource}\u0000${eventName}`;
}

function loadEntries(): Map<string, AttackEntry> {
  const map = new Map<string, AttackEntry>();
  const link = ([title, url]: string[]): AttackLink => ({ title, url });
  for (const event of catalogue.events) {
    const tactics = event.tactics
      .slice()
      .sort((a, b) => tacticRank(a) - tacticRank(b))
      .map((id) => ({ id, name: tacticNames[id] }));
    map.set(entryKey(event.eventSource, event.eventName), {
      eventSource: event.eventSource,
      eventName: event.eventName,
      awsService: event.awsService,
      tactics,
      techniques: event.techniques.map(([id, name]) => ({ id, name })),
      usedInWild: event.usedInWild,
      incidents: event.incidents.map(link),
      researchLinks: event.researchLinks.map(link),
      securityImplications: event.securityImplications,
    });
  }
  return map;
}

/**
 * The catalogue's entry for an event, or undefined. Names are compared exactly, as CloudTrail
 * writes them (eventSource in lower case, eventName in its API spelling).
 */
export function attackEntry(eventSource: string | undefined, eventName: string | undefined): AttackEntry | undefined {
  if (eventSource === undefined || eventName === undefined) {
    return undefined;
  }
  entries ??= loadEntries();
  return entries.get(entryKey(eventSource, eventName));
}

/** Every entry of the catalogue, by eventSource then eventName. */
export function attackEntries(): AttackEntry[] {
  entries ??= loadEntries();
  return [...entries.values()];
}
