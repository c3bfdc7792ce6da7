import { CfnResource, CustomResource, Duration, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WaiterLogLevel, WaiterProperty } from './wait-contract';
import { markWaitLink } from './work-references';
import { ANSWER_MARGIN_SECONDS, CLOUDFORMATION_RESPONSE_LIMIT_SECONDS, linkCountFor, linkDeadlineSeconds } from './wait-timing';

/**
 * The properties that say which job a link waits for, given the chain's first link (undefined
 * when building the first link itself).
 */
export type LinkTarget = (firstLink: CustomResource | undefined) => Record<string, unknown>;

export interface WaiterChainProps {
  readonly serviceToken: string;
  readonly resourceType: string;
  readonly target: LinkTarget;
  /** Whole seconds, or a token (then the chain is one resource). */
  readonly timeoutSeconds: number;
  readonly pollIntervalSeconds: number;
  readonly failOnJobFailure: boolean;
  readonly logLevel: WaiterLogLevel;
}

/**
 * The wait's custom resources: one for a wait of an hour or less; past that, a relay of links,
 * each depending on the one before and waiting at most its share of its own CloudFormation hour.
 * Answers the links in order; the last completes only once the job has ended.
 */
export function createWaiterChain(scope: Construct, props: WaiterChainProps): CustomResource[] {
  const { timeoutSeconds, pollIntervalSeconds } = props;
  const linkCount = Token.isUnresolved(timeoutSeconds) ? 1 : linkCountFor(timeoutSeconds, pollIntervalSeconds);
  const links: CustomResource[] = [];
  for (let linkIndex = 1; linkIndex <= linkCount; linkIndex++) {
    // The first link keeps the id of a single-resource waiter, so a longer timeout adds links.
    const link = new CustomResource(scope, linkIndex === 1 ? 'Resource' : `Link${linkIndex}`, {
      serviceToken: props.serviceToken,
      resourceType: props.resourceType,
      serviceTimeout: serviceTimeout(timeoutSeconds, pollIntervalSeconds, linkIndex, linkCount),
      properties: {
        ...props.target(links[0]),
        [WaiterProperty.TIMEOUT_SECONDS]: timeoutSeconds,
        [WaiterProperty.POLL_INTERVAL_SECONDS]: pollIntervalSeconds,
        [WaiterProperty.FAIL_ON_JOB_FAILURE]: props.failOnJobFailure,
        [WaiterProperty.LOG_LEVEL]: props.logLevel,
        ...(linkCount > 1 ? { [WaiterProperty.LINK_INDEX]: linkIndex, [WaiterProperty.LINK_COUNT]: linkCount } : {}),
      },
    });
    markWaitLink(link.node.defaultChild as CfnResource);
    if (links.length > 0) {
      link.node.addDependency(links[links.length - 1]);
    }
    links.push(link);
  }
  return links;
}

/**
 * CloudFormation's own limit for one link: its polling deadline plus one poll and the answer
 * margin, so that a provider that cannot answer at all does not hold the stack for the full hour.
 */
function serviceTimeout(timeoutSeconds: number, pollIntervalSeconds: number, linkIndex: number, linkCount: number): Duration | undefined {
  if (Token.isUnresolved(timeoutSeconds)) {
    return undefined;
  }
  const deadline = linkCount === 1 ? timeoutSeconds : linkDeadlineSeconds(timeoutSeconds, pollIntervalSeconds, linkIndex, linkCount);
  return Duration.seconds(Math.min(CLOUDFORMATION_RESPONSE_LIMIT_SECONDS, deadline + pollIntervalSeconds + ANSWER_MARGIN_SECONDS));
}
