import { Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { IConstruct } from 'constructs';
import type { JobHandlerSettings } from './handler-settings';
import type { StackSettings } from './stack-wide-settings';

/** Lambda's limits on a function's memory, in MiB (Lambda API reference, CreateFunction `MemorySize`). */
const MEMORY_SIZE = { min: 128, max: 10_240 } as const;

/**
 * Checks the handler settings `scope` gives, and resolves the subnets they select. A number that is
 * still a token passes, for Lambda to check at deploy time.
 */
export function validateHandlerSettings(scope: IConstruct, settings: JobHandlerSettings): StackSettings {
  const prefix = `${scope.node.path}: handlerSettings`;
  const { vpc, vpcSubnets, securityGroups, reservedConcurrentExecutions, memorySize } = settings;
  if (vpc === undefined && (vpcSubnets !== undefined || securityGroups !== undefined)) {
    const given = [vpcSubnets !== undefined ? 'vpcSubnets' : undefined, securityGroups !== undefined ? 'securityGroups' : undefined].filter(Boolean).join(' and ');
    throw new Error(`${prefix}.${given} place the functions in a VPC, so they need handlerSettings.vpc too; give the VPC the subnets belong to.`);
  }
  if (securityGroups !== undefined && securityGroups.length === 0) {
    throw new Error(`${prefix}.securityGroups is empty; give at least one security group, or leave it out for one of the library's own.`);
  }
  if (reservedConcurrentExecutions !== undefined && !Token.isUnresolved(reservedConcurrentExecutions) && !(Number.isInteger(reservedConcurrentExecutions) && reservedConcurrentExecutions >= 1)) {
    throw new Error(
      `${prefix}.reservedConcurrentExecutions must be a whole number of at least 1; got ${reservedConcurrentExecutions}. ` +
        '0 would stop every function from running, and with it every deployment, update and delete of the stack\'s Personalize constructs.',
    );
  }
  if (memorySize !== undefined && !Token.isUnresolved(memorySize) && !(Number.isInteger(memorySize) && memorySize >= MEMORY_SIZE.min && memorySize <= MEMORY_SIZE.max)) {
    throw new Error(`${prefix}.memorySize must be a whole number of MiB from ${MEMORY_SIZE.min} to ${MEMORY_SIZE.max}; got ${memorySize}.`);
  }
  return {
    network: vpc === undefined ? undefined : { vpc, subnets: selectedSubnets(scope, vpc, vpcSubnets), securityGroups },
    logEncryptionKey: settings.logEncryptionKey,
    reservedConcurrentExecutions,
    tracingEnabled: settings.tracingEnabled,
    memorySize,
  };
}

function selectedSubnets(scope: IConstruct, vpc: ec2.IVpc, vpcSubnets: ec2.SubnetSelection | undefined): ec2.SelectedSubnets {
  const selection = vpc.selectSubnets(vpcSubnets);
  const prefix = `${scope.node.path}: handlerSettings.vpcSubnets`;
  if (selection.subnets.length === 0 && !selection.isPendingLookup) {
    throw new Error(`${prefix} selects no subnet of the VPC ${vpc.node.path}; select subnets it has.`);
  }
  if (selection.hasPublic) {
    throw new Error(
      `${prefix} selects public subnets of the VPC ${vpc.node.path}, where a function gets no public address and so ` +
        'reaches nothing outside the VPC; select private or isolated subnets (with the endpoints in README, "Running in a VPC").',
    );
  }
  return selection;
}
