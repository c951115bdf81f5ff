import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseCloudTrail } from '../../server/src/model';
import { RuleSet } from '../../server/src/model/detections';
import { bundledRulesDirectory, readRuleFiles } from '../../server/src/model/detections/ruleFiles';
import { logOf } from './sigmaHelpers';

/**
 * Every bundled rule against a record it matches and one that almost matches (one field
 * changed), with all the bundled rules loaded together, as the editor runs them.
 */

const rules = RuleSet.load(readRuleFiles(bundledRulesDirectory(), 'bundled').inputs);

function ruleOfFile(name: string): string {
  const file = rules.files.find((candidate) => path.basename(candidate.path) === name);
  assert.ok(file, name);
  return rules.rules[file.rules[0]].metadata.id;
}

const base = {
  eventVersion: '1.08',
  eventTime: '2024-05-01T10:00:00Z',
  eventSource: 'example.amazonaws.com',
  eventName: 'Example',
  eventType: 'AwsApiCall',
  awsRegion: 'us-east-1',
  sourceIPAddress: '203.0.113.7',
  userAgent: 'aws-cli/2.15.0',
  userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333', userName: 'alice' },
};

type Fields = Record<string, unknown>;

/** The rule ids reported for each of these records (one document, records in order). */
function reported(...records: Fields[]): string[][] {
  const findings = rules.detectDocument(parseCloudTrail(logOf(...records.map((fields) => ({ ...base, ...fields })))));
  return records.map((_, index) => findings.filter((finding) => finding.record === index).map((finding) => rules.rules[finding.rule].metadata.id));
}

const call = (eventSource: string, eventName: string, extra: Fields = {}): Fields => ({ eventSource: `${eventSource}.amazonaws.com`, eventName, ...extra });

/** file, a record that matches, a record that almost does. */
const SINGLE_EVENT_RULES: [string, Fields, Fields][] = [
  ['aws_cloudtrail_bedrock_guardrail_deleted.yml', call('bedrock', 'DeleteGuardrail'), call('bedrock', 'GetGuardrail')],
  ['aws_cloudtrail_bedrock_guardrail_updated.yml', call('bedrock', 'UpdateGuardrail'), call('bedrock-agent', 'UpdateGuardrail')],
  ['aws_cloudtrail_bucket_deleted.yml', call('s3', 'DeleteBucket'), call('s3', 'DeleteBucket', { errorCode: 'NoSuchBucket' })],
  [
    'aws_cloudtrail_console_login_failed_authentication.yml',
    call('signin', 'ConsoleLogin', { errorMessage: 'Failed authentication' }),
    call('signin', 'ConsoleLogin', { errorMessage: 'Failed authentication, MFA required' }),
  ],
  [
    'aws_cloudtrail_console_login_success_without_mfa.yml',
    call('signin', 'ConsoleLogin', { additionalEventData: { MFAUsed: 'No' }, responseElements: { ConsoleLogin: 'Success' } }),
    call('signin', 'ConsoleLogin', { additionalEventData: { MFAUsed: 'Yes' }, responseElements: { ConsoleLogin: 'Success' } }),
  ],
  ['aws_cloudtrail_disable_logging.yml', call('cloudtrail', 'StopLogging'), call('cloudtrail', 'StartLogging')],
  [
    'aws_cloudtrail_guardduty_detector_deleted_or_updated.yml',
    call('guardduty', 'UpdateDetector', { requestParameters: { detectorId: 'd', enable: false } }),
    call('guardduty', 'UpdateDetector', { requestParameters: { detectorId: 'd', enable: true } }),
  ],
  [
    'aws_cloudtrail_imds_malicious_usage.yml',
    call('s3', 'ListBuckets', { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc' } }),
    call('s3', 'ListBuckets', {
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/aws:ec2-instance/i-0abc' },
      sourceIPAddress: 'AWS Internal',
    }),
  ],
  ['aws_cloudtrail_new_acl_entries.yml', call('ec2', 'CreateNetworkAclEntry'), call('ec2', 'DeleteNetworkAclEntry')],
  ['aws_cloudtrail_new_route_added.yml', call('ec2', 'CreateRoute'), call('ec2', 'CreateRouteTable')],
  ['aws_cloudtrail_pua_trufflehog.yml', { userAgent: 'TruffleHog' }, { userAgent: 'TruffleHog/3.63' }],
  ['aws_cloudtrail_region_enabled.yml', call('account', 'EnableRegion'), call('account', 'DisableRegion')],
  ['aws_cloudtrail_security_group_change_ingress_egress.yml', call('ec2', 'RevokeSecurityGroupEgress'), call('ec2', 'DescribeSecurityGroups')],
  ['aws_cloudtrail_security_group_change_loadbalancer.yml', call('elasticloadbalancing', 'SetSecurityGroups'), call('ec2', 'SetSecurityGroups')],
  ['aws_cloudtrail_security_group_change_rds.yml', call('rds', 'CreateDBSecurityGroup'), call('rds', 'CreateDBSubnetGroup')],
  ['aws_cloudtrail_ssm_malicious_usage.yml', call('ssm', 'SendCommand'), call('ssm', 'SendCommand', { errorCode: 'AccessDenied' })],
  [
    'aws_cloudtrail_vpc_flow_logs_deleted.yml',
    call('ec2', 'DeleteFlowLogs', { errorCode: 'Success' }),
    call('ec2', 'DeleteFlowLogs', { errorCode: 'Client.InvalidParameterValue' }),
  ],
  ['aws_config_disable_recording.yml', call('config', 'StopConfigurationRecorder'), call('config', 'StartConfigurationRecorder')],
  [
    'aws_console_getsignintoken.yml',
    call('signin', 'GetSigninToken', { userAgent: 'python-requests/2.31.0' }),
    call('signin', 'GetSigninToken', { userAgent: 'Jersey/${project.version} (HttpUrlConnection 17.0.12)' }),
  ],
  ['aws_delete_identity.yml', call('ses', 'DeleteIdentity'), call('ses', 'DeleteIdentityPolicy')],
  ['aws_delete_saml_provider.yml', call('iam', 'DeleteSAMLProvider', { status: 'success' }), call('iam', 'DeleteSAMLProvider', { status: 'failure' })],
  [
    'aws_disable_bucket_versioning.yml',
    call('s3', 'PutBucketVersioning', { requestParameters: { bucketName: 'b', VersioningConfiguration: { Status: 'Suspended' } } }),
    call('s3', 'PutBucketVersioning', { requestParameters: { bucketName: 'b', VersioningConfiguration: { Status: 'Enabled' } } }),
  ],
  ['aws_ec2_disable_encryption.yml', call('ec2', 'DisableEbsEncryptionByDefault'), call('ec2', 'EnableEbsEncryptionByDefault')],
  ['aws_ec2_import_key_pair_activity.yml', call('ec2', 'ImportKeyPair'), call('ec2', 'CreateKeyPair')],
  [
    'aws_ec2_startup_script_change.yml',
    call('ec2', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-1', attribute: 'userData' } }),
    call('ec2', 'ModifyInstanceAttribute', { requestParameters: { instanceId: 'i-1', attribute: 'instanceType' } }),
  ],
  [
    'aws_ec2_vm_export_failure.yml',
    call('ec2', 'CreateInstanceExportTask', { responseElements: { exportTask: { state: 'active' } } }),
    call('ec2', 'CreateInstanceExportTask', { errorCode: 'AccessDenied' }),
  ],
  [
    'aws_ecs_task_definition_cred_endpoint_query.yml',
    call('ecs', 'RegisterTaskDefinition', {
      requestParameters: { containerDefinitions: [{ command: ['sh', '-c', 'curl 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'] }] },
    }),
    call('ecs', 'RegisterTaskDefinition', { requestParameters: { containerDefinitions: [{ command: ['sh', '-c', 'env'] }] } }),
  ],
  ['aws_efs_fileshare_modified_or_deleted.yml', call('elasticfilesystem', 'DeleteFileSystem'), call('elasticfilesystem', 'CreateFileSystem')],
  ['aws_efs_fileshare_mount_modified_or_deleted.yml', call('elasticfilesystem', 'DeleteMountTarget'), call('elasticfilesystem', 'CreateMountTarget')],
  ['aws_eks_cluster_created_or_deleted.yml', call('eks', 'CreateCluster'), call('eks', 'DescribeCluster')],
  ['aws_elasticache_security_group_created.yml', call('elasticache', 'CreateCacheSecurityGroup'), call('elasticache', 'CreateCacheSubnetGroup')],
  ['aws_elasticache_security_group_modified_or_deleted.yml', call('elasticache', 'DeleteCacheSecurityGroup'), call('ec2', 'DeleteCacheSecurityGroup')],
  ['aws_enum_buckets.yml', call('s3', 'ListBuckets'), call('s3', 'ListBuckets', { userIdentity: { type: 'AssumedRole' } })],
  ['aws_guardduty_disruption.yml', call('guardduty', 'CreateIPSet'), call('guardduty', 'CreateThreatIntelSet')],
  [
    'aws_iam_backdoor_users_keys.yml',
    call('iam', 'CreateAccessKey', { responseElements: { accessKey: { userName: 'bob' } } }),
    // The rule's filter is a plain contains of the text "responseElements.accessKey.userName", not a field reference.
    call('iam', 'CreateAccessKey', { userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/responseElements.accessKey.userName' } }),
  ],
  [
    'aws_iam_s3browser_loginprofile_creation.yml',
    call('iam', 'CreateLoginProfile', { userAgent: 'S3 Browser 11.5.7 https://s3browser.com' }),
    call('iam', 'CreateLoginProfile', { userAgent: 'aws-cli/2.15.0' }),
  ],
  [
    'aws_iam_s3browser_templated_s3_bucket_policy_creation.yml',
    call('iam', 'PutUserPolicy', {
      userAgent: 'S3 Browser 11.5.7',
      requestParameters: {
        userName: 'x',
        policyDocument: { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::<YOUR-BUCKET-NAME>/*'] }] },
      },
    }),
    call('iam', 'PutUserPolicy', {
      userAgent: 'S3 Browser 11.5.7',
      requestParameters: {
        userName: 'x',
        policyDocument: { Statement: [{ Effect: 'Deny', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::<YOUR-BUCKET-NAME>/*'] }] },
      },
    }),
  ],
  [
    'aws_iam_s3browser_user_or_accesskey_creation.yml',
    call('iam', 'CreateUser', { userAgent: 'S3 Browser 11.5.7' }),
    call('iam', 'GetUser', { userAgent: 'S3 Browser 11.5.7' }),
  ],
  ['aws_kms_import_key_material.yml', call('kms', 'ImportKeyMaterial'), call('kms', 'GetParametersForImport')],
  ['aws_lambda_function_url.yml', call('lambda', 'CreateFunctionUrlConfig'), call('lambda', 'GetFunctionUrlConfig')],
  [
    'aws_new_lambda_layer_attached.yml',
    call('lambda', 'UpdateFunctionConfiguration20150331v2', {
      requestParameters: { functionName: 'f', layers: ['arn:aws:lambda:us-east-1:111122223333:layer:x:1'] },
    }),
    call('lambda', 'UpdateFunctionConfiguration20150331v2', { requestParameters: { functionName: 'f', timeout: 30 } }),
  ],
  ['aws_passed_role_to_glue_development_endpoint.yml', call('glue', 'CreateDevEndpoint'), call('glue', 'GetDevEndpoint')],
  [
    'aws_rds_change_master_password.yml',
    call('rds', 'ModifyDBInstance', { responseElements: { pendingModifiedValues: { masterUserPassword: '****' } } }),
    call('rds', 'ModifyDBInstance', { responseElements: { pendingModifiedValues: { allocatedStorage: 100 } } }),
  ],
  ['aws_rds_dbcluster_actions.yml', call('rds', 'DeleteDBCluster'), call('rds', 'DescribeDBClusters')],
  [
    'aws_rds_public_db_restore.yml',
    call('rds', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { publiclyAccessible: true } }),
    call('rds', 'RestoreDBInstanceFromDBSnapshot', { responseElements: { publiclyAccessible: false } }),
  ],
  [
    'aws_root_account_usage.yml',
    { userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' } },
    { userIdentity: { type: 'Root', arn: 'arn:aws:iam::111122223333:root' }, eventType: 'AwsServiceEvent' },
  ],
  // CloudTrail logs domain registration as route53domains.amazonaws.com: as written, these two rules only match route53.
  ['aws_route_53_domain_transferred_lock_disabled.yml', call('route53', 'DisableDomainTransferLock'), call('route53domains', 'DisableDomainTransferLock')],
  [
    'aws_route_53_domain_transferred_to_another_account.yml',
    call('route53', 'TransferDomainToAnotherAwsAccount'),
    call('route53domains', 'TransferDomainToAnotherAwsAccount'),
  ],
  ['aws_s3_data_management_tampering.yml', call('s3', 'PutBucketLogging'), call('s3', 'GetBucketLogging')],
  ['aws_securityhub_finding_evasion.yml', call('securityhub', 'BatchUpdateFindings'), call('securityhub', 'GetFindings')],
  ['aws_snapshot_backup_exfiltration.yml', call('ec2', 'ModifySnapshotAttribute'), call('ec2', 'ModifyImageAttribute')],
  ['aws_sso_idp_change.yml', call('sso-directory', 'AssociateDirectory'), call('identitystore', 'AssociateDirectory')],
  [
    'aws_sts_assumerole_misuse.yml',
    { userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role' } } } },
    { userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'IAMUser' } } } },
  ],
  [
    'aws_sts_getcalleridentity_trufflehog.yml',
    call('sts', 'GetCallerIdentity', { userAgent: 'TruffleHog' }),
    call('sts', 'GetSessionToken', { userAgent: 'TruffleHog' }),
  ],
  ['aws_sts_getsessiontoken_misuse.yml', call('sts', 'GetSessionToken'), call('sts', 'GetSessionToken', { userIdentity: { type: 'Root' } })],
  ['aws_susp_saml_activity.yml', call('iam', 'UpdateSAMLProvider'), call('iam', 'CreateSAMLProvider')],
  [
    'aws_update_login_profile.yml',
    call('iam', 'UpdateLoginProfile', { requestParameters: { userName: 'bob' } }),
    call('iam', 'UpdateLoginProfile', { requestParameters: { userName: 'ARN:AWS:IAM::111122223333:USER/ALICE' } }),
  ],
];

describe('each bundled single-event rule', () => {
  it('is in the table once, and the table covers all 57', () => {
    const names = SINGLE_EVENT_RULES.map(([name]) => name);
    assert.equal(new Set(names).size, 57);
    const bundled = rules.files.filter((file) => path.basename(path.dirname(file.path)) !== 'unsupported').map((file) => path.basename(file.path));
    assert.deepEqual([...names].sort(), bundled.sort());
  });

  for (const [name, matching, almost] of SINGLE_EVENT_RULES) {
    it(`${name}: reports the matching record, not the one that almost matches`, () => {
      const id = ruleOfFile(name);
      const [onMatch, onAlmost] = reported(matching, almost);
      assert.ok(onMatch.includes(id), `matching record: ${JSON.stringify(onMatch)}`);
      assert.ok(!onAlmost.includes(id), `near miss: ${JSON.stringify(onAlmost)}`);
    });
  }
});

const minute = (m: number): string => new Date(Date.UTC(2024, 4, 1, 10, m)).toISOString().replace('.000Z', 'Z');

/** file, events that make the rule match, events that almost do. */
const AGGREGATING_RULES: [string, Fields[], Fields[]][] = [
  [
    'aws_ec2_download_userdata.yml',
    Array.from({ length: 11 }, (_, i) => call('ec2', 'DescribeInstanceAttribute', { eventTime: minute(i), requestParameters: { attribute: 'userData' } })),
    Array.from({ length: 10 }, (_, i) => call('ec2', 'DescribeInstanceAttribute', { eventTime: minute(i), requestParameters: { attribute: 'userData' } })),
  ],
  [
    'aws_enum_backup.yml',
    Array.from({ length: 6 }, (_, i) => call('ec2', 'DescribeVolumes', { eventTime: minute(i) })),
    Array.from({ length: 6 }, (_, i) => call('ec2', 'DescribeVolumes', { eventTime: minute(i * 3) })),
  ],
  [
    'aws_enum_listing.yml',
    Array.from({ length: 51 }, (_, i) => call('iam', 'ListUsers', { eventTime: minute(i % 10) })),
    Array.from({ length: 50 }, (_, i) => call('iam', 'ListUsers', { eventTime: minute(i % 10) })),
  ],
  [
    'aws_enum_network.yml',
    Array.from({ length: 6 }, (_, i) => call('ec2', 'DescribeCarrierGateways', { eventTime: minute(i) })),
    Array.from({ length: 5 }, (_, i) => call('ec2', 'DescribeCarrierGateways', { eventTime: minute(i) })),
  ],
  [
    'aws_enum_storage.yml',
    Array.from({ length: 6 }, (_, i) => call('s3', 'GetBucketPolicy', { eventTime: minute(i) })),
    Array.from({ length: 6 }, (_, i) => call('s3', 'GetBucketAcl', { eventTime: minute(i) })),
  ],
  [
    'aws_lambda_function_created_or_invoked.yml',
    [call('lambda', 'CreateFunction', { eventTime: minute(0) }), call('lambda', 'Invoke', { eventTime: minute(30) })],
    [call('lambda', 'CreateFunction', { eventTime: minute(0) }), call('lambda', 'GetFunction', { eventTime: minute(30) })],
  ],
  [
    'aws_macic_evasion.yml',
    Array.from({ length: 6 }, (_, i) => call('macie2', 'ArchiveFindings', { eventTime: minute(i), sourceIPAddress: '198.51.100.9' })),
    Array.from({ length: 6 }, (_, i) => call('macie2', 'ArchiveFindings', { eventTime: minute(i), sourceIPAddress: `198.51.100.${String(i % 2)}` })),
  ],
  [
    'aws_ses_messaging_enabled.yml',
    [call('ses', 'UpdateAccountSendingEnabled', { eventTime: minute(0) }), call('ses', 'VerifyEmailIdentity', { eventTime: minute(4) })],
    [call('ses', 'UpdateAccountSendingEnabled', { eventTime: minute(0) }), call('ses', 'VerifyEmailIdentity', { eventTime: minute(6) })],
  ],
];

describe('each bundled aggregating rule (SigmaHQ unsupported/), run as a correlation', () => {
  for (const [name, matching, almost] of AGGREGATING_RULES) {
    it(`${name}: reports the events that reach the condition, not those that almost do`, () => {
      const id = ruleOfFile(name);
      assert.ok(
        reported(...matching)
          .flat()
          .includes(id),
      );
      assert.ok(
        !reported(...almost)
          .flat()
          .includes(id),
      );
    });
  }
});
