import type { IConstruct } from 'constructs';
import { acknowledgeFindings } from './acknowledged-findings';

/*
 * The findings of cdk-nag's compliance packs (HIPAA Security, NIST 800-53 rev 4 and 5, PCI DSS
 * 3.2.1, Serverless) that no setting is to clear, acknowledged on the library's own resources with
 * the reason (README, "Compliance packs"). The rest are cleared by handlerSettings.
 */

const INLINE_POLICY_PACKS = ['HIPAA.Security', 'NIST.800.53.R4', 'NIST.800.53.R5', 'PCI.DSS.321'];
const DEAD_LETTER_PACKS = ['HIPAA.Security', 'NIST.800.53.R5', 'Serverless'];

const INLINE_POLICY_REASON =
  "Each policy is the least-privilege grant of one of the library's roles in this stack, naming only the stack's own " +
  'Personalize work, buckets, keys and functions; it is created, changed and deleted with its role and reviewed in the ' +
  'template. A customer-managed policy would hold the same statements with a limit of 6,144 characters instead of 10,240, ' +
  'and could be attached to principals it was not written for.';

/**
 * Why a function has no dead-letter queue, by who invokes it. Sources: a dead-letter queue receives
 * failed asynchronous invocations only (Lambda API reference, DeadLetterConfig); Lambda retries a
 * failed asynchronous invocation twice (Lambda developer guide, "Asynchronous invocation");
 * CloudFormation invokes a service token asynchronously, and the provider framework answers every
 * error it catches as FAILED (facts.md, "CloudFormation and the CDK provider framework").
 */
export enum Invocation {
  /** Invoked and waited for by the provider framework's functions or its state machine's Task. */
  SYNCHRONOUS = 'synchronous',
  /** Invoked asynchronously by CloudFormation, as a custom resource's service token. */
  BY_CLOUDFORMATION = 'byCloudFormation',
}

const DEAD_LETTER_REASONS: Record<Invocation, string> = {
  [Invocation.SYNCHRONOUS]:
    'Invoked only synchronously (by the provider framework\'s Lambda Invoke, or by its waiter state machine\'s Task), and a dead-letter ' +
    'queue receives only failed asynchronous invocations (Lambda API reference, DeadLetterConfig): it would stay empty. A failure returns ' +
    'to the caller, which answers CloudFormation FAILED with the reason.',
  [Invocation.BY_CLOUDFORMATION]:
    'Invoked asynchronously by CloudFormation. Its handler answers CloudFormation FAILED, with the reason, for every error it catches, and ' +
    'Lambda retries an invocation that fails anyway twice. A dead-letter queue would keep only the event, with its pre-signed response URL, ' +
    "for nobody to answer; the resource's ServiceTimeout bounds CloudFormation's wait for it instead.",
};

/** The library's roles and policies under `scope` are inline on purpose. */
export function acknowledgeInlinePolicies(scope: IConstruct): void {
  acknowledgeFindings(scope, ...INLINE_POLICY_PACKS.map((pack) => ({ id: `${pack}::${pack}-IAMNoInlinePolicy`, reason: INLINE_POLICY_REASON })));
}

/** The library's function `fn`, invoked as `invocation` says, has no dead-letter queue on purpose. */
export function acknowledgeNoDeadLetterQueue(fn: IConstruct, invocation: Invocation): void {
  acknowledgeFindings(fn, ...DEAD_LETTER_PACKS.map((pack) => ({ id: `${pack}::${pack}-LambdaDLQ`, reason: DEAD_LETTER_REASONS[invocation] })));
}
