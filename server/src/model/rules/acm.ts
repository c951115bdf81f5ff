/**
 * AWS Certificate Manager records checked against the ACM API model: the eventName is an ACM
 * operation, and requestParameters match the operation's input (required members, unknown
 * members, types, enumerations, lengths, sizes, patterns, certificate ARNs). Events of the ACME
 * endpoint (acm-acme.amazonaws.com) are checked against the protocol events ACM logs.
 *
 * A failed call is a faithful record of a bad request, so its parameter problems are information,
 * not warnings: they explain the error rather than doubt the log.
 */
import { ACM_ACME_EVENT_SOURCE, ACM_EVENT_SOURCE, acmOperation, acmOperations, acmShape, Member, Shape, structureMembers } from '../acm/acmApiModel';
import { NO_NODE, NodeKind } from '../json/nodeTable';
import { Severity } from '../problems';
import { RuleCode } from './catalogue';
import { propertyOf, RecordContext, ReportOptions, quote } from './context';
import { editDistance, isAccountId } from './awsNames';
import { reportAccountMismatch, splitArn } from './arns';
import { Field } from './fields';
import { isGuid, isGuidAt } from './formats';
import { KeyTable } from './keyTable';
import { equalsAt, isAccountIdAt, sameTextAt, startsWithAt } from './rawText';
import { describeKind, listNames } from './requiredFields';

/** The events of ACM's ACME endpoint, which are not operations of the ACM API. */
export const ACME_EVENTS: ReadonlySet<string> = new Set([
  'NewAccount',
  'ManageAccount',
  'ChangeAccountKey',
  'FinalizeOrder',
  'GetCertificate',
  'GetDirectory',
  'GetOrder',
  'ListOrders',
  'ManageAuthorization',
  'NewNonce',
  'NewOrder',
  'RevokeCertificate',
]);

/** What CloudTrail writes in place of a secret value. */
const HIDDEN = 'HIDDEN_DUE_TO_SECURITY_REASONS';

/** Nesting deeper than this is not followed (the model's filter statements are recursive). */
const MAX_DEPTH = 12;

const OPERATION_NAMES: readonly string[] = acmOperations().map((operation) => operation.name);

const CERTIFICATE_ARN = /^arn:[^:]*:acm:([^:]*):([^:]*):certificate\/(.*)$/;

interface StructureInfo {
  /** Members by their CloudTrail name and by their model name. */
  byName: ReadonlyMap<string, Member>;
  /** The same names, found without cutting them out of the text: `byName` in the order of `keys.names`. */
  keys: KeyTable;
  keyMembers: readonly Member[];
  byLowerCase: ReadonlyMap<string, Member>;
  required: readonly Member[];
}

const structures = new Map<string, StructureInfo>();
const patterns = new Map<string, RegExp | null>();

function structureInfo(shapeName: string): StructureInfo {
  let info = structures.get(shapeName);
  if (!info) {
    const members = structureMembers(shapeName);
    const byName = new Map<string, Member>();
    const byLowerCase = new Map<string, Member>();
    for (const member of members) {
      byName.set(member.logName, member);
      byName.set(member.name, member);
      byLowerCase.set(member.logName.toLowerCase(), member);
    }
    info = {
      byName,
      keys: new KeyTable([...byName.keys()]),
      keyMembers: [...byName.values()],
      byLowerCase,
      required: members.filter((member) => member.required),
    };
    structures.set(shapeName, info);
  }
  return info;
}

const enumTables = new Map<string, KeyTable>();

/** The allowed values of an enumeration shape, to find a value without cutting it out of the text. */
function enumTable(shapeName: string, values: readonly string[]): KeyTable {
  let table = enumTables.get(shapeName);
  if (!table) {
    table = new KeyTable(values);
    enumTables.set(shapeName, table);
  }
  return table;
}

/** The model's pattern as a JavaScript expression for the whole value, compiled once; null if it cannot be. */
function patternOf(shapeName: string, shape: Shape): RegExp | null {
  let pattern = patterns.get(shapeName);
  if (pattern === undefined) {
    pattern = null;
    for (const flags of ['u', '']) {
      try {
        pattern = new RegExp(`^(?:${shape.pattern})$`, flags);
        break;
      } catch {
        // Try without the Unicode flag; a pattern neither accepts is not checked.
      }
    }
    patterns.set(shapeName, pattern);
  }
  return pattern;
}

export function checkAcm(context: RecordContext): void {
  if (context.eventSource === ACM_EVENT_SOURCE) {
    checkAcmEvent(context);
  } else if (context.eventSource === ACM_ACME_EVENT_SOURCE) {
    checkAcmeEvent(context);
  }
}

function checkAcmeEvent(context: RecordContext): void {
  const name = context.eventName;
  if (name === undefined || ACME_EVENTS.has(name)) {
    return;
  }
  context.reportValue(
    RuleCode.acmeUnknownEvent,
    `${quote(name)} is not one of the ACME events ACM logs (${[...ACME_EVENTS].join(', ')}).`,
    context.fields[Field.eventName],
    closestNameFix(context, context.fields[Field.eventName], name, [...ACME_EVENTS]),
  );
}

function checkAcmEvent(context: RecordContext): void {
  const name = context.eventName;
  // Service events and console actions are not API operations; only API calls are checked.
  if (name === undefined || (context.eventType !== undefined && context.eventType !== 'AwsApiCall')) {
    return;
  }
  const operation = acmOperation(name);
  if (!operation) {
    context.reportValue(
      RuleCode.acmUnknownEvent,
      `ACM has no operation ${quote(name)}; its API has ${OPERATION_NAMES.length} operations, such as RequestCertificate, DescribeCertificate and ExportCertificate.`,
      context.fields[Field.eventName],
      closestNameFix(context, context.fields[Field.eventName], name, OPERATION_NAMES),
    );
    return;
  }
  const severity: Severity | undefined = context.failed ? 'info' : undefined;
  const parameters = context.fields[Field.requestParameters];
  if (parameters !== NO_NODE && context.view.kind(parameters) === NodeKind.Object) {
    requestChecker.begin(context, name, severity);
    requestChecker.structure(parameters, operation.input?.shape, 0);
  }
  const response = context.fields[Field.responseElements];
  if (response !== NO_NODE && context.view.kind(response) === NodeKind.Object) {
    const certificateArn = propertyOf(context.view, response, 'certificateArn');
    if (isPlainCertificateArn(context, certificateArn) && agreesWithRecord(context)) {
      return;
    }
    const value = context.view.string(certificateArn);
    if (value !== undefined && CERTIFICATE_ARN.test(value)) {
      checkCertificateArnAgainstRecord(context, certificateArn, value, severity);
    }
  }
}

/** The fix that replaces a name by its nearest valid spelling, when exactly one is clearly meant. */
function closestNameFix(context: RecordContext, node: number, name: string, candidates: readonly string[]): ReportOptions | undefined {
  const limit = Math.min(3, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  let bestCount = 0;
  for (const candidate of candidates) {
    if (candidate.toLowerCase() === name.toLowerCase()) {
      return { fix: context.replaceValue(node, `Change to ${candidate}`, `"${candidate}"`) };
    }
    const distance = editDistance(name, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
      bestCount = 1;
    } else if (distance === bestDistance) {
      bestCount++;
    }
  }
  return best !== undefined && bestDistance <= limit && bestCount === 1 ? { fix: context.replaceValue(node, `Change to ${best}`, `"${best}"`) } : undefined;
}

/** Walks requestParameters along the operation's input shape. */
class RequestChecker {
  private context!: RecordContext;
  private operation = '';
  private severity: Severity | undefined;

  /** Starts on the request of one record (one checker serves every record in turn). */
  begin(context: RecordContext, operation: string, severity: Severity | undefined): void {
    this.context = context;
    this.operation = operation;
    this.severity = severity;
  }

  private get options(): ReportOptions {
    return this.severity ? { severity: this.severity } : {};
  }

  structure(node: number, shapeName: string | undefined, depth: number): void {
    const context = this.context;
    const view = context.view;
    const info = shapeName ? structureInfo(shapeName) : undefined;
    const next = context.table.next;
    for (let child = node + 1; child < next[node]; child = next[child]) {
      const known = info ? info.keys.lookup(view, child) : -1;
      if (info && known >= 0) {
        const member = info.keyMembers[known];
        this.value(child, member.shapeName, member.shape, member.logName, depth);
        continue;
      }
      // Not a member as written; it may still be one spelled with escapes.
      const name = view.key(child);
      if (name === undefined) {
        continue;
      }
      const member = info?.byName.get(name);
      if (member) {
        this.value(child, member.shapeName, member.shape, member.logName, depth);
        continue;
      }
      const meant = info?.byLowerCase.get(name.toLowerCase());
      context.reportKey(
        RuleCode.acmUnknownParameter,
        meant
          ? `${this.operation} has no parameter ${quote(name)}; CloudTrail names it ${meant.logName}.`
          : `${this.operation} has no parameter ${quote(name)}${info && info.byName.size > 0 ? `; it takes ${listNames(uniqueLogNames(info))}` : ''}.`,
        child,
        meant
          ? {
              ...this.options,
              fix: { title: `Rename to ${meant.logName}`, replacement: `"${meant.logName}"`, start: context.keyStart(child), end: context.keyEnd(child) },
            }
          : this.options,
      );
    }
    if (!info) {
      return;
    }
    let missing: Member[] | undefined;
    for (const member of info.required) {
      // CloudTrail may leave out or hide secrets and binary content, so their absence proves nothing.
      if (
        member.shape.type !== 'blob' &&
        !member.shape.sensitive &&
        propertyOf(view, node, member.logName) === NO_NODE &&
        propertyOf(view, node, member.name) === NO_NODE
      ) {
        (missing ??= []).push(member);
      }
    }
    if (missing) {
      const names = missing.map((member) => member.logName);
      // On the property name, or on the opening brace of a list item: never on a whole object.
      const start = context.keyStart(node);
      const end = context.table.keyStart[node] >= 0 ? context.keyEnd(node) : start + 1;
      context.report(
        RuleCode.acmMissingParameter,
        depth === 0
          ? `${this.operation} requires ${listNames(names)} in requestParameters, and ${missing.length === 1 ? 'it is' : 'they are'} missing.`
          : `This ${shapeName} requires ${listNames(names)}, and ${missing.length === 1 ? 'it is' : 'they are'} missing.`,
        start,
        end,
        this.options,
      );
    }
  }

  private value(node: number, shapeName: string, shape: Shape, name: string, depth: number): void {
    const context = this.context;
    const kind = context.table.kind[node];
    if (depth > MAX_DEPTH || kind === NodeKind.Invalid || kind === NodeKind.Null) {
      return;
    }
    if (kind === NodeKind.String && isHidden(context, node)) {
      return;
    }
    switch (shape.type) {
      case 'string':
        if (kind !== NodeKind.String) {
          this.wrongType(node, name, 'a string', kind);
        } else {
          this.string(node, shapeName, shape, name);
        }
        return;
      case 'integer':
      case 'long':
        if (kind !== NodeKind.Number) {
          this.wrongType(node, name, 'a number', kind);
        } else {
          this.range(node, shape, name, Number(context.view.source(node)), 'is', '');
        }
        return;
      case 'boolean':
        if (kind !== NodeKind.Boolean) {
          this.wrongType(node, name, 'a boolean', kind);
        }
        return;
      case 'list':
        if (kind !== NodeKind.Array) {
          this.wrongType(node, name, 'a list', kind);
          return;
        }
        this.range(node, shape, name, context.view.childCount(node), 'has', ' items');
        if (shape.member) {
          const memberShape = acmShape(shape.member.shape);
          if (memberShape) {
            const next = context.table.next;
            const itemName = `an item of ${name}`;
            for (let item = node + 1; item < next[node]; item = next[item]) {
              this.value(item, shape.member.shape, memberShape, itemName, depth + 1);
            }
          }
        }
        return;
      case 'structure':
        if (kind !== NodeKind.Object) {
          this.wrongType(node, name, 'an object', kind);
        } else {
          this.structure(node, shapeName, depth + 1);
        }
        return;
      default:
        // Binary content is logged as Java ByteBuffer dumps or hidden; timestamps and maps vary.
        return;
    }
  }

  private wrongType(node: number, name: string, expected: string, kind: number): void {
    const context = this.context;
    let fix: ReportOptions['fix'];
    if (expected === 'a string' && (kind === NodeKind.Number || kind === NodeKind.Boolean)) {
      const raw = context.view.source(node);
      fix = context.replaceValue(node, `Quote ${raw}`, `"${raw}"`);
    } else if (kind === NodeKind.String) {
      const value = context.view.string(node) ?? '';
      if ((expected === 'a number' && /^-?\d+$/.test(value)) || (expected === 'a boolean' && (value === 'true' || value === 'false'))) {
        fix = context.replaceValue(node, `Write ${value} without quotes`, value);
      }
    }
    context.reportValue(RuleCode.acmParameterType, `${capitalize(name)} must be ${expected} in ${this.operation}, not ${describeKind(kind)}.`, node, {
      ...this.options,
      ...(fix ? { fix } : {}),
    });
  }

  /** min/max of a number, a list's length. */
  private range(node: number, shape: Shape, name: string, amount: number, verb: string, unit: string): void {
    if (shape.min !== undefined && amount < shape.min) {
      this.context.reportValue(
        RuleCode.acmConstraint,
        `${capitalize(name)} ${verb} ${amount}${unit}; ${this.operation} allows at least ${shape.min}${unit}.`,
        node,
        this.options,
      );
    } else if (shape.max !== undefined && amount > shape.max) {
      this.context.reportValue(
        RuleCode.acmConstraint,
        `${capitalize(name)} ${verb} ${amount}${unit}; ${this.operation} allows at most ${shape.max}${unit}.`,
        node,
        this.options,
      );
    }
  }

  private string(node: number, shapeName: string, shape: Shape, name: string): void {
    const context = this.context;
    // The usual values, allowed ones and certificate ARNs of the call's own region and account, are read in place.
    const plain = context.plainStart(node);
    if (plain >= 0) {
      if (shape.enum && enumTable(shapeName, shape.enum).lookupRange(context.text, plain, context.plainEnd(node, plain) - plain) >= 0) {
        return;
      }
      if (!shape.enum && name === 'certificateArn' && isPlainCertificateArn(context, node) && agreesWithRecord(context)) {
        return;
      }
    }
    const value = context.view.string(node) ?? '';
    if (shape.enum) {
      if (!shape.enum.includes(value)) {
        const sameLetters = shape.enum.find((allowed) => allowed.toLowerCase() === value.toLowerCase());
        context.reportValue(
          RuleCode.acmEnumValue,
          `${capitalize(name)} ${quote(value)} is not allowed; ${this.operation} accepts ${listNames(shape.enum)}.`,
          node,
          sameLetters ? { ...this.options, fix: context.replaceValue(node, `Write ${sameLetters}`, `"${sameLetters}"`) } : this.options,
        );
      }
      return;
    }
    if (name === 'certificateArn') {
      this.certificateArn(node, value);
      return;
    }
    const length = value.length;
    if ((shape.min !== undefined && length < shape.min) || (shape.max !== undefined && length > shape.max)) {
      const limit = shape.min !== undefined && length < shape.min ? `at least ${shape.min}` : `at most ${shape.max}`;
      context.reportValue(RuleCode.acmConstraint, `${capitalize(name)} is ${length} characters long; ${this.operation} allows ${limit}.`, node, this.options);
      return;
    }
    if (shape.pattern) {
      const pattern = patternOf(shapeName, shape);
      if (pattern && !pattern.test(value)) {
        context.reportValue(
          RuleCode.acmConstraint,
          `${capitalize(name)} ${quote(value)} does not have the form ${this.operation} requires for a ${shapeName}.`,
          node,
          this.options,
        );
      }
    }
  }

  private certificateArn(node: number, value: string): void {
    const context = this.context;
    const match = CERTIFICATE_ARN.exec(value);
    if (!match) {
      // A value that is no ARN at all; a malformed ARN is reported by the ARN rule already.
      if (!value.startsWith('arn:')) {
        context.reportValue(
          RuleCode.acmCertificateArn,
          `certificateArn ${quote(value)} is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>).`,
          node,
          this.options,
        );
      } else if (splitArn(value)?.service !== 'acm' || !value.includes(':certificate/')) {
        context.reportValue(
          RuleCode.acmCertificateArn,
          `certificateArn ${quote(value)} names something other than an ACM certificate (arn:aws:acm:<region>:<account>:certificate/<id>).`,
          node,
          this.options,
        );
      }
      return;
    }
    const id = match[3];
    if (!isGuid(id)) {
      const [start, end] = context.partOfString(node, value.length - id.length, value.length);
      context.report(
        RuleCode.acmCertificateArn,
        `The certificate ID ${quote(id)} is not a GUID; ACM certificate IDs look like 12345678-1234-1234-1234-123456789012.`,
        start,
        end,
        this.options,
      );
    }
    checkCertificateArnAgainstRecord(context, node, value, this.severity);
  }
}

/** Whether a string node's value is exactly CloudTrail's secret placeholder. */
function isHidden(context: RecordContext, node: number): boolean {
  const plain = context.plainStart(node);
  return plain >= 0 ? equalsAt(context.text, plain, context.plainEnd(node, plain), HIDDEN) : context.view.string(node) === HIDDEN;
}

/** The parts of the certificate ARN `isPlainCertificateArn` read last, as offsets in the text. */
const certificateParts = new Int32Array(5);
const CERTIFICATE_RESOURCE = 'certificate/';

/**
 * Whether `node` is a string written without escapes that is an ACM certificate ARN with a GUID
 * as its ID: what `CERTIFICATE_ARN` matches and `isGuid` accepts, read in place. Its parts are
 * left in `certificateParts`.
 */
function isPlainCertificateArn(context: RecordContext, node: number): boolean {
  const start = context.plainStart(node);
  if (start < 0) {
    return false;
  }
  const text = context.text;
  const end = context.plainEnd(node, start);
  if (!context.arnParts(node, certificateParts)) {
    return false;
  }
  const [, serviceAt, regionAt, , resourceAt] = certificateParts;
  return (
    regionAt - 1 - serviceAt === 3 &&
    startsWithAt(text, serviceAt, regionAt, 'acm') &&
    startsWithAt(text, resourceAt, end, CERTIFICATE_RESOURCE) &&
    isGuidAt(text, resourceAt + CERTIFICATE_RESOURCE.length, end)
  );
}

/**
 * Whether the certificate ARN whose parts `isPlainCertificateArn` just read is in the record's
 * region and recipient account, or cannot be compared with them: `checkCertificateArnAgainstRecord`
 * would report nothing.
 */
function agreesWithRecord(context: RecordContext): boolean {
  const text = context.text;
  const [, , regionAt, accountAt, resourceAt] = certificateParts;
  const region = context.awsRegion;
  if (region !== undefined && accountAt - 1 !== regionAt && !equalsAt(text, regionAt, accountAt - 1, region)) {
    return false;
  }
  const recipientNode = context.fields[Field.recipientAccountId];
  if (recipientNode === NO_NODE || context.table.kind[recipientNode] !== NodeKind.String) {
    return true;
  }
  const recipient = context.plainStart(recipientNode);
  if (recipient < 0) {
    return false;
  }
  if (!isAccountIdAt(text, recipient, context.plainEnd(recipientNode, recipient))) {
    return true;
  }
  if (resourceAt - 1 - accountAt === 12 && sameTextAt(text, accountAt, recipient, 12)) {
    return true;
  }
  return !isAccountIdAt(text, accountAt, resourceAt - 1);
}

const requestChecker = new RequestChecker();

/** A certificate ARN must be in the region and account the call went to. */
function checkCertificateArnAgainstRecord(context: RecordContext, node: number, value: string, severity: Severity | undefined): void {
  const arn = splitArn(value);
  if (!arn) {
    return;
  }
  const options: ReportOptions = severity ? { severity } : {};
  const regionNode = context.fields[Field.awsRegion];
  const region = context.awsRegion;
  if (region !== undefined && arn.region !== '' && arn.region !== region) {
    const [start, end] = context.partOfString(node, arn.regionAt, arn.accountAt - 1);
    context.report(
      RuleCode.arnRegionMismatch,
      `This certificate is in ${quote(arn.region)}, but the call was made in ${quote(region)}: ACM only reaches the certificates of the region it is called in.`,
      start,
      end,
      { ...options, related: [context.relatedValue(regionNode, `awsRegion is ${quote(region)}`)] },
    );
  }
  const recipientNode = context.fields[Field.recipientAccountId];
  const recipient = context.view.string(recipientNode);
  if (recipient !== undefined && isAccountId(recipient)) {
    reportAccountMismatch(context, node, value, recipient, recipientNode, 'This certificate ARN', 'recipientAccountId', options);
  }
}

function uniqueLogNames(info: StructureInfo): string[] {
  return [...new Set([...info.byName.values()].map((member) => member.logName))];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
