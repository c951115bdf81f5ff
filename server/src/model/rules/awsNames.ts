/**
 * The names and values the rules compare against: partitions, regions, record format versions,
 * identity types, event types. Facts about AWS, kept in one place so they are easy to update.
 */

/** Partitions and the region codes each one has. */
const PARTITION_REGIONS: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'eu-south-1',
    'eu-south-2',
    'eu-north-1',
    'il-central-1',
    'me-south-1',
    'me-central-1',
    'mx-central-1',
    'sa-east-1',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-west-1', 'us-gov-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-south-1', 'us-isof-east-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

export const PARTITIONS: ReadonlySet<string> = new Set(Object.keys(PARTITION_REGIONS));

/** The partition of each known region. */
const REGION_PARTITION: ReadonlyMap<string, string> = new Map(
  Object.entries(PARTITION_REGIONS).flatMap(([partition, regions]) => regions.map((region) => [region, partition] as [string, string])),
);

/** The partition a known region belongs to; undefined for a region this list does not have. */
export function partitionOfRegion(region: string): string | undefined {
  return REGION_PARTITION.get(region);
}

export const KNOWN_REGIONS: readonly string[] = [...REGION_PARTITION.keys()];

export function isKnownRegion(region: string): boolean {
  return REGION_PARTITION.has(region);
}

/**
 * A region code's shape: lower-case words and a number joined by hyphens. A letter may follow the
 * number, because anonymised logs (Stratus Red Team's) rename regions to `us-north-2r`, and more
 * parts may follow, as in Local Zone names (`us-east-1-bos-1`).
 */
const REGION_PATTERN = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}[a-z]?(?:-[a-z]+-\d{1,2}[a-z]?)?$/;

export function isRegionShaped(text: string): boolean {
  return text.length <= 40 && REGION_PATTERN.test(text);
}

/** The record format versions CloudTrail has written, oldest first. */
export const KNOWN_EVENT_VERSIONS: readonly string[] = ['1.0', '1.01', '1.02', '1.03', '1.04', '1.05', '1.06', '1.07', '1.08', '1.09', '1.10', '1.11'];
export const NEWEST_EVENT_VERSION = KNOWN_EVENT_VERSIONS[KNOWN_EVENT_VERSIONS.length - 1];

/** A version as a comparable number: major * 1000 + minor ("1.05" -> 1005, "1.10" -> 1010). NaN when it is not major.minor. */
export function versionNumber(version: string | undefined): number {
  if (version === undefined) {
    return NaN;
  }
  let number = versionNumbers.get(version);
  if (number === undefined) {
    const match = VERSION_PATTERN.exec(version);
    number = match ? Number(match[1]) * 1000 + Number(match[2]) : NaN;
    // A log has a handful of versions; a hostile one with many only empties this memo.
    if (versionNumbers.size > 256) versionNumbers.clear();
    versionNumbers.set(version, number);
  }
  return number;
}

const versionNumbers = new Map<string, number>();

const VERSION_PATTERN = /^(\d{1,3})\.(\d{1,3})$/;

export const IDENTITY_TYPES: ReadonlySet<string> = new Set([
  'Root',
  'IAMUser',
  'AssumedRole',
  'Role',
  'FederatedUser',
  'Directory',
  'AWSAccount',
  'AWSService',
  'IdentityCenterUser',
  'SAMLUser',
  'WebIdentityUser',
  'Unknown',
]);

export const EVENT_TYPES: ReadonlySet<string> = new Set([
  'AwsApiCall',
  'AwsServiceEvent',
  'AwsConsoleAction',
  'AwsConsoleSignIn',
  'AwsCloudTrailInsight',
  'AwsVpceEvent',
]);

export const EVENT_CATEGORIES: ReadonlySet<string> = new Set(['Management', 'Data', 'NetworkActivity', 'Insight']);

/** What CloudTrail writes in place of an account ID for callers that did not sign their request. */
export const ANONYMOUS_ACCOUNTS: ReadonlySet<string> = new Set(['anonymous', 'ANONYMOUS_PRINCIPAL']);

/** True for exactly twelve ASCII digits. */
export function isAccountId(text: string): boolean {
  if (text.length !== 12) {
    return false;
  }
  for (let i = 0; i < 12; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) {
      return false;
    }
  }
  return true;
}

/** The smallest number of single-character edits that turn `a` into `b`, or `limit + 1` once it exceeds `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) {
    return limit + 1;
  }
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) {
      return limit + 1;
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}
