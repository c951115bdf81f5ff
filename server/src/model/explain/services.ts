/**
 * AWS services as CloudTrail names them (`eventSource`, the service part of ARNs) and what an
 * operation's verb says about whether it only reads or changes something.
 */
import { undatedOperationName } from '../iam/names';

/** eventSource host prefix (before `.amazonaws.com`) -> service name. */
const EVENT_SOURCES: Record<string, string> = {
  acm: 'AWS Certificate Manager',
  'acm-acme': 'AWS Certificate Manager (ACME protocol)',
  'acm-pca': 'AWS Private Certificate Authority',
  apigateway: 'Amazon API Gateway',
  athena: 'Amazon Athena',
  autoscaling: 'Amazon EC2 Auto Scaling',
  backup: 'AWS Backup',
  bedrock: 'Amazon Bedrock',
  cloudformation: 'AWS CloudFormation',
  cloudfront: 'Amazon CloudFront',
  cloudshell: 'AWS CloudShell',
  cloudtrail: 'AWS CloudTrail',
  codebuild: 'AWS CodeBuild',
  codecommit: 'AWS CodeCommit',
  codepipeline: 'AWS CodePipeline',
  'cognito-identity': 'Amazon Cognito Identity',
  'cognito-idp': 'Amazon Cognito User Pools',
  config: 'AWS Config',
  dynamodb: 'Amazon DynamoDB',
  ec2: 'Amazon EC2',
  'ec2-instance-connect': 'EC2 Instance Connect',
  ecr: 'Amazon Elastic Container Registry',
  ecs: 'Amazon Elastic Container Service',
  eks: 'Amazon Elastic Kubernetes Service',
  elasticache: 'Amazon ElastiCache',
  elasticbeanstalk: 'AWS Elastic Beanstalk',
  elasticfilesystem: 'Amazon EFS',
  elasticloadbalancing: 'Elastic Load Balancing',
  es: 'Amazon OpenSearch Service',
  events: 'Amazon EventBridge',
  firehose: 'Amazon Data Firehose',
  glue: 'AWS Glue',
  guardduty: 'Amazon GuardDuty',
  health: 'AWS Health',
  iam: 'AWS Identity and Access Management (IAM)',
  identitystore: 'AWS IAM Identity Center identity store',
  inspector2: 'Amazon Inspector',
  kinesis: 'Amazon Kinesis Data Streams',
  kms: 'AWS Key Management Service',
  lambda: 'AWS Lambda',
  logs: 'Amazon CloudWatch Logs',
  monitoring: 'Amazon CloudWatch',
  opsworks: 'AWS OpsWorks',
  organizations: 'AWS Organizations',
  rds: 'Amazon RDS',
  redshift: 'Amazon Redshift',
  rolesanywhere: 'IAM Roles Anywhere',
  route53: 'Amazon Route 53',
  route53domains: 'Amazon Route 53 Domains',
  route53resolver: 'Amazon Route 53 Resolver',
  s3: 'Amazon S3',
  sagemaker: 'Amazon SageMaker',
  secretsmanager: 'AWS Secrets Manager',
  securityhub: 'AWS Security Hub',
  ses: 'Amazon SES',
  signin: 'AWS sign-in',
  sns: 'Amazon SNS',
  sqs: 'Amazon SQS',
  ssm: 'AWS Systems Manager',
  sso: 'AWS IAM Identity Center',
  'sso-directory': 'AWS IAM Identity Center directory',
  states: 'AWS Step Functions',
  sts: 'AWS Security Token Service (STS)',
  support: 'AWS Support',
  waf: 'AWS WAF Classic',
  wafv2: 'AWS WAF',
};

/** ARN service names that differ from their eventSource prefix. */
const ARN_SERVICES: Record<string, string> = {
  ...EVENT_SOURCES,
  acm: 'ACM',
  iam: 'IAM',
  sts: 'STS',
  s3: 'S3',
  ec2: 'EC2',
  kms: 'KMS',
  elasticloadbalancing: 'Elastic Load Balancing',
};

const has = (table: Record<string, string>, key: string): boolean => Object.prototype.hasOwnProperty.call(table, key);

export interface ServiceInfo {
  /** The readable name, or the host prefix when the service is not in the table. */
  name: string;
  /** The host prefix (`acm` for `acm.amazonaws.com`). */
  prefix: string;
  known: boolean;
  /** Whether the text has the usual `<service>.amazonaws.com` form. */
  wellFormed: boolean;
}

/** The service an eventSource names. */
export function serviceForEventSource(eventSource: string): ServiceInfo {
  const match = /^([a-z0-9][a-z0-9.-]*)\.amazonaws\.com$/.exec(eventSource);
  const prefix = match ? match[1] : eventSource;
  if (has(EVENT_SOURCES, prefix)) {
    return { name: EVENT_SOURCES[prefix], prefix, known: true, wellFormed: match !== null };
  }
  return { name: prefix, prefix, known: false, wellFormed: match !== null };
}

/** A name for the service part of an ARN. */
export function serviceNameForArnService(service: string): string {
  return has(ARN_SERVICES, service) ? ARN_SERVICES[service] : service;
}

/** A host name of an AWS service (`cloudformation.amazonaws.com`), as met in sourceIPAddress and userAgent. */
export function serviceForHostName(text: string): ServiceInfo | undefined {
  if (!/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/.test(text)) {
    return undefined;
  }
  // `console.ec2.amazonaws.com`, `ec2.us-east-1.amazonaws.com`: try each label.
  const labels = text.slice(0, -'.amazonaws.com'.length).split('.');
  for (const label of labels) {
    if (has(EVENT_SOURCES, label)) {
      return { name: EVENT_SOURCES[label], prefix: label, known: true, wellFormed: true };
    }
  }
  return { name: labels[0], prefix: labels[0], known: false, wellFormed: true };
}

export type Access = 'read' | 'write';

export interface VerbReading {
  /** The leading verb of the operation name (`Describe` in `DescribeInstances`). */
  verb: string;
  access?: Access;
}

/** Verbs that only look. Checked as whole leading words of the operation name. */
const READ_VERBS = [
  'Get',
  'List',
  'Describe',
  'Head',
  'Lookup',
  'Search',
  'Scan',
  'Query',
  'Select',
  'BatchGet',
  'Check',
  'View',
  'Preview',
  'Estimate',
  'Simulate',
  'Validate',
  'Test',
  'Read',
  'Download',
  'Filter',
  'Poll',
  'Discover',
  'Verify',
  'Evaluate',
  'Decode',
  'Receive',
  'Show',
  'Count',
  // Cryptographic operations use a key but store nothing; CloudTrail marks KMS's as read-only.
  'Encrypt',
  'Decrypt',
  'Sign',
];

/** Verbs that change something. `Generate` is in neither list: it reads for GenerateDataKey and writes for GenerateCredentialReport. */
const WRITE_VERBS = [
  'Create',
  'Delete',
  'Put',
  'Update',
  'Modify',
  'Add',
  'Remove',
  'Attach',
  'Detach',
  'Associate',
  'Disassociate',
  'Start',
  'Stop',
  'Run',
  'Terminate',
  'Reboot',
  'Import',
  'Export',
  'Request',
  'Renew',
  'Revoke',
  'Enable',
  'Disable',
  'Set',
  'Tag',
  'Untag',
  'Register',
  'Deregister',
  'Authorize',
  'Send',
  'Invoke',
  'Publish',
  'Reset',
  'Restore',
  'Copy',
  'Upload',
  'Change',
  'Replace',
  'Cancel',
  'Assume',
  'Allocate',
  'Release',
  'Apply',
  'Accept',
  'Reject',
  'Grant',
  'Retire',
  'Rotate',
  'Resend',
  'Schedule',
  'Execute',
  'Deploy',
  'Upgrade',
  'Purchase',
  'Leave',
  'Invite',
  'Share',
  'Unshare',
  'Merge',
  'Batch',
  'Resume',
  'Suspend',
  'Confirm',
  'Complete',
  'Abort',
  'Move',
  'Restart',
  'Promote',
  'Provision',
  'Unlink',
  'Link',
  'Lock',
  'Unlock',
  'Archive',
  'Unarchive',
  'Enroll',
  'Opt',
  'Recover',
  'Refresh',
  'Submit',
  'Activate',
  'Deactivate',
  'Finalize',
  'New',
  'Manage',
  'Install',
  'Uninstall',
  'Migrate',
  'Reinstate',
  'Swap',
  'Subscribe',
  'Unsubscribe',
  'Increment',
  'Rebuild',
  'Bundle',
  'Unmonitor',
  'Monitor',
  'Transfer',
];

/**
 * Splits the leading verb off an operation name and says whether such a verb reads or writes.
 * A record's own `readOnly` wins over this; the verb is a reading for records that lack it.
 */
export function readVerb(eventName: string): VerbReading {
  const match = /^[A-Z][a-z]+/.exec(eventName);
  if (!match) {
    return { verb: eventName };
  }
  const verb = match[0];
  // `BatchGetItem` reads; other `Batch...` calls write.
  if (eventName.startsWith('BatchGet')) {
    return { verb: 'BatchGet', access: 'read' };
  }
  if (READ_VERBS.includes(verb)) {
    return { verb, access: 'read' };
  }
  if (WRITE_VERBS.includes(verb)) {
    return { verb, access: 'write' };
  }
  return { verb };
}

/**
 * API reference pages whose address can be formed from the operation name alone. Services not
 * listed get no link: their pages are laid out differently or their event names are not API names.
 */
const API_REFERENCES: Record<string, string> = {
  acm: 'https://docs.aws.amazon.com/acm/latest/APIReference/API_',
  'acm-pca': 'https://docs.aws.amazon.com/privateca/latest/APIReference/API_',
  autoscaling: 'https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_',
  cloudformation: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_',
  cloudtrail: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_',
  config: 'https://docs.aws.amazon.com/config/latest/APIReference/API_',
  dynamodb: 'https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_',
  ec2: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_',
  'ec2-instance-connect': 'https://docs.aws.amazon.com/ec2-instance-connect/latest/APIReference/API_',
  ecr: 'https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_',
  ecs: 'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_',
  eks: 'https://docs.aws.amazon.com/eks/latest/APIReference/API_',
  events: 'https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_',
  guardduty: 'https://docs.aws.amazon.com/guardduty/latest/APIReference/API_',
  iam: 'https://docs.aws.amazon.com/IAM/latest/APIReference/API_',
  identitystore: 'https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_',
  kms: 'https://docs.aws.amazon.com/kms/latest/APIReference/API_',
  lambda: 'https://docs.aws.amazon.com/lambda/latest/api/API_',
  logs: 'https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_',
  monitoring: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_',
  organizations: 'https://docs.aws.amazon.com/organizations/latest/APIReference/API_',
  rds: 'https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_',
  route53: 'https://docs.aws.amazon.com/Route53/latest/APIReference/API_',
  s3: 'https://docs.aws.amazon.com/AmazonS3/latest/API/API_',
  secretsmanager: 'https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_',
  sns: 'https://docs.aws.amazon.com/sns/latest/api/API_',
  sqs: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_',
  ssm: 'https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_',
  sso: 'https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_',
  sts: 'https://docs.aws.amazon.com/STS/latest/APIReference/API_',
};

/**
 * The API reference page of an operation, when one can be formed reliably: a listed service, an
 * API call (not a console or service event) and an operation name made only of letters and digits.
 * For ACM the caller passes `knownOperation` (the name is in the API model).
 */
export function apiReferenceUrl(eventSource: string, eventName: string, options: { eventType?: string; knownOperation?: boolean } = {}): string | undefined {
  const service = serviceForEventSource(eventSource);
  if (!service.wellFormed || !has(API_REFERENCES, service.prefix) || !/^[A-Z][A-Za-z0-9]{1,99}$/.test(eventName)) {
    return undefined;
  }
  // A dated name (CreateFunction20150331) has no page of its own; the caller passes the operation.
  if (undatedOperationName(eventName) !== eventName) {
    return undefined;
  }
  if (service.prefix === 'acm' && !options.knownOperation) {
    return undefined;
  }
  if (options.eventType !== undefined && options.eventType !== 'AwsApiCall') {
    return undefined;
  }
  return `${API_REFERENCES[service.prefix]}${eventName}.html`;
}

const REGIONS: Record<string, string> = {
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-east-2': 'Asia Pacific (Taipei)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)',
  'ap-southeast-7': 'Asia Pacific (Thailand)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'Europe (Frankfurt)',
  'eu-central-2': 'Europe (Zurich)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'eu-west-3': 'Europe (Paris)',
  'eu-south-1': 'Europe (Milan)',
  'eu-south-2': 'Europe (Spain)',
  'eu-north-1': 'Europe (Stockholm)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-south-1': 'Middle East (Bahrain)',
  'me-central-1': 'Middle East (UAE)',
  'mx-central-1': 'Mexico (Central)',
  'sa-east-1': 'South America (São Paulo)',
  'us-gov-east-1': 'AWS GovCloud (US-East)',
  'us-gov-west-1': 'AWS GovCloud (US-West)',
  'cn-north-1': 'China (Beijing)',
  'cn-northwest-1': 'China (Ningxia)',
};

/** The name of a region code, or undefined when the code is not a known region. */
export function regionName(code: string): string | undefined {
  return has(REGIONS, code) ? REGIONS[code] : undefined;
}
