/**
 * Every CloudTrail rule: its stable code, default severity and what it checks. This list is the
 * one source for docs/rules.md, for the `cloudtrail.diagnostics.rules` setting and for the rules
 * themselves (a rule reports with the severity given here unless it says otherwise).
 */
import { Severity } from '../problems';

export type RuleFamily = 'record' | 'format' | 'identity' | 'arn' | 'duplicate' | 'acm' | 'shape';

export interface RuleInfo {
  readonly code: string;
  readonly family: RuleFamily;
  readonly defaultSeverity: Severity | 'off';
  /** A short name for tables and settings. */
  readonly title: string;
  /** What the rule checks and why, in one or two sentences. */
  readonly description: string;
}

/** The codes, by name, so that rules and tests refer to them without spelling strings twice. */
export const RuleCode = {
  missingField: 'record-missing-field',
  unknownField: 'record-unknown-field',
  fieldNewerThanVersion: 'record-field-newer-than-version',
  keyCase: 'record-key-case',
  fieldType: 'record-field-type',
  eventVersion: 'event-version',
  eventTime: 'event-time',
  eventId: 'event-id',
  accountId: 'account-id',
  regionFormat: 'region-format',
  regionUnknown: 'region-unknown',
  eventSource: 'event-source',
  eventType: 'event-type',
  eventCategory: 'event-category',
  sourceIp: 'source-ip-address',
  identityType: 'identity-type',
  identityMissingField: 'identity-missing-field',
  identityArn: 'identity-arn-type',
  mfaAuthenticated: 'identity-mfa-authenticated',
  arnFormat: 'arn-format',
  arnPartitionRegion: 'arn-partition-region',
  arnAccountMismatch: 'arn-account-mismatch',
  arnRegionMismatch: 'arn-region-mismatch',
  duplicateEventId: 'duplicate-event-id',
  duplicateKey: 'duplicate-key',
  acmUnknownEvent: 'acm-unknown-event',
  acmeUnknownEvent: 'acm-acme-unknown-event',
  acmMissingParameter: 'acm-missing-parameter',
  acmUnknownParameter: 'acm-unknown-parameter',
  acmParameterType: 'acm-parameter-type',
  acmEnumValue: 'acm-enum-value',
  acmConstraint: 'acm-constraint',
  acmCertificateArn: 'acm-certificate-arn',
} as const;

export type RuleCode = (typeof RuleCode)[keyof typeof RuleCode];

export const RULES: readonly RuleInfo[] = [
  {
    code: RuleCode.missingField,
    family: 'record',
    defaultSeverity: 'warning',
    title: 'Missing required field',
    description:
      'A field that every record of this eventVersion and eventType carries is absent (eventID from 1.01, eventType from 1.02, eventCategory from 1.07; Insights records and service events have their own set).',
  },
  {
    code: RuleCode.unknownField,
    family: 'record',
    defaultSeverity: 'hint',
    title: 'Unknown top-level field',
    description: 'A top-level field that is not part of the CloudTrail record format.',
  },
  {
    code: RuleCode.fieldNewerThanVersion,
    family: 'record',
    defaultSeverity: 'info',
    title: 'Field newer than eventVersion',
    description:
      "A field that CloudTrail only writes from a later eventVersion than the record's own (managementEvent in a 1.04 record): the record was probably edited by hand.",
  },
  {
    code: RuleCode.keyCase,
    family: 'shape',
    defaultSeverity: 'warning',
    title: 'Field name in the wrong case',
    description:
      'A field name that differs from a CloudTrail field only in letter case (eventname, EventName): tools that read CloudTrail will not find it. A quick fix renames it.',
  },
  {
    code: RuleCode.fieldType,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'Field of the wrong JSON type',
    description:
      'A known field holding the wrong kind of value: readOnly and managementEvent are booleans, userIdentity, tlsDetails and insightDetails objects, resources an array, eventTime, eventID and the other text fields strings. A quick fix unquotes "true" and "false".',
  },
  {
    code: RuleCode.eventVersion,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventVersion',
    description: 'eventVersion must be a known record format version such as "1.08"; a later 1.x than this extension knows is reported as information only.',
  },
  {
    code: RuleCode.eventTime,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventTime',
    description: 'eventTime must be a real UTC date and time in ISO 8601 form, YYYY-MM-DDTHH:MM:SSZ.',
  },
  {
    code: RuleCode.eventId,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventID and sharedEventID',
    description: 'eventID and sharedEventID must be GUIDs (8-4-4-4-12 hexadecimal digits); the EXAMPLE placeholders of AWS documentation are accepted.',
  },
  {
    code: RuleCode.accountId,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'Account ID',
    description:
      'recipientAccountId, vpcEndpointAccountId and every accountId of userIdentity and resources must be 12 digits (anonymous callers are written as anonymous or ANONYMOUS_PRINCIPAL).',
  },
  {
    code: RuleCode.regionFormat,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'awsRegion format',
    description: 'awsRegion must look like a region code (us-east-1, eu-central-2, us-gov-west-1): lower case words and a number joined by hyphens.',
  },
  {
    code: RuleCode.regionUnknown,
    family: 'format',
    defaultSeverity: 'off',
    title: 'Unknown region',
    description:
      'awsRegion is well formed but not a region this extension knows. Off by default: new regions open every year and anonymised logs use invented names; turn it on to catch typos.',
  },
  {
    code: RuleCode.eventSource,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventSource',
    description: 'eventSource must be the host name of an AWS service, such as acm.amazonaws.com.',
  },
  {
    code: RuleCode.eventType,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventType',
    description: 'eventType must be one of AwsApiCall, AwsServiceEvent, AwsConsoleAction, AwsConsoleSignIn, AwsCloudTrailInsight or AwsVpceEvent.',
  },
  {
    code: RuleCode.eventCategory,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'eventCategory',
    description: 'eventCategory must be one of Management, Data, NetworkActivity or Insight.',
  },
  {
    code: RuleCode.sourceIp,
    family: 'format',
    defaultSeverity: 'warning',
    title: 'sourceIPAddress',
    description: 'sourceIPAddress must be a valid IPv4 or IPv6 address, the host name of an AWS service, or AWS Internal (100.200.300.400 is not an address).',
  },
  {
    code: RuleCode.identityType,
    family: 'identity',
    defaultSeverity: 'warning',
    title: 'userIdentity type',
    description:
      'userIdentity.type (and sessionIssuer.type) must be a known identity type: Root, IAMUser, AssumedRole, Role, FederatedUser, Directory, AWSAccount, AWSService, IdentityCenterUser, SAMLUser, WebIdentityUser or Unknown.',
  },
  {
    code: RuleCode.identityMissingField,
    family: 'identity',
    defaultSeverity: 'warning',
    title: 'userIdentity field missing',
    description:
      'A field that the identity type needs is absent: an AssumedRole has a sessionContext.sessionIssuer, an AWSService an invokedBy, an IAMUser or Root an accountId, a userIdentity a type (except in service events). Not checked for failed calls.',
  },
  {
    code: RuleCode.identityArn,
    family: 'identity',
    defaultSeverity: 'warning',
    title: 'Identity ARN does not match its type',
    description:
      'The arn of userIdentity or sessionIssuer must name the kind of principal its type says: an IAM user/... for IAMUser, :root for Root, sts assumed-role/... for AssumedRole, sts federated-user/... for FederatedUser, an IAM role/... for Role.',
  },
  {
    code: RuleCode.mfaAuthenticated,
    family: 'identity',
    defaultSeverity: 'warning',
    title: 'mfaAuthenticated',
    description: 'sessionContext.attributes.mfaAuthenticated is the string "true" or "false", not a JSON boolean. A quick fix quotes it.',
  },
  {
    code: RuleCode.arnFormat,
    family: 'arn',
    defaultSeverity: 'warning',
    title: 'Malformed ARN',
    description:
      'A value that starts with arn: must be arn:partition:service:region:account:resource, with a known partition, a region code or nothing as region, and 12 digits, aws or nothing as account (wildcards and ${...} variables are accepted).',
  },
  {
    code: RuleCode.arnPartitionRegion,
    family: 'arn',
    defaultSeverity: 'warning',
    title: 'ARN region outside its partition',
    description: 'An ARN names a known region of another partition (arn:aws:...:cn-north-1:...; China regions are in aws-cn).',
  },
  {
    code: RuleCode.arnAccountMismatch,
    family: 'arn',
    defaultSeverity: 'warning',
    title: "ARN account differs from the record's",
    description:
      "The account in an ARN disagrees with the account the record gives beside it: the caller's arn and userIdentity.accountId, a sessionIssuer's arn and accountId, a resource's ARN and accountId, an ACM certificate ARN and recipientAccountId.",
  },
  {
    code: RuleCode.arnRegionMismatch,
    family: 'arn',
    defaultSeverity: 'warning',
    title: 'ARN region differs from awsRegion',
    description:
      "An ACM certificate ARN in a request or response names another region than the record's awsRegion, although ACM only reaches certificates of the region that is called.",
  },
  {
    code: RuleCode.duplicateEventId,
    family: 'duplicate',
    defaultSeverity: 'warning',
    title: 'Duplicate eventID',
    description: 'Two records of the file share an eventID. The later one is reported, with a link to the first.',
  },
  {
    code: RuleCode.duplicateKey,
    family: 'duplicate',
    defaultSeverity: 'warning',
    title: 'Duplicate property name',
    description:
      'An object names the same property twice; JSON readers keep only the last value, so the first is silently lost. The later one is reported, with a link to the first.',
  },
  {
    code: RuleCode.acmUnknownEvent,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'Unknown ACM event name',
    description: 'An acm.amazonaws.com API call whose eventName is not an operation of the ACM API. A quick fix offers the closest operation name.',
  },
  {
    code: RuleCode.acmeUnknownEvent,
    family: 'acm',
    defaultSeverity: 'info',
    title: 'Unknown ACM ACME event name',
    description: 'An acm-acme.amazonaws.com event whose eventName is not one of the ACME protocol events ACM logs (NewAccount, NewOrder, FinalizeOrder, ...).',
  },
  {
    code: RuleCode.acmMissingParameter,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'ACM request lacks a required parameter',
    description:
      'requestParameters of an ACM call lack a member that the operation requires (secret and binary members excepted: CloudTrail may hide them). Information only for failed calls.',
  },
  {
    code: RuleCode.acmUnknownParameter,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'Unknown ACM request parameter',
    description: 'requestParameters of an ACM call hold a member that the operation does not have. A quick fix renames a member written in the wrong case.',
  },
  {
    code: RuleCode.acmParameterType,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'ACM request parameter of the wrong type',
    description:
      'An ACM request parameter holds another kind of value than the API model says (a number where a string belongs, an object where a list belongs).',
  },
  {
    code: RuleCode.acmEnumValue,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'ACM value not allowed',
    description: 'An ACM request parameter holds a value outside the enumeration the API model allows (revocationReason, validationMethod, keyAlgorithm, ...).',
  },
  {
    code: RuleCode.acmConstraint,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'ACM constraint violated',
    description:
      'An ACM request parameter breaks a length, range, size or pattern constraint of the API model (a tag key over 128 characters, more than 50 tags, a malformed domain name).',
  },
  {
    code: RuleCode.acmCertificateArn,
    family: 'acm',
    defaultSeverity: 'warning',
    title: 'ACM certificate ARN',
    description: 'A certificateArn of an ACM call must be arn:partition:acm:region:account:certificate/id, with a 12-digit account and a GUID as id.',
  },
];

const BY_CODE = new Map(RULES.map((rule) => [rule.code, rule]));

export function ruleInfo(code: string): RuleInfo | undefined {
  return BY_CODE.get(code);
}

/** The severity a rule reports with when the user has not configured it. */
export function defaultSeverity(code: RuleCode): Severity | 'off' {
  return BY_CODE.get(code)?.defaultSeverity ?? 'warning';
}
