import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Synthetic CloudTrail logs for the benchmark: deterministic (a seeded PRNG), shaped like real
 * delivered files (mixed services with many ACM calls, every common identity type, event versions
 * 1.05 to 1.10, failed calls, TLS details, resources), cut to a target size.
 *
 * The text is plain ASCII, so V8 keeps it as a one-byte string: its length is its size in bytes,
 * both on disk and in memory.
 */

/** Bump when the records change, so that cached files under .bench/ are written again. */
export const GENERATOR_VERSION = 2;

export type Layout = 'one-line' | 'pretty';

export const MIB = 1024 * 1024;

/** mulberry32: small, fast, and good enough to make varied but repeatable logs. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = Record<string, Json>;

class Picker {
  constructor(readonly random: () => number) {}

  int(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }

  chance(probability: number): boolean {
    return this.random() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((sum, [weight]) => sum + weight, 0);
    let roll = this.random() * total;
    for (const [weight, value] of items) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return items[items.length - 1][1];
  }

  hex(length: number): string {
    let result = '';
    for (let i = 0; i < length; i++) result += HEX[Math.floor(this.random() * 16)];
    return result;
  }

  upper(length: number): string {
    let result = '';
    for (let i = 0; i < length; i++) result += UPPER_DIGITS[Math.floor(this.random() * UPPER_DIGITS.length)];
    return result;
  }

  base64(length: number): string {
    let result = '';
    for (let i = 0; i < length; i++) result += BASE64[Math.floor(this.random() * 64)];
    return result;
  }

  uuid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${this.pick(['8', '9', 'a', 'b'])}${this.hex(3)}-${this.hex(12)}`;
  }
}

const HEX = '0123456789abcdef';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

const ACCOUNTS = ['111122223333', '444455556666', '123456789012'];
const REGIONS = ['us-east-1', 'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'sa-east-1'];
const EVENT_VERSIONS = ['1.05', '1.08', '1.08', '1.09', '1.09', '1.10', '1.10'];
const USER_NAMES = ['alice', 'bob', 'carol', 'deploy-bot', 'ci-runner', 'dave.ops', 'erin'];
const ROLES = ['CertManager', 'AdminRole', 'ReadOnly', 'LambdaExecution', 'OrganizationAccountAccessRole', 'EKSNodeRole'];
const SESSION_NAMES = ['alice@example.com', 'bob', 'i-0a1b2c3d4e5f67890', 'botocore-session-1735689600', 'terraform'];
const SERVICES_INVOKING = ['cloudformation.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'config.amazonaws.com', 'lambda.amazonaws.com'];
const USER_AGENTS = [
  'aws-cli/2.17.20 md/awscrt#0.20.11 ua/2.0 os/linux#6.5.0 md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.22 md/prompt#off command/acm.describe-certificate',
  'Boto3/1.34.144 md/Botocore#1.34.144 ua/2.0 os/linux#5.10.219-208.866.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.144',
  'APN/1.0 HashiCorp/1.0 Terraform/1.8.5 (+https://www.terraform.io) terraform-provider-aws/5.59.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.3 ua/2.0 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/acm#1.28.3',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'AWS Internal',
  'console.amazonaws.com',
  'aws-sdk-java/1.12.720 Linux/5.10.218-208.862.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/17.0.11 vendor/Amazon.com_Inc. cfg/retry-mode/standard',
];
const CIPHER_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'];
const DOMAINS = ['example.com', 'shop.example.com', 'api.example.net', 'internal.example.org', 'mail.example.com', 'www.example.com'];

/** Shared state across records: the accounts' certificates, a clock moving forward. */
class LogWorld {
  readonly pick: Picker;
  private clock: number;
  /** Certificate IDs; a certificate's ARN takes the account and region of the call that names it. */
  readonly certificateIds: string[] = [];

  constructor(seed: number) {
    this.pick = new Picker(seededRandom(seed));
    this.clock = Date.UTC(2025, 5, 1, 0, 0, 0);
    for (let i = 0; i < 240; i++) {
      this.certificateIds.push(this.pick.uuid());
    }
  }

  certificateArn(account: string, region: string): string {
    return `arn:aws:acm:${region}:${account}:certificate/${this.pick.pick(this.certificateIds)}`;
  }

  /** The next event time: mostly forward, sometimes a little out of order, as delivered files are. */
  nextTime(): string {
    this.clock += this.pick.int(0, 4000);
    const jitter = this.pick.chance(0.1) ? -this.pick.int(0, 60_000) : 0;
    return new Date(this.clock + jitter).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  pem(lines: number): string {
    let body = '';
    for (let i = 0; i < lines; i++) body += `${this.pick.base64(64)}\n`;
    return `-----BEGIN CERTIFICATE-----\n${body}${this.pick.base64(this.pick.int(8, 60))}==\n-----END CERTIFICATE-----\n`;
  }

  /** How a Java ByteBuffer argument is logged: every byte as a signed number. */
  byteBuffer(length: number): JsonObject {
    const hb = new Array<number>(length);
    for (let i = 0; i < length; i++) hb[i] = Math.floor(this.pick.random() * 256) - 128;
    return {
      hb,
      offset: 0,
      isReadOnly: false,
      bigEndian: true,
      nativeByteOrder: false,
      mark: -1,
      position: 0,
      limit: length,
      capacity: length,
      address: 0,
    };
  }
}

interface Call {
  eventSource: string;
  eventName: string;
  readOnly: boolean;
  requestParameters: Json;
  responseElements: Json;
  additionalEventData?: JsonObject;
  resources?: JsonObject[];
  eventType?: string;
  error?: [string, string];
  /** The service's own region when the call is global (IAM, sign-in). */
  region?: string;
}

interface Identity {
  identity: JsonObject;
  account: string;
  sourceIp: string;
  userAgent: string;
}

function makeIdentity(world: LogWorld, account: string): Identity {
  const p = world.pick;
  const sourceIp = `${p.int(3, 223)}.${p.int(0, 255)}.${p.int(0, 255)}.${p.int(1, 254)}`;
  const userAgent = p.pick(USER_AGENTS);
  const type = p.weighted([
    [30, 'IAMUser'],
    [45, 'AssumedRole'],
    [14, 'AWSService'],
    [5, 'Root'],
    [6, 'FederatedUser'],
  ] as const);
  const attributes = (): JsonObject => ({ creationDate: world.nextTime(), mfaAuthenticated: p.chance(0.3) ? 'true' : 'false' });
  switch (type) {
    case 'IAMUser': {
      const userName = p.pick(USER_NAMES);
      return {
        identity: {
          type,
          principalId: `AIDA${p.upper(17)}`,
          arn: `arn:aws:iam::${account}:user/${userName}`,
          accountId: account,
          accessKeyId: `AKIA${p.upper(16)}`,
          userName,
        },
        account,
        sourceIp,
        userAgent,
      };
    }
    case 'AssumedRole': {
      const role = p.pick(ROLES);
      const session = p.pick(SESSION_NAMES);
      const roleId = `AROA${p.upper(17)}`;
      const identity: JsonObject = {
        type,
        principalId: `${roleId}:${session}`,
        arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
        accountId: account,
        accessKeyId: `ASIA${p.upper(16)}`,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${account}:role/${role}`, accountId: account, userName: role },
          webIdFederationData: {},
          attributes: attributes(),
        },
      };
      if (p.chance(0.15)) {
        identity.invokedBy = p.pick(SERVICES_INVOKING);
      }
      return { identity, account, sourceIp: identity.invokedBy ? (identity.invokedBy as string) : sourceIp, userAgent };
    }
    case 'AWSService': {
      const service = p.pick(SERVICES_INVOKING);
      return { identity: { type, invokedBy: service }, account, sourceIp: service, userAgent: service };
    }
    case 'Root':
      return {
        identity: { type, principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: `ASIA${p.upper(16)}` },
        account,
        sourceIp,
        userAgent,
      };
    default: {
      const userName = p.pick(USER_NAMES);
      const issuerId = `AIDA${p.upper(17)}`;
      return {
        identity: {
          type: 'FederatedUser',
          principalId: `${account}:${userName}`,
          arn: `arn:aws:sts::${account}:federated-user/${userName}`,
          accountId: account,
          accessKeyId: `ASIA${p.upper(16)}`,
          sessionContext: {
            sessionIssuer: {
              type: 'IAMUser',
              principalId: issuerId,
              arn: `arn:aws:iam::${account}:user/federation-broker`,
              accountId: account,
              userName: 'federation-broker',
            },
            webIdFederationData: {},
            attributes: attributes(),
          },
        },
        account,
        sourceIp,
        userAgent,
      };
    }
  }
}

const ACM_ERRORS: [string, string][] = [
  ['ResourceNotFoundException', 'Could not find certificate'],
  [
    'ValidationException',
    "1 validation error detected: Value at 'certificateArn' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:[\\w+=/,.@-]+:acm:[\\w+=/,.@-]*:[0-9]+:[\\w+=,.@-]+(/[\\w+=,.@-]+)*",
  ],
  ['AccessDenied', 'User is not authorized to perform: acm:DescribeCertificate on the specified resource'],
  ['ThrottlingException', 'Rate exceeded'],
  ['RequestInProgressException', 'The certificate request is in progress and the certificate details are not yet available.'],
  ['LimitExceededException', 'Error: you have reached your limit of 2500 certificates in the last year.'],
];

function acmCall(world: LogWorld, account: string, region: string): Call {
  const p = world.pick;
  const certificateArn = world.certificateArn(account, region);
  const base = { eventSource: 'acm.amazonaws.com' };
  const name = p.weighted([
    [22, 'DescribeCertificate'],
    [16, 'ListCertificates'],
    [10, 'ListTagsForCertificate'],
    [8, 'RequestCertificate'],
    [6, 'GetCertificate'],
    [2, 'ImportCertificate'],
    [4, 'ExportCertificate'],
    [4, 'RenewCertificate'],
    [5, 'AddTagsToCertificate'],
    [2, 'RemoveTagsFromCertificate'],
    [3, 'DeleteCertificate'],
    [2, 'ResendValidationEmail'],
    [2, 'UpdateCertificateOptions'],
    [3, 'GetAccountConfiguration'],
  ] as const);
  const call = (readOnly: boolean, requestParameters: Json, responseElements: Json = null): Call => ({
    ...base,
    eventName: name,
    readOnly,
    requestParameters,
    responseElements,
  });
  switch (name) {
    case 'DescribeCertificate':
      return call(true, { certificateArn });
    case 'ListCertificates':
      return call(true, {
        certificateStatuses: p.chance(0.5) ? ['ISSUED'] : ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'],
        includes: { keyTypes: ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'] },
        maxItems: 1000,
      });
    case 'ListTagsForCertificate':
      return call(true, { certificateArn });
    case 'RequestCertificate': {
      const domain = p.pick(DOMAINS);
      return call(
        false,
        {
          domainName: domain,
          validationMethod: p.chance(0.85) ? 'DNS' : 'EMAIL',
          subjectAlternativeNames: [domain, `*.${domain}`],
          idempotencyToken: p.hex(16),
          options: { certificateTransparencyLoggingPreference: 'ENABLED' },
          keyAlgorithm: p.pick(['RSA_2048', 'EC_prime256v1', 'EC_secp384r1']),
        },
        { certificateArn },
      );
    }
    case 'GetCertificate':
      return call(true, { certificateArn }, { certificate: world.pem(p.int(18, 28)), certificateChain: world.pem(p.int(20, 30)) });
    case 'ImportCertificate': {
      const requestParameters: JsonObject = {
        certificate: world.byteBuffer(p.int(1100, 1900)),
        privateKey: world.byteBuffer(p.int(1190, 1700)),
        certificateChain: world.byteBuffer(p.int(1400, 2200)),
      };
      if (p.chance(0.3)) requestParameters.certificateArn = certificateArn;
      return call(false, requestParameters, { certificateArn });
    }
    case 'ExportCertificate':
      return call(
        true,
        { certificateArn, passphrase: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
        { certificate: world.pem(p.int(18, 28)), certificateChain: world.pem(p.int(20, 30)), privateKey: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
      );
    case 'RenewCertificate':
      return call(false, { certificateArn });
    case 'AddTagsToCertificate':
      return call(false, {
        certificateArn,
        tags: [
          { key: 'Environment', value: p.pick(['prod', 'staging', 'dev']) },
          { key: 'Owner', value: p.pick(USER_NAMES) },
        ],
      });
    case 'RemoveTagsFromCertificate':
      return call(false, { certificateArn, tags: [{ key: 'Environment' }] });
    case 'DeleteCertificate':
      return call(false, { certificateArn });
    case 'ResendValidationEmail':
      return call(false, { certificateArn, domain: p.pick(DOMAINS), validationDomain: p.pick(DOMAINS) });
    case 'UpdateCertificateOptions':
      return call(false, { certificateArn, options: { certificateTransparencyLoggingPreference: p.pick(['ENABLED', 'DISABLED']) } });
    default:
      return call(true, null);
  }
}

function s3Call(world: LogWorld, account: string): Call {
  const p = world.pick;
  const bucketName = p.pick(['logs-archive', 'build-artifacts', 'static-site', 'cloudtrail-delivery']) + `-${account}`;
  const name = p.pick(['ListBuckets', 'GetBucketAcl', 'GetBucketLocation', 'GetBucketPolicy', 'PutBucketPolicy', 'GetBucketVersioning']);
  const additionalEventData: JsonObject = {
    SignatureVersion: 'SigV4',
    CipherSuite: 'TLS_AES_128_GCM_SHA256',
    bytesTransferredIn: 0,
    AuthenticationMethod: 'AuthHeader',
    'x-amz-id-2': p.base64(76),
    bytesTransferredOut: p.int(0, 2000),
  };
  const requestParameters: JsonObject =
    name === 'ListBuckets' ? { Host: 's3.amazonaws.com' } : { bucketName, Host: `${bucketName}.s3.amazonaws.com`, [name.slice(9).toLowerCase() || 'acl']: '' };
  if (name === 'PutBucketPolicy') {
    requestParameters.bucketPolicy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AWSCloudTrailAclCheck',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:GetBucketAcl',
          Resource: `arn:aws:s3:::${bucketName}`,
        },
        {
          Sid: 'AWSCloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `arn:aws:s3:::${bucketName}/AWSLogs/${account}/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
        },
      ],
    };
  }
  return {
    eventSource: 's3.amazonaws.com',
    eventName: name,
    readOnly: name !== 'PutBucketPolicy',
    requestParameters,
    responseElements: null,
    additionalEventData,
    resources: name === 'ListBuckets' ? undefined : [{ type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucketName}` }],
  };
}

function ec2Call(world: LogWorld, account: string): Call {
  const p = world.pick;
  const instanceId = `i-0${p.hex(16)}`;
  const name = p.weighted([
    [40, 'DescribeInstances'],
    [20, 'DescribeSecurityGroups'],
    [10, 'StartInstances'],
    [10, 'StopInstances'],
    [8, 'AuthorizeSecurityGroupIngress'],
    [12, 'DescribeVolumes'],
  ] as const);
  switch (name) {
    case 'DescribeInstances':
      return {
        eventSource: 'ec2.amazonaws.com',
        eventName: name,
        readOnly: true,
        requestParameters: { instancesSet: { items: [{ instanceId }] }, filterSet: {}, includeAllInstances: false },
        responseElements: null,
      };
    case 'StartInstances':
    case 'StopInstances': {
      const starting = name === 'StartInstances';
      return {
        eventSource: 'ec2.amazonaws.com',
        eventName: name,
        readOnly: false,
        requestParameters: { instancesSet: { items: [{ instanceId }] } },
        responseElements: {
          requestId: p.uuid(),
          instancesSet: {
            items: [
              {
                instanceId,
                currentState: starting ? { code: 0, name: 'pending' } : { code: 64, name: 'stopping' },
                previousState: starting ? { code: 80, name: 'stopped' } : { code: 16, name: 'running' },
              },
            ],
          },
        },
      };
    }
    case 'AuthorizeSecurityGroupIngress':
      return {
        eventSource: 'ec2.amazonaws.com',
        eventName: name,
        readOnly: false,
        requestParameters: {
          groupId: `sg-0${p.hex(16)}`,
          ipPermissions: {
            items: [
              { ipProtocol: 'tcp', fromPort: 443, toPort: 443, groups: {}, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] }, ipv6Ranges: {}, prefixListIds: {} },
            ],
          },
        },
        responseElements: {
          requestId: p.uuid(),
          _return: true,
          securityGroupRuleSet: {
            items: [
              {
                groupOwnerId: account,
                groupId: `sg-0${p.hex(16)}`,
                securityGroupRuleId: `sgr-0${p.hex(16)}`,
                isEgress: false,
                ipProtocol: 'tcp',
                fromPort: 443,
                toPort: 443,
                cidrIpv4: '0.0.0.0/0',
              },
            ],
          },
        },
      };
    default:
      return {
        eventSource: 'ec2.amazonaws.com',
        eventName: name,
        readOnly: true,
        requestParameters: { maxResults: 1000, filterSet: {} },
        responseElements: null,
      };
  }
}

function iamCall(world: LogWorld, account: string): Call {
  const p = world.pick;
  const userName = p.pick(USER_NAMES);
  const name = p.pick(['GetUser', 'ListRoles', 'ListAttachedRolePolicies', 'CreateAccessKey', 'AttachRolePolicy', 'GetRole']);
  const role = p.pick(ROLES);
  const requestParameters: Json =
    name === 'ListRoles'
      ? null
      : name === 'GetUser' || name === 'CreateAccessKey'
        ? { userName }
        : name === 'AttachRolePolicy'
          ? { roleName: role, policyArn: p.chance(0.5) ? 'arn:aws:iam::aws:policy/AdministratorAccess' : `arn:aws:iam::${account}:policy/CertificateRotation` }
          : { roleName: role };
  const responseElements: Json =
    name === 'CreateAccessKey' ? { accessKey: { accessKeyId: `AKIA${p.upper(16)}`, status: 'Active', userName, createDate: 'Jun 1, 2025 10:12:01 AM' } } : null;
  return {
    eventSource: 'iam.amazonaws.com',
    eventName: name,
    readOnly: name.startsWith('Get') || name.startsWith('List'),
    requestParameters,
    responseElements,
    region: 'us-east-1',
  };
}

function stsCall(world: LogWorld, account: string): Call {
  const p = world.pick;
  if (p.chance(0.3)) {
    return { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity', readOnly: true, requestParameters: null, responseElements: null };
  }
  const role = p.pick(ROLES);
  const session = p.pick(SESSION_NAMES);
  const roleArn = `arn:aws:iam::${account}:role/${role}`;
  return {
    eventSource: 'sts.amazonaws.com',
    eventName: 'AssumeRole',
    readOnly: true,
    requestParameters: { roleArn, roleSessionName: session, durationSeconds: 3600 },
    responseElements: {
      credentials: { accessKeyId: `ASIA${p.upper(16)}`, sessionToken: p.base64(p.int(300, 700)), expiration: 'Jun 1, 2025, 11:12:01 AM' },
      assumedRoleUser: { assumedRoleId: `AROA${p.upper(17)}:${session}`, arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}` },
    },
    resources: [{ accountId: account, type: 'AWS::IAM::Role', ARN: roleArn }],
  };
}

function kmsCall(world: LogWorld, account: string, region: string): Call {
  const p = world.pick;
  const keyArn = `arn:aws:kms:${region}:${account}:key/${p.uuid()}`;
  const name = p.pick(['Decrypt', 'GenerateDataKey', 'Encrypt', 'DescribeKey']);
  return {
    eventSource: 'kms.amazonaws.com',
    eventName: name,
    readOnly: name !== 'Encrypt',
    requestParameters:
      name === 'DescribeKey'
        ? { keyId: keyArn }
        : { keyId: keyArn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:acm:arn': world.certificateArn(account, region) } },
    responseElements: null,
    resources: [{ accountId: account, type: 'AWS::KMS::Key', ARN: keyArn }],
  };
}

function cloudTrailCall(world: LogWorld, account: string, region: string): Call {
  const p = world.pick;
  const name = p.pick(['DescribeTrails', 'GetTrailStatus', 'LookupEvents', 'GetEventSelectors']);
  const trailArn = `arn:aws:cloudtrail:${region}:${account}:trail/management-events`;
  return {
    eventSource: 'cloudtrail.amazonaws.com',
    eventName: name,
    readOnly: true,
    requestParameters:
      name === 'LookupEvents'
        ? { lookupAttributes: [{ attributeKey: 'EventSource', attributeValue: 'acm.amazonaws.com' }], maxResults: 50 }
        : name === 'DescribeTrails'
          ? { trailNameList: [], includeShadowTrails: true }
          : { name: trailArn },
    responseElements: null,
  };
}

function consoleSignIn(world: LogWorld): Call {
  const p = world.pick;
  const failed = p.chance(0.15);
  return {
    eventSource: 'signin.amazonaws.com',
    eventName: 'ConsoleLogin',
    readOnly: false,
    requestParameters: null,
    responseElements: { ConsoleLogin: failed ? 'Failure' : 'Success' },
    additionalEventData: {
      LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true',
      MobileVersion: 'No',
      MFAUsed: p.chance(0.6) ? 'Yes' : 'No',
    },
    eventType: 'AwsConsoleSignIn',
    error: failed ? ['', 'Failed authentication'] : undefined,
    region: 'us-east-1',
  };
}

const GENERIC_ERRORS: [string, string][] = [
  ['AccessDenied', 'User is not authorized to perform this operation because no identity-based policy allows the action'],
  ['ThrottlingException', 'Rate exceeded'],
  ['Client.UnauthorizedOperation', 'You are not authorized to perform this operation.'],
];

/** One CloudTrail record as a JS object, in the field order CloudTrail writes. */
export function generateRecord(world: LogWorld): JsonObject {
  const p = world.pick;
  const account = p.pick(ACCOUNTS);
  const region = p.pick(REGIONS);
  const who = makeIdentity(world, account);
  const call = p.weighted<() => Call>([
    [45, () => acmCall(world, account, region)],
    [12, () => s3Call(world, account)],
    [12, () => ec2Call(world, account)],
    [7, () => iamCall(world, account)],
    [9, () => stsCall(world, account)],
    [7, () => kmsCall(world, account, region)],
    [4, () => cloudTrailCall(world, account, region)],
    [4, () => consoleSignIn(world)],
  ])();
  const eventVersion = p.pick(EVENT_VERSIONS);
  const minor = Number(eventVersion.split('.')[1]);
  const record: JsonObject = {
    eventVersion,
    userIdentity: who.identity,
    eventTime: world.nextTime(),
    eventSource: call.eventSource,
    eventName: call.eventName,
    awsRegion: call.region ?? region,
    sourceIPAddress: who.sourceIp,
    userAgent: who.userAgent,
  };
  let error = call.error;
  if (!error && p.chance(0.06)) {
    error = call.eventSource === 'acm.amazonaws.com' ? p.pick(ACM_ERRORS) : p.pick(GENERIC_ERRORS);
  }
  if (error) {
    if (error[0]) record.errorCode = error[0];
    record.errorMessage = error[1];
  }
  record.requestParameters = call.requestParameters;
  record.responseElements = error?.[0] ? null : call.responseElements;
  if (call.additionalEventData) record.additionalEventData = call.additionalEventData;
  record.requestID = p.uuid();
  record.eventID = p.uuid();
  record.readOnly = call.readOnly;
  if (call.resources) record.resources = call.resources;
  record.eventType = call.eventType ?? 'AwsApiCall';
  if (minor >= 6) record.managementEvent = true;
  record.recipientAccountId = account;
  if (minor >= 7) record.eventCategory = 'Management';
  if (minor >= 8 && call.eventType !== 'AwsConsoleSignIn' && who.identity.type !== 'AWSService') {
    record.tlsDetails = {
      tlsVersion: p.chance(0.7) ? 'TLSv1.3' : 'TLSv1.2',
      cipherSuite: p.pick(CIPHER_SUITES),
      clientProvidedHostHeader: `${call.eventSource.replace('.amazonaws.com', '')}.${call.region ?? region}.amazonaws.com`,
    };
    if (who.userAgent.startsWith('Mozilla') && p.chance(0.5)) record.sessionCredentialFromConsole = 'true';
  }
  return record;
}

export interface GeneratedLog {
  text: string;
  records: number;
}

/**
 * A `{"Records":[...]}` log of at most `targetBytes` characters (as close to it as whole records
 * allow), on one line as S3 delivers it or pretty-printed with two spaces as `jq` writes it. The
 * pretty text is exactly `JSON.stringify({Records}, null, 2)` of the same kind of records.
 */
export function generateLog(targetBytes: number, layout: Layout, seed = 20250601): GeneratedLog {
  const world = new LogWorld(seed);
  const pretty = layout === 'pretty';
  const head = pretty ? '{\n  "Records": [\n    ' : '{"Records":[';
  const separator = pretty ? ',\n    ' : ',';
  const tail = pretty ? '\n  ]\n}\n' : ']}';
  const parts: string[] = [];
  let size = head.length + tail.length;
  for (;;) {
    const record = generateRecord(world);
    const serialized = pretty ? JSON.stringify(record, null, 2).replace(/\n/g, '\n    ') : JSON.stringify(record);
    const added = serialized.length + (parts.length > 0 ? separator.length : 0);
    if (size + added > targetBytes && parts.length > 0) {
      break;
    }
    parts.push(serialized);
    size += added;
  }
  return { text: head + parts.join(separator) + tail, records: parts.length };
}

/** The log file for a size and layout under `folder`, written once per generator version and reused. */
export function benchLogFile(folder: string, sizeMiB: number, layout: Layout): { file: string; text: string; written: boolean } {
  const file = path.join(folder, `cloudtrail-v${GENERATOR_VERSION}-${sizeMiB}mb-${layout}.json`);
  if (existsSync(file)) {
    return { file, text: readFileSync(file, 'utf8'), written: false };
  }
  mkdirSync(folder, { recursive: true });
  for (const stale of readdirSync(folder)) {
    if (/^cloudtrail-v\d+-/.test(stale) && !stale.startsWith(`cloudtrail-v${GENERATOR_VERSION}-`)) {
      rmSync(path.join(folder, stale));
    }
  }
  const { text } = generateLog(sizeMiB * MIB, layout);
  writeFileSync(file, text, 'utf8');
  return { file, text, written: true };
}
