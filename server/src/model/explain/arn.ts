/**
 * Amazon Resource Names, split into their parts: `arn:partition:service:region:account:resource`.
 */
import { serviceNameForArnService } from './services';

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the account: `certificate/1234...`, `user/Alice`, `bucket/key`. */
  resource: string;
  /** The resource's type when the resource names one (`certificate`, `user`, `assumed-role`). */
  resourceType?: string;
  /** The resource's own id or path after the type. */
  resourceId: string;
}

const PARTITIONS: Record<string, string> = {
  aws: 'AWS commercial regions',
  'aws-cn': 'AWS China',
  'aws-us-gov': 'AWS GovCloud (US)',
  'aws-iso': 'AWS ISO (US)',
  'aws-iso-b': 'AWS ISOB (US)',
  'aws-iso-e': 'AWS ISOE (Europe)',
  'aws-iso-f': 'AWS ISOF',
  'aws-eusc': 'AWS European Sovereign Cloud',
};

/** A readable name of a partition, or undefined when it is not one AWS uses. */
export function partitionName(partition: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(PARTITIONS, partition) ? PARTITIONS[partition] : undefined;
}

/** Splits an ARN; undefined when the text is not one. */
export function parseArn(text: string): ParsedArn | undefined {
  if (!text.startsWith('arn:') || text.length > 4096) {
    return undefined;
  }
  const parts = text.split(':');
  if (parts.length < 6 || !parts[1] || !parts[2]) {
    return undefined;
  }
  const [, partition, service, region, account] = parts;
  const resource = parts.slice(5).join(':');
  const typed = /^([A-Za-z0-9_.-]+)([/:])(.*)$/s.exec(resource);
  // For S3 the resource is the bucket name (and key), not a type.
  const hasType = typed !== null && service !== 's3';
  return {
    partition,
    service,
    region,
    account,
    resource,
    resourceType: hasType ? typed[1] : undefined,
    resourceId: hasType ? typed[3] : resource,
  };
}

export interface ArnCheck {
  ok: boolean;
  problems: string[];
}

/** Checks the parts a well-formed ARN must have. */
export function checkArn(arn: ParsedArn): ArnCheck {
  const problems: string[] = [];
  if (!partitionName(arn.partition)) {
    problems.push(`partition "${arn.partition}" is not one AWS uses`);
  }
  if (arn.account && !/^\d{12}$/.test(arn.account)) {
    problems.push('the account is not 12 digits');
  }
  if (arn.region && !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(arn.region)) {
    problems.push(`region "${arn.region}" is not shaped like a region code`);
  }
  if (arn.service === 'acm' && arn.resourceType === 'certificate' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(arn.resourceId)) {
    problems.push('an ACM certificate id is a lowercase UUID');
  }
  if (!arn.resource) {
    problems.push('the resource part is empty');
  }
  return { ok: problems.length === 0, problems };
}

/** What the ARN's service and resource type are, in words: "ACM certificate", "IAM role". */
export function describeArnResource(arn: ParsedArn): string {
  const service = serviceNameForArnService(arn.service);
  const type = arn.resourceType ? arn.resourceType.replace(/-/g, ' ') : 'resource';
  return `${service} ${type}`;
}
