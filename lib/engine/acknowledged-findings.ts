import type { IConstruct } from 'constructs';

/**
 * The construct metadata that aws-cdk-lib's `Validations.of(scope).acknowledge()` records
 * (`Validations.ACKNOWLEDGED_RULES_METADATA_KEY`), and that the synth-time validation report and
 * cdk-nag read. Written here directly because `acknowledge` exists only from aws-cdk-lib 2.252.0,
 * and takes ids with `::` inside brackets (`AwsSolutions-IAM5[Resource::...]`) only from 2.269.0;
 * on older releases the metadata is inert.
 */
const ACKNOWLEDGED_RULES_METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** A validation plugin's finding, by its qualified id (`AwsSolutions::AwsSolutions-SF1`), and why it is acceptable. */
export interface AcknowledgedFinding {
  readonly id: string;
  readonly reason: string;
}

/**
 * Acknowledges findings on `scope` and everything under it, as `Validations.of(scope).acknowledge()`
 * does; a finding already acknowledged there is not recorded twice.
 */
export function acknowledgeFindings(scope: IConstruct, ...findings: AcknowledgedFinding[]): void {
  const recorded = scope.node.metadata.filter((entry) => entry.type === ACKNOWLEDGED_RULES_METADATA_KEY).flatMap((entry) => Object.keys(entry.data));
  for (const { id, reason } of findings.filter((finding) => !recorded.includes(finding.id))) {
    scope.node.addMetadata(ACKNOWLEDGED_RULES_METADATA_KEY, { [id]: reason });
  }
}
