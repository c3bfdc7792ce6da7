import { CfnResource, Reference, Tokenization } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/*
 * What the engine knows of the custom resources this library makes, without knowing their kinds:
 * which resources are a wait's links, and what a construct says about the work its attributes
 * name, for another construct that is given one of those attributes (a batch job given a
 * training's solutionVersionArn). A kind declares it; the engine and the other kinds ask.
 */

/** What a reference to a construct's work may name without referring to the construct itself. */
export interface WorkReferences {
  /** An ARN in the work's partition, region and account that refers to none of the stack's waits. */
  readonly homeArn: string;
  /** What a grant on the work names: the work's ARN, or a pattern of ARNs that holds it. */
  readonly grantResource: string;
}

const waitLinks = new WeakSet<CfnResource>();
const declared = new WeakMap<IConstruct, WorkReferences>();

/** Records that `link` is a link of a wait of this library's. */
export function markWaitLink(link: CfnResource): void {
  waitLinks.add(link);
}

/** Whether `value` is (or starts with) a reference to a link of a wait of this library's, and the link. */
export function waitLinkOf(value: string): CfnResource | undefined {
  const target = referencedResource(value);
  return target !== undefined && waitLinks.has(target) ? target : undefined;
}

/** Declares what a reference to `construct`'s work names. */
export function declareWorkReferences(construct: IConstruct, references: WorkReferences): void {
  declared.set(construct, references);
}

/**
 * What the construct whose attribute `value` is declared about its work; undefined for a value
 * that is no attribute of such a construct (a literal, a parameter, another resource's attribute).
 */
export function workReferencesOf(value: string): WorkReferences | undefined {
  const target = referencedResource(value);
  // A link's CfnResource sits in a CustomResource, which sits in the construct.
  return target === undefined ? undefined : target.node.scopes.map((scope) => declared.get(scope)).find((found) => found !== undefined);
}

function referencedResource(value: string): CfnResource | undefined {
  const token = Tokenization.reverseString(value).firstToken;
  return token instanceof Reference && token.target instanceof CfnResource ? token.target : undefined;
}
