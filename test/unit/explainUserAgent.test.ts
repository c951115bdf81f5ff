import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readUserAgent } from '../../server/src/model/explain/userAgent';
import { userAgentLines } from '../../server/src/model/explain/valueReadings';
import { assertInert } from './hoverRendering';

describe('userAgent readings', () => {
  it('reads the AWS CLI v1 with its Python and system', () => {
    const reading = readUserAgent('aws-cli/1.15.4 Python/2.7.9 Windows/8 botocore/1.10.4');
    assert.equal(reading.kind, 'cli');
    assert.equal(reading.client, 'AWS CLI 1.15.4 (version 1)');
    assert.deepEqual(reading.details, ['language Python 2.7.9', 'on Windows 8']);
  });

  it('reads the AWS CLI v2 with the command it ran', () => {
    const reading = readUserAgent(
      'aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0 md/arch#x86_64 lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe prompt/off command/acm.request-certificate',
    );
    assert.equal(reading.client, 'AWS CLI 2.22.4 (version 2)');
    assert.deepEqual(reading.details, ['command aws acm request-certificate', 'language Python 3.12.6', 'on Linux 6.8.0']);
  });

  it('reads SDKs with their language', () => {
    const go = readUserAgent('aws-sdk-go-v2/1.32.3 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 exec-env/grimoire_095724e3 api/sts#1.26.2');
    assert.equal(go.kind, 'sdk');
    assert.equal(go.client, 'AWS SDK for Go v2 1.32.3');
    assert.deepEqual(go.details, ['language Go 1.23.1', 'on Linux', 'execution environment grimoire_095724e3', 'service client sts 1.26.2']);
    const boto = readUserAgent('Boto3/1.35.60 md/Botocore#1.35.60 ua/2.0 os/linux#6.8.0 lang/python#3.12.6 Botocore/1.35.60');
    assert.equal(boto.client, 'AWS SDK for Python (Boto3) 1.35.60');
    const ruby = readUserAgent('OpsWorks aws-sdk-ruby/1.18.0 ruby/1.9.3 x86_64-linux');
    assert.equal(ruby.client, 'AWS SDK for Ruby 1.18.0');
    assert.deepEqual(ruby.details, ['used by OpsWorks', 'language Ruby 1.9.3']);
    assert.equal(readUserAgent('aws-sdk-java/1.12.600 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS java/17.0.9').client, 'AWS SDK for Java 1.12.600');
  });

  it('reads Terraform with its AWS provider, and CloudFormation', () => {
    const terraform = readUserAgent(
      'APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.4 os/linux lang/go#1.23.2',
    );
    assert.equal(terraform.kind, 'infrastructure-as-code');
    assert.equal(terraform.client, 'Terraform 1.9.8');
    assert.equal(terraform.details[0], 'AWS provider 5.76.0');
    assert.equal(readUserAgent('cloudformation.amazonaws.com').client, 'AWS CloudFormation');
    assert.equal(readUserAgent('cloudformation.amazonaws.com').kind, 'infrastructure-as-code');
  });

  it('reads the console, services and AWS internal clients', () => {
    assert.equal(readUserAgent('signin.amazonaws.com').kind, 'console');
    assert.equal(readUserAgent('console.ec2.amazonaws.com').kind, 'console');
    const service = readUserAgent('autoscaling.amazonaws.com');
    assert.equal(service.kind, 'aws-service');
    assert.equal(service.client, 'Amazon EC2 Auto Scaling');
    assert.equal(readUserAgent('Coral/Netty').kind, 'aws-internal');
    assert.equal(readUserAgent('AWS Internal').kind, 'aws-internal');
  });

  it('reads browsers, and a browser in a console session as the console', () => {
    const firefox = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0';
    assert.equal(readUserAgent(firefox).client, 'Firefox 128.0');
    assert.deepEqual(readUserAgent(firefox).details, ['on Windows']);
    assert.equal(readUserAgent(firefox, { consoleSession: true }).kind, 'console');
    const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_2) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/63.0.3239.132 Safari/537.36';
    assert.equal(readUserAgent(chrome).client, 'Chrome 63.0.3239.132');
    assert.deepEqual(readUserAgent(chrome).details, ['on macOS']);
  });

  it('reads general HTTP tools and says when it does not know a client', () => {
    assert.equal(readUserAgent('curl/7.22.0 (x86_64-pc-linux-gnu) libcurl/7.22.0').client, 'curl 7.22.0');
    const custom = readUserAgent('stratus-red-team_fccf7123-0651-41f5-b06c-460da5ee1c94');
    assert.equal(custom.kind, 'unknown');
    assert.equal(readUserAgent('').kind, 'unknown');
  });

  it('never lets a crafted userAgent render as Markdown', () => {
    const crafted = 'aws-cli/[1](command:evil) Python/<img src=x> Linux/`x`';
    const markdown = userAgentLines(crafted, false)
      .map((line) => `- ${line.value}`)
      .join('\n');
    // Only the pieces the reading keeps are shown, and they stay text.
    assertInert(markdown, ['AWS CLI [1]', 'Python <img', 'Linux `x`']);
  });
});
